#include "tools/npy/npy_dtype.h"

#include <algorithm>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"

namespace model_server {
namespace {

constexpr char kSupported[] =
    "supported: b1, i1, i2, i4, i8, u1, u2, u4, u8, f2, f4, f8, c8, c16, "
    "S<n>, U<n>";

struct NumberType {
  char kind;
  int64_t size;
  DataType dtype;
};
constexpr NumberType kNumberTypes[] = {
    {'b', 1, DT_BOOL},      {'i', 1, DT_INT8},        {'i', 2, DT_INT16},
    {'i', 4, DT_INT32},     {'i', 8, DT_INT64},       {'u', 1, DT_UINT8},
    {'u', 2, DT_UINT16},    {'u', 4, DT_UINT32},      {'u', 8, DT_UINT64},
    {'f', 2, DT_HALF},      {'f', 4, DT_FLOAT},       {'f', 8, DT_DOUBLE},
    {'c', 8, DT_COMPLEX64}, {'c', 16, DT_COMPLEX128},
};

}  // namespace

absl::StatusOr<NpyElementType> ParseNpyDescr(absl::string_view descr) {
  auto unsupported = [&](absl::string_view why) {
    return absl::InvalidArgumentError(
        absl::StrCat(".npy dtype '", descr, "' ", why, " (", kSupported, ")"));
  };
  if (descr.size() < 2) return unsupported("is malformed");
  const char order = descr[0];
  if (order != '<' && order != '>' && order != '=' && order != '|') {
    return unsupported("does not start with a byte order (<, >, = or |)");
  }
  const char kind = descr[1];
  absl::string_view digits = descr.substr(2);
  int64_t size;
  if (!std::all_of(digits.begin(), digits.end(), absl::ascii_isdigit) ||
      !absl::SimpleAtoi(digits, &size) || size <= 0) {
    return unsupported("has no positive element size");
  }
  NpyElementType type;
  type.item_size = size;
  type.big_endian = order == '>';
  if (kind == 'S' || kind == 'U') {
    type.dtype = DT_STRING;
    type.encoding = kind == 'S' ? NpyElementType::Encoding::kBytes
                                : NpyElementType::Encoding::kUtf32;
    if (kind == 'U') {
      if (order == '|') return unsupported("has no byte order");
      if (size > INT64_MAX / 4) return unsupported("is too wide");
      type.item_size = size * 4;
    }
    return type;
  }
  for (const NumberType& number : kNumberTypes) {
    if (number.kind != kind || number.size != size) continue;
    if (order == '|' && size > 1) return unsupported("has no byte order");
    type.dtype = number.dtype;
    type.encoding = kind == 'b' ? NpyElementType::Encoding::kBool
                                : NpyElementType::Encoding::kNumber;
    return type;
  }
  return unsupported("has no tensor equivalent");
}

absl::StatusOr<std::string> NpyDescrFor(DataType dtype, int64_t string_width) {
  if (dtype == DT_STRING) return absl::StrCat("|S", string_width);
  if (dtype == DT_BFLOAT16) return std::string("<f4");
  for (const NumberType& number : kNumberTypes) {
    if (number.dtype != dtype) continue;
    const char order = number.size == 1 ? '|' : '<';
    return absl::StrCat(std::string(1, order), std::string(1, number.kind),
                        number.size);
  }
  return absl::InvalidArgumentError(absl::StrCat(
      "a ", DataTypeName(dtype), " tensor cannot be written as .npy"));
}

}  // namespace model_server
