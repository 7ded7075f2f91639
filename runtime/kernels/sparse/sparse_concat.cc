// SparseConcat: N SparseTensors (indices: N int64 [n_i, R], values: N T
// [n_i], shapes: N int64 [R]; attrs N >= 2, concat_dim in [-R, R)) ->
// output_indices, output_values, output_shape: the inputs side by side
// along concat_dim (each input's indices shifted by the sizes of the ones
// before it), every other dimension equal. As TensorFlow, the output is in
// row-major order (entries with equal indices keep their input order).
// Every dtype (values are moved, not read). TensorFlow's error texts.
#include <algorithm>
#include <cstdint>
#include <memory>
#include <numeric>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "runtime/kernels/array/data_movement.h"
#include "runtime/kernels/kernel_util.h"
#include "runtime/op_kernel.h"
#include "runtime/op_registry.h"
#include "runtime/status_macros.h"

namespace model_server {
namespace {

class SparseConcatKernel : public OpKernel {
 public:
  static absl::StatusOr<std::unique_ptr<OpKernel>> Create(
      const KernelConstruction& c) {
    int64_t n = 0;
    MS_RETURN_IF_ERROR(c.attrs.Get("N", &n));
    if (n < 2) return c.attrs.Error(absl::StrCat("N must be >= 2, got ", n));
    MS_RETURN_IF_ERROR(CheckNumInputs(c, static_cast<int>(3 * n)));
    DataType dtype;
    MS_RETURN_IF_ERROR(c.attrs.Get("T", &dtype));
    int64_t concat_dim = 0;
    MS_RETURN_IF_ERROR(c.attrs.Get("concat_dim", &concat_dim));
    return std::unique_ptr<OpKernel>(
        new SparseConcatKernel(static_cast<int>(n), dtype, concat_dim));
  }

  absl::Status Compute(OpKernelContext& ctx) const override {
    const int n = n_;
    for (int i = 0; i < n; ++i) {
      const Tensor& ix = ctx.input(i);
      const Tensor& vals = ctx.input(n + i);
      const Tensor& shape = ctx.input(2 * n + i);
      if (ix.rank() != 2 || ix.dtype() != DT_INT64) {
        return ctx.InvalidArgument(
            absl::StrCat("Input indices should be a matrix but received shape ",
                         ix.shape().DebugString(), " at position ", i));
      }
      if (vals.rank() != 1) {
        return ctx.InvalidArgument(
            absl::StrCat("Input values should be a vector but received shape ",
                         vals.shape().DebugString(), " at position ", i));
      }
      if (shape.rank() != 1 || shape.dtype() != DT_INT64) {
        return ctx.InvalidArgument(
            absl::StrCat("Input shapes should be a vector but received shape ",
                         shape.shape().DebugString(), " at position ", i));
      }
      MS_RETURN_IF_ERROR(CheckInputDtype(vals, dtype_));
      if (ix.dim(0) != vals.dim(0) || ix.dim(1) != shape.dim(0)) {
        return ctx.InvalidArgument(absl::StrCat(
            "Input ", i, ": indices ", ix.shape().DebugString(), ", values ",
            vals.shape().DebugString(), " and shape ",
            shape.shape().DebugString(), " do not describe one SparseTensor"));
      }
    }
    const Tensor& shape0 = ctx.input(2 * n);
    const int64_t rank = shape0.dim(0);
    if (concat_dim_ < -rank || concat_dim_ >= rank) {
      return ctx.InvalidArgument(
          absl::StrCat("Concat dimension must be in range [", -rank, ", ", rank,
                       "), got ", concat_dim_));
    }
    const int64_t dim = concat_dim_ < 0 ? concat_dim_ + rank : concat_dim_;
    std::vector<int64_t> out_shape(shape0.data<int64_t>(),
                                   shape0.data<int64_t>() + rank);
    for (int i = 0; i < n; ++i) {
      const Tensor& shape = ctx.input(2 * n + i);
      for (int64_t d = 0; d < shape.NumElements(); ++d) {
        const int64_t size = shape.data<int64_t>()[d];
        if (size < 0 || size > (int64_t{1} << 53)) {
          return ctx.InvalidArgument(
              absl::StrCat("Input shapes must hold sizes in [0, 2^53], got ",
                           size, " at position ", i));
        }
      }
    }
    std::vector<int64_t> offsets(n, 0);
    int64_t total = ctx.input(0).dim(0);
    for (int i = 1; i < n; ++i) {
      const Tensor& shape = ctx.input(2 * n + i);
      if (shape.dim(0) != rank) {
        return ctx.InvalidArgument(
            absl::StrCat("Input shapes must match: expected rank ", rank,
                         " but got rank ", shape.dim(0), " at position ", i));
      }
      const int64_t* dims = shape.data<int64_t>();
      for (int64_t d = 0; d < rank; ++d) {
        if (d != dim && dims[d] != out_shape[d]) {
          return ctx.InvalidArgument(absl::StrCat(
              "Input shapes must match: expected ", out_shape[d],
              " for dimension ", d, " but got ", dims[d], " at position ", i));
        }
      }
      offsets[i] = out_shape[dim];
      out_shape[dim] += dims[dim];
      total += ctx.input(i).dim(0);
    }
    // Concatenated entries, then their row-major order.
    std::vector<int64_t> all(total * rank);
    std::vector<std::pair<int, int64_t>> source(total);  // (input, row)
    int64_t row = 0;
    for (int i = 0; i < n; ++i) {
      const Tensor& ix = ctx.input(i);
      const int64_t* src = ix.data<int64_t>();
      for (int64_t r = 0; r < ix.dim(0); ++r, ++row) {
        std::copy(src + r * rank, src + (r + 1) * rank, &all[row * rank]);
        all[row * rank + dim] += offsets[i];
        source[row] = {i, r};
      }
    }
    std::vector<int64_t> order(total);
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(), [&](int64_t a, int64_t b) {
      return std::lexicographical_compare(&all[a * rank], &all[a * rank] + rank,
                                          &all[b * rank],
                                          &all[b * rank] + rank);
    });
    MS_ASSIGN_OR_RETURN(
        Tensor * out_indices,
        ctx.allocate_output(0, DT_INT64, TensorShape{total, rank}));
    MS_ASSIGN_OR_RETURN(Tensor * out_values,
                        ctx.allocate_output(1, dtype_, TensorShape{total}));
    MS_ASSIGN_OR_RETURN(Tensor * out_dense_shape,
                        ctx.allocate_output(2, DT_INT64, TensorShape{rank}));
    std::copy(out_shape.begin(), out_shape.end(),
              out_dense_shape->data<int64_t>());
    int64_t* oix = out_indices->data<int64_t>();
    for (int64_t k = 0; k < total; ++k) {
      std::copy(&all[order[k] * rank], &all[order[k] * rank] + rank,
                oix + k * rank);
    }
    SwitchOnMoveType(dtype_, [&](auto tag) {
      using T = decltype(tag);
      T* dst = DataAs<T>(out_values);
      for (int64_t k = 0; k < total; ++k) {
        const auto [input, r] = source[order[k]];
        dst[k] = DataAs<T>(ctx.input(n + input))[r];
      }
    });
    return absl::OkStatus();
  }

 private:
  SparseConcatKernel(int n, DataType dtype, int64_t concat_dim)
      : n_(n), dtype_(dtype), concat_dim_(concat_dim) {}

  const int n_;
  const DataType dtype_;
  const int64_t concat_dim_;
};

}  // namespace

REGISTER_KERNEL(OpSpec("SparseConcat")
                    .Output("output_indices")
                    .Output("output_values")
                    .Output("output_shape"),
                SparseConcatKernel::Create);

}  // namespace model_server
