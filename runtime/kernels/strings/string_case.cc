// StringLower / StringUpper: input string tensor -> "output", same shape.
// Attr encoding: "" (ASCII case mapping of bytes, other bytes untouched) or
// "utf-8" (full Unicode case mapping with ICU, as TensorFlow; invalid UTF-8
// becomes U+FFFD as ICU's converter makes it). Any other encoding fails the
// load with TensorFlow's text.
#include <memory>
#include <string>

#include "absl/strings/ascii.h"
#include "runtime/kernels/strings/string_kernel_util.h"
#include "runtime/op_kernel.h"
#include "runtime/op_registry.h"
#include "unicode/locid.h"
#include "unicode/unistr.h"

namespace model_server {
namespace {

template <bool kUpper>
class StringCaseKernel final : public OpKernel {
 public:
  static absl::StatusOr<std::unique_ptr<OpKernel>> Create(
      const KernelConstruction& c) {
    MS_RETURN_IF_ERROR(CheckNumInputs(c, 1));
    std::string encoding;
    MS_RETURN_IF_ERROR(c.attrs.GetOr("encoding", std::string(), &encoding));
    if (!encoding.empty() && encoding != "utf-8") {
      return c.attrs.Error(absl::StrCat(
          "only utf-8 or '' (no encoding) is supported, received ", encoding));
    }
    return std::unique_ptr<OpKernel>(new StringCaseKernel(!encoding.empty()));
  }

  absl::Status Compute(OpKernelContext& ctx) const override {
    return MapStrings<std::string>(ctx, [this](const std::string& in,
                                               std::string* out) {
      if (!utf8_) {
        *out = kUpper ? absl::AsciiStrToUpper(in) : absl::AsciiStrToLower(in);
        return absl::OkStatus();
      }
      icu::UnicodeString text = icu::UnicodeString::fromUTF8(in);
      if (kUpper) {
        text.toUpper(icu::Locale::getRoot());
      } else {
        text.toLower(icu::Locale::getRoot());
      }
      text.toUTF8String(*out);
      return absl::OkStatus();
    });
  }

 private:
  explicit StringCaseKernel(bool utf8) : utf8_(utf8) {}
  const bool utf8_;
};

}  // namespace

REGISTER_KERNEL(OpSpec("StringLower").Output("output"),
                StringCaseKernel<false>::Create);
REGISTER_KERNEL(OpSpec("StringUpper").Output("output"),
                StringCaseKernel<true>::Create);

}  // namespace model_server
