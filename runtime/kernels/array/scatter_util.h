// What the scatter kernels share (scatter.cc: the TF1 Scatter* ops;
// scatter_nd.cc: ScatterNd, TensorScatter* and ScatterNd*): the element
// updates, which dtypes each supports, and how a TF1 scatter applies to its
// first input.
//
// TF1's Scatter* and ScatterNd{Update,Add,Sub,...} take a reference to a
// variable and update it in place. After freeze_graph the variable is a
// Const, which TensorFlow itself then refuses to import; we run such graphs
// functionally instead: the output is an updated copy of the input, the
// value TensorFlow computed before freezing.
#ifndef MODEL_SERVER_RUNTIME_KERNELS_ARRAY_SCATTER_UTIL_H_
#define MODEL_SERVER_RUNTIME_KERNELS_ARRAY_SCATTER_UTIL_H_

#include <cstdint>
#include <functional>
#include <limits>
#include <type_traits>

#include "absl/status/status.h"
#include "runtime/data_type.h"
#include "runtime/kernels/dtype_categories.h"
#include "runtime/kernels/dtype_complex.h"
#include "runtime/op_kernel.h"
#include "runtime/tensor.h"

namespace model_server {

// How an update combines with the element it lands on.
enum class ScatterOp { kUpdate, kAdd, kSub, kMul, kDiv, kMin, kMax };

// Whether the scatter kernels implement `op` for element type T: kUpdate
// for every type, arithmetic for real and complex numbers (TensorFlow's
// TF_CALL_NUMBER_TYPES), kMin/kMax for real numbers.
template <ScatterOp op, typename T>
constexpr bool ScatterSupports() {
  if constexpr (op == ScatterOp::kUpdate) {
    return true;
  } else if constexpr (op == ScatterOp::kMin || op == ScatterOp::kMax) {
    return kIsRealNumber<T>;
  } else {
    return kIsRealNumber<T> || kIsComplex<T>;
  }
}

// dst = dst (op) src. Integer arithmetic wraps instead of overflowing;
// integer division by zero must have been ruled out (HasZero).
template <ScatterOp op, typename T>
void ScatterApply(T& dst, const T& src) {
  if constexpr (op == ScatterOp::kUpdate) {
    dst = src;
  } else if constexpr (op == ScatterOp::kMin) {
    if (src < dst) dst = src;
  } else if constexpr (op == ScatterOp::kMax) {
    if (dst < src) dst = src;
  } else if constexpr (kIsInt<T>) {
    using U = std::make_unsigned_t<T>;
    const U a = static_cast<U>(dst), b = static_cast<U>(src);
    if constexpr (op == ScatterOp::kAdd) {
      dst = static_cast<T>(a + b);
    } else if constexpr (op == ScatterOp::kSub) {
      dst = static_cast<T>(a - b);
    } else if constexpr (op == ScatterOp::kMul) {
      dst = static_cast<T>(a * b);
    } else if constexpr (std::is_signed_v<T>) {
      // min / -1 overflows (and traps on x86); it wraps to min.
      dst = src == T(-1) ? static_cast<T>(U(0) - a) : static_cast<T>(dst / src);
    } else {
      dst = static_cast<T>(dst / src);
    }
  } else if constexpr (op == ScatterOp::kAdd) {
    dst = dst + src;
  } else if constexpr (op == ScatterOp::kSub) {
    dst = dst - src;
  } else if constexpr (op == ScatterOp::kMul) {
    dst = dst * src;
  } else {
    dst = dst / src;
  }
}

// True if `op` is an integer division and some update is 0 (TensorFlow's
// kernels would trap; we answer INVALID_ARGUMENT).
template <ScatterOp op, typename T>
bool DividesByZero(const T* updates, int64_t n) {
  if constexpr (op == ScatterOp::kDiv && kIsInt<T>) {
    for (int64_t i = 0; i < n; ++i) {
      if (updates[i] == T(0)) return true;
    }
  }
  return false;
}

// Runs `update` on a fresh copy of input 0 and outputs it: for a reference
// input the copy becomes the variable's value (atomically with respect to
// other updates) and output 0 is the reference; for a plain tensor output 0
// is the copy.
absl::Status UpdateRefOrCopy(
    OpKernelContext& ctx,
    const std::function<absl::Status(Tensor* value)>& update);

}  // namespace model_server

#endif  // MODEL_SERVER_RUNTIME_KERNELS_ARRAY_SCATTER_UTIL_H_
