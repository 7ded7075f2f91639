// How a .npy `descr` ("<f4", "|b1", "<U5", ...) maps to a runtime dtype.
//
// Supported: bool (b1), int8..int64 (i1..i8), uint8..uint64 (u1..u8),
// float16/32/64 (f2, f4, f8), complex64/128 (c8, c16), byte strings (S<n>)
// and unicode strings (U<n>), both read as DT_STRING (unicode as UTF-8).
// Byte order '<' (little), '>' (big), '=' (native, little on every host we
// build for) or '|' (not applicable: single bytes and byte strings).
// Everything else numpy has (object, void, datetime, long double, ...) has
// no tensor equivalent and is refused by name.
#ifndef MODEL_SERVER_TOOLS_NPY_NPY_DTYPE_H_
#define MODEL_SERVER_TOOLS_NPY_NPY_DTYPE_H_

#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "runtime/data_type.h"

namespace model_server {

struct NpyElementType {
  enum class Encoding {
    kNumber,  // a little- or big-endian number (complex: two of them)
    kBool,    // one byte, zero is false
    kBytes,   // `item_size` bytes, trailing NULs dropped
    kUtf32,   // item_size / 4 code points, trailing NULs dropped
  };
  DataType dtype = DT_INVALID;
  Encoding encoding = Encoding::kNumber;
  bool big_endian = false;
  // Bytes per element in the file (> 0).
  int64_t item_size = 0;
};

// Interprets `descr`. Fails with INVALID_ARGUMENT naming the descr and
// listing what is supported.
absl::StatusOr<NpyElementType> ParseNpyDescr(absl::string_view descr);

// The little-endian descr the writer uses for `dtype`: "<f4", "|b1", ...
// DT_STRING is "|S<string_width>"; DT_BFLOAT16 is "<f4" (numpy has no
// bfloat16; every bfloat16 value is exact in float32). Fails with
// INVALID_ARGUMENT for dtypes numpy cannot hold (resource, variant).
absl::StatusOr<std::string> NpyDescrFor(DataType dtype, int64_t string_width);

}  // namespace model_server

#endif  // MODEL_SERVER_TOOLS_NPY_NPY_DTYPE_H_
