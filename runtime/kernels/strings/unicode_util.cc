#include "runtime/kernels/strings/unicode_util.h"

#include "absl/strings/str_cat.h"
#include "runtime/status_macros.h"
#include "unicode/ucnv.h"
#include "unicode/ucnv_err.h"
#include "unicode/utf16.h"

namespace model_server {
namespace {

// Marks format errors in the bool the context points to, then substitutes
// U+FFFD as ICU's default does.
void MarkFormatError(const void* context, UConverterToUnicodeArgs* args,
                     const char* code_units, int32_t length,
                     UConverterCallbackReason reason, UErrorCode* error) {
  bool* format_error = const_cast<bool*>(static_cast<const bool*>(context));
  if (reason == UCNV_UNASSIGNED || reason == UCNV_ILLEGAL ||
      reason == UCNV_IRREGULAR) {
    *format_error = true;
  }
  UCNV_TO_U_CALLBACK_SUBSTITUTE(nullptr, args, code_units, length, reason,
                                error);
}

}  // namespace

absl::StatusOr<UnicodeErrorPolicy> ReadUnicodeErrorPolicy(
    const KernelConstruction& c) {
  UnicodeErrorPolicy policy;
  std::string errors;
  MS_RETURN_IF_ERROR(c.attrs.GetOr("errors", std::string("replace"), &errors));
  if (errors == "ignore") {
    policy.ignore = true;
  } else if (errors == "strict") {
    policy.strict = true;
  } else if (errors != "replace") {
    return c.attrs.Error(
        "errors policy must be one of 'strict', 'replace', or 'ignore'");
  }
  int64_t replacement;
  MS_RETURN_IF_ERROR(
      c.attrs.GetOr("replacement_char", int64_t{0xFFFD}, &replacement));
  if (replacement < 0 || replacement > 0x10FFFF) {
    return c.attrs.Error("replacement_char out of unicode codepoint range");
  }
  policy.replacement = static_cast<int32_t>(replacement);
  MS_RETURN_IF_ERROR(c.attrs.GetOr("replace_control_characters", false,
                                   &policy.replace_control_characters));
  return policy;
}

absl::StatusOr<std::unique_ptr<UnicodeDecoder>> UnicodeDecoder::Open(
    const std::string& encoding) {
  UErrorCode status = U_ZERO_ERROR;
  UConverter* converter = ucnv_open(encoding.c_str(), &status);
  if (U_FAILURE(status) || converter == nullptr) {
    if (converter != nullptr) ucnv_close(converter);
    return absl::InvalidArgumentError(absl::StrCat(
        "Could not create converter for input encoding: ", encoding));
  }
  return std::unique_ptr<UnicodeDecoder>(new UnicodeDecoder(converter));
}

UnicodeDecoder::~UnicodeDecoder() {
  ucnv_close(static_cast<UConverter*>(converter_));
}

void UnicodeDecoder::Decode(absl::string_view text,
                            const std::function<void(int32_t, int, bool)>& fn) {
  UConverter* converter = static_cast<UConverter*>(converter_);
  ucnv_reset(converter);
  bool format_error = false;
  UErrorCode status = U_ZERO_ERROR;
  ucnv_setToUCallBack(converter, MarkFormatError, &format_error, nullptr,
                      nullptr, &status);
  const char* source = text.data();
  const char* limit = text.data() + text.size();
  while (source < limit) {
    const char* before = source;
    status = U_ZERO_ERROR;
    const UChar32 c = ucnv_getNextUChar(converter, &source, limit, &status);
    if (U_FAILURE(status)) source = limit;
    fn(c, static_cast<int>(source - before), format_error);
    format_error = false;
  }
}

absl::StatusOr<UnicodeEncoding> ParseUnicodeEncoding(const std::string& name) {
  if (name == "UTF-8") return UnicodeEncoding::kUtf8;
  if (name == "UTF-16-BE") return UnicodeEncoding::kUtf16Be;
  if (name == "UTF-32-BE") return UnicodeEncoding::kUtf32Be;
  return absl::InvalidArgumentError(
      absl::StrCat("Invalid encoding \"", name,
                   "\": Should be one of: UTF-8, UTF-16-BE, UTF-32-BE"));
}

void EncodeCodePoints(const std::vector<int32_t>& code_points,
                      UnicodeEncoding encoding, std::string* out) {
  auto push = [out](uint32_t v, int bytes) {
    for (int i = bytes - 1; i >= 0; --i) {
      out->push_back(static_cast<char>((v >> (8 * i)) & 0xFF));
    }
  };
  for (int32_t cp : code_points) {
    const uint32_t c = static_cast<uint32_t>(cp);
    switch (encoding) {
      case UnicodeEncoding::kUtf8:
        if (c < 0x80) {
          out->push_back(static_cast<char>(c));
        } else if (c < 0x800) {
          out->push_back(static_cast<char>(0xC0 | (c >> 6)));
          out->push_back(static_cast<char>(0x80 | (c & 0x3F)));
        } else if (c < 0x10000) {
          out->push_back(static_cast<char>(0xE0 | (c >> 12)));
          out->push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3F)));
          out->push_back(static_cast<char>(0x80 | (c & 0x3F)));
        } else {
          out->push_back(static_cast<char>(0xF0 | (c >> 18)));
          out->push_back(static_cast<char>(0x80 | ((c >> 12) & 0x3F)));
          out->push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3F)));
          out->push_back(static_cast<char>(0x80 | (c & 0x3F)));
        }
        break;
      case UnicodeEncoding::kUtf16Be:
        if (c < 0x10000) {
          push(c, 2);
        } else {
          push(U16_LEAD(c), 2);
          push(U16_TRAIL(c), 2);
        }
        break;
      case UnicodeEncoding::kUtf32Be:
        push(c, 4);
        break;
    }
  }
}

}  // namespace model_server
