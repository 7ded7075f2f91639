// Counting occurrences of non-negative integers:
//   Bincount(arr int32 [any], size int32 scalar, weights T) -> bins [size]
//   DenseBincount(input Tidx [n] or [rows, n], size Tidx scalar, weights T;
//                 attr binary_output) -> output [size] or [rows, size]
// bins[v] is the number of elements equal to v, or the sum of their
// weights when weights is not empty (then it has the input's shape).
// Values >= size are ignored; with binary_output a bin is 1 when its value
// occurs at all (weights ignored).
//
// dtypes (TensorFlow's CPU registrations): T is int32, int64, float or
// double; Tidx is int32 or int64. Errors (TensorFlow's texts where it has
// them): "size (s) must be non-negative", "Input arr must be
// non-negative!", a weights shape other than the input's or empty, and for
// DenseBincount an input of rank other than 1 or 2.
#include <cstdint>
#include <memory>
#include <type_traits>

#include "absl/strings/str_cat.h"
#include "runtime/kernels/dtype_categories.h"
#include "runtime/kernels/kernel_util.h"
#include "runtime/op_kernel.h"
#include "runtime/op_registry.h"
#include "runtime/status_macros.h"

namespace model_server {
namespace {

template <typename T>
class BincountKernel final : public OpKernel {
 public:
  BincountKernel(DataType index_type, bool dense, bool binary_output)
      : index_type_(index_type), dense_(dense), binary_output_(binary_output) {}

  absl::Status Compute(OpKernelContext& ctx) const override {
    const Tensor& input = ctx.input(0);
    const Tensor& size_tensor = ctx.input(1);
    const Tensor& weights = ctx.input(2);
    MS_RETURN_IF_ERROR(CheckInputDtype(input, index_type_));
    MS_RETURN_IF_ERROR(CheckInputDtype(size_tensor, index_type_));
    MS_RETURN_IF_ERROR(CheckInputDtype(weights, DataTypeOf<T>::value));
    if (size_tensor.rank() != 0) {
      return ctx.InvalidArgument(
          absl::StrCat("Shape must be rank 0 but is rank ", size_tensor.rank(),
                       " for size"));
    }
    const int64_t size = IntAt(size_tensor, 0);
    if (size < 0) {
      return ctx.InvalidArgument(
          absl::StrCat("size (", size, ") must be non-negative"));
    }
    if (dense_ && input.rank() != 1 && input.rank() != 2) {
      return ctx.InvalidArgument(
          absl::StrCat("Input must be a 1 or 2-dimensional tensor. Got: ",
                       input.shape().DebugString()));
    }
    const bool weighted = weights.NumElements() > 0;
    if (weighted && weights.shape() != input.shape()) {
      return ctx.InvalidArgument(
          absl::StrCat("weights must be empty or have the input's shape ",
                       input.shape().DebugString(), ", got ",
                       weights.shape().DebugString()));
    }
    const int64_t n = input.NumElements();
    for (int64_t i = 0; i < n; ++i) {
      if (IntAt(input, i) < 0) {
        return ctx.InvalidArgument("Input arr must be non-negative!");
      }
    }
    // Rank-2 DenseBincount counts each row separately.
    const bool per_row = dense_ && input.rank() == 2;
    const int64_t rows = per_row ? input.dim(0) : 1;
    const int64_t row_len = per_row ? input.dim(1) : n;
    MS_ASSIGN_OR_RETURN(TensorShape shape,
                        per_row ? TensorShape::FromDims({rows, size})
                                : TensorShape::FromDims({size}));
    MS_ASSIGN_OR_RETURN(Tensor * out,
                        ctx.allocate_output(0, DataTypeOf<T>::value, shape));
    T* o = out->data<T>();
    for (int64_t i = 0; i < out->NumElements(); ++i) o[i] = T(0);
    const T* w = weighted ? weights.data<T>() : nullptr;
    for (int64_t r = 0; r < rows; ++r) {
      T* bins = o + r * size;
      for (int64_t j = 0; j < row_len; ++j) {
        const int64_t i = r * row_len + j;
        const int64_t v = IntAt(input, i);
        if (v >= size) continue;
        if (binary_output_) {
          bins[v] = T(1);
        } else if (w != nullptr) {
          bins[v] += w[i];
        } else {
          bins[v] += T(1);
        }
      }
    }
    return absl::OkStatus();
  }

 private:
  const DataType index_type_;
  const bool dense_;
  const bool binary_output_;
};

template <bool kDense>
absl::StatusOr<std::unique_ptr<OpKernel>> CreateBincount(
    const KernelConstruction& c) {
  MS_RETURN_IF_ERROR(CheckNumInputs(c, 3));
  DataType dtype;
  MS_RETURN_IF_ERROR(c.attrs.Get("T", &dtype));
  DataType index_type = DT_INT32;
  bool binary_output = false;
  if constexpr (kDense) {
    MS_ASSIGN_OR_RETURN(index_type, IndexTypeAttr(c, "Tidx", DT_INT32));
    MS_RETURN_IF_ERROR(c.attrs.GetOr("binary_output", false, &binary_output));
  }
  return MakeTypedKernel(c, dtype, [&](auto tag) -> std::unique_ptr<OpKernel> {
    using T = decltype(tag);
    if constexpr (std::is_same_v<T, int32_t> || std::is_same_v<T, int64_t> ||
                  kIsFloatOrDouble<T>) {
      return std::make_unique<BincountKernel<T>>(index_type, kDense,
                                                 binary_output);
    }
    return nullptr;
  });
}

}  // namespace

REGISTER_KERNEL(OpSpec("Bincount").Output("bins"), CreateBincount<false>);
REGISTER_KERNEL(OpSpec("DenseBincount").Output("output"), CreateBincount<true>);

}  // namespace model_server
