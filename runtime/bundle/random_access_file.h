// A read-only file read at explicit offsets (pread), for the tensor bundle's
// index and data shards.
//
// Thread-safe: Read() may be called concurrently. The size is taken when the
// file opens; a read past it (the file shrank) fails with DATA_LOSS.
#ifndef MODEL_SERVER_RUNTIME_BUNDLE_RANDOM_ACCESS_FILE_H_
#define MODEL_SERVER_RUNTIME_BUNDLE_RANDOM_ACCESS_FILE_H_

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace model_server {

class RandomAccessFile {
 public:
  // Opens `path` for reading. Fails with NOT_FOUND when it does not exist,
  // PERMISSION_DENIED, or FAILED_PRECONDITION for anything but a regular
  // file (a directory, a FIFO, a device such as /dev/zero); the message
  // names the path. Never blocks (a FIFO without a writer is refused).
  static absl::StatusOr<std::unique_ptr<RandomAccessFile>> Open(
      const std::string& path);

  ~RandomAccessFile();
  RandomAccessFile(const RandomAccessFile&) = delete;
  RandomAccessFile& operator=(const RandomAccessFile&) = delete;

  const std::string& path() const { return path_; }
  // Size in bytes when the file was opened.
  uint64_t size() const { return size_; }

  // Reads exactly bytes [offset, offset + n) into `dst`. Fails with
  // OUT_OF_RANGE when the range does not lie within size(), DATA_LOSS when
  // the file ends early, or the I/O error; messages name the file.
  absl::Status Read(uint64_t offset, size_t n, char* dst) const;

  // Reads the whole file. Fails with RESOURCE_EXHAUSTED when it is larger
  // than `max_bytes`.
  absl::StatusOr<std::string> ReadAll(uint64_t max_bytes) const;

 private:
  RandomAccessFile(std::string path, int fd, uint64_t size)
      : path_(std::move(path)), fd_(fd), size_(size) {}

  std::string path_;
  int fd_;
  uint64_t size_;
};

}  // namespace model_server

#endif  // MODEL_SERVER_RUNTIME_BUNDLE_RANDOM_ACCESS_FILE_H_
