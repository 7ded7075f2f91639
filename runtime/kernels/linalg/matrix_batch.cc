#include "runtime/kernels/linalg/matrix_batch.h"

#include <algorithm>
#include <atomic>
#include <mutex>

#include "absl/strings/str_cat.h"
#include "runtime/eigen_device.h"
#include "runtime/status_macros.h"

namespace model_server {

absl::StatusOr<MatrixBatch> MatrixBatchOf(const Tensor& t, int index) {
  const int rank = t.rank();
  if (rank < 2) {
    return absl::InvalidArgumentError(absl::StrCat(
        "Input tensor ", index, " must have rank >= 2, got ", rank));
  }
  MatrixBatch batch;
  batch.batch_dims.assign(t.shape().dims().begin(), t.shape().dims().end() - 2);
  batch.rows = t.dim(rank - 2);
  batch.cols = t.dim(rank - 1);
  batch.count = 1;
  for (int64_t d : batch.batch_dims) batch.count *= d;
  return batch;
}

absl::Status CheckSquare(const MatrixBatch& batch) {
  if (!batch.square()) {
    return absl::InvalidArgumentError("Input matrix must be square.");
  }
  return absl::OkStatus();
}

absl::StatusOr<MatrixBatch> MatrixBatchLike(const MatrixBatch& first,
                                            const Tensor& other, int index) {
  if (other.rank() != static_cast<int>(first.batch_dims.size()) + 2) {
    return absl::InvalidArgumentError(
        "All input tensors must have the same rank.");
  }
  MS_ASSIGN_OR_RETURN(MatrixBatch batch, MatrixBatchOf(other, index));
  if (batch.batch_dims != first.batch_dims) {
    return absl::InvalidArgumentError(
        "All input tensors must have the same outer dimensions.");
  }
  return batch;
}

absl::StatusOr<TensorShape> BatchShape(const MatrixBatch& batch,
                                       std::initializer_list<int64_t> inner) {
  Dims dims = batch.batch_dims;
  dims.insert(dims.end(), inner.begin(), inner.end());
  return TensorShape::FromDims(dims);
}

absl::Status ForEachMatrix(int64_t count, double cost_per_matrix,
                           absl::FunctionRef<absl::Status(int64_t)> fn) {
  if (count <= 0) return absl::OkStatus();
  std::mutex mu;
  absl::Status first_error;
  std::atomic<bool> failed{false};
  auto run = [&](int64_t begin, int64_t end) {
    for (int64_t i = begin; i < end; ++i) {
      if (failed.load(std::memory_order_relaxed)) return;
      absl::Status status = fn(i);
      if (!status.ok()) {
        std::lock_guard<std::mutex> lock(mu);
        if (first_error.ok()) first_error = std::move(status);
        failed.store(true, std::memory_order_relaxed);
        return;
      }
    }
  };
  const double cost = std::max(cost_per_matrix, 1.0);
  if (count == 1 || static_cast<double>(count) * cost <
                        static_cast<double>(kMinParallelWork)) {
    run(0, count);
  } else {
    // One matrix is the smallest block: a batch of a few large matrices is
    // spread too.
    EigenDevice().parallelFor(
        count, Eigen::TensorOpCost(/*bytes_loaded=*/64, 0, cost),
        [&run](Eigen::Index begin, Eigen::Index end) { run(begin, end); });
  }
  return first_error;
}

double CubicCost(int64_t rows, int64_t cols) {
  const double big = static_cast<double>(std::max(rows, cols));
  const double small = static_cast<double>(std::min(rows, cols));
  return 1.0 + big * small * small;
}

}  // namespace model_server
