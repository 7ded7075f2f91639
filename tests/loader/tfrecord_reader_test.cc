// TFRecordReader: framing, checksums and bounds of TFRecord files.
#include "loader/tfrecord_reader.h"

#include <fstream>
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/testing/scoped_temp_dir.h"

namespace model_server {
namespace {

using ::testing::HasSubstr;

std::string WriteFile(const ScopedTempDir& dir, const std::string& bytes) {
  const std::string path = dir.Child("records");
  std::ofstream(path, std::ios::binary) << bytes;
  return path;
}

std::vector<std::string> ReadAll(const std::string& path, absl::Status* error) {
  std::vector<std::string> records;
  absl::StatusOr<TFRecordReader> reader = TFRecordReader::Open(path);
  if (!reader.ok()) {
    *error = reader.status();
    return records;
  }
  std::string record;
  while (true) {
    absl::StatusOr<bool> next = reader->Next(&record);
    if (!next.ok()) {
      *error = next.status();
      break;
    }
    if (!*next) break;
    records.push_back(record);
  }
  return records;
}

TEST(TFRecord, KnownFramingOfAnEmptyRecord) {
  // Length 0, masked crc32c of eight zero bytes, no data, masked crc32c of
  // nothing: the bytes TensorFlow's RecordWriter writes for "".
  const std::string framed = EncodeTFRecord("");
  ASSERT_EQ(framed.size(), 16u);
  EXPECT_EQ(framed.substr(0, 8), std::string(8, '\0'));
  // crc32c("") = 0; masked: rotate(0) + 0xa282ead8.
  EXPECT_EQ(framed.substr(12, 4), std::string("\xd8\xea\x82\xa2", 4));
}

TEST(TFRecord, ReadsBackWhatWasWritten) {
  ScopedTempDir dir;
  const std::string path =
      WriteFile(dir, EncodeTFRecord("first") + EncodeTFRecord("") +
                         EncodeTFRecord(std::string(70000, 'x')));
  absl::Status error;
  std::vector<std::string> records = ReadAll(path, &error);
  EXPECT_TRUE(error.ok()) << error;
  ASSERT_EQ(records.size(), 3u);
  EXPECT_EQ(records[0], "first");
  EXPECT_EQ(records[1], "");
  EXPECT_EQ(records[2], std::string(70000, 'x'));
}

TEST(TFRecord, CorruptDataIsDataLossNamingTheRecord) {
  ScopedTempDir dir;
  std::string bytes = EncodeTFRecord("first") + EncodeTFRecord("second");
  bytes[bytes.size() - 6] ^= 0x01;  // inside "second"
  absl::Status error;
  std::vector<std::string> records = ReadAll(WriteFile(dir, bytes), &error);
  EXPECT_EQ(records.size(), 1u);
  EXPECT_EQ(error.code(), absl::StatusCode::kDataLoss);
  EXPECT_THAT(error.message(),
              HasSubstr("(data checksum mismatch) in record 2"));
}

TEST(TFRecord, CorruptLengthIsDataLoss) {
  ScopedTempDir dir;
  std::string bytes = EncodeTFRecord("first");
  bytes[0] ^= 0x40;
  absl::Status error;
  ReadAll(WriteFile(dir, bytes), &error);
  EXPECT_EQ(error.code(), absl::StatusCode::kDataLoss);
  EXPECT_THAT(error.message(), HasSubstr("length checksum mismatch"));
}

TEST(TFRecord, TruncatedRecordIsDataLoss) {
  ScopedTempDir dir;
  const std::string bytes = EncodeTFRecord("first") + EncodeTFRecord("second");
  for (size_t cut : {bytes.size() - 1, bytes.size() - 10, size_t{20}}) {
    absl::Status error;
    ReadAll(WriteFile(dir, bytes.substr(0, cut)), &error);
    EXPECT_EQ(error.code(), absl::StatusCode::kDataLoss) << cut;
    EXPECT_THAT(error.message(), HasSubstr("truncated")) << cut;
  }
}

TEST(TFRecord, HugeAnnouncedLengthIsRefusedBeforeAllocating) {
  ScopedTempDir dir;
  // A header announcing 2^40 bytes with a correct length checksum, followed
  // by almost nothing.
  const uint64_t huge = uint64_t{1} << 40;
  std::string length(8, '\0');
  for (int i = 0; i < 8; ++i) length[i] = static_cast<char>(huge >> (8 * i));
  // The last four bytes of a record holding `length` are the masked CRC of
  // `length`: the header checksum such a length needs.
  const std::string framed = EncodeTFRecord(length);
  const std::string bytes = length + framed.substr(framed.size() - 4) + "tail";
  absl::Status error;
  ReadAll(WriteFile(dir, bytes), &error);
  EXPECT_EQ(error.code(), absl::StatusCode::kDataLoss);
  EXPECT_THAT(error.message(), HasSubstr("truncated record"));
}

TEST(TFRecord, MissingFileIsNotFound) {
  EXPECT_EQ(TFRecordReader::Open("/nonexistent/records").status().code(),
            absl::StatusCode::kNotFound);
}

}  // namespace
}  // namespace model_server
