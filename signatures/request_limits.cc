#include "signatures/request_limits.h"

#include <string>

#include "absl/strings/str_cat.h"

namespace model_server {
namespace {

int64_t ElementBytes(DataType dtype) {
  if (dtype == DT_STRING) return sizeof(std::string);
  const size_t size = DataTypeSize(dtype);
  return size == 0 ? 1 : static_cast<int64_t>(size);
}

}  // namespace

absl::Status RequestTensorBudget::Charge(absl::string_view alias,
                                         DataType dtype,
                                         const TensorShape& shape) {
  const int64_t elements = shape.num_elements();
  if (elements > options_.max_tensor_elements) {
    return absl::ResourceExhaustedError(absl::StrCat(
        "input '", alias, "' has shape ", shape.DebugString(), " (", elements,
        " elements), more than the limit of ", options_.max_tensor_elements,
        " elements per tensor (--max_tensor_elements)"));
  }
  int64_t bytes = 0;
  int64_t total = 0;
  if (__builtin_mul_overflow(elements, ElementBytes(dtype), &bytes) ||
      __builtin_add_overflow(bytes_, bytes, &total) ||
      total > options_.max_request_tensor_bytes) {
    return absl::ResourceExhaustedError(
        absl::StrCat("input '", alias, "' (", DataTypeName(dtype), ", shape ",
                     shape.DebugString(),
                     ") brings the request's tensors past the limit of ",
                     options_.max_request_tensor_bytes,
                     " bytes per request (--max_request_tensor_bytes)"));
  }
  bytes_ = total;
  return absl::OkStatus();
}

}  // namespace model_server
