// What the string kernels share: checking string inputs and mapping every
// element of a string tensor to an output of the same shape.
#ifndef MODEL_SERVER_RUNTIME_KERNELS_STRINGS_STRING_KERNEL_UTIL_H_
#define MODEL_SERVER_RUNTIME_KERNELS_STRINGS_STRING_KERNEL_UTIL_H_

#include <cstdint>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "runtime/op_kernel.h"
#include "runtime/status_macros.h"
#include "runtime/tensor.h"

namespace model_server {

// INVALID_ARGUMENT "<what> must be a string tensor, got <dtype>".
inline absl::Status CheckStringTensor(const Tensor& t, absl::string_view what) {
  if (t.dtype() != DT_STRING) {
    return absl::InvalidArgumentError(absl::StrCat(
        what, " must be a string tensor, got ", DataTypeName(t.dtype())));
  }
  return absl::OkStatus();
}

// The string in a scalar string tensor: INVALID_ARGUMENT "<what> must be a
// scalar, got shape: [..]" (TensorFlow's text) otherwise.
inline absl::StatusOr<std::string> ScalarString(const Tensor& t,
                                                absl::string_view what) {
  MS_RETURN_IF_ERROR(CheckStringTensor(t, what));
  if (t.rank() != 0) {
    return absl::InvalidArgumentError(absl::StrCat(
        what, " must be a scalar, got shape: ", t.shape().DebugString()));
  }
  return t.scalar<std::string>();
}

// Output 0 gets input 0's shape and dtype `out_dtype`; element i is
// fn(input[i], &out[i]), which returns a status (stops at the first error).
template <typename Out, typename Fn>
absl::Status MapStrings(OpKernelContext& ctx, Fn&& fn) {
  const Tensor& input = ctx.input(0);
  MS_RETURN_IF_ERROR(CheckStringTensor(input, "input"));
  MS_ASSIGN_OR_RETURN(
      Tensor * out,
      ctx.allocate_output(0, DataTypeOf<Out>::value, input.shape()));
  const std::string* in = input.data<std::string>();
  Out* dst = out->data<Out>();
  const int64_t n = input.NumElements();
  for (int64_t i = 0; i < n; ++i) MS_RETURN_IF_ERROR(fn(in[i], &dst[i]));
  return absl::OkStatus();
}

}  // namespace model_server

#endif  // MODEL_SERVER_RUNTIME_KERNELS_STRINGS_STRING_KERNEL_UTIL_H_
