// kIsComplex, the dtype category of complex64 and complex128, for
// `if constexpr` next to those of dtype_categories.h. Kept in its own header
// so that adding it did not rebuild every kernel; fold it into
// dtype_categories.h the next time that header changes anyway.
#ifndef MODEL_SERVER_RUNTIME_KERNELS_DTYPE_COMPLEX_H_
#define MODEL_SERVER_RUNTIME_KERNELS_DTYPE_COMPLEX_H_

#include <complex>
#include <type_traits>

namespace model_server {

template <typename T>
inline constexpr bool kIsComplex = std::is_same_v<T, std::complex<float>> ||
                                   std::is_same_v<T, std::complex<double>>;

}  // namespace model_server

#endif  // MODEL_SERVER_RUNTIME_KERNELS_DTYPE_COMPLEX_H_
