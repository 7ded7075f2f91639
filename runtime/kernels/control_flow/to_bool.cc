// ToBool(input: T) -> output: bool scalar
//   TensorFlow's condition rule (function_branches.h): a scalar is true when
//   non-zero (numbers, bool) or non-empty (string); a non-scalar when it has
//   elements. Other scalar dtypes are INVALID_ARGUMENT.
#include <memory>

#include "runtime/kernels/control_flow/function_branches.h"
#include "runtime/op_registry.h"
#include "runtime/status_macros.h"

namespace model_server {
namespace {

class ToBoolKernel final : public OpKernel {
 public:
  static absl::StatusOr<std::unique_ptr<OpKernel>> Create(
      const KernelConstruction& c) {
    MS_RETURN_IF_ERROR(CheckNumInputs(c, 1));
    return std::unique_ptr<OpKernel>(new ToBoolKernel());
  }

  absl::Status Compute(OpKernelContext& ctx) const override {
    MS_ASSIGN_OR_RETURN(bool value, ToBool(ctx.input(0)));
    ctx.set_output(0, Tensor::Scalar(value));
    return absl::OkStatus();
  }
};

}  // namespace

REGISTER_KERNEL(OpSpec("ToBool").Output("output"), ToBoolKernel::Create);

}  // namespace model_server
