// Small UTF-8 facts the string kernels share (byte-level; no validation).
#ifndef MODEL_SERVER_RUNTIME_KERNELS_STRINGS_UTF8_H_
#define MODEL_SERVER_RUNTIME_KERNELS_STRINGS_UTF8_H_

#include <cstdint>

#include "absl/strings/string_view.h"

namespace model_server {

// A continuation byte (10xxxxxx) never starts a character.
inline bool IsUtf8TrailByte(char c) {
  return (static_cast<unsigned char>(c) & 0xC0) == 0x80;
}

// Characters in `s` as TensorFlow counts them: the bytes that are not
// continuation bytes.
inline int64_t Utf8CharCount(absl::string_view s) {
  int64_t count = 0;
  for (char c : s) count += !IsUtf8TrailByte(c);
  return count;
}

}  // namespace model_server

#endif  // MODEL_SERVER_RUNTIME_KERNELS_STRINGS_UTF8_H_
