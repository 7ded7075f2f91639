// StringStrip: input string tensor -> "output", same shape, with leading and
// trailing ASCII whitespace (space, \t, \n, \v, \f, \r) removed.
#include <memory>
#include <string>

#include "absl/strings/ascii.h"
#include "runtime/kernels/strings/string_kernel_util.h"
#include "runtime/op_kernel.h"
#include "runtime/op_registry.h"

namespace model_server {
namespace {

class StringStripKernel final : public OpKernel {
 public:
  static absl::StatusOr<std::unique_ptr<OpKernel>> Create(
      const KernelConstruction& c) {
    MS_RETURN_IF_ERROR(CheckNumInputs(c, 1));
    return std::unique_ptr<OpKernel>(new StringStripKernel());
  }

  absl::Status Compute(OpKernelContext& ctx) const override {
    return MapStrings<std::string>(
        ctx, [](const std::string& s, std::string* out) {
          *out = std::string(absl::StripAsciiWhitespace(s));
          return absl::OkStatus();
        });
  }
};

}  // namespace

REGISTER_KERNEL(OpSpec("StringStrip").Output("output"),
                StringStripKernel::Create);

}  // namespace model_server
