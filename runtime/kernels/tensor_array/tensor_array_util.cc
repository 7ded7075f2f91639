#include "runtime/kernels/tensor_array/tensor_array_util.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "runtime/status_macros.h"

namespace model_server {

absl::Status CheckInt32Input(const Tensor& t, absl::string_view what) {
  if (t.dtype() != DT_INT32) {
    return absl::InvalidArgumentError(absl::StrCat(
        "TensorArray ", what, " must be int32, got ", DataTypeName(t.dtype())));
  }
  return absl::OkStatus();
}

absl::StatusOr<int64_t> TensorArrayIndex(const Tensor& index) {
  if (index.rank() != 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("TensorArray index must be scalar, but had shape: ",
                     index.shape().DebugString()));
  }
  MS_RETURN_IF_ERROR(CheckInt32Input(index, "index"));
  return index.scalar<int32_t>();
}

absl::StatusOr<std::vector<int64_t>> TensorArrayIndices(const Tensor& indices) {
  if (indices.rank() != 1) {
    return absl::InvalidArgumentError(
        absl::StrCat("Expected indices to be a vector, but received shape: ",
                     indices.shape().DebugString()));
  }
  MS_RETURN_IF_ERROR(CheckInt32Input(indices, "indices"));
  absl::Span<const int32_t> values = indices.flat<int32_t>();
  return std::vector<int64_t>(values.begin(), values.end());
}

absl::Status CheckArrayDtype(const TensorArray& array, DataType requested) {
  if (array.dtype() != requested) {
    return absl::InvalidArgumentError(
        absl::StrCat("TensorArray dtype is ", DataTypeName(array.dtype()),
                     " but Op requested dtype ", DataTypeName(requested), "."));
  }
  return absl::OkStatus();
}

void CopyElements(const Tensor& src, int64_t src_begin, int64_t count,
                  Tensor* dst, int64_t dst_begin) {
  if (count <= 0) return;
  SwitchOnDataType(src.dtype(), [&](auto tag) {
    using T = decltype(tag);
    std::copy_n(src.data<T>() + src_begin, count, dst->data<T>() + dst_begin);
  });
}

}  // namespace model_server
