// MatrixDeterminant (and the legacy BatchMatrixDeterminant): input
// [..., N, N] -> det [...]. LogMatrixDeterminant: -> sign [...] and
// log_abs_determinant [...] with det = sign * exp(log_abs_determinant)
// (for complex input, sign is a unit complex number and the log is real,
// stored in the real part). Both from a partially pivoted LU as TensorFlow
// computes them, so a large determinant does not overflow in the log form.
// A singular matrix has sign 0 and log -inf (det 0); a 0x0 matrix has
// determinant 1. float, double, complex64, complex128.
#include <cmath>
#include <memory>

#include "Eigen/LU"
#include "runtime/kernels/kernel_util.h"
#include "runtime/kernels/linalg/matrix_batch.h"
#include "runtime/op_kernel.h"
#include "runtime/op_registry.h"
#include "runtime/status_macros.h"

namespace model_server {
namespace {

// log|det(matrix)| and the sign (det / |det|) of a square matrix.
template <typename T>
typename Eigen::NumTraits<T>::Real SignedLogDet(const ConstMatrixMap<T>& matrix,
                                                T* sign) {
  using Real = typename Eigen::NumTraits<T>::Real;
  Real log_abs_det = 0;
  *sign = T(1);
  if (matrix.size() > 0) {
    Eigen::PartialPivLU<Eigen::Matrix<T, Eigen::Dynamic, Eigen::Dynamic>> lu(
        matrix);
    *sign = T(lu.permutationP().determinant());
    const auto diag = lu.matrixLU().diagonal().array().eval();
    const auto abs_diag = diag.cwiseAbs().eval();
    log_abs_det = abs_diag.log().sum();
    *sign *= (diag / abs_diag.template cast<T>()).prod();
  }
  if (!std::isfinite(log_abs_det)) {
    *sign = T(0);
    log_abs_det = log_abs_det > 0 ? std::numeric_limits<Real>::infinity()
                                  : -std::numeric_limits<Real>::infinity();
  }
  return log_abs_det;
}

template <typename T>
class DeterminantKernel : public OpKernel {
 public:
  explicit DeterminantKernel(bool log_form) : log_form_(log_form) {}

  absl::Status Compute(OpKernelContext& ctx) const override {
    const Tensor& input = ctx.input(0);
    MS_RETURN_IF_ERROR(CheckInputDtype(input, DataTypeOf<T>::value));
    MS_ASSIGN_OR_RETURN(const MatrixBatch batch, MatrixBatchOf(input, 0));
    MS_RETURN_IF_ERROR(CheckSquare(batch));
    MS_ASSIGN_OR_RETURN(TensorShape shape, BatchShape(batch, {}));
    MS_ASSIGN_OR_RETURN(Tensor * first,
                        ctx.allocate_output(0, input.dtype(), shape));
    Tensor* second = nullptr;
    if (log_form_) {
      MS_ASSIGN_OR_RETURN(second, ctx.allocate_output(1, input.dtype(), shape));
    }
    const int64_t n = batch.rows;
    const T* in = input.data<T>();
    T* out0 = first->data<T>();
    T* out1 = log_form_ ? second->data<T>() : nullptr;
    return ForEachMatrix(batch.count, CubicCost(n, n) / 3, [&](int64_t i) {
      T sign;
      const auto log_abs_det = SignedLogDet<T>(MatrixAt(in, i, n, n), &sign);
      if (log_form_) {
        out0[i] = sign;
        out1[i] = T(log_abs_det);
      } else {
        out0[i] = sign * T(std::exp(log_abs_det));
      }
      return absl::OkStatus();
    });
  }

 private:
  const bool log_form_;
};

absl::StatusOr<std::unique_ptr<OpKernel>> CreateDeterminant(
    const KernelConstruction& c) {
  MS_RETURN_IF_ERROR(CheckNumInputs(c, 1));
  DataType dtype;
  MS_RETURN_IF_ERROR(c.attrs.Get("T", &dtype));
  const bool log_form = c.attrs.op() == "LogMatrixDeterminant";
  return MakeTypedKernel(
      c, dtype, [log_form](auto tag) -> std::unique_ptr<OpKernel> {
        using T = decltype(tag);
        if constexpr (kIsLinalgScalar<T>) {
          return std::make_unique<DeterminantKernel<T>>(log_form);
        }
        return nullptr;
      });
}

}  // namespace

REGISTER_KERNEL(OpSpec("MatrixDeterminant").Output("output"),
                CreateDeterminant);
REGISTER_KERNEL(OpSpec("BatchMatrixDeterminant").Output("output"),
                CreateDeterminant);
REGISTER_KERNEL(
    OpSpec("LogMatrixDeterminant").Output("sign").Output("log_abs_determinant"),
    CreateDeterminant);

}  // namespace model_server
