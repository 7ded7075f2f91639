// Compile-time dtype categories for kernels that instantiate per C++ type:
//
//   SwitchOnDataType(dtype, [&](auto tag) {
//     using T = decltype(tag);
//     if constexpr (kIsRealNumber<T>) { ... }
//   });
//
// T is one of the types SwitchOnDataType passes (runtime/data_type.h).
// Use with MakeTypedKernel (kernel_util.h) to create a kernel for exactly the
// dtypes a category holds and UNIMPLEMENTED for the rest.
#ifndef MODEL_SERVER_RUNTIME_KERNELS_DTYPE_CATEGORIES_H_
#define MODEL_SERVER_RUNTIME_KERNELS_DTYPE_CATEGORIES_H_

#include <type_traits>

#include "runtime/data_type.h"

namespace model_server {

// half and bfloat16: stored narrow, usually computed in float.
template <typename T>
inline constexpr bool kIsNarrowFloat =
    std::is_same_v<T, Eigen::half> || std::is_same_v<T, Eigen::bfloat16>;

// float and double (they vectorize with every Eigen packet op).
template <typename T>
inline constexpr bool kIsFloatOrDouble =
    std::is_same_v<T, float> || std::is_same_v<T, double>;

// Every real floating-point dtype: float, double, half, bfloat16.
template <typename T>
inline constexpr bool kIsFloat = kIsFloatOrDouble<T> || kIsNarrowFloat<T>;

// Every integer dtype, signed or unsigned (not bool).
template <typename T>
inline constexpr bool kIsInt =
    std::is_integral_v<T> && !std::is_same_v<T, bool>;

// int8, int16, int32, int64.
template <typename T>
inline constexpr bool kIsSignedInt = kIsInt<T>&& std::is_signed_v<T>;

// Every integer and real floating-point dtype (not bool, not complex).
template <typename T>
inline constexpr bool kIsRealNumber = kIsInt<T> || kIsFloat<T>;

// The type an element is computed in: float for half and bfloat16 (rounded
// back once at the end), T itself otherwise.
template <typename T>
using ComputeType = std::conditional_t<kIsNarrowFloat<T>, float, T>;

// `v` as its ComputeType.
template <typename T>
ComputeType<T> Widen(T v) {
  return static_cast<ComputeType<T>>(v);
}

// The unsigned type (at least unsigned int) in which integer arithmetic on T
// wraps around instead of overflowing (undefined behaviour); the result is
// cast back to T.
template <typename T>
using WrappingUnsigned = std::make_unsigned_t<
    std::conditional_t<(sizeof(T) < sizeof(unsigned)), unsigned, T>>;

}  // namespace model_server

#endif  // MODEL_SERVER_RUNTIME_KERNELS_DTYPE_CATEGORIES_H_
