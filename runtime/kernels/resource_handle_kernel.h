// The kernel behind the handle ops (VarHandleOp, HashTableV2): they resolve
// their resource in the model's ResourceManager when the plan is compiled,
// and every run outputs that same scalar DT_RESOURCE handle.
#ifndef MODEL_SERVER_RUNTIME_KERNELS_RESOURCE_HANDLE_KERNEL_H_
#define MODEL_SERVER_RUNTIME_KERNELS_RESOURCE_HANDLE_KERNEL_H_

#include <memory>
#include <utility>

#include "absl/status/statusor.h"
#include "runtime/op_kernel.h"
#include "runtime/resource.h"
#include "runtime/tensor.h"

namespace model_server {

class ResourceHandleKernel final : public OpKernel {
 public:
  // A kernel whose output 0 is a handle to `resource`.
  static absl::StatusOr<std::unique_ptr<OpKernel>> Create(
      std::shared_ptr<ResourceBase> resource) {
    absl::StatusOr<Tensor> handle = Tensor::Create(DT_RESOURCE, TensorShape());
    if (!handle.ok()) return handle.status();
    handle->data<std::shared_ptr<ResourceBase>>()[0] = std::move(resource);
    return std::unique_ptr<OpKernel>(
        new ResourceHandleKernel(*std::move(handle)));
  }

  absl::Status Compute(OpKernelContext& ctx) const override {
    ctx.set_output(0, handle_);
    return absl::OkStatus();
  }

 private:
  explicit ResourceHandleKernel(Tensor handle) : handle_(std::move(handle)) {}
  const Tensor handle_;
};

}  // namespace model_server

#endif  // MODEL_SERVER_RUNTIME_KERNELS_RESOURCE_HANDLE_KERNEL_H_
