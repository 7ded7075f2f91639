// UnicodeScript: input (int32 code points, any shape) -> int32 "output",
// ICU's UScriptCode of each code point (0 Common, 25 Latin, ...), or -1
// where ICU fails (e.g. outside Unicode), as TensorFlow.
#include <cstdint>
#include <memory>

#include "runtime/kernels/kernel_util.h"
#include "runtime/op_kernel.h"
#include "runtime/op_registry.h"
#include "runtime/status_macros.h"
#include "unicode/uscript.h"

namespace model_server {
namespace {

class UnicodeScriptKernel final : public OpKernel {
 public:
  static absl::StatusOr<std::unique_ptr<OpKernel>> Create(
      const KernelConstruction& c) {
    MS_RETURN_IF_ERROR(CheckNumInputs(c, 1));
    return std::unique_ptr<OpKernel>(new UnicodeScriptKernel());
  }

  absl::Status Compute(OpKernelContext& ctx) const override {
    const Tensor& input = ctx.input(0);
    MS_RETURN_IF_ERROR(CheckInputDtype(input, DT_INT32));
    MS_ASSIGN_OR_RETURN(Tensor * out,
                        ctx.allocate_output(0, DT_INT32, input.shape()));
    for (int64_t i = 0; i < input.NumElements(); ++i) {
      UErrorCode status = U_ZERO_ERROR;
      const UScriptCode script =
          uscript_getScript(input.data<int32_t>()[i], &status);
      out->data<int32_t>()[i] = U_SUCCESS(status) ? script : -1;
    }
    return absl::OkStatus();
  }
};

}  // namespace

REGISTER_KERNEL(OpSpec("UnicodeScript").Output("output"),
                UnicodeScriptKernel::Create);

}  // namespace model_server
