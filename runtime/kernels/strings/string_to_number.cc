// StringToNumber: string_tensor -> "output" of attr out_type (float, the
// default; double, int32, int64), same shape. Parsed as TensorFlow's
// SafeStringToNumeric does:
//   - integers: optional surrounding ASCII whitespace, an optional sign and
//     decimal digits only; out-of-range values fail;
//   - floats: optional surrounding whitespace, an optional sign (spaces may
//     follow it), then a decimal number with an optional exponent, or "inf"
//     / "nan" in any case; no hex; too large values become +-inf; strings
//     of 32 bytes or more fail (TensorFlow's buffer limit).
// Failure: INVALID_ARGUMENT "StringToNumberOp could not correctly convert
// string: <s>".
#include <cerrno>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <limits>
#include <memory>
#include <string>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "runtime/kernels/kernel_util.h"
#include "runtime/kernels/strings/string_kernel_util.h"
#include "runtime/op_kernel.h"
#include "runtime/op_registry.h"

namespace model_server {
namespace {

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// True if `s` (trimmed, sign removed) is digits[.digits][e[+-]digits] with
// at least one mantissa digit.
bool IsDecimal(absl::string_view s) {
  size_t i = 0, digits = 0;
  while (i < s.size() && IsDigit(s[i])) ++i, ++digits;
  if (i < s.size() && s[i] == '.') {
    ++i;
    while (i < s.size() && IsDigit(s[i])) ++i, ++digits;
  }
  if (digits == 0) return false;
  if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    ++i;
    if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
    const size_t exponent_start = i;
    while (i < s.size() && IsDigit(s[i])) ++i;
    if (i == exponent_start) return false;
  }
  return i == s.size();
}

template <typename T>
bool ParseFloat(absl::string_view text, T* out) {
  if (text.size() >= 32) return false;
  absl::string_view s = absl::StripAsciiWhitespace(text);
  bool negative = false;
  if (!s.empty() && (s[0] == '+' || s[0] == '-')) {
    negative = s[0] == '-';
    s.remove_prefix(1);
    s = absl::StripLeadingAsciiWhitespace(s);
  }
  if (absl::EqualsIgnoreCase(s, "inf")) {
    *out = negative ? -std::numeric_limits<T>::infinity()
                    : std::numeric_limits<T>::infinity();
    return true;
  }
  if (absl::EqualsIgnoreCase(s, "nan")) {
    *out = std::numeric_limits<T>::quiet_NaN();
    return true;
  }
  if (!IsDecimal(s)) return false;
  const std::string number = std::string(s);
  // strtod/strtof round correctly and give +-inf (ERANGE) beyond the range.
  T value;
  if constexpr (std::is_same_v<T, float>) {
    value = std::strtof(number.c_str(), nullptr);
  } else {
    value = std::strtod(number.c_str(), nullptr);
  }
  *out = negative ? -value : value;
  return true;
}

template <typename T>
bool ParseInt(absl::string_view text, T* out) {
  absl::string_view s = absl::StripAsciiWhitespace(text);
  absl::string_view digits = s;
  if (!digits.empty() && (digits[0] == '+' || digits[0] == '-')) {
    digits.remove_prefix(1);
  }
  if (digits.empty()) return false;
  for (char c : digits) {
    if (!IsDigit(c)) return false;
  }
  return absl::SimpleAtoi(s, out);
}

template <typename T>
class StringToNumberKernel final : public OpKernel {
 public:
  absl::Status Compute(OpKernelContext& ctx) const override {
    return MapStrings<T>(ctx, [](const std::string& s, T* out) {
      bool ok;
      if constexpr (std::is_floating_point_v<T>) {
        ok = ParseFloat(s, out);
      } else {
        ok = ParseInt(s, out);
      }
      if (!ok) {
        return absl::InvalidArgumentError(absl::StrCat(
            "StringToNumberOp could not correctly convert string: ", s));
      }
      return absl::OkStatus();
    });
  }
};

absl::StatusOr<std::unique_ptr<OpKernel>> CreateStringToNumber(
    const KernelConstruction& c) {
  MS_RETURN_IF_ERROR(CheckNumInputs(c, 1));
  DataType out_type;
  MS_RETURN_IF_ERROR(c.attrs.GetOr("out_type", DT_FLOAT, &out_type));
  return MakeTypedKernel(
      c, out_type, [](auto tag) -> std::unique_ptr<OpKernel> {
        using T = decltype(tag);
        if constexpr (std::is_same_v<T, float> || std::is_same_v<T, double> ||
                      std::is_same_v<T, int32_t> ||
                      std::is_same_v<T, int64_t>) {
          return std::make_unique<StringToNumberKernel<T>>();
        }
        return nullptr;
      });
}

}  // namespace

REGISTER_KERNEL(OpSpec("StringToNumber").Output("output"),
                CreateStringToNumber);

}  // namespace model_server
