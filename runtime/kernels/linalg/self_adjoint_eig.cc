// SelfAdjointEigV2: input [..., N, N] self-adjoint (only the lower triangle
// is read) -> e [..., N], the real eigenvalues in ascending order (stored in
// T), and with compute_v=true (the default) v [..., N, N] whose columns are
// the orthonormal eigenvectors; with compute_v=false v is empty, shape [0].
// Eigen's SelfAdjointEigenSolver, as TensorFlow; a failure (non-finite input)
// is INVALID_ARGUMENT with TensorFlow's text. A 0x0 matrix gives empty
// outputs. float, double, complex64, complex128. (The legacy SelfAdjointEig
// and BatchSelfAdjointEig, removed from GraphDefs since version 11, are not
// provided.)
#include <memory>

#include "Eigen/Eigenvalues"
#include "runtime/kernels/kernel_util.h"
#include "runtime/kernels/linalg/matrix_batch.h"
#include "runtime/op_kernel.h"
#include "runtime/op_registry.h"
#include "runtime/status_macros.h"

namespace model_server {
namespace {

template <typename T>
class SelfAdjointEigKernel : public OpKernel {
 public:
  explicit SelfAdjointEigKernel(bool compute_v) : compute_v_(compute_v) {}

  absl::Status Compute(OpKernelContext& ctx) const override {
    const Tensor& input = ctx.input(0);
    MS_RETURN_IF_ERROR(CheckInputDtype(input, DataTypeOf<T>::value));
    MS_ASSIGN_OR_RETURN(const MatrixBatch batch, MatrixBatchOf(input, 0));
    MS_RETURN_IF_ERROR(CheckSquare(batch));
    const int64_t n = batch.rows;
    MS_ASSIGN_OR_RETURN(TensorShape e_shape, BatchShape(batch, {n}));
    TensorShape v_shape{0};
    if (compute_v_) {
      MS_ASSIGN_OR_RETURN(v_shape, BatchShape(batch, {n, n}));
    }
    MS_ASSIGN_OR_RETURN(Tensor * e_out,
                        ctx.allocate_output(0, input.dtype(), e_shape));
    MS_ASSIGN_OR_RETURN(Tensor * v_out,
                        ctx.allocate_output(1, input.dtype(), v_shape));
    if (e_out->NumElements() == 0) return absl::OkStatus();
    const T* in = input.data<T>();
    T* e = e_out->data<T>();
    T* v = compute_v_ ? v_out->data<T>() : nullptr;
    return ForEachMatrix(
        batch.count, 4 * CubicCost(n, n), [&](int64_t i) -> absl::Status {
          Eigen::SelfAdjointEigenSolver<RowMatrix<T>> eig(
              MatrixAt(in, i, n, n),
              compute_v_ ? Eigen::ComputeEigenvectors : Eigen::EigenvaluesOnly);
          if (eig.info() != Eigen::Success) {
            return absl::InvalidArgumentError(
                "Self-adjoint eigen decomposition was not successful. The "
                "input might not be valid.");
          }
          Eigen::Map<Eigen::Matrix<T, Eigen::Dynamic, 1>>(e + i * n, n) =
              eig.eigenvalues().template cast<T>();
          if (compute_v_) MatrixAt(v, i, n, n) = eig.eigenvectors();
          return absl::OkStatus();
        });
  }

 private:
  const bool compute_v_;
};

absl::StatusOr<std::unique_ptr<OpKernel>> CreateSelfAdjointEig(
    const KernelConstruction& c) {
  MS_RETURN_IF_ERROR(CheckNumInputs(c, 1));
  DataType dtype;
  MS_RETURN_IF_ERROR(c.attrs.Get("T", &dtype));
  bool compute_v = true;
  MS_RETURN_IF_ERROR(c.attrs.GetOr("compute_v", true, &compute_v));
  return MakeTypedKernel(
      c, dtype, [compute_v](auto tag) -> std::unique_ptr<OpKernel> {
        using T = decltype(tag);
        if constexpr (kIsLinalgScalar<T>) {
          return std::make_unique<SelfAdjointEigKernel<T>>(compute_v);
        }
        return nullptr;
      });
}

}  // namespace

REGISTER_KERNEL(OpSpec("SelfAdjointEigV2").Output("e").Output("v"),
                CreateSelfAdjointEig);

}  // namespace model_server
