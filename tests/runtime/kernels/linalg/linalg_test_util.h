// Helpers for the linear algebra kernel tests: random batches of matrices
// and naive reference products.
#ifndef MODEL_SERVER_TESTS_RUNTIME_KERNELS_LINALG_LINALG_TEST_UTIL_H_
#define MODEL_SERVER_TESTS_RUNTIME_KERNELS_LINALG_LINALG_TEST_UTIL_H_

#include <algorithm>
#include <complex>
#include <cstdint>
#include <random>
#include <type_traits>
#include <vector>

#include "runtime/tensor.h"

namespace model_server {
namespace linalg_test {

template <typename T>
T RandomScalar(std::mt19937& rng) {
  std::uniform_real_distribution<double> dist(-1.0, 1.0);
  if constexpr (std::is_same_v<T, std::complex<float>> ||
                std::is_same_v<T, std::complex<double>>) {
    using R = typename T::value_type;
    const R re = static_cast<R>(dist(rng));
    const R im = static_cast<R>(dist(rng));
    return T(re, im);
  } else {
    return static_cast<T>(dist(rng));
  }
}

// Random values in [-1, 1] (real and imaginary parts), plus `diagonal` on
// each matrix's diagonal (to make the matrices well conditioned).
template <typename T>
Tensor RandomMatrices(const TensorShape& shape, double diagonal = 0,
                      unsigned seed = 7) {
  std::mt19937 rng(seed);
  std::vector<T> v(shape.num_elements());
  for (T& x : v) x = RandomScalar<T>(rng);
  const int rank = shape.rank();
  const int64_t rows = shape.dim(rank - 2);
  const int64_t cols = shape.dim(rank - 1);
  if (diagonal != 0 && rows * cols > 0) {
    const int64_t count = shape.num_elements() / (rows * cols);
    for (int64_t b = 0; b < count; ++b) {
      for (int64_t i = 0; i < std::min(rows, cols); ++i) {
        v[b * rows * cols + i * cols + i] += static_cast<T>(diagonal);
      }
    }
  }
  return Tensor::FromVector(v, shape);
}

template <typename T>
T Conj(T x) {
  if constexpr (std::is_same_v<T, std::complex<float>> ||
                std::is_same_v<T, std::complex<double>>) {
    return std::conj(x);
  } else {
    return x;
  }
}

// C = op(A) * op(B) for one matrix pair, row-major, op = adjoint when set.
template <typename T>
std::vector<T> NaiveProduct(const T* a, bool adj_a, int64_t a_rows,
                            int64_t a_cols, const T* b, bool adj_b,
                            int64_t b_rows, int64_t b_cols) {
  const int64_t m = adj_a ? a_cols : a_rows;
  const int64_t k = adj_a ? a_rows : a_cols;
  const int64_t n = adj_b ? b_rows : b_cols;
  std::vector<T> c(m * n, T(0));
  for (int64_t i = 0; i < m; ++i) {
    for (int64_t j = 0; j < n; ++j) {
      T sum(0);
      for (int64_t l = 0; l < k; ++l) {
        const T x = adj_a ? Conj(a[l * a_cols + i]) : a[i * a_cols + l];
        const T y = adj_b ? Conj(b[j * b_cols + l]) : b[l * b_cols + j];
        sum += x * y;
      }
      c[i * n + j] = sum;
    }
  }
  return c;
}

}  // namespace linalg_test
}  // namespace model_server

#endif  // MODEL_SERVER_TESTS_RUNTIME_KERNELS_LINALG_LINALG_TEST_UTIL_H_
