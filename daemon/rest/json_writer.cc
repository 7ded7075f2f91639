#include "daemon/rest/json_writer.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <limits>
#include <type_traits>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"

namespace model_server {
namespace {

// Room for any formatted float or double ("-2.2250738585072014e-308").
constexpr size_t kDecimalChars = 64;

// Writes printf's "%.6g" of `value` to `out` and returns its end, when six
// significant digits read back as `value`; null otherwise. For normal
// numbers the shortest round-trip digits decide: when there are at most six,
// rounding to six digits gives those digits again (a normal float or double
// is far closer to them than half a unit of the sixth digit), so "%.6g" is
// those digits laid out as %g lays them out. Subnormals have too few bits
// for that argument: for them "%.6g" is computed and read back.
template <typename T>
char* FormatSixDigits(T value, char* out) {
  if (value != 0 && !std::isnormal(value)) {
    char* end = std::to_chars(out, out + kDecimalChars, value,
                              std::chars_format::general, 6)
                    .ptr;
    T read_back;
    const std::from_chars_result parsed = std::from_chars(out, end, read_back);
    if (parsed.ec != std::errc() || read_back != value) return nullptr;
    return end;
  }
  char shortest[kDecimalChars];
  char* end = std::to_chars(shortest, shortest + sizeof(shortest), value,
                            std::chars_format::scientific)
                  .ptr;
  const char* e = std::find(shortest, end, 'e');
  const char* p = shortest;
  const bool negative = *p == '-';
  if (negative) ++p;
  char digits[kDecimalChars];
  int num_digits = 0;
  for (; p < e; ++p) {
    if (*p != '.') digits[num_digits++] = *p;
  }
  if (num_digits > 6) return nullptr;
  int exponent = 0;
  std::from_chars(e + (e[1] == '+' ? 2 : 1), end, exponent);
  if (exponent < -4 || exponent >= 6) {  // already %g's form
    return std::copy(shortest, end, out);
  }
  if (negative) *out++ = '-';
  if (exponent < 0) {
    *out++ = '0';
    *out++ = '.';
    out = std::fill_n(out, -exponent - 1, '0');
    return std::copy(digits, digits + num_digits, out);
  }
  const int integer_digits = exponent + 1;
  if (num_digits <= integer_digits) {
    out = std::copy(digits, digits + num_digits, out);
    return std::fill_n(out, integer_digits - num_digits, '0');
  }
  out = std::copy(digits, digits + integer_digits, out);
  *out++ = '.';
  return std::copy(digits + integer_digits, digits + num_digits, out);
}

// TF Serving's WriteDecimal: absl::StrCat's six significant digits (printf
// "%.6g") when they read back as `value`, else max_digits10 digits; then
// ".0" when the text has neither a point nor an exponent. The same texts
// without printf, strings or string parsing. Returns the end of the text.
template <typename T>
char* FormatDecimal(T value, char* out) {
  if (std::isnan(value)) return std::copy_n("NaN", 3, out);
  if (std::isinf(value)) {
    return std::signbit(value) ? std::copy_n("-Infinity", 9, out)
                               : std::copy_n("Infinity", 8, out);
  }
  char* end = FormatSixDigits(value, out);
  if (end == nullptr) {
    end = std::to_chars(out, out + kDecimalChars, value,
                        std::chars_format::general,
                        std::numeric_limits<T>::max_digits10)
              .ptr;
  }
  if (std::find(out, end, '.') == end && std::find(out, end, 'e') == end) {
    *end++ = '.';
    *end++ = '0';
  }
  return end;
}

template <typename T>
std::string FormatDecimal(T value) {
  char text[kDecimalChars + 2];
  return std::string(text, FormatDecimal(value, text));
}

template <typename T>
void WriteDecimal(T value, JsonWriter* writer) {
  char text[kDecimalChars + 2];
  const char* end = FormatDecimal(value, text);
  writer->RawValue(text, static_cast<size_t>(end - text),
                   rapidjson::kNumberType);
}

// RFC 3629 UTF-8: no overlongs, no surrogates, nothing above U+10FFFF.
bool IsValidUtf8(absl::string_view s) {
  size_t i = 0;
  while (i < s.size()) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    int extra;
    uint32_t code;
    if (c < 0x80) {
      ++i;
      continue;
    } else if ((c & 0xE0) == 0xC0) {
      extra = 1;
      code = c & 0x1F;
    } else if ((c & 0xF0) == 0xE0) {
      extra = 2;
      code = c & 0x0F;
    } else if ((c & 0xF8) == 0xF0) {
      extra = 3;
      code = c & 0x07;
    } else {
      return false;
    }
    if (i + extra >= s.size()) return false;
    for (int k = 1; k <= extra; ++k) {
      const unsigned char next = static_cast<unsigned char>(s[i + k]);
      if ((next & 0xC0) != 0x80) return false;
      code = (code << 6) | (next & 0x3F);
    }
    static constexpr uint32_t kMinForLength[] = {0, 0x80, 0x800, 0x10000};
    if (code < kMinForLength[extra] || code > 0x10FFFF ||
        (code >= 0xD800 && code <= 0xDFFF)) {
      return false;
    }
    i += extra + 1;
  }
  return true;
}

}  // namespace

std::string FormatJsonDecimal(float value) { return FormatDecimal(value); }
std::string FormatJsonDecimal(double value) { return FormatDecimal(value); }

void WriteJsonDecimal(float value, JsonWriter* writer) {
  WriteDecimal(value, writer);
}

void WriteJsonDecimal(double value, JsonWriter* writer) {
  WriteDecimal(value, writer);
}

void WriteJsonBytes(absl::string_view bytes, bool as_base64,
                    JsonWriter* writer) {
  if (!as_base64 && IsValidUtf8(bytes)) {
    writer->String(bytes.data(),
                   static_cast<rapidjson::SizeType>(bytes.size()));
    return;
  }
  const std::string encoded = absl::Base64Escape(bytes);
  writer->StartObject();
  writer->Key("b64");
  writer->String(encoded.data(),
                 static_cast<rapidjson::SizeType>(encoded.size()));
  writer->EndObject();
}

std::string JsonErrorBody(absl::string_view message) {
  rapidjson::StringBuffer buffer;
  JsonWriter writer(buffer);
  writer.StartObject();
  writer.Key("error");
  writer.String(message.data(),
                static_cast<rapidjson::SizeType>(message.size()));
  writer.EndObject();
  return std::string(buffer.GetString(), buffer.GetSize());
}

}  // namespace model_server
