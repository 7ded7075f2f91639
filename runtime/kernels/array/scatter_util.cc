#include "runtime/kernels/array/scatter_util.h"

#include <memory>
#include <utility>

#include "runtime/status_macros.h"

namespace model_server {

absl::Status UpdateRefOrCopy(
    OpKernelContext& ctx,
    const std::function<absl::Status(Tensor* value)>& update) {
  const std::shared_ptr<Variable>& var = ctx.ref_input(0);
  if (var == nullptr) {
    MS_ASSIGN_OR_RETURN(Tensor copy, ctx.input(0).DeepCopy());
    MS_RETURN_IF_ERROR(update(&copy));
    ctx.set_output(0, std::move(copy));
    return absl::OkStatus();
  }
  // Fails with TensorFlow's uninitialized-value error for a fresh variable.
  MS_RETURN_IF_ERROR(var->Read().status());
  MS_RETURN_IF_ERROR(
      var->Update([&](const Tensor& old) -> absl::StatusOr<Tensor> {
           MS_ASSIGN_OR_RETURN(Tensor copy, old.DeepCopy());
           MS_RETURN_IF_ERROR(update(&copy));
           return copy;
         })
          .status());
  ctx.set_output_ref(0, var);
  return absl::OkStatus();
}

}  // namespace model_server
