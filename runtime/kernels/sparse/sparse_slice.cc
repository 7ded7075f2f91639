// SparseSlice: indices int64 [N, R], values T [N], shape int64 [R], start
// int64 [R], size int64 [R] -> output_indices, output_values, output_shape:
// the entries with start[d] <= index[d] < start[d] + size[d] in every
// dimension, shifted by -start, in their input order. The output shape is
// size clipped to the input (min(start + size, shape) - start, 0 past the
// end). Every dtype (values are moved, not read). Negative start or size is
// INVALID_ARGUMENT.
#include <algorithm>
#include <cstdint>
#include <limits>
#include <memory>
#include <vector>

#include "absl/strings/str_cat.h"
#include "runtime/kernels/array/data_movement.h"
#include "runtime/kernels/kernel_util.h"
#include "runtime/op_kernel.h"
#include "runtime/op_registry.h"
#include "runtime/status_macros.h"

namespace model_server {
namespace {

absl::Status CheckVector(const Tensor& t, const char* what, int64_t length) {
  if (t.rank() != 1 || t.dtype() != DT_INT64) {
    return absl::InvalidArgumentError(absl::StrCat(
        "Input ", what, " should be an int64 vector but received ",
        DataTypeName(t.dtype()), " shape ", t.shape().DebugString()));
  }
  if (length >= 0 && t.dim(0) != length) {
    return absl::InvalidArgumentError(
        absl::StrCat("Expected ", what, " to be a vector of length ", length,
                     " (the rank of the input) but got length ", t.dim(0)));
  }
  return absl::OkStatus();
}

class SparseSliceKernel : public OpKernel {
 public:
  static absl::StatusOr<std::unique_ptr<OpKernel>> Create(
      const KernelConstruction& c) {
    MS_RETURN_IF_ERROR(CheckNumInputs(c, 5));
    DataType dtype;
    MS_RETURN_IF_ERROR(c.attrs.Get("T", &dtype));
    return std::unique_ptr<OpKernel>(new SparseSliceKernel(dtype));
  }

  absl::Status Compute(OpKernelContext& ctx) const override {
    const Tensor& indices = ctx.input(0);
    const Tensor& values = ctx.input(1);
    if (indices.rank() != 2 || indices.dtype() != DT_INT64) {
      return ctx.InvalidArgument(
          absl::StrCat("Input indices should be a matrix but received shape ",
                       indices.shape().DebugString()));
    }
    if (values.rank() != 1 || values.dim(0) != indices.dim(0)) {
      return ctx.InvalidArgument(absl::StrCat(
          "Input values should be a vector of ", indices.dim(0),
          " values but received shape ", values.shape().DebugString()));
    }
    MS_RETURN_IF_ERROR(CheckInputDtype(values, dtype_));
    const int64_t rank = indices.dim(1);
    MS_RETURN_IF_ERROR(CheckVector(ctx.input(2), "shape", rank));
    MS_RETURN_IF_ERROR(CheckVector(ctx.input(3), "start", rank));
    MS_RETURN_IF_ERROR(CheckVector(ctx.input(4), "size", rank));
    const int64_t* shape = ctx.input(2).data<int64_t>();
    const int64_t* start = ctx.input(3).data<int64_t>();
    const int64_t* size = ctx.input(4).data<int64_t>();
    std::vector<int64_t> out_shape(rank);
    for (int64_t d = 0; d < rank; ++d) {
      if (shape[d] < 0 || start[d] < 0 || size[d] < 0) {
        return ctx.InvalidArgument(absl::StrCat(
            "Expected non-negative shape, start and size, got ", shape[d], ", ",
            start[d], " and ", size[d], " in dimension ", d));
      }
      // min(start + size, shape) - start without overflowing.
      out_shape[d] =
          start[d] >= shape[d] ? 0 : std::min(size[d], shape[d] - start[d]);
    }
    const int64_t n = indices.dim(0);
    const int64_t* ix = indices.data<int64_t>();
    std::vector<int64_t> kept;
    for (int64_t i = 0; i < n; ++i) {
      bool inside = true;
      for (int64_t d = 0; d < rank && inside; ++d) {
        const int64_t x = ix[i * rank + d];
        inside = x >= start[d] && x - start[d] < out_shape[d];
      }
      if (inside) kept.push_back(i);
    }
    const int64_t m = static_cast<int64_t>(kept.size());
    MS_ASSIGN_OR_RETURN(Tensor * out_indices,
                        ctx.allocate_output(0, DT_INT64, TensorShape{m, rank}));
    MS_ASSIGN_OR_RETURN(Tensor * out_values,
                        ctx.allocate_output(1, dtype_, TensorShape{m}));
    MS_ASSIGN_OR_RETURN(Tensor * out_dense_shape,
                        ctx.allocate_output(2, DT_INT64, TensorShape{rank}));
    std::copy(out_shape.begin(), out_shape.end(),
              out_dense_shape->data<int64_t>());
    int64_t* oix = out_indices->data<int64_t>();
    for (int64_t k = 0; k < m; ++k) {
      for (int64_t d = 0; d < rank; ++d) {
        oix[k * rank + d] = ix[kept[k] * rank + d] - start[d];
      }
    }
    SwitchOnMoveType(dtype_, [&](auto tag) {
      using T = decltype(tag);
      const T* src = DataAs<T>(values);
      T* dst = DataAs<T>(out_values);
      for (int64_t k = 0; k < m; ++k) dst[k] = src[kept[k]];
    });
    return absl::OkStatus();
  }

 private:
  explicit SparseSliceKernel(DataType dtype) : dtype_(dtype) {}

  const DataType dtype_;
};

}  // namespace

REGISTER_KERNEL(OpSpec("SparseSlice")
                    .Output("output_indices")
                    .Output("output_values")
                    .Output("output_shape"),
                SparseSliceKernel::Create);

}  // namespace model_server
