// MatrixSolve (and the legacy BatchMatrixSolve): matrix [..., M, M], rhs
// [..., M, K] -> output [..., M, K] with matrix * output = rhs (or
// adjoint(matrix) * output = rhs with adjoint=true). The batch dimensions
// must be equal (no broadcasting, as in TensorFlow). Partially pivoted LU;
// an exactly zero pivot is INVALID_ARGUMENT "Input matrix is not
// invertible.". An empty system gives an empty solution. float, double,
// complex64, complex128.
#include <memory>

#include "Eigen/LU"
#include "runtime/kernels/kernel_util.h"
#include "runtime/kernels/linalg/matrix_batch.h"
#include "runtime/op_kernel.h"
#include "runtime/op_registry.h"
#include "runtime/status_macros.h"

namespace model_server {
namespace {

template <typename T>
class MatrixSolveKernel : public OpKernel {
 public:
  explicit MatrixSolveKernel(bool adjoint) : adjoint_(adjoint) {}

  absl::Status Compute(OpKernelContext& ctx) const override {
    const Tensor& matrix = ctx.input(0);
    const Tensor& rhs = ctx.input(1);
    MS_RETURN_IF_ERROR(CheckInputDtype(matrix, DataTypeOf<T>::value));
    MS_RETURN_IF_ERROR(CheckInputDtype(rhs, DataTypeOf<T>::value));
    MS_ASSIGN_OR_RETURN(const MatrixBatch a, MatrixBatchOf(matrix, 0));
    MS_ASSIGN_OR_RETURN(const MatrixBatch b, MatrixBatchLike(a, rhs, 1));
    if (!a.square()) {
      return absl::InvalidArgumentError(
          "First input (lhs) must be a square matrix.");
    }
    if (a.rows != b.rows) {
      return absl::InvalidArgumentError(
          "Input matrix and rhs are incompatible.");
    }
    const int64_t n = a.rows;
    const int64_t k = b.cols;
    MS_ASSIGN_OR_RETURN(TensorShape shape, BatchShape(a, {n, k}));
    MS_ASSIGN_OR_RETURN(Tensor * out,
                        ctx.allocate_output(0, matrix.dtype(), shape));
    if (out->NumElements() == 0) return absl::OkStatus();
    using Real = typename Eigen::NumTraits<T>::Real;
    const T* lhs = matrix.data<T>();
    const T* rhs_data = rhs.data<T>();
    T* dst = out->data<T>();
    return ForEachMatrix(
        a.count, CubicCost(n, n) + n * n * k, [&](int64_t i) -> absl::Status {
          Eigen::PartialPivLU<RowMatrix<T>> lu(n);
          if (adjoint_) {
            lu.compute(MatrixAt(lhs, i, n, n).adjoint());
          } else {
            lu.compute(MatrixAt(lhs, i, n, n));
          }
          const Real min_abs_pivot =
              lu.matrixLU().diagonal().cwiseAbs().minCoeff();
          if (!(min_abs_pivot > Real(0))) {
            return absl::InvalidArgumentError(
                "Input matrix is not invertible.");
          }
          MatrixAt(dst, i, n, k) = lu.solve(MatrixAt(rhs_data, i, n, k));
          return absl::OkStatus();
        });
  }

 private:
  const bool adjoint_;
};

absl::StatusOr<std::unique_ptr<OpKernel>> CreateMatrixSolve(
    const KernelConstruction& c) {
  MS_RETURN_IF_ERROR(CheckNumInputs(c, 2));
  DataType dtype;
  MS_RETURN_IF_ERROR(c.attrs.Get("T", &dtype));
  bool adjoint = false;
  MS_RETURN_IF_ERROR(c.attrs.GetOr("adjoint", false, &adjoint));
  return MakeTypedKernel(
      c, dtype, [adjoint](auto tag) -> std::unique_ptr<OpKernel> {
        using T = decltype(tag);
        if constexpr (kIsLinalgScalar<T>) {
          return std::make_unique<MatrixSolveKernel<T>>(adjoint);
        }
        return nullptr;
      });
}

}  // namespace

REGISTER_KERNEL(OpSpec("MatrixSolve").Output("output"), CreateMatrixSolve);
REGISTER_KERNEL(OpSpec("BatchMatrixSolve").Output("output"), CreateMatrixSolve);

}  // namespace model_server
