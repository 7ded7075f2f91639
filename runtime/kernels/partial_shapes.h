// Partially known shapes with TensorFlow's PartialTensorShape rules, and
// zero-filled tensors: what the list-like kernels (TensorLists, TF1
// TensorArrays) share for element shapes and never-written elements.
#ifndef MODEL_SERVER_RUNTIME_KERNELS_PARTIAL_SHAPES_H_
#define MODEL_SERVER_RUNTIME_KERNELS_PARTIAL_SHAPES_H_

#include "absl/status/statusor.h"
#include "runtime/data_type.h"
#include "runtime/node_attrs.h"
#include "runtime/tensor.h"

namespace model_server {

// `shape` as a (fully known) PartialShape.
PartialShape PartialShapeOf(const TensorShape& shape);

// True if the shapes can describe the same tensor (unknown dimensions and
// ranks match anything).
bool IsCompatible(const PartialShape& a, const PartialShape& b);
bool IsCompatible(const PartialShape& partial, const TensorShape& shape);

// The most specific shape compatible with both; INVALID_ARGUMENT
// "Incompatible shapes during merge: [2,3] vs. [4,3]" when none is.
absl::StatusOr<PartialShape> MergeShapes(const PartialShape& a,
                                         const PartialShape& b);

// The shape as a TensorShape; FAILED_PRECONDITION if it is not fully
// defined (callers replace that with their own message).
absl::StatusOr<TensorShape> ToTensorShape(const PartialShape& shape);

// A tensor of `dtype` and `shape` holding zeros (empty strings, null
// handles): what TensorFlow reads for an element never written.
absl::StatusOr<Tensor> ZerosTensor(DataType dtype, const TensorShape& shape);

}  // namespace model_server

#endif  // MODEL_SERVER_RUNTIME_KERNELS_PARTIAL_SHAPES_H_
