#include "runtime/kernels/partial_shapes.h"

#include <cstring>

#include "absl/strings/str_cat.h"
#include "runtime/status_macros.h"

namespace model_server {

PartialShape PartialShapeOf(const TensorShape& shape) {
  PartialShape result;
  result.rank = shape.rank();
  result.dims.assign(shape.dims().begin(), shape.dims().end());
  return result;
}

bool IsCompatible(const PartialShape& a, const PartialShape& b) {
  if (a.rank < 0 || b.rank < 0) return true;
  if (a.rank != b.rank) return false;
  for (int i = 0; i < a.rank; ++i) {
    if (a.dims[i] >= 0 && b.dims[i] >= 0 && a.dims[i] != b.dims[i]) {
      return false;
    }
  }
  return true;
}

bool IsCompatible(const PartialShape& partial, const TensorShape& shape) {
  return IsCompatible(partial, PartialShapeOf(shape));
}

absl::StatusOr<PartialShape> MergeShapes(const PartialShape& a,
                                         const PartialShape& b) {
  if (a.rank < 0) return b;
  if (b.rank < 0) return a;
  if (!IsCompatible(a, b)) {
    return absl::InvalidArgumentError(
        absl::StrCat("Incompatible shapes during merge: ", a.DebugString(),
                     " vs. ", b.DebugString()));
  }
  PartialShape merged = a;
  for (int i = 0; i < a.rank; ++i) {
    if (merged.dims[i] < 0) merged.dims[i] = b.dims[i];
  }
  return merged;
}

absl::StatusOr<TensorShape> ToTensorShape(const PartialShape& shape) {
  if (!shape.IsFullyDefined()) {
    return absl::FailedPreconditionError(
        absl::StrCat("shape ", shape.DebugString(), " is not fully defined"));
  }
  return TensorShape::FromDims(shape.dims);
}

absl::StatusOr<Tensor> ZerosTensor(DataType dtype, const TensorShape& shape) {
  MS_ASSIGN_OR_RETURN(Tensor zeros, Tensor::Create(dtype, shape));
  // Strings start empty and handles null; numbers need clearing (an
  // all-zero bit pattern is zero for every numeric dtype, false for bool).
  if (IsPodDataType(dtype) && zeros.TotalBytes() > 0) {
    std::memset(zeros.raw_data(), 0, zeros.TotalBytes());
  }
  return zeros;
}

}  // namespace model_server
