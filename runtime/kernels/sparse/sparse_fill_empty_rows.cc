// SparseFillEmptyRows: gives every row of a SparseTensor at least one entry.
//
// Inputs: indices int64 [N, R], values T [N], dense_shape int64 [R],
// default_value T scalar. Outputs: output_indices [N', R] and output_values
// [N'] (the input entries grouped by row in row order, keeping their input
// order within a row, plus one (row, 0, ..., 0) = default_value entry for
// each empty row, placed where that row belongs), empty_row_indicator bool
// [dense_shape[0]], reverse_index_map int64 [N] (where each input entry went).
// When no row is empty and the rows are already ordered, the indices and
// values are forwarded unchanged, as in TensorFlow. T: any dtype but
// resource and variant.
//
// Only the row (first) coordinate is checked, against dense_shape[0], with
// TensorFlow's error text; other coordinates are copied as given.
#include <algorithm>
#include <cstdint>
#include <memory>
#include <string>
#include <type_traits>
#include <vector>

#include "absl/strings/str_cat.h"
#include "runtime/kernels/kernel_util.h"
#include "runtime/op_kernel.h"
#include "runtime/op_registry.h"
#include "runtime/status_macros.h"

namespace model_server {
namespace {

absl::Status CheckInputs(const Tensor& indices, const Tensor& values,
                         const Tensor& dense_shape, const Tensor& default_value,
                         DataType dtype) {
  if (indices.dtype() != DT_INT64 || dense_shape.dtype() != DT_INT64) {
    return absl::InvalidArgumentError(
        absl::StrCat("indices and dense_shape must be int64, got ",
                     DataTypeName(indices.dtype()), " and ",
                     DataTypeName(dense_shape.dtype())));
  }
  if (values.dtype() != dtype || default_value.dtype() != dtype) {
    return absl::InvalidArgumentError(
        absl::StrCat("values and default_value must be ", DataTypeName(dtype),
                     ", got ", DataTypeName(values.dtype()), " and ",
                     DataTypeName(default_value.dtype())));
  }
  if (dense_shape.rank() != 1) {
    return absl::InvalidArgumentError(
        absl::StrCat("dense_shape must be a vector, saw: ",
                     dense_shape.shape().DebugString()));
  }
  if (indices.rank() != 2) {
    return absl::InvalidArgumentError(absl::StrCat(
        "indices must be a matrix, saw: ", indices.shape().DebugString()));
  }
  if (values.rank() != 1) {
    return absl::InvalidArgumentError(absl::StrCat(
        "values must be a vector, saw: ", values.shape().DebugString()));
  }
  if (indices.dim(0) != values.dim(0)) {
    return absl::InvalidArgumentError(
        absl::StrCat("The length of `values` (", values.dim(0),
                     ") must match the first dimension of `indices` (",
                     indices.dim(0), ")."));
  }
  if (default_value.rank() != 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("default_value must be a scalar, saw: ",
                     default_value.shape().DebugString()));
  }
  if (dense_shape.NumElements() == 0) {
    return absl::InvalidArgumentError("Dense shape cannot be empty.");
  }
  // TensorFlow reads column 0 of every row and writes it for filled rows.
  if (indices.dim(1) < 1) {
    return absl::InvalidArgumentError(
        absl::StrCat("indices must have at least one column, saw: ",
                     indices.shape().DebugString()));
  }
  const int64_t dense_rows = dense_shape.data<int64_t>()[0];
  if (dense_rows < 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("dense_shape[0] must be non-negative, saw: ", dense_rows));
  }
  return absl::OkStatus();
}

template <typename T>
class SparseFillEmptyRowsKernel final : public OpKernel {
 public:
  absl::Status Compute(OpKernelContext& ctx) const override {
    const Tensor& indices = ctx.input(0);
    const Tensor& values = ctx.input(1);
    const Tensor& dense_shape = ctx.input(2);
    const Tensor& default_value = ctx.input(3);
    MS_RETURN_IF_ERROR(CheckInputs(indices, values, dense_shape, default_value,
                                   DataTypeOf<T>::value));
    const int64_t n = indices.dim(0);
    const int64_t rank = indices.dim(1);
    const int64_t dense_rows = dense_shape.data<int64_t>()[0];
    const int64_t* in_idx = indices.data<int64_t>();
    const T* in_values = values.data<T>();

    // Allocating the indicator first bounds dense_rows by the tensor limit
    // before the per-row counts below are sized by it.
    MS_ASSIGN_OR_RETURN(
        Tensor * empty_rows,
        ctx.allocate_output(2, DT_BOOL, TensorShape{dense_rows}));
    MS_ASSIGN_OR_RETURN(Tensor * reverse,
                        ctx.allocate_output(3, DT_INT64, TensorShape{n}));
    int64_t* reverse_map = reverse->data<int64_t>();
    if (dense_rows == 0) {
      if (n != 0) {
        return ctx.InvalidArgument(
            absl::StrCat("Received SparseTensor with dense_shape[0] = 0 but "
                         "indices.shape[0] = ",
                         n));
      }
      MS_RETURN_IF_ERROR(
          ctx.allocate_output(0, DT_INT64, TensorShape{0, rank}).status());
      MS_RETURN_IF_ERROR(
          ctx.allocate_output(1, DataTypeOf<T>::value, TensorShape{0})
              .status());
      return absl::OkStatus();
    }
    if (dense_rows >
        Tensor::kMaxBytes / static_cast<int64_t>(sizeof(int64_t))) {
      return absl::ResourceExhaustedError(
          absl::StrCat("SparseFillEmptyRows: dense_shape[0] = ", dense_rows,
                       " is too large"));
    }

    // row_end[r]: one past the last output position of row r.
    std::vector<int64_t> row_end(dense_rows, 0);
    bool ordered = true;
    int64_t previous_row = 0;
    for (int64_t i = 0; i < n; ++i) {
      const int64_t row = in_idx[i * rank];
      if (row < 0 || row >= dense_rows) {
        return ctx.InvalidArgument(absl::StrCat(
            "indices(", i, ", 0) is invalid: ", row, " >= ", dense_rows));
      }
      ++row_end[row];
      ordered = ordered && row >= previous_row;
      previous_row = row;
    }
    bool* empty = empty_rows->data<bool>();
    bool any_empty = false;
    for (int64_t r = 0; r < dense_rows; ++r) {
      empty[r] = row_end[r] == 0;
      any_empty = any_empty || empty[r];
      row_end[r] =
          std::max<int64_t>(row_end[r], 1) + (r > 0 ? row_end[r - 1] : 0);
    }

    if (!any_empty && ordered) {
      ctx.set_output(0, indices);
      ctx.set_output(1, values);
      for (int64_t i = 0; i < n; ++i) reverse_map[i] = i;
      return absl::OkStatus();
    }

    const int64_t total = row_end[dense_rows - 1];
    MS_ASSIGN_OR_RETURN(TensorShape out_indices_shape,
                        TensorShape::FromDims({total, rank}));
    MS_ASSIGN_OR_RETURN(Tensor * out_indices_t,
                        ctx.allocate_output(0, DT_INT64, out_indices_shape));
    MS_ASSIGN_OR_RETURN(
        Tensor * out_values_t,
        ctx.allocate_output(1, DataTypeOf<T>::value, TensorShape{total}));
    int64_t* out_idx = out_indices_t->data<int64_t>();
    T* out_values = out_values_t->data<T>();

    std::vector<int64_t> filled(dense_rows, 0);
    for (int64_t i = 0; i < n; ++i) {
      const int64_t row = in_idx[i * rank];
      const int64_t pos = (row > 0 ? row_end[row - 1] : 0) + filled[row]++;
      std::copy_n(in_idx + i * rank, rank, out_idx + pos * rank);
      out_values[pos] = in_values[i];
      reverse_map[i] = pos;
    }
    const T& fill = default_value.data<T>()[0];
    for (int64_t r = 0; r < dense_rows; ++r) {
      if (filled[r] != 0) continue;
      const int64_t pos = r > 0 ? row_end[r - 1] : 0;
      out_idx[pos * rank] = r;
      std::fill_n(out_idx + pos * rank + 1, rank - 1, int64_t{0});
      out_values[pos] = fill;
    }
    return absl::OkStatus();
  }
};

absl::StatusOr<std::unique_ptr<OpKernel>> CreateSparseFillEmptyRows(
    const KernelConstruction& c) {
  MS_RETURN_IF_ERROR(CheckNumInputs(c, 4));
  DataType dtype;
  MS_RETURN_IF_ERROR(c.attrs.Get("T", &dtype));
  return MakeTypedKernel(c, dtype, [&](auto tag) -> std::unique_ptr<OpKernel> {
    using T = decltype(tag);
    if constexpr (!std::is_same_v<T, std::shared_ptr<ResourceBase>> &&
                  !std::is_same_v<T, std::shared_ptr<VariantValue>>) {
      return std::make_unique<SparseFillEmptyRowsKernel<T>>();
    }
    return nullptr;
  });
}

}  // namespace

REGISTER_KERNEL(OpSpec("SparseFillEmptyRows")
                    .Output("output_indices")
                    .Output("output_values")
                    .Output("empty_row_indicator")
                    .Output("reverse_index_map"),
                CreateSparseFillEmptyRows);

}  // namespace model_server
