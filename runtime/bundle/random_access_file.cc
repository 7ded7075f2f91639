#include "runtime/bundle/random_access_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <utility>

#include "absl/strings/str_cat.h"

namespace model_server {
namespace {

absl::Status IoError(int error_number, absl::string_view what,
                     const std::string& path) {
  return absl::ErrnoToStatus(error_number, absl::StrCat(what, " ", path));
}

}  // namespace

absl::StatusOr<std::unique_ptr<RandomAccessFile>> RandomAccessFile::Open(
    const std::string& path) {
  int fd;
  // O_NONBLOCK: opening a FIFO for reading would otherwise wait for a
  // writer forever; it is refused below like any other non-regular file.
  // Reads of regular files ignore the flag.
  do {
    fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
  } while (fd < 0 && errno == EINTR);
  if (fd < 0) return IoError(errno, "cannot open", path);
  struct stat st;
  if (::fstat(fd, &st) != 0) {
    const int error_number = errno;
    ::close(fd);
    return IoError(error_number, "cannot stat", path);
  }
  if (!S_ISREG(st.st_mode)) {
    ::close(fd);
    return absl::FailedPreconditionError(
        absl::StrCat(path, " is not a regular file"));
  }
  // Bundle files (index and data shards) are read whole, tensor after
  // tensor: ask the kernel to read all of it ahead now, so that on a cold
  // page cache the disk works while earlier tensors are copied and
  // checksummed. Only advice: failure changes nothing.
  (void)::posix_fadvise(fd, 0, 0, POSIX_FADV_WILLNEED);
  return std::unique_ptr<RandomAccessFile>(
      new RandomAccessFile(path, fd, static_cast<uint64_t>(st.st_size)));
}

RandomAccessFile::~RandomAccessFile() { ::close(fd_); }

absl::Status RandomAccessFile::Read(uint64_t offset, size_t n,
                                    char* dst) const {
  if (offset > size_ || n > size_ - offset) {
    return absl::OutOfRangeError(
        absl::StrCat("read of ", n, " bytes at offset ", offset,
                     " is past the end of ", path_, " (", size_, " bytes)"));
  }
  while (n > 0) {
    // Linux transfers at most ~2 GiB per call; larger reads loop.
    const size_t chunk = std::min<size_t>(n, size_t{1} << 30);
    const ssize_t got = ::pread(fd_, dst, chunk, static_cast<off_t>(offset));
    if (got < 0) {
      if (errno == EINTR) continue;
      return IoError(errno, "cannot read", path_);
    }
    if (got == 0) {
      return absl::DataLossError(
          absl::StrCat("unexpected end of file at offset ", offset, " in ",
                       path_, " (the file shrank while open?)"));
    }
    dst += got;
    offset += static_cast<uint64_t>(got);
    n -= static_cast<size_t>(got);
  }
  return absl::OkStatus();
}

absl::StatusOr<std::string> RandomAccessFile::ReadAll(
    uint64_t max_bytes) const {
  if (size_ > max_bytes) {
    return absl::ResourceExhaustedError(
        absl::StrCat(path_, " is ", size_, " bytes, more than the ", max_bytes,
                     "-byte limit for this kind of file"));
  }
  std::string contents(static_cast<size_t>(size_), '\0');
  absl::Status status = Read(0, contents.size(), contents.data());
  if (!status.ok()) return status;
  return contents;
}

}  // namespace model_server
