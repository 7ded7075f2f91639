// What the decompositions and solvers of this folder share (TensorFlow's
// "LinearAlgebraOp" conventions): an input is a batch of matrices
// [..., rows, cols], every matrix is computed independently (in parallel
// when the batch is large), the outputs keep the batch dimensions, and the
// errors use TensorFlow's texts ("Input tensor 0 must have rank >= 2, got 1",
// "Input matrix must be square.", "All input tensors must have the same
// outer dimensions.").
//
// Scalars: float, double, complex64 and complex128 (kIsLinalgScalar), the
// dtypes TensorFlow registers for nearly every op here; Eigen works on the
// row-major buffers in place through Eigen::Map.
#ifndef MODEL_SERVER_RUNTIME_KERNELS_LINALG_MATRIX_BATCH_H_
#define MODEL_SERVER_RUNTIME_KERNELS_LINALG_MATRIX_BATCH_H_

#include <cstdint>
#include <initializer_list>

#include "Eigen/Core"
#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "runtime/kernels/dtype_categories.h"
#include "runtime/kernels/dtype_complex.h"
#include "runtime/kernels/kernel_util.h"
#include "runtime/tensor.h"

namespace model_server {

// float, double, complex64, complex128.
template <typename T>
inline constexpr bool kIsLinalgScalar = kIsFloatOrDouble<T> || kIsComplex<T>;

// A row-major matrix as TensorFlow stores it, and views of tensor buffers.
template <typename T>
using RowMatrix =
    Eigen::Matrix<T, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
template <typename T>
using ConstMatrixMap = Eigen::Map<const RowMatrix<T>>;
template <typename T>
using MatrixMap = Eigen::Map<RowMatrix<T>>;

// The shape of a batch of matrices [batch..., rows, cols].
struct MatrixBatch {
  Dims batch_dims;
  int64_t rows = 0;
  int64_t cols = 0;
  int64_t count = 0;  // product of batch_dims

  int64_t matrix_size() const { return rows * cols; }
  bool square() const { return rows == cols; }
};

// The batch shape of input `index`: INVALID_ARGUMENT "Input tensor <index>
// must have rank >= 2, got <rank>" for a scalar or vector.
absl::StatusOr<MatrixBatch> MatrixBatchOf(const Tensor& t, int index);

// INVALID_ARGUMENT "Input matrix must be square." unless it is.
absl::Status CheckSquare(const MatrixBatch& batch);

// For ops with several matrix inputs: `other` has the same rank ("All input
// tensors must have the same rank.") and batch dimensions ("All input
// tensors must have the same outer dimensions.") as `first`.
absl::StatusOr<MatrixBatch> MatrixBatchLike(const MatrixBatch& first,
                                            const Tensor& other, int index);

// batch_dims followed by `inner` (e.g. {rows, cols}, {n}, or {} for one
// scalar per matrix).
absl::StatusOr<TensorShape> BatchShape(const MatrixBatch& batch,
                                       std::initializer_list<int64_t> inner);

// Runs fn(i) for every matrix i in [0, count), spread over the thread pool
// when count * cost_per_matrix is large. Returns the first error any call
// returned (the others still run to completion).
absl::Status ForEachMatrix(int64_t count, double cost_per_matrix,
                           absl::FunctionRef<absl::Status(int64_t)> fn);

// Matrix `i` of a batch stored contiguously in `base`.
template <typename T>
ConstMatrixMap<T> MatrixAt(const T* base, int64_t i, int64_t rows,
                           int64_t cols) {
  return ConstMatrixMap<T>(base + i * rows * cols, rows, cols);
}
template <typename T>
MatrixMap<T> MatrixAt(T* base, int64_t i, int64_t rows, int64_t cols) {
  return MatrixMap<T>(base + i * rows * cols, rows, cols);
}

// The cost of a cubic-time factorisation of a rows x cols matrix, for
// ForEachMatrix.
double CubicCost(int64_t rows, int64_t cols);

}  // namespace model_server

#endif  // MODEL_SERVER_RUNTIME_KERNELS_LINALG_MATRIX_BATCH_H_
