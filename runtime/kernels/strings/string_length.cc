// StringLength: input string tensor -> int32 "output" of the same shape.
// Attr unit: "BYTE" (default, bytes) or "UTF8_CHAR" (characters, counted as
// the bytes that are not UTF-8 continuation bytes, as TensorFlow does; the
// string is not validated).
#include <memory>
#include <string>

#include "runtime/kernels/strings/string_kernel_util.h"
#include "runtime/kernels/strings/utf8.h"
#include "runtime/op_kernel.h"
#include "runtime/op_registry.h"

namespace model_server {
namespace {

class StringLengthKernel final : public OpKernel {
 public:
  static absl::StatusOr<std::unique_ptr<OpKernel>> Create(
      const KernelConstruction& c) {
    MS_RETURN_IF_ERROR(CheckNumInputs(c, 1));
    std::string unit;
    MS_RETURN_IF_ERROR(c.attrs.GetOr("unit", std::string("BYTE"), &unit));
    if (unit != "BYTE" && unit != "UTF8_CHAR") {
      return c.attrs.Error(
          absl::StrCat("unit must be one of BYTE, UTF8_CHAR, got ", unit));
    }
    return std::unique_ptr<OpKernel>(
        new StringLengthKernel(unit == "UTF8_CHAR"));
  }

  absl::Status Compute(OpKernelContext& ctx) const override {
    return MapStrings<int32_t>(ctx, [this](const std::string& s, int32_t* out) {
      const int64_t length =
          chars_ ? Utf8CharCount(s) : static_cast<int64_t>(s.size());
      *out = static_cast<int32_t>(length);
      return absl::OkStatus();
    });
  }

 private:
  explicit StringLengthKernel(bool chars) : chars_(chars) {}
  const bool chars_;
};

}  // namespace

REGISTER_KERNEL(OpSpec("StringLength").Output("output"),
                StringLengthKernel::Create);

}  // namespace model_server
