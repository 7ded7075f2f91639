#include "daemon/rest/gzip_body.h"

#include <zlib.h>

#include <algorithm>

#include "absl/strings/str_cat.h"

namespace model_server {
namespace {

class Inflater {
 public:
  Inflater() { ok_ = inflateInit2(&stream_, 15 + 16) == Z_OK; }
  ~Inflater() {
    if (ok_) inflateEnd(&stream_);
  }
  bool ok() const { return ok_; }
  z_stream* stream() { return &stream_; }

 private:
  z_stream stream_{};
  bool ok_ = false;
};

}  // namespace

absl::StatusOr<std::string> GunzipBody(absl::string_view compressed,
                                       int64_t max_bytes) {
  Inflater inflater;
  if (!inflater.ok()) return absl::InternalError("zlib: inflateInit2 failed");
  z_stream* stream = inflater.stream();
  std::string out;
  size_t consumed = 0;
  char chunk[1 << 16];
  while (true) {
    const size_t available =
        std::min<size_t>(compressed.size() - consumed, 1u << 30);
    stream->next_in = reinterpret_cast<Bytef*>(
        const_cast<char*>(compressed.data() + consumed));
    stream->avail_in = static_cast<uInt>(available);
    stream->next_out = reinterpret_cast<Bytef*>(chunk);
    stream->avail_out = sizeof(chunk);
    const int result = inflate(stream, Z_NO_FLUSH);
    consumed += available - stream->avail_in;
    out.append(chunk, sizeof(chunk) - stream->avail_out);
    if (static_cast<int64_t>(out.size()) > max_bytes) {
      return absl::ResourceExhaustedError(
          absl::StrCat("the gzip request body inflates to more than ",
                       max_bytes, " bytes, the most a request body may hold"));
    }
    if (result == Z_STREAM_END) {
      if (consumed == compressed.size()) return out;
      // Another gzip member follows.
      if (inflateReset(stream) != Z_OK) break;
      continue;
    }
    if (result != Z_OK && result != Z_BUF_ERROR) break;
    if (result == Z_BUF_ERROR && consumed == compressed.size() &&
        stream->avail_out != 0) {
      return absl::InvalidArgumentError(
          absl::StrCat("the gzip request body is truncated (",
                       compressed.size(), " bytes read)"));
    }
  }
  return absl::InvalidArgumentError(absl::StrCat(
      "the request body says Content-Encoding: gzip but is not gzip data (",
      stream->msg != nullptr ? stream->msg : "corrupt stream", ")"));
}

}  // namespace model_server
