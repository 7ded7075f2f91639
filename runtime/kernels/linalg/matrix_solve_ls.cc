// MatrixSolveLs (and the legacy BatchMatrixSolveLs): matrix [..., M, N],
// rhs [..., M, K], l2_regularizer (a double scalar >= 0) -> output
// [..., N, K], the least-squares solution minimising
// ||matrix * X - rhs||^2 + l2_regularizer * ||X||^2.
//
// As TensorFlow: with fast=true (the default), the normal equations by
// Cholesky, (A^H A + l2 I) X = A^H B for M >= N and the minimum-norm
// X = A^H (A A^H + l2 I)^-1 B for M < N; a Gramian that is not positive
// definite is INVALID_ARGUMENT (TensorFlow's text, suggesting fast=False or
// an l2_regularizer). With fast=false, a complete orthogonal decomposition
// (backward stable, minimum norm for rank-deficient matrices; l2_regularizer
// is ignored). An empty system gives zeros. float, double, complex64,
// complex128.
#include <memory>

#include "Eigen/Cholesky"
#include "Eigen/QR"
#include "absl/strings/str_cat.h"
#include "runtime/kernels/kernel_util.h"
#include "runtime/kernels/linalg/matrix_batch.h"
#include "runtime/op_kernel.h"
#include "runtime/op_registry.h"
#include "runtime/status_macros.h"

namespace model_server {
namespace {

template <typename T>
class MatrixSolveLsKernel : public OpKernel {
 public:
  explicit MatrixSolveLsKernel(bool fast) : fast_(fast) {}

  absl::Status Compute(OpKernelContext& ctx) const override {
    const Tensor& matrix = ctx.input(0);
    const Tensor& rhs = ctx.input(1);
    const Tensor& l2 = ctx.input(2);
    MS_RETURN_IF_ERROR(CheckInputDtype(matrix, DataTypeOf<T>::value));
    MS_RETURN_IF_ERROR(CheckInputDtype(rhs, DataTypeOf<T>::value));
    MS_ASSIGN_OR_RETURN(const MatrixBatch a, MatrixBatchOf(matrix, 0));
    MS_ASSIGN_OR_RETURN(const MatrixBatch b, MatrixBatchLike(a, rhs, 1));
    if (a.rows != b.rows) {
      return absl::InvalidArgumentError(
          "Input matrix and rhs are incompatible.");
    }
    if (l2.rank() != 0) {
      return absl::InvalidArgumentError(
          absl::StrCat("l2_regularizer must be scalar, got shape ",
                       l2.shape().DebugString()));
    }
    MS_RETURN_IF_ERROR(CheckInputDtype(l2, DT_DOUBLE));
    const double l2_regularizer = l2.scalar<double>();
    if (!(l2_regularizer >= 0)) {
      return absl::InvalidArgumentError("l2_regularizer must be >= 0.");
    }
    const int64_t m = a.rows;
    const int64_t n = a.cols;
    const int64_t k = b.cols;
    MS_ASSIGN_OR_RETURN(TensorShape shape, BatchShape(a, {n, k}));
    MS_ASSIGN_OR_RETURN(Tensor * out,
                        ctx.allocate_output(0, matrix.dtype(), shape));
    if (out->NumElements() == 0) return absl::OkStatus();
    T* dst = out->data<T>();
    if (m == 0) {  // No equations: the minimum-norm solution is zero.
      for (int64_t i = 0; i < out->NumElements(); ++i) dst[i] = T(0);
      return absl::OkStatus();
    }
    const T* lhs = matrix.data<T>();
    const T* rhs_data = rhs.data<T>();
    const T reg(
        static_cast<typename Eigen::NumTraits<T>::Real>(l2_regularizer));
    return ForEachMatrix(
        a.count, CubicCost(m, n) + m * n * k, [&](int64_t i) -> absl::Status {
          const ConstMatrixMap<T> A = MatrixAt(lhs, i, m, n);
          const ConstMatrixMap<T> B = MatrixAt(rhs_data, i, m, k);
          MatrixMap<T> X = MatrixAt(dst, i, n, k);
          if (!fast_) {
            X = A.completeOrthogonalDecomposition().solve(B);
            return absl::OkStatus();
          }
          const bool overdetermined = m >= n;
          RowMatrix<T> gramian = overdetermined ? RowMatrix<T>(A.adjoint() * A)
                                                : RowMatrix<T>(A * A.adjoint());
          if (l2_regularizer > 0) gramian.diagonal().array() += reg;
          const Eigen::LLT<RowMatrix<T>, Eigen::Lower> llt(gramian);
          if (llt.info() != Eigen::Success) {
            return absl::InvalidArgumentError(absl::StrCat(
                "Input matrix was rank deficient or ill-conditioned. Try "
                "setting fast=False or provide ",
                overdetermined ? "a larger l2_regularizer > 0."
                               : "an l2_regularizer > 0."));
          }
          if (overdetermined) {
            X.noalias() = A.adjoint() * B;
            llt.solveInPlace(X);
          } else {
            X.noalias() = A.adjoint() * llt.solve(B);
          }
          return absl::OkStatus();
        });
  }

 private:
  const bool fast_;
};

absl::StatusOr<std::unique_ptr<OpKernel>> CreateMatrixSolveLs(
    const KernelConstruction& c) {
  MS_RETURN_IF_ERROR(CheckNumInputs(c, 3));
  DataType dtype;
  MS_RETURN_IF_ERROR(c.attrs.Get("T", &dtype));
  bool fast = true;
  MS_RETURN_IF_ERROR(c.attrs.GetOr("fast", true, &fast));
  return MakeTypedKernel(
      c, dtype, [fast](auto tag) -> std::unique_ptr<OpKernel> {
        using T = decltype(tag);
        if constexpr (kIsLinalgScalar<T>) {
          return std::make_unique<MatrixSolveLsKernel<T>>(fast);
        }
        return nullptr;
      });
}

}  // namespace

REGISTER_KERNEL(OpSpec("MatrixSolveLs").Output("output"), CreateMatrixSolveLs);
REGISTER_KERNEL(OpSpec("BatchMatrixSolveLs").Output("output"),
                CreateMatrixSolveLs);

}  // namespace model_server
