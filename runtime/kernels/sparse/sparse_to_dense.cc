// SparseToDense(sparse_indices, output_shape, sparse_values, default_value;
// attrs T, Tindices, validate_indices) -> dense.
//
// sparse_indices (Tindices: int32 or int64) is a scalar, a vector [N] or a
// matrix [N, R]; output_shape (Tindices) is a vector of R dims; sparse_values
// (T) is a scalar used for every entry or a vector [N]; default_value (T) is
// a scalar. The output has shape output_shape, holds default_value except at
// the N indices. With validate_indices the indices must be in bounds, sorted
// lexicographically and unique (TensorFlow's error texts); without it they
// must still be in bounds, and a repeated index keeps the later value.
// T is any dtype but resource and variant.
#include <algorithm>
#include <cstdint>
#include <memory>
#include <string>
#include <type_traits>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/types/span.h"
#include "runtime/op_kernel.h"
#include "runtime/op_registry.h"
#include "runtime/status_macros.h"

namespace model_server {
namespace {

// TensorFlow's shape checks, in its order.
absl::Status CheckShapes(const Tensor& indices, const Tensor& output_shape,
                         const Tensor& values, const Tensor& default_value) {
  if (indices.rank() > 2) {
    return absl::InvalidArgumentError(absl::StrCat(
        "sparse_indices should be a scalar, vector, or matrix, got shape ",
        indices.shape().DebugString()));
  }
  const int64_t num_entries = indices.rank() > 0 ? indices.dim(0) : 1;
  const int64_t rank = indices.rank() > 1 ? indices.dim(1) : 1;
  if (output_shape.rank() != 1) {
    return absl::InvalidArgumentError(
        absl::StrCat("output_shape must be rank 1, got shape ",
                     output_shape.shape().DebugString()));
  }
  if (output_shape.NumElements() != rank) {
    return absl::InvalidArgumentError(
        absl::StrCat("output_shape has incorrect number of elements: ",
                     output_shape.NumElements(), " should be: ", rank));
  }
  if (values.rank() != 0 &&
      (values.rank() != 1 || values.NumElements() != num_entries)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "sparse_values has incorrect shape ", values.shape().DebugString(),
        ", should be [] or [", num_entries, "]"));
  }
  if (default_value.rank() != 0) {
    return absl::InvalidArgumentError("default_value should be a scalar.");
  }
  return absl::OkStatus();
}

// The indices as int64, row-major [num_entries, rank].
std::vector<int64_t> IndicesAsInt64(const Tensor& indices) {
  if (indices.dtype() == DT_INT64) {
    absl::Span<const int64_t> flat = indices.flat<int64_t>();
    return std::vector<int64_t>(flat.begin(), flat.end());
  }
  absl::Span<const int32_t> flat = indices.flat<int32_t>();
  return std::vector<int64_t>(flat.begin(), flat.end());
}

std::string IndexText(absl::Span<const int64_t> index) {
  return absl::StrCat("[", absl::StrJoin(index, ","), "]");
}

// TensorFlow's validate_indices check: in bounds, strictly increasing in
// row-major order.
absl::Status ValidateIndices(absl::Span<const int64_t> indices,
                             int64_t num_entries, int rank,
                             const TensorShape& shape) {
  for (int64_t n = 0; n < num_entries; ++n) {
    absl::Span<const int64_t> index = indices.subspan(n * rank, rank);
    bool in_bounds = true;
    bool different = n == 0;
    bool increasing = true;
    for (int d = 0; d < rank; ++d) {
      if (index[d] < 0 || index[d] >= shape.dim(d)) in_bounds = false;
      if (n == 0) continue;
      const int64_t previous = indices[(n - 1) * rank + d];
      if (index[d] > previous) different = true;
      if (!different && index[d] < previous) increasing = false;
    }
    if (!in_bounds) {
      return absl::InvalidArgumentError(absl::StrCat(
          "indices[", n, "] = ", IndexText(index),
          " is out of bounds: need 0 <= index < ", shape.DebugString()));
    }
    if (!increasing) {
      return absl::InvalidArgumentError(absl::StrCat(
          "indices[", n, "] = ", IndexText(index),
          " is out of order. Many sparse ops require sorted indices.\n"
          "    Use `tf.sparse.reorder` to create a correctly ordered copy."
          "\n\n"));
    }
    if (!different) {
      return absl::InvalidArgumentError(absl::StrCat(
          "indices[", n, "] = ", IndexText(index), " is repeated"));
    }
  }
  return absl::OkStatus();
}

template <typename T>
absl::Status Scatter(absl::Span<const int64_t> indices, int64_t num_entries,
                     int rank, const Tensor& values,
                     const Tensor& default_value, Tensor* out) {
  T* dense = out->data<T>();
  std::fill(dense, dense + out->NumElements(), default_value.scalar<T>());
  const T* sparse = values.data<T>();
  const bool one_value = values.rank() == 0;
  const TensorShape& shape = out->shape();
  for (int64_t n = 0; n < num_entries; ++n) {
    int64_t offset = 0;
    for (int d = 0; d < rank; ++d) {
      const int64_t i = indices[n * rank + d];
      if (i < 0 || i >= shape.dim(d)) {
        return absl::InvalidArgumentError(
            absl::StrCat("Indices are not valid (out of bounds).  Shape: ",
                         shape.DebugString()));
      }
      offset = offset * shape.dim(d) + i;
    }
    dense[offset] = sparse[one_value ? 0 : n];
  }
  return absl::OkStatus();
}

bool IsSupportedValueType(DataType dtype) {
  return dtype != DT_RESOURCE && dtype != DT_VARIANT &&
         SwitchOnDataType(dtype, [](auto) {});
}

class SparseToDenseKernel final : public OpKernel {
 public:
  static absl::StatusOr<std::unique_ptr<OpKernel>> Create(
      const KernelConstruction& c) {
    MS_RETURN_IF_ERROR(CheckNumInputs(c, 4));
    DataType dtype, index_dtype;
    MS_RETURN_IF_ERROR(c.attrs.Get("T", &dtype));
    MS_RETURN_IF_ERROR(c.attrs.Get("Tindices", &index_dtype));
    bool validate = true;
    MS_RETURN_IF_ERROR(c.attrs.GetOr("validate_indices", true, &validate));
    if (index_dtype != DT_INT32 && index_dtype != DT_INT64) {
      return c.attrs.Error(absl::StrCat("Tindices must be int32 or int64, got ",
                                        DataTypeName(index_dtype)));
    }
    if (!IsSupportedValueType(dtype)) {
      return UnsupportedDtypeError(c, dtype);
    }
    return std::unique_ptr<OpKernel>(
        new SparseToDenseKernel(dtype, index_dtype, validate));
  }

  absl::Status Compute(OpKernelContext& ctx) const override {
    const Tensor& indices = ctx.input(0);
    const Tensor& output_shape = ctx.input(1);
    const Tensor& values = ctx.input(2);
    const Tensor& default_value = ctx.input(3);
    if (indices.dtype() != index_dtype_ ||
        output_shape.dtype() != index_dtype_ || values.dtype() != dtype_ ||
        default_value.dtype() != dtype_) {
      return ctx.InvalidArgument(absl::StrCat(
          "expected inputs of types ", DataTypeName(index_dtype_), ", ",
          DataTypeName(index_dtype_), ", ", DataTypeName(dtype_), " and ",
          DataTypeName(dtype_), ", got ", DataTypeName(indices.dtype()), ", ",
          DataTypeName(output_shape.dtype()), ", ",
          DataTypeName(values.dtype()), " and ",
          DataTypeName(default_value.dtype())));
    }
    MS_RETURN_IF_ERROR(
        CheckShapes(indices, output_shape, values, default_value));
    const int64_t num_entries = indices.rank() > 0 ? indices.dim(0) : 1;
    const int rank = static_cast<int>(output_shape.NumElements());

    MS_ASSIGN_OR_RETURN(TensorShape shape,
                        TensorShape::FromDims(IndicesAsInt64(output_shape)));
    MS_ASSIGN_OR_RETURN(Tensor * out, ctx.allocate_output(0, dtype_, shape));
    const std::vector<int64_t> flat_indices = IndicesAsInt64(indices);
    if (validate_) {
      MS_RETURN_IF_ERROR(
          ValidateIndices(flat_indices, num_entries, rank, shape));
    }
    absl::Status status;
    SwitchOnDataType(dtype_, [&](auto tag) {
      using T = decltype(tag);
      if constexpr (!std::is_same_v<T, std::shared_ptr<ResourceBase>> &&
                    !std::is_same_v<T, std::shared_ptr<VariantValue>>) {
        status = Scatter<T>(flat_indices, num_entries, rank, values,
                            default_value, out);
      }
    });
    return status;
  }

 private:
  SparseToDenseKernel(DataType dtype, DataType index_dtype, bool validate)
      : dtype_(dtype), index_dtype_(index_dtype), validate_(validate) {}

  const DataType dtype_;
  const DataType index_dtype_;
  const bool validate_;
};

}  // namespace

REGISTER_KERNEL(OpSpec("SparseToDense").Output("dense"),
                SparseToDenseKernel::Create);

}  // namespace model_server
