// Reads TFRecord files (the format of TF Serving's warmup requests file):
// a sequence of records, each
//   length: uint64 little-endian
//   masked crc32c of the 8 length bytes: uint32 little-endian
//   data: `length` bytes
//   masked crc32c of data: uint32 little-endian
// Both checksums are verified; a record longer than `max_record_bytes` is
// refused before anything is allocated, so a corrupt length cannot exhaust
// memory. Not thread-safe.
#ifndef MODEL_SERVER_LOADER_TFRECORD_READER_H_
#define MODEL_SERVER_LOADER_TFRECORD_READER_H_

#include <cstdint>
#include <fstream>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace model_server {

class TFRecordReader {
 public:
  // Opens `path`; NOT_FOUND when it cannot be read, FAILED_PRECONDITION
  // when it is not a regular file (a FIFO would block, a device not end).
  static absl::StatusOr<TFRecordReader> Open(
      const std::string& path, uint64_t max_record_bytes = uint64_t{1} << 30);

  // The next record into *record. Returns true with the record, false at a
  // clean end of file, or DATA_LOSS naming the file, the record number (from
  // 1) and its offset when a record is truncated or fails its checksum.
  absl::StatusOr<bool> Next(std::string* record);

  // Records returned so far.
  int64_t records_read() const { return records_read_; }

 private:
  TFRecordReader(std::string path, uint64_t max_record_bytes);
  absl::Status Corrupt(absl::string_view what) const;

  std::string path_;
  uint64_t max_record_bytes_;
  std::ifstream file_;
  uint64_t file_size_ = 0;
  uint64_t offset_ = 0;
  int64_t records_read_ = 0;
};

// Frames `data` as one TFRecord record (for tests and tools that write
// warmup files).
std::string EncodeTFRecord(absl::string_view data);

}  // namespace model_server

#endif  // MODEL_SERVER_LOADER_TFRECORD_READER_H_
