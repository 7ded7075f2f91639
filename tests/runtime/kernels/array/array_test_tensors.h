// Test tensors shared by the array kernels' tests.
#ifndef MODEL_SERVER_TESTS_RUNTIME_KERNELS_ARRAY_ARRAY_TEST_TENSORS_H_
#define MODEL_SERVER_TESTS_RUNTIME_KERNELS_ARRAY_ARRAY_TEST_TENSORS_H_

#include <cstdint>
#include <vector>

#include "runtime/tensor.h"

namespace model_server {
namespace testing_tensors {

// A float tensor of `shape` holding start, start + 1, ... in row-major order.
inline Tensor Iota(const TensorShape& shape, float start = 0) {
  std::vector<float> v(shape.num_elements());
  for (size_t i = 0; i < v.size(); ++i) v[i] = start + static_cast<float>(i);
  return Tensor::FromVector(v, shape);
}

// The row-major index of flat element `flat` in `shape`.
inline std::vector<int64_t> Unflatten(int64_t flat, const TensorShape& shape) {
  std::vector<int64_t> idx(shape.rank());
  for (int d = shape.rank() - 1; d >= 0; --d) {
    idx[d] = flat % shape.dim(d);
    flat /= shape.dim(d);
  }
  return idx;
}

// The flat element of row-major index `idx` in `shape`.
inline int64_t Flatten(const std::vector<int64_t>& idx,
                       const TensorShape& shape) {
  int64_t flat = 0;
  for (int d = 0; d < shape.rank(); ++d) flat = flat * shape.dim(d) + idx[d];
  return flat;
}

}  // namespace testing_tensors
}  // namespace model_server

#endif  // MODEL_SERVER_TESTS_RUNTIME_KERNELS_ARRAY_ARRAY_TEST_TENSORS_H_
