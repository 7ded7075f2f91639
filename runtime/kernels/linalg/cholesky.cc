// Cholesky (and the legacy BatchCholesky): input [..., N, N] Hermitian
// positive definite -> its lower-triangular factor L (input = L * L^H),
// zeros above the diagonal. Only the lower triangle of the input is read.
// As in TensorFlow, a matrix that is not positive definite is not an error:
// its factor's lower triangle is filled with NaN (so the failure shows in
// the values). A 0x0 matrix gives a 0x0 factor. float, double, complex64,
// complex128.
#include "Eigen/Cholesky"

#include <limits>
#include <memory>

#include "runtime/kernels/kernel_util.h"
#include "runtime/kernels/linalg/matrix_batch.h"
#include "runtime/op_kernel.h"
#include "runtime/op_registry.h"
#include "runtime/status_macros.h"

namespace model_server {
namespace {

template <typename T>
class CholeskyKernel : public OpKernel {
 public:
  absl::Status Compute(OpKernelContext& ctx) const override {
    const Tensor& input = ctx.input(0);
    MS_RETURN_IF_ERROR(CheckInputDtype(input, DataTypeOf<T>::value));
    MS_ASSIGN_OR_RETURN(const MatrixBatch batch, MatrixBatchOf(input, 0));
    MS_RETURN_IF_ERROR(CheckSquare(batch));
    MS_ASSIGN_OR_RETURN(Tensor * out,
                        ctx.allocate_output(0, input.dtype(), input.shape()));
    const int64_t n = batch.rows;
    if (out->NumElements() == 0) return absl::OkStatus();
    const T* in = input.data<T>();
    T* dst = out->data<T>();
    return ForEachMatrix(batch.count, CubicCost(n, n) / 3, [&](int64_t i) {
      Eigen::LLT<RowMatrix<T>> llt(MatrixAt(in, i, n, n));
      MatrixMap<T> factor = MatrixAt(dst, i, n, n);
      if (llt.info() == Eigen::Success) {
        factor = llt.matrixL();
      } else {
        factor.setZero();
        factor.template triangularView<Eigen::Lower>().setConstant(
            T(std::numeric_limits<
                typename Eigen::NumTraits<T>::Real>::quiet_NaN()));
      }
      return absl::OkStatus();
    });
  }
};

absl::StatusOr<std::unique_ptr<OpKernel>> CreateCholesky(
    const KernelConstruction& c) {
  MS_RETURN_IF_ERROR(CheckNumInputs(c, 1));
  DataType dtype;
  MS_RETURN_IF_ERROR(c.attrs.Get("T", &dtype));
  return MakeTypedKernel(c, dtype, [](auto tag) -> std::unique_ptr<OpKernel> {
    using T = decltype(tag);
    if constexpr (kIsLinalgScalar<T>)
      return std::make_unique<CholeskyKernel<T>>();
    return nullptr;
  });
}

}  // namespace

REGISTER_KERNEL(OpSpec("Cholesky").Output("output"), CreateCholesky);
REGISTER_KERNEL(OpSpec("BatchCholesky").Output("output"), CreateCholesky);

}  // namespace model_server
