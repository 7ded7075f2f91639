// One matrix product on row-major buffers, shared by the MatMul family
// (matmul.cc), Einsum (einsum.cc) and the convolutions (nn/conv_engine.cc):
//
//   C[m,n] = op(A) * op(B), A [m,k] (or [k,m] when ta), B [k,n] (or [n,k]
//   when tb), op transposing when the flag is set.
//
// With `parallel`, large products use the shared thread pool: float
// matrix-matrix products through Eigen's tensor contraction (which blocks
// for caches across threads); everything else (vector products, other
// types) by splitting the longer output side into independent blocks. Small
// products, parallel=false and a one-thread pool run on the calling thread.
// k == 0 gives zeros. Instantiated for float, double, int32 and int64 (in
// gemm.cc, so the contraction is compiled once).
#ifndef MODEL_SERVER_RUNTIME_KERNELS_MATH_GEMM_H_
#define MODEL_SERVER_RUNTIME_KERNELS_MATH_GEMM_H_

#include <cstdint>

namespace model_server {

template <typename T>
void Gemm(const T* a, bool ta, const T* b, bool tb, T* c, int64_t m, int64_t n,
          int64_t k, bool parallel);

// C[m,n] = A[m,k] * B[k,n] on the calling thread, for row-major blocks inside
// larger buffers: row i of A starts at a + i * lda, of B at b + i * ldb, of C
// at c + i * ldc. For kernels that tile a product themselves and run the
// tiles on the pool (the convolution engine's im2col tiles and group
// slices). REQUIRES: m, n, k > 0; lda >= k, ldb >= n, ldc >= n; C does not
// overlap A or B.
template <typename T>
void GemmOnThisThread(const T* a, int64_t lda, const T* b, int64_t ldb, T* c,
                      int64_t ldc, int64_t m, int64_t n, int64_t k);

}  // namespace model_server

#endif  // MODEL_SERVER_RUNTIME_KERNELS_MATH_GEMM_H_
