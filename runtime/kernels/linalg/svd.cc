// Svd (and the legacy BatchSvd): input [..., M, N] -> s [..., P] (P =
// min(M, N), descending), u and v with input = u * diag(s) * adjoint(v):
// u [..., M, M] and v [..., N, N] with full_matrices, [..., M, P] and
// [..., N, P] without. compute_uv=false leaves u and v empty, shape [0], as
// TensorFlow's kernel does. float, double, complex64, complex128.
//
// Like TensorFlow, Eigen's BDCSVD on the row-major matrix (it switches to
// Jacobi SVD below 16 columns), so the signs of the singular vectors are the
// ones TensorFlow produces with the same Eigen. An empty matrix gives empty
// factors, except that full_matrices sets u (or v) to the identity of its
// non-zero side. A failed decomposition fills the outputs with NaN.
#include "Eigen/SVD"

#include <algorithm>
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
class SvdKernel : public OpKernel {
 public:
  SvdKernel(bool compute_uv, bool full_matrices)
      : compute_uv_(compute_uv), full_matrices_(full_matrices) {}

  absl::Status Compute(OpKernelContext& ctx) const override {
    const Tensor& input = ctx.input(0);
    MS_RETURN_IF_ERROR(CheckInputDtype(input, DataTypeOf<T>::value));
    MS_ASSIGN_OR_RETURN(const MatrixBatch batch, MatrixBatchOf(input, 0));
    const int64_t m = batch.rows;
    const int64_t n = batch.cols;
    const int64_t p = std::min(m, n);
    const int64_t u_cols = full_matrices_ ? m : p;
    const int64_t v_cols = full_matrices_ ? n : p;
    using Real = typename Eigen::NumTraits<T>::Real;

    MS_ASSIGN_OR_RETURN(TensorShape s_shape, BatchShape(batch, {p}));
    MS_ASSIGN_OR_RETURN(Tensor * s_out,
                        ctx.allocate_output(0, DataTypeOf<T>::value, s_shape));
    TensorShape u_shape{0};
    TensorShape v_shape{0};
    if (compute_uv_) {
      MS_ASSIGN_OR_RETURN(u_shape, BatchShape(batch, {m, u_cols}));
      MS_ASSIGN_OR_RETURN(v_shape, BatchShape(batch, {n, v_cols}));
    }
    MS_ASSIGN_OR_RETURN(Tensor * u_out,
                        ctx.allocate_output(1, DataTypeOf<T>::value, u_shape));
    MS_ASSIGN_OR_RETURN(Tensor * v_out,
                        ctx.allocate_output(2, DataTypeOf<T>::value, v_shape));
    if (batch.count == 0) return absl::OkStatus();

    const T* in = input.data<T>();
    T* s = s_out->data<T>();
    T* u = compute_uv_ ? u_out->data<T>() : nullptr;
    T* v = compute_uv_ ? v_out->data<T>() : nullptr;
    if (p == 0) {
      // Only a full u or v on the non-empty side has elements.
      if (!compute_uv_ || !full_matrices_) return absl::OkStatus();
      for (int64_t i = 0; i < batch.count; ++i) {
        if (m > 0) MatrixAt(u, i, m, m).setIdentity();
        if (n > 0) MatrixAt(v, i, n, n).setIdentity();
      }
      return absl::OkStatus();
    }
    int options = 0;
    if (compute_uv_) {
      options = full_matrices_ ? Eigen::ComputeFullU | Eigen::ComputeFullV
                               : Eigen::ComputeThinU | Eigen::ComputeThinV;
    }
    return ForEachMatrix(
        batch.count, 12 * CubicCost(m, n), [&](int64_t i) -> absl::Status {
          Eigen::BDCSVD<RowMatrix<T>> svd(MatrixAt(in, i, m, n), options);
          Eigen::Map<Eigen::Matrix<T, Eigen::Dynamic, 1>> s_row(s + i * p, p);
          if (svd.info() != Eigen::Success) {
            const T nan(std::numeric_limits<Real>::quiet_NaN());
            s_row.setConstant(nan);
            if (compute_uv_) {
              MatrixAt(u, i, m, u_cols).setConstant(nan);
              MatrixAt(v, i, n, v_cols).setConstant(nan);
            }
            return absl::OkStatus();
          }
          s_row = svd.singularValues().template cast<T>();
          if (compute_uv_) {
            MatrixAt(u, i, m, u_cols) = svd.matrixU();
            MatrixAt(v, i, n, v_cols) = svd.matrixV();
          }
          return absl::OkStatus();
        });
  }

 private:
  const bool compute_uv_;
  const bool full_matrices_;
};

absl::StatusOr<std::unique_ptr<OpKernel>> CreateSvd(
    const KernelConstruction& c) {
  MS_RETURN_IF_ERROR(CheckNumInputs(c, 1));
  DataType dtype;
  MS_RETURN_IF_ERROR(c.attrs.Get("T", &dtype));
  bool compute_uv = true;
  bool full_matrices = false;
  MS_RETURN_IF_ERROR(c.attrs.GetOr("compute_uv", true, &compute_uv));
  MS_RETURN_IF_ERROR(c.attrs.GetOr("full_matrices", false, &full_matrices));
  return MakeTypedKernel(c, dtype, [&](auto tag) -> std::unique_ptr<OpKernel> {
    using T = decltype(tag);
    if constexpr (kIsLinalgScalar<T>) {
      return std::make_unique<SvdKernel<T>>(compute_uv, full_matrices);
    }
    return nullptr;
  });
}

}  // namespace

REGISTER_KERNEL(OpSpec("Svd").Output("s").Output("u").Output("v"), CreateSvd);
REGISTER_KERNEL(OpSpec("BatchSvd").Output("s").Output("u").Output("v"),
                CreateSvd);

}  // namespace model_server
