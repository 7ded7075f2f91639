// Qr: input [..., M, N] -> q [..., M, P] with orthonormal columns and r
// [..., P, N] upper triangular, input = q * r, where P = min(M, N); with
// full_matrices=true, q is [..., M, M] and r [..., M, N]. Householder QR,
// as TensorFlow (so the signs match it: r's diagonal may be negative). An
// empty input gives empty factors (a full q of an M x 0 input is the
// identity). float, double, complex64, complex128.
#include "Eigen/QR"

#include <algorithm>
#include <memory>

#include "runtime/kernels/kernel_util.h"
#include "runtime/kernels/linalg/matrix_batch.h"
#include "runtime/op_kernel.h"
#include "runtime/op_registry.h"
#include "runtime/status_macros.h"

namespace model_server {
namespace {

template <typename T>
class QrKernel : public OpKernel {
 public:
  explicit QrKernel(bool full_matrices) : full_matrices_(full_matrices) {}

  absl::Status Compute(OpKernelContext& ctx) const override {
    const Tensor& input = ctx.input(0);
    MS_RETURN_IF_ERROR(CheckInputDtype(input, DataTypeOf<T>::value));
    MS_ASSIGN_OR_RETURN(const MatrixBatch batch, MatrixBatchOf(input, 0));
    const int64_t m = batch.rows;
    const int64_t n = batch.cols;
    const int64_t p = full_matrices_ ? m : std::min(m, n);
    MS_ASSIGN_OR_RETURN(TensorShape q_shape, BatchShape(batch, {m, p}));
    MS_ASSIGN_OR_RETURN(TensorShape r_shape, BatchShape(batch, {p, n}));
    MS_ASSIGN_OR_RETURN(Tensor * q_out,
                        ctx.allocate_output(0, input.dtype(), q_shape));
    MS_ASSIGN_OR_RETURN(Tensor * r_out,
                        ctx.allocate_output(1, input.dtype(), r_shape));
    const T* in = input.data<T>();
    T* q = q_out->data<T>();
    T* r = r_out->data<T>();
    if (q_out->NumElements() == 0 && r_out->NumElements() == 0) {
      return absl::OkStatus();
    }
    return ForEachMatrix(batch.count, 2 * CubicCost(m, n), [&](int64_t i) {
      MatrixMap<T> q_i = MatrixAt(q, i, m, p);
      MatrixMap<T> r_i = MatrixAt(r, i, p, n);
      if (n == 0) {  // No columns: q is (a slice of) the identity.
        q_i.setIdentity();
        return absl::OkStatus();
      }
      Eigen::HouseholderQR<RowMatrix<T>> qr(MatrixAt(in, i, m, n));
      q_i = qr.householderQ() * RowMatrix<T>::Identity(m, p);
      r_i = qr.matrixQR().topRows(p).template triangularView<Eigen::Upper>();
      return absl::OkStatus();
    });
  }

 private:
  const bool full_matrices_;
};

absl::StatusOr<std::unique_ptr<OpKernel>> CreateQr(
    const KernelConstruction& c) {
  MS_RETURN_IF_ERROR(CheckNumInputs(c, 1));
  DataType dtype;
  MS_RETURN_IF_ERROR(c.attrs.Get("T", &dtype));
  bool full_matrices = false;
  MS_RETURN_IF_ERROR(c.attrs.GetOr("full_matrices", false, &full_matrices));
  return MakeTypedKernel(
      c, dtype, [full_matrices](auto tag) -> std::unique_ptr<OpKernel> {
        using T = decltype(tag);
        if constexpr (kIsLinalgScalar<T>) {
          return std::make_unique<QrKernel<T>>(full_matrices);
        }
        return nullptr;
      });
}

}  // namespace

REGISTER_KERNEL(OpSpec("Qr").Output("q").Output("r"), CreateQr);

}  // namespace model_server
