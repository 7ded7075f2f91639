// Reading a shape that arrives as a tensor input (the `shape` inputs of
// BroadcastTo, Empty, ScatterNd and the random ops).
#ifndef MODEL_SERVER_RUNTIME_KERNELS_SHAPE_INPUT_H_
#define MODEL_SERVER_RUNTIME_KERNELS_SHAPE_INPUT_H_

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "runtime/tensor.h"

namespace model_server {

// The shape held by `t`, an int32/int64 vector. INVALID_ARGUMENT "<what>
// must be a vector of int32 or int64, got ..." or TensorFlow's "Dimension -1
// must be >= 0"; TensorShape::FromDims' errors beyond that.
absl::StatusOr<TensorShape> ShapeFromTensor(const Tensor& t,
                                            absl::string_view what);

}  // namespace model_server

#endif  // MODEL_SERVER_RUNTIME_KERNELS_SHAPE_INPUT_H_
