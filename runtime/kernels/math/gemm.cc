// Matrix products for the MatMul family and Einsum; see gemm.h.
#include "runtime/kernels/math/gemm.h"

#include <algorithm>
#include <cstdint>

#include "runtime/eigen_device.h"

namespace model_server {
namespace {

// Matrix-matrix products with at least this many multiply-adds use the
// thread pool: below it a product takes under ~50 us on one core, and
// waking a pool thread costs tens of microseconds on a busy machine
// (bench/gemm_threshold: the LSTM's 16x512x128 step product took 25 us
// serial, 49 us on the pool, docs/kernel_performance.md).
constexpr int64_t kParallelGemmWork = int64_t{1} << 21;
// Matrix-vector products (one row or column: every batch-1 dense layer)
// stream the matrix once and are bound by memory, so a second core gains
// little and its wake-up costs tens of microseconds: measured with
// bench/gemm_threshold (docs/kernel_performance.md), the pool made a batch-1
// 784x512 layer 2.5x slower and a 1024x1024 one 1.9x slower, and broke
// even only near 2^22 multiply-adds (a 16 MB matrix).
constexpr int64_t kParallelGemvWork = int64_t{1} << 22;
// Parallel products split C into blocks of whole packets of rows or columns.
constexpr int64_t kBlockAlign = 8;

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
  // One block of C's longer side per pool thread, in whole packets of
  // kBlockAlign rows or columns; the calling thread runs one of them.
  const bool split_rows = m >= n;
  const int64_t side = split_rows ? m : n;
  const int64_t packets = (side + kBlockAlign - 1) / kBlockAlign;
  const int64_t parts = std::min<int64_t>(device.numThreads(), packets);
  const int64_t per_part = (packets + parts - 1) / parts * kBlockAlign;
  const int64_t blocks = (side + per_part - 1) / per_part;
  const Eigen::TensorOpCost block_cost(
      0, 0, static_cast<double>(m) * n * k / static_cast<double>(blocks));
  device.parallelFor(blocks, block_cost,
                     [&](Eigen::Index first, Eigen::Index last) {
                       for (Eigen::Index i = first; i < last; ++i) {
                         const int64_t lo = i * per_part;
                         const int64_t hi = std::min(side, lo + per_part);
                         if (split_rows) {
                           GemmBlock(a, ta, b, tb, c, m, n, k, lo, hi, 0, n);
                         } else {
                           GemmBlock(a, ta, b, tb, c, m, n, k, 0, m, lo, hi);
                         }
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
