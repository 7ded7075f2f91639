// Fill: dims (index_type), value. ZerosLike / OnesLike: x -> "y".
// Empty: shape (int32 vector) -> output of attr dtype; attr init. The
//   elements are zeros (empty strings) whether or not init is set: TensorFlow
//   leaves them unspecified without init.
#include <algorithm>
#include <cstdint>
#include <memory>
#include <string>
#include <type_traits>

#include "absl/strings/str_cat.h"
#include "runtime/kernels/array/data_movement.h"
#include "runtime/kernels/kernel_util.h"
#include "runtime/kernels/shape_input.h"
#include "runtime/op_kernel.h"
#include "runtime/op_registry.h"
#include "runtime/status_macros.h"

namespace model_server {
namespace {

template <typename T>
void FillWith(T* out, int64_t n, const T& value) {
  ForRows(n, 1, [&](int64_t begin, int64_t end) {
    std::fill(out + begin, out + end, value);
  });
}

class FillKernel : public OpKernel {
 public:
  static absl::StatusOr<std::unique_ptr<OpKernel>> Create(
      const KernelConstruction& c) {
    MS_RETURN_IF_ERROR(CheckNumInputs(c, 2));
    MS_RETURN_IF_ERROR(CheckIndexTypeAttr(c, "index_type"));
    return std::unique_ptr<OpKernel>(new FillKernel());
  }

  absl::Status Compute(OpKernelContext& ctx) const override {
    const Tensor& dims_t = ctx.input(0);
    const Tensor& value = ctx.input(1);
    MS_RETURN_IF_ERROR(CheckIntTensor(dims_t, "dims"));
    if (dims_t.rank() > 1) {
      return ctx.InvalidArgument(absl::StrCat(
          "dims must be a vector, got shape ", dims_t.shape().DebugString()));
    }
    if (value.NumElements() != 1 || value.rank() > 1) {
      return ctx.InvalidArgument(absl::StrCat(
          "value must be a scalar, got shape ", value.shape().DebugString()));
    }
    const Dims dims = IntValues(dims_t);
    for (size_t i = 0; i < dims.size(); ++i) {
      if (dims[i] < 0) {
        return ctx.InvalidArgument(
            absl::StrCat("Dimension ", dims[i], " must be >= 0"));
      }
    }
    MS_ASSIGN_OR_RETURN(TensorShape shape, TensorShape::FromDims(dims));
    MS_ASSIGN_OR_RETURN(Tensor * out,
                        ctx.allocate_output(0, value.dtype(), shape));
    SwitchOnMoveType(value.dtype(), [&](auto tag) {
      using T = decltype(tag);
      FillWith<T>(DataAs<T>(out), out->NumElements(), DataAs<T>(value)[0]);
    });
    return absl::OkStatus();
  }
};

// ZerosLike (kOne = false) and OnesLike (kOne = true).
template <bool kOne>
class FillLikeKernel : public OpKernel {
 public:
  static absl::StatusOr<std::unique_ptr<OpKernel>> Create(
      const KernelConstruction& c) {
    MS_RETURN_IF_ERROR(CheckNumInputs(c, 1));
    DataType dtype;
    MS_RETURN_IF_ERROR(c.attrs.Get("T", &dtype));
    if (dtype == DT_RESOURCE || dtype == DT_VARIANT ||
        (kOne && dtype == DT_STRING)) {
      return UnsupportedDtypeError(c, dtype);
    }
    return std::unique_ptr<OpKernel>(new FillLikeKernel());
  }

  absl::Status Compute(OpKernelContext& ctx) const override {
    const Tensor& x = ctx.input(0);
    MS_ASSIGN_OR_RETURN(Tensor * out,
                        ctx.allocate_output(0, x.dtype(), x.shape()));
    bool ok = false;
    SwitchOnDataType(x.dtype(), [&](auto tag) {
      using T = decltype(tag);
      if constexpr (std::is_same_v<T, std::string>) {
        ok = !kOne;  // Tensor::Create already made empty strings.
      } else if constexpr (!std::is_same_v<T, std::shared_ptr<ResourceBase>> &&
                           !std::is_same_v<T, std::shared_ptr<VariantValue>>) {
        FillWith<T>(out->data<T>(), out->NumElements(),
                    kOne ? static_cast<T>(1) : T());
        ok = true;
      }
    });
    if (!ok) {
      return ctx.InvalidArgument(absl::StrCat(kOne ? "OnesLike" : "ZerosLike",
                                              " does not support type ",
                                              DataTypeName(x.dtype())));
    }
    return absl::OkStatus();
  }
};

class EmptyKernel : public OpKernel {
 public:
  static absl::StatusOr<std::unique_ptr<OpKernel>> Create(
      const KernelConstruction& c) {
    MS_RETURN_IF_ERROR(CheckNumInputs(c, 1));
    DataType dtype;
    MS_RETURN_IF_ERROR(c.attrs.Get("dtype", &dtype));
    if (dtype == DT_RESOURCE || dtype == DT_VARIANT) {
      return UnsupportedDtypeError(c, dtype);
    }
    return std::unique_ptr<OpKernel>(new EmptyKernel(dtype));
  }

  absl::Status Compute(OpKernelContext& ctx) const override {
    MS_ASSIGN_OR_RETURN(TensorShape shape,
                        ShapeFromTensor(ctx.input(0), "shape"));
    MS_ASSIGN_OR_RETURN(Tensor * out, ctx.allocate_output(0, dtype_, shape));
    if (dtype_ != DT_STRING) {
      SwitchOnMoveType(dtype_, [&](auto tag) {
        using T = decltype(tag);
        FillWith<T>(DataAs<T>(out), out->NumElements(), T{});
      });
    }
    return absl::OkStatus();
  }

 private:
  explicit EmptyKernel(DataType dtype) : dtype_(dtype) {}
  const DataType dtype_;
};

}  // namespace

REGISTER_KERNEL(OpSpec("Empty").Output("output"), EmptyKernel::Create);
REGISTER_KERNEL(OpSpec("Fill").Output("output"), FillKernel::Create);
REGISTER_KERNEL(OpSpec("ZerosLike").Output("y"), FillLikeKernel<false>::Create);
REGISTER_KERNEL(OpSpec("OnesLike").Output("y"), FillLikeKernel<true>::Create);

}  // namespace model_server
