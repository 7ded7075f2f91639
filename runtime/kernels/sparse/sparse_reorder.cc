// SparseReorder: input_indices int64 [N, R], input_values T [N],
// input_shape int64 [R] -> output_indices and output_values, the same
// entries in canonical row-major order (lexicographic by index; entries
// with equal indices keep their relative order). Already ordered input is
// forwarded. Every dtype (values are moved, not read). Errors use
// TensorFlow's texts; like TensorFlow, indices outside input_shape are
// sorted, not rejected.
#include <algorithm>
#include <cstdint>
#include <memory>
#include <numeric>
#include <vector>

#include "absl/strings/str_cat.h"
#include "runtime/kernels/array/data_movement.h"
#include "runtime/kernels/kernel_util.h"
#include "runtime/op_kernel.h"
#include "runtime/op_registry.h"
#include "runtime/status_macros.h"

namespace model_server {
namespace {

absl::Status CheckSparseInputs(const Tensor& indices, const Tensor& values,
                               const Tensor& shape) {
  if (indices.rank() != 2) {
    return absl::InvalidArgumentError(
        absl::StrCat("Input indices should be a matrix but received shape ",
                     indices.shape().DebugString()));
  }
  if (values.rank() != 1) {
    return absl::InvalidArgumentError(
        absl::StrCat("Input values should be a vector but received shape ",
                     values.shape().DebugString()));
  }
  if (shape.rank() != 1) {
    return absl::InvalidArgumentError(
        absl::StrCat("Input shape should be a vector but received shape ",
                     shape.shape().DebugString()));
  }
  if (indices.dtype() != DT_INT64 || shape.dtype() != DT_INT64) {
    return absl::InvalidArgumentError(absl::StrCat(
        "input_indices and input_shape must be int64, got ",
        DataTypeName(indices.dtype()), " and ", DataTypeName(shape.dtype())));
  }
  if (indices.dim(0) != values.dim(0)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "indices and values rows (indexing dimension) must match. (indices = ",
        indices.dim(0), ", values = ", values.dim(0), ")"));
  }
  if (indices.dim(1) != shape.dim(0)) {
    return absl::InvalidArgumentError(
        absl::StrCat("Index rank (", indices.dim(1), ") and shape rank (",
                     shape.dim(0), ") do not match"));
  }
  const int64_t* dims = shape.data<int64_t>();
  for (int64_t i = 0; i < shape.NumElements(); ++i) {
    if (dims[i] < 0) {
      return absl::InvalidArgumentError(
          absl::StrCat("Dimension ", dims[i], " must be >= 0"));
    }
  }
  return absl::OkStatus();
}

class SparseReorderKernel : public OpKernel {
 public:
  static absl::StatusOr<std::unique_ptr<OpKernel>> Create(
      const KernelConstruction& c) {
    MS_RETURN_IF_ERROR(CheckNumInputs(c, 3));
    DataType dtype;
    MS_RETURN_IF_ERROR(c.attrs.Get("T", &dtype));
    return std::unique_ptr<OpKernel>(new SparseReorderKernel(dtype));
  }

  absl::Status Compute(OpKernelContext& ctx) const override {
    const Tensor& indices = ctx.input(0);
    const Tensor& values = ctx.input(1);
    MS_RETURN_IF_ERROR(CheckSparseInputs(indices, values, ctx.input(2)));
    MS_RETURN_IF_ERROR(CheckInputDtype(values, dtype_));
    const int64_t n = indices.dim(0);
    const int64_t rank = indices.dim(1);
    const int64_t* ix = indices.data<int64_t>();
    auto less = [&](int64_t a, int64_t b) {
      return std::lexicographical_compare(ix + a * rank, ix + (a + 1) * rank,
                                          ix + b * rank, ix + (b + 1) * rank);
    };
    bool ordered = true;
    for (int64_t i = 1; i < n && ordered; ++i) ordered = !less(i, i - 1);
    if (ordered) {
      ctx.set_output(0, indices);
      ctx.set_output(1, values);
      return absl::OkStatus();
    }
    std::vector<int64_t> order(n);
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(), less);
    MS_ASSIGN_OR_RETURN(Tensor * out_indices,
                        ctx.allocate_output(0, DT_INT64, indices.shape()));
    MS_ASSIGN_OR_RETURN(Tensor * out_values,
                        ctx.allocate_output(1, dtype_, values.shape()));
    int64_t* oix = out_indices->data<int64_t>();
    for (int64_t i = 0; i < n; ++i) {
      std::copy(ix + order[i] * rank, ix + (order[i] + 1) * rank,
                oix + i * rank);
    }
    SwitchOnMoveType(dtype_, [&](auto tag) {
      using T = decltype(tag);
      const T* src = DataAs<T>(values);
      T* dst = DataAs<T>(out_values);
      for (int64_t i = 0; i < n; ++i) dst[i] = src[order[i]];
    });
    return absl::OkStatus();
  }

 private:
  explicit SparseReorderKernel(DataType dtype) : dtype_(dtype) {}

  const DataType dtype_;
};

}  // namespace

REGISTER_KERNEL(
    OpSpec("SparseReorder").Output("output_indices").Output("output_values"),
    SparseReorderKernel::Create);

}  // namespace model_server
