// Matrix products for the MatMul family and Einsum; see gemm.h.
#include "runtime/kernels/math/gemm.h"

#include <algorithm>
#include <cstdint>
#include <type_traits>

#include "runtime/eigen_device.h"

namespace model_server {
namespace {

// Matrix-matrix products with at least this many multiply-adds use the
// thread pool.
constexpr int64_t kParallelGemmWork = int64_t{1} << 18;
// Matrix-vector products (one row or column: every batch-1 dense layer)
// stream the matrix once and are bound by memory, so a second core gains
// little and its wake-up costs tens of microseconds: measured with
// bench/gemm_threshold (docs/kernel_performance.md), the pool made a batch-1
// 784x512 layer 2.5x slower and a 1024x1024 one 1.9x slower, and broke
// even only near 2^22 multiply-adds (a 16 MB matrix).
constexpr int64_t kParallelGemvWork = int64_t{1} << 22;

// C[r0:r1, c0:c1] = (op(A) * op(B))[r0:r1, c0:c1] with row-major A ([m,k],
// or [k,m] when ta), B ([k,n], or [n,k] when tb) and C, on this thread.
template <typename T>
void GemmBlock(const T* a, bool ta, const T* b, bool tb, T* c, int64_t m,
               int64_t n, int64_t k, int64_t r0, int64_t r1, int64_t c0,
               int64_t c1) {
  using Matrix =
      Eigen::Matrix<T, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
  Eigen::Map<const Matrix> am(a, ta ? k : m, ta ? m : k);
  Eigen::Map<const Matrix> bm(b, tb ? n : k, tb ? k : n);
  auto cb = Eigen::Map<Matrix>(c, m, n).block(r0, c0, r1 - r0, c1 - c0);
  const int64_t rows = r1 - r0, cols = c1 - c0;
  if (!ta && !tb) {
    cb.noalias() = am.middleRows(r0, rows) * bm.middleCols(c0, cols);
  } else if (!ta && tb) {
    cb.noalias() =
        am.middleRows(r0, rows) * bm.middleRows(c0, cols).transpose();
  } else if (ta && !tb) {
    cb.noalias() =
        am.middleCols(r0, rows).transpose() * bm.middleCols(c0, cols);
  } else {
    cb.noalias() = am.middleCols(r0, rows).transpose() *
                   bm.middleRows(c0, cols).transpose();
  }
}

}  // namespace

template <typename T>
void GemmOnThisThread(const T* a, int64_t lda, const T* b, int64_t ldb, T* c,
                      int64_t ldc, int64_t m, int64_t n, int64_t k) {
  using Matrix =
      Eigen::Matrix<T, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
  using Stride = Eigen::OuterStride<>;
  Eigen::Map<const Matrix, 0, Stride> am(a, m, k, Stride(lda));
  Eigen::Map<const Matrix, 0, Stride> bm(b, k, n, Stride(ldb));
  Eigen::Map<Matrix, 0, Stride> cm(c, m, n, Stride(ldc));
  cm.noalias() = am * bm;
}

template <typename T>
void Gemm(const T* a, bool ta, const T* b, bool tb, T* c, int64_t m, int64_t n,
          int64_t k, bool parallel) {
  if (m == 0 || n == 0) return;
  if (k == 0) {
    std::fill(c, c + m * n, T(0));
    return;
  }
  const Eigen::ThreadPoolDevice& device = EigenDevice();
  const bool matrix_vector = std::min(m, n) == 1;
  if (!parallel || device.numThreads() == 1 ||
      m * n * k < (matrix_vector ? kParallelGemvWork : kParallelGemmWork)) {
    GemmBlock(a, ta, b, tb, c, m, n, k, 0, m, 0, n);
    return;
  }
  if constexpr (std::is_same_v<T, float>) {
    // Eigen's tensor contraction shares its packed blocks between threads.
    // One block of rows or columns per thread, each a plain GEMM, used less
    // CPU for some mid-sized products in bench/gemm_threshold but up to 2.4x
    // more in the bench MobileNet's pointwise convolution and the LSTM with
    // 2 threads (docs/kernel_performance.md), so the contraction stays.
    if (std::min(m, n) > 1) {
      using ConstMap =
          Eigen::TensorMap<Eigen::Tensor<const T, 2, Eigen::RowMajor>>;
      using Map = Eigen::TensorMap<Eigen::Tensor<T, 2, Eigen::RowMajor>>;
      ConstMap am(a, ta ? k : m, ta ? m : k);
      ConstMap bm(b, tb ? n : k, tb ? k : n);
      Map cm(c, m, n);
      Eigen::array<Eigen::IndexPair<Eigen::Index>, 1> dims = {
          Eigen::IndexPair<Eigen::Index>(ta ? 0 : 1, tb ? 1 : 0)};
      cm.device(device) = am.contract(bm, dims);
      return;
    }
  }
  const bool split_rows = m >= n;
  const int64_t other = split_rows ? n : m;
  const Eigen::TensorOpCost cost(
      static_cast<double>((k + k * other) * sizeof(T)),
      static_cast<double>(other * sizeof(T)),
      static_cast<double>(2 * k * other));
  device.parallelFor(
      split_rows ? m : n, cost,
      [](Eigen::Index size) { return (size + 7) / 8 * 8; },
      [&](Eigen::Index first, Eigen::Index last) {
        if (split_rows) {
          GemmBlock(a, ta, b, tb, c, m, n, k, first, last, 0, n);
        } else {
          GemmBlock(a, ta, b, tb, c, m, n, k, 0, m, first, last);
        }
      });
}

template void Gemm<float>(const float*, bool, const float*, bool, float*,
                          int64_t, int64_t, int64_t, bool);
template void Gemm<double>(const double*, bool, const double*, bool, double*,
                           int64_t, int64_t, int64_t, bool);
template void Gemm<int32_t>(const int32_t*, bool, const int32_t*, bool,
                            int32_t*, int64_t, int64_t, int64_t, bool);
template void Gemm<int64_t>(const int64_t*, bool, const int64_t*, bool,
                            int64_t*, int64_t, int64_t, int64_t, bool);

#define MS_INSTANTIATE_GEMM_ON_THIS_THREAD(T)                                 \
  template void GemmOnThisThread<T>(const T*, int64_t, const T*, int64_t, T*, \
                                    int64_t, int64_t, int64_t, int64_t);
MS_INSTANTIATE_GEMM_ON_THIS_THREAD(float)
MS_INSTANTIATE_GEMM_ON_THIS_THREAD(double)
MS_INSTANTIATE_GEMM_ON_THIS_THREAD(int32_t)
#undef MS_INSTANTIATE_GEMM_ON_THIS_THREAD

}  // namespace model_server
