// Input checks the TensorArray kernels share, with TensorFlow's texts.
#ifndef MODEL_SERVER_RUNTIME_KERNELS_TENSOR_ARRAY_TENSOR_ARRAY_UTIL_H_
#define MODEL_SERVER_RUNTIME_KERNELS_TENSOR_ARRAY_TENSOR_ARRAY_UTIL_H_

#include <cstdint>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "runtime/kernels/tensor_array/tensor_array.h"
#include "runtime/tensor.h"

namespace model_server {

// INVALID_ARGUMENT unless `t` is int32 (the TensorArray ops' index and size
// type), naming input `what`.
absl::Status CheckInt32Input(const Tensor& t, absl::string_view what);

// The value of an int32 scalar `index` input ("TensorArray index must be
// scalar, but had shape: ...").
absl::StatusOr<int64_t> TensorArrayIndex(const Tensor& index);

// The values of an int32 vector `indices` input ("Expected indices to be a
// vector, but received shape: ...").
absl::StatusOr<std::vector<int64_t>> TensorArrayIndices(const Tensor& indices);

// "TensorArray dtype is X but Op requested dtype Y." unless they agree.
absl::Status CheckArrayDtype(const TensorArray& array, DataType requested);

// dst[dst_begin, dst_begin + count) = src[src_begin, src_begin + count), in
// flat elements of any dtype. REQUIRES: same dtype, ranges inside both.
void CopyElements(const Tensor& src, int64_t src_begin, int64_t count,
                  Tensor* dst, int64_t dst_begin);

}  // namespace model_server

#endif  // MODEL_SERVER_RUNTIME_KERNELS_TENSOR_ARRAY_TENSOR_ARRAY_UTIL_H_
