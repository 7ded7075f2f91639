// MatrixInverse (and the legacy BatchMatrixInverse): input [..., N, N] ->
// the inverse of each matrix, or of its adjoint (conjugate transpose) with
// adjoint=true. Partially pivoted LU, as TensorFlow; an exactly zero pivot is
// INVALID_ARGUMENT "Input is not invertible." (near-singular matrices give
// large values, not an error). A 0x0 matrix's inverse is 0x0. float, double,
// complex64, complex128, and half (computed in float, as TensorFlow does).
#include <memory>
#include <type_traits>

#include "Eigen/LU"
#include "runtime/kernels/kernel_util.h"
#include "runtime/kernels/linalg/matrix_batch.h"
#include "runtime/op_kernel.h"
#include "runtime/op_registry.h"
#include "runtime/status_macros.h"

namespace model_server {
namespace {

template <typename T>
class MatrixInverseKernel : public OpKernel {
 public:
  explicit MatrixInverseKernel(bool adjoint) : adjoint_(adjoint) {}

  absl::Status Compute(OpKernelContext& ctx) const override {
    const Tensor& input = ctx.input(0);
    MS_RETURN_IF_ERROR(CheckInputDtype(input, DataTypeOf<T>::value));
    MS_ASSIGN_OR_RETURN(const MatrixBatch batch, MatrixBatchOf(input, 0));
    MS_RETURN_IF_ERROR(CheckSquare(batch));
    MS_ASSIGN_OR_RETURN(Tensor * out,
                        ctx.allocate_output(0, input.dtype(), input.shape()));
    const int64_t n = batch.rows;
    if (out->NumElements() == 0) return absl::OkStatus();
    // half is factored in float.
    using C = std::conditional_t<std::is_same_v<T, Eigen::half>, float, T>;
    using Real = typename Eigen::NumTraits<C>::Real;
    const T* in = input.data<T>();
    T* dst = out->data<T>();
    return ForEachMatrix(
        batch.count, CubicCost(n, n), [&](int64_t i) -> absl::Status {
          const auto matrix = MatrixAt(in, i, n, n).template cast<C>();
          Eigen::PartialPivLU<RowMatrix<C>> lu;
          if (adjoint_) {
            lu.compute(matrix.adjoint());
          } else {
            lu.compute(matrix);
          }
          const Real min_abs_pivot =
              lu.matrixLU().diagonal().cwiseAbs().minCoeff();
          if (!(min_abs_pivot > Real(0))) {
            return absl::InvalidArgumentError("Input is not invertible.");
          }
          MatrixAt(dst, i, n, n) = lu.inverse().template cast<T>();
          return absl::OkStatus();
        });
  }

 private:
  const bool adjoint_;
};

absl::StatusOr<std::unique_ptr<OpKernel>> CreateMatrixInverse(
    const KernelConstruction& c) {
  MS_RETURN_IF_ERROR(CheckNumInputs(c, 1));
  DataType dtype;
  MS_RETURN_IF_ERROR(c.attrs.Get("T", &dtype));
  bool adjoint = false;
  MS_RETURN_IF_ERROR(c.attrs.GetOr("adjoint", false, &adjoint));
  return MakeTypedKernel(
      c, dtype, [adjoint](auto tag) -> std::unique_ptr<OpKernel> {
        using T = decltype(tag);
        if constexpr (kIsLinalgScalar<T> || std::is_same_v<T, Eigen::half>) {
          return std::make_unique<MatrixInverseKernel<T>>(adjoint);
        }
        return nullptr;
      });
}

}  // namespace

REGISTER_KERNEL(OpSpec("MatrixInverse").Output("output"), CreateMatrixInverse);
REGISTER_KERNEL(OpSpec("BatchMatrixInverse").Output("output"),
                CreateMatrixInverse);

}  // namespace model_server
