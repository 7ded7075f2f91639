#include "daemon/rest/json_writer.h"

#include <cmath>
#include <limits>
#include <type_traits>

#include "absl/strings/escaping.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace model_server {
namespace {

bool ReadBack(const std::string& text, float* value) {
  return absl::SimpleAtof(text, value);
}
bool ReadBack(const std::string& text, double* value) {
  return absl::SimpleAtod(text, value);
}

template <typename T>
std::string FormatDecimal(T value) {
  if (std::isnan(value)) return "NaN";
  if (std::isinf(value)) return std::signbit(value) ? "-Infinity" : "Infinity";
  std::string text = absl::StrCat(value);
  T read_back;
  if (!ReadBack(text, &read_back) || read_back != value) {
    text = absl::StrFormat("%.*g", std::numeric_limits<T>::max_digits10, value);
  }
  if (text.find('.') == std::string::npos &&
      text.find('e') == std::string::npos) {
    text += ".0";
  }
  return text;
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
  const std::string text = FormatDecimal(value);
  writer->RawValue(text.data(), text.size(), rapidjson::kNumberType);
}

void WriteJsonDecimal(double value, JsonWriter* writer) {
  const std::string text = FormatDecimal(value);
  writer->RawValue(text.data(), text.size(), rapidjson::kNumberType);
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
