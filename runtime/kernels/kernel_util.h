// What kernel files share: dtype dispatch at load time, the standard
// UNIMPLEMENTED errors for unsupported dtypes and attrs, and reading int32 /
// int64 index tensors (begin, axis, perm, multiples, ...). docs/adding_an_op.md
// says when to use which.
//
// Error conventions (the plan compiler keeps the factory's status code):
//   - an attr or dtype the kernel does not implement yet: UNIMPLEMENTED
//     "<Op> node '<name>': ..." (UnsupportedDtypeError in op_kernel.h,
//     UnsupportedAttrError here);
//   - a malformed node (wrong input count, attr out of range):
//     INVALID_ARGUMENT from c.attrs.Error(...) or CheckNumInputs;
//   - bad request data in Compute: INVALID_ARGUMENT saying what was expected
//     and what was sent (the executor adds the node name).
//
// Compile-time dtype categories for `if constexpr` live in
// dtype_categories.h.
#ifndef MODEL_SERVER_RUNTIME_KERNELS_KERNEL_UTIL_H_
#define MODEL_SERVER_RUNTIME_KERNELS_KERNEL_UTIL_H_

#include <cstdint>
#include <memory>
#include <utility>

#include "absl/container/inlined_vector.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "runtime/data_type.h"
#include "runtime/op_kernel.h"
#include "runtime/tensor.h"

namespace model_server {

// Dimensions, strides or index values of one tensor (rarely more than 8).
using Dims = absl::InlinedVector<int64_t, 8>;

// ---------------------------------------------------------------------------
// Load time: dtype dispatch and unsupported attrs.

// Creates the kernel instantiation for `dtype`: `make(tag)` is called with a
// value of the C++ type of `dtype` and returns the kernel, or null when the
// kernel has no instantiation for that type. Returns UnsupportedDtypeError
// for null, and for dtypes the runtime has no C++ type for.
//
//   return MakeTypedKernel(c, dtype, [](auto tag) -> std::unique_ptr<OpKernel>
//   {
//     using T = decltype(tag);
//     if constexpr (kIsRealNumber<T>) return std::make_unique<MyKernel<T>>();
//     return nullptr;
//   });
template <typename Make>
absl::StatusOr<std::unique_ptr<OpKernel>> MakeTypedKernel(
    const KernelConstruction& c, DataType dtype, Make&& make) {
  std::unique_ptr<OpKernel> kernel;
  SwitchOnDataType(dtype, [&](auto tag) { kernel = make(tag); });
  if (kernel == nullptr) return UnsupportedDtypeError(c, dtype);
  return kernel;
}

// True if `dtype` has a C++ type T for which Category<T>() holds, e.g.
// DtypeIs(dtype, [](auto tag) { return kIsFloat<decltype(tag)>; }).
template <typename Category>
bool DtypeIs(DataType dtype, Category&& category) {
  bool result = false;
  SwitchOnDataType(dtype, [&](auto tag) { result = category(tag); });
  return result;
}

// UNIMPLEMENTED "<Op> node '<name>': <what>", for an attr value (or a
// combination of dtypes) that the kernel does not implement.
absl::Status UnsupportedAttrError(const KernelConstruction& c,
                                  absl::string_view what);

// Reads a type attr that must be int32 or int64 (out_type, Tidx, Tindices,
// index_type, ...), or `fallback` if the node does not set it;
// UnsupportedAttrError "attr '<name>' must be int32 or int64, got <dtype>"
// otherwise.
absl::StatusOr<DataType> IndexTypeAttr(const KernelConstruction& c,
                                       absl::string_view name,
                                       DataType fallback);

// IndexTypeAttr for an attr the kernel reads from its inputs' dtypes instead.
absl::Status CheckIndexTypeAttr(const KernelConstruction& c,
                                absl::string_view name);

// ---------------------------------------------------------------------------
// Request time: index tensors.

// INVALID_ARGUMENT "<what> must be int32 or int64, got <dtype>" unless `t`
// holds int32 or int64.
absl::Status CheckIntTensor(const Tensor& t, absl::string_view what);

// Element `i` of an int32/int64 tensor.
// REQUIRES: CheckIntTensor(t) passed and 0 <= i < t.NumElements().
inline int64_t IntAt(const Tensor& t, int64_t i) {
  return t.dtype() == DT_INT32 ? t.data<int32_t>()[i] : t.data<int64_t>()[i];
}

// Every element of an int32/int64 tensor. REQUIRES: CheckIntTensor passed.
Dims IntValues(const Tensor& t);

// The value of a scalar (or one-element vector) int32/int64 tensor, e.g. an
// axis or a count. INVALID_ARGUMENT "<what> must be int32 or int64, got ..."
// or "<what> tensor should be a scalar integer, but got shape [..]".
absl::StatusOr<int64_t> ScalarIndex(const Tensor& t, absl::string_view what);

// INVALID_ARGUMENT "expected input of type <dtype>, got <dtype>" unless `t`
// has the dtype the kernel was created for.
absl::Status CheckInputDtype(const Tensor& t, DataType expected);

}  // namespace model_server

#endif  // MODEL_SERVER_RUNTIME_KERNELS_KERNEL_UTIL_H_
