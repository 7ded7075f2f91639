// What the Unicode ops share, after TensorFlow's unicode_ops.cc: the error
// policy attrs (errors, replacement_char, replace_control_characters),
// decoding a string of any ICU encoding one code point at a time, and
// encoding code points as UTF-8, UTF-16-BE or UTF-32-BE.
#ifndef MODEL_SERVER_RUNTIME_KERNELS_STRINGS_UNICODE_UTIL_H_
#define MODEL_SERVER_RUNTIME_KERNELS_STRINGS_UNICODE_UTIL_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "runtime/op_kernel.h"

namespace model_server {

// The attrs errors ("strict", "replace" (default), "ignore"),
// replacement_char (default U+FFFD) and replace_control_characters (U+0000
// to U+001F count as errors; default false).
struct UnicodeErrorPolicy {
  int32_t replacement = 0xFFFD;
  bool ignore = false;  // drop bad characters
  bool strict = false;  // fail on them
  bool replace_control_characters = false;

  // What happens to `c`: nullopt-like -1 to drop it, else the code point to
  // emit. Sets *bad when it was an error.
  int32_t Apply(int32_t c, bool format_error, bool* bad) const {
    if (format_error || (replace_control_characters && c >= 0 && c <= 0x1F)) {
      *bad = true;
      return ignore ? -1 : replacement;
    }
    return c;
  }
};
absl::StatusOr<UnicodeErrorPolicy> ReadUnicodeErrorPolicy(
    const KernelConstruction& c);

// A decoder for one ICU encoding name ("UTF-8", "UTF-16-BE", "ISO-8859-1",
// ...). Not thread-safe: make one per Compute.
class UnicodeDecoder {
 public:
  // INVALID_ARGUMENT "Could not create converter for input encoding: <name>".
  static absl::StatusOr<std::unique_ptr<UnicodeDecoder>> Open(
      const std::string& encoding);
  ~UnicodeDecoder();

  // Calls fn(code_point, bytes_consumed, format_error) for each code point
  // of `text`; malformed input comes as U+FFFD with format_error set (ICU's
  // substitution, as TensorFlow).
  void Decode(absl::string_view text,
              const std::function<void(int32_t, int, bool)>& fn);

 private:
  explicit UnicodeDecoder(void* converter) : converter_(converter) {}
  void* converter_;  // UConverter
};

enum class UnicodeEncoding { kUtf8, kUtf16Be, kUtf32Be };

// "UTF-8", "UTF-16-BE" or "UTF-32-BE"; INVALID_ARGUMENT otherwise.
absl::StatusOr<UnicodeEncoding> ParseUnicodeEncoding(const std::string& name);

// Appends `code_points` (valid scalar values) in `encoding` to *out.
void EncodeCodePoints(const std::vector<int32_t>& code_points,
                      UnicodeEncoding encoding, std::string* out);

}  // namespace model_server

#endif  // MODEL_SERVER_RUNTIME_KERNELS_STRINGS_UNICODE_UTIL_H_
