#include "loader/tfrecord_reader.h"

#include <filesystem>
#include <system_error>
#include <utility>

#include "absl/strings/str_cat.h"
#include "runtime/bundle/crc32c.h"

namespace model_server {
namespace {

constexpr size_t kHeaderBytes = sizeof(uint64_t) + sizeof(uint32_t);
constexpr size_t kFooterBytes = sizeof(uint32_t);

uint32_t MaskedCrc(const char* data, size_t n) {
  return crc32c::Mask(crc32c::Value(data, n));
}

uint64_t LoadLittleEndian64(const char* bytes) {
  uint64_t value = 0;
  for (int i = 7; i >= 0; --i) {
    value = (value << 8) | static_cast<unsigned char>(bytes[i]);
  }
  return value;
}

uint32_t LoadLittleEndian32(const char* bytes) {
  uint32_t value = 0;
  for (int i = 3; i >= 0; --i) {
    value = (value << 8) | static_cast<unsigned char>(bytes[i]);
  }
  return value;
}

void AppendLittleEndian(uint64_t value, int bytes, std::string* out) {
  for (int i = 0; i < bytes; ++i) {
    out->push_back(static_cast<char>(value & 0xff));
    value >>= 8;
  }
}

}  // namespace

TFRecordReader::TFRecordReader(std::string path, uint64_t max_record_bytes)
    : path_(std::move(path)),
      max_record_bytes_(max_record_bytes),
      file_(path_, std::ios::binary) {
  if (file_.is_open()) {
    file_.seekg(0, std::ios::end);
    const std::streamoff size = file_.tellg();
    file_.seekg(0, std::ios::beg);
    file_size_ = size > 0 ? static_cast<uint64_t>(size) : 0;
  }
}

absl::StatusOr<TFRecordReader> TFRecordReader::Open(const std::string& path,
                                                    uint64_t max_record_bytes) {
  // Opening a FIFO would wait for a writer forever, and a device such as
  // /dev/zero never ends: only regular files are read.
  std::error_code error;
  const std::filesystem::file_status type =
      std::filesystem::status(path, error);
  if (std::filesystem::exists(type) &&
      !std::filesystem::is_regular_file(type)) {
    return absl::FailedPreconditionError(
        absl::StrCat(path, " is not a regular file"));
  }
  TFRecordReader reader(path, max_record_bytes);
  if (!reader.file_.is_open()) {
    return absl::NotFoundError(absl::StrCat("cannot open ", path));
  }
  return reader;
}

absl::Status TFRecordReader::Corrupt(absl::string_view what) const {
  return absl::DataLossError(absl::StrCat(what, " in record ",
                                          records_read_ + 1, " at offset ",
                                          offset_, " of ", path_));
}

absl::StatusOr<bool> TFRecordReader::Next(std::string* record) {
  if (offset_ == file_size_) return false;
  if (file_size_ - offset_ < kHeaderBytes) {
    return Corrupt("truncated record header");
  }
  char header[kHeaderBytes];
  if (!file_.read(header, kHeaderBytes)) return Corrupt("unreadable header");
  if (LoadLittleEndian32(header + sizeof(uint64_t)) !=
      MaskedCrc(header, sizeof(uint64_t))) {
    return Corrupt("corrupted record (length checksum mismatch)");
  }
  const uint64_t length = LoadLittleEndian64(header);
  // Checked before allocating: a corrupt length must not exhaust memory.
  const uint64_t remaining = file_size_ - offset_ - kHeaderBytes;
  if (length > remaining || remaining - length < kFooterBytes) {
    return Corrupt(absl::StrCat("truncated record (", length,
                                " bytes announced, ", remaining, " left)"));
  }
  if (length > max_record_bytes_) {
    return Corrupt(absl::StrCat("record of ", length,
                                " bytes (more than the limit of ",
                                max_record_bytes_, ")"));
  }
  record->resize(length);
  char footer[kFooterBytes];
  if (!file_.read(record->data(), static_cast<std::streamsize>(length)) ||
      !file_.read(footer, kFooterBytes)) {
    return Corrupt("unreadable record");
  }
  if (LoadLittleEndian32(footer) != MaskedCrc(record->data(), record->size())) {
    return Corrupt("corrupted record (data checksum mismatch)");
  }
  offset_ += kHeaderBytes + length + kFooterBytes;
  ++records_read_;
  return true;
}

std::string EncodeTFRecord(absl::string_view data) {
  std::string out;
  AppendLittleEndian(data.size(), sizeof(uint64_t), &out);
  AppendLittleEndian(MaskedCrc(out.data(), sizeof(uint64_t)), sizeof(uint32_t),
                     &out);
  out.append(data.data(), data.size());
  AppendLittleEndian(MaskedCrc(data.data(), data.size()), sizeof(uint32_t),
                     &out);
  return out;
}

}  // namespace model_server
