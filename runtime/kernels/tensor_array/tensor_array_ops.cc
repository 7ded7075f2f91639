// TensorArrayV3 and its element ops: TensorArrayWriteV3, TensorArrayReadV3,
// TensorArraySizeV3, TensorArrayCloseV3 (the whole-array ops are in
// tensor_array_gather_scatter.cc). Semantics and error texts are
// TensorFlow's (tensor_array.h here says which).
//
// TensorArrayV3(size: int32 scalar) -> (handle: resource, flow: float)
//   attrs dtype, element_shape (default unknown), dynamic_size (false),
//   clear_after_read (true), identical_element_shapes (false),
//   tensor_array_name (""). Each run creates a new array; the flow output is
//   0.0 and only orders the ops that use the array.
// TensorArrayWriteV3(handle, index: int32 scalar, value: T, flow_in: float)
//   -> flow_out (flow_in passed through). Any dtype.
// TensorArrayReadV3(handle, index: int32 scalar, flow_in) -> value: dtype.
// TensorArraySizeV3(handle, flow_in) -> size: int32.
// TensorArrayCloseV3(handle): drops the elements.
//
// The V2 ops (string handles) and TensorArrayGradV3 are not supported: TF1
// graphs since TensorFlow 1.2 use V3, and serving never takes gradients.
#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "runtime/kernels/tensor_array/tensor_array.h"
#include "runtime/kernels/tensor_array/tensor_array_util.h"
#include "runtime/op_kernel.h"
#include "runtime/op_registry.h"
#include "runtime/status_macros.h"

namespace model_server {
namespace {

class TensorArrayKernel final : public OpKernel {
 public:
  static absl::StatusOr<std::unique_ptr<OpKernel>> Create(
      const KernelConstruction& c) {
    MS_RETURN_IF_ERROR(CheckNumInputs(c, 1));
    TensorArray::Options options;
    MS_RETURN_IF_ERROR(c.attrs.Get("dtype", &options.dtype));
    MS_RETURN_IF_ERROR(
        c.attrs.GetOr("element_shape", PartialShape(), &options.element_shape));
    MS_RETURN_IF_ERROR(
        c.attrs.GetOr("dynamic_size", false, &options.dynamic_size));
    MS_RETURN_IF_ERROR(
        c.attrs.GetOr("clear_after_read", true, &options.clear_after_read));
    MS_RETURN_IF_ERROR(c.attrs.GetOr("identical_element_shapes", false,
                                     &options.identical_element_shapes));
    MS_RETURN_IF_ERROR(
        c.attrs.GetOr("tensor_array_name", std::string(), &options.name));
    if (options.name.empty()) options.name = c.node_name();
    return std::unique_ptr<OpKernel>(new TensorArrayKernel(std::move(options)));
  }

  absl::Status Compute(OpKernelContext& ctx) const override {
    const Tensor& size = ctx.input(0);
    if (size.rank() != 0) {
      return ctx.InvalidArgument(
          absl::StrCat("TensorArray size must be scalar, but had shape: ",
                       size.shape().DebugString()));
    }
    MS_RETURN_IF_ERROR(CheckInt32Input(size, "size"));
    MS_ASSIGN_OR_RETURN(std::shared_ptr<TensorArray> array,
                        TensorArray::Create(options_, size.scalar<int32_t>()));
    MS_ASSIGN_OR_RETURN(Tensor * handle,
                        ctx.allocate_output(0, DT_RESOURCE, TensorShape()));
    handle->data<std::shared_ptr<ResourceBase>>()[0] = std::move(array);
    ctx.set_output(1, Tensor::Scalar<float>(0));
    return absl::OkStatus();
  }

 private:
  explicit TensorArrayKernel(TensorArray::Options options)
      : options_(std::move(options)) {}
  const TensorArray::Options options_;
};

class TensorArrayWriteKernel final : public OpKernel {
 public:
  static absl::StatusOr<std::unique_ptr<OpKernel>> Create(
      const KernelConstruction& c) {
    MS_RETURN_IF_ERROR(CheckNumInputs(c, 4));
    return std::unique_ptr<OpKernel>(new TensorArrayWriteKernel());
  }

  absl::Status Compute(OpKernelContext& ctx) const override {
    MS_ASSIGN_OR_RETURN(std::shared_ptr<TensorArray> array,
                        TensorArrayFromHandle(ctx.input(0)));
    MS_ASSIGN_OR_RETURN(int64_t index, TensorArrayIndex(ctx.input(1)));
    const Tensor& value = ctx.input(2);
    if (value.dtype() != array->dtype()) {
      return ctx.InvalidArgument(
          absl::StrCat("TensorArray dtype is ", DataTypeName(array->dtype()),
                       " but Op is trying to write dtype ",
                       DataTypeName(value.dtype()), "."));
    }
    MS_RETURN_IF_ERROR(array->Write(index, value));
    ctx.set_output(0, ctx.input(3));
    return absl::OkStatus();
  }
};

class TensorArrayReadKernel final : public OpKernel {
 public:
  static absl::StatusOr<std::unique_ptr<OpKernel>> Create(
      const KernelConstruction& c) {
    MS_RETURN_IF_ERROR(CheckNumInputs(c, 3));
    DataType dtype;
    MS_RETURN_IF_ERROR(c.attrs.Get("dtype", &dtype));
    return std::unique_ptr<OpKernel>(new TensorArrayReadKernel(dtype));
  }

  absl::Status Compute(OpKernelContext& ctx) const override {
    MS_ASSIGN_OR_RETURN(std::shared_ptr<TensorArray> array,
                        TensorArrayFromHandle(ctx.input(0)));
    MS_ASSIGN_OR_RETURN(int64_t index, TensorArrayIndex(ctx.input(1)));
    MS_RETURN_IF_ERROR(CheckArrayDtype(*array, dtype_));
    MS_ASSIGN_OR_RETURN(Tensor value, array->Read(index));
    ctx.set_output(0, std::move(value));
    return absl::OkStatus();
  }

 private:
  explicit TensorArrayReadKernel(DataType dtype) : dtype_(dtype) {}
  const DataType dtype_;
};

class TensorArraySizeKernel final : public OpKernel {
 public:
  static absl::StatusOr<std::unique_ptr<OpKernel>> Create(
      const KernelConstruction& c) {
    MS_RETURN_IF_ERROR(CheckNumInputs(c, 2));
    return std::unique_ptr<OpKernel>(new TensorArraySizeKernel());
  }

  absl::Status Compute(OpKernelContext& ctx) const override {
    MS_ASSIGN_OR_RETURN(std::shared_ptr<TensorArray> array,
                        TensorArrayFromHandle(ctx.input(0)));
    MS_ASSIGN_OR_RETURN(int64_t size, array->Size());
    ctx.set_output(0, Tensor::Scalar<int32_t>(static_cast<int32_t>(size)));
    return absl::OkStatus();
  }
};

class TensorArrayCloseKernel final : public OpKernel {
 public:
  static absl::StatusOr<std::unique_ptr<OpKernel>> Create(
      const KernelConstruction& c) {
    MS_RETURN_IF_ERROR(CheckNumInputs(c, 1));
    return std::unique_ptr<OpKernel>(new TensorArrayCloseKernel());
  }

  absl::Status Compute(OpKernelContext& ctx) const override {
    MS_ASSIGN_OR_RETURN(std::shared_ptr<TensorArray> array,
                        TensorArrayFromHandle(ctx.input(0)));
    array->Close();
    return absl::OkStatus();
  }
};

}  // namespace

REGISTER_KERNEL(OpSpec("TensorArrayV3").Output("handle").Output("flow"),
                TensorArrayKernel::Create);
REGISTER_KERNEL(OpSpec("TensorArrayWriteV3").Output("flow_out"),
                TensorArrayWriteKernel::Create);
REGISTER_KERNEL(OpSpec("TensorArrayReadV3").Output("value"),
                TensorArrayReadKernel::Create);
REGISTER_KERNEL(OpSpec("TensorArraySizeV3").Output("size"),
                TensorArraySizeKernel::Create);
REGISTER_KERNEL(OpSpec("TensorArrayCloseV3"), TensorArrayCloseKernel::Create);

}  // namespace model_server
