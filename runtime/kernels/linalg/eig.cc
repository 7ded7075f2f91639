// Eig: input [..., N, N] (T: float, double, complex64, complex128) -> e
// [..., N] and, with compute_v=true (the default), v [..., N, N] whose
// columns are the unit-norm eigenvectors, both complex (Tout: complex64 for
// float and complex64 input, complex128 for double and complex128; other
// pairs are UNIMPLEMENTED, as TensorFlow registers none). With
// compute_v=false v is empty, shape [0]. Eigen's ComplexEigenSolver on the
// input cast to Tout, as TensorFlow; a failure is INVALID_ARGUMENT with
// TensorFlow's text. A 0x0 matrix gives empty outputs.
#include <complex>
#include <memory>
#include <type_traits>

#include "Eigen/Eigenvalues"
#include "runtime/kernels/kernel_util.h"
#include "runtime/kernels/linalg/matrix_batch.h"
#include "runtime/op_kernel.h"
#include "runtime/op_registry.h"
#include "runtime/status_macros.h"

namespace model_server {
namespace {

template <typename T, typename Out>
class EigKernel : public OpKernel {
 public:
  explicit EigKernel(bool compute_v) : compute_v_(compute_v) {}

  absl::Status Compute(OpKernelContext& ctx) const override {
    const Tensor& input = ctx.input(0);
    MS_RETURN_IF_ERROR(CheckInputDtype(input, DataTypeOf<T>::value));
    MS_ASSIGN_OR_RETURN(const MatrixBatch batch, MatrixBatchOf(input, 0));
    MS_RETURN_IF_ERROR(CheckSquare(batch));
    const int64_t n = batch.rows;
    constexpr DataType kOut = DataTypeOf<Out>::value;
    MS_ASSIGN_OR_RETURN(TensorShape e_shape, BatchShape(batch, {n}));
    TensorShape v_shape{0};
    if (compute_v_) {
      MS_ASSIGN_OR_RETURN(v_shape, BatchShape(batch, {n, n}));
    }
    MS_ASSIGN_OR_RETURN(Tensor * e_out, ctx.allocate_output(0, kOut, e_shape));
    MS_ASSIGN_OR_RETURN(Tensor * v_out, ctx.allocate_output(1, kOut, v_shape));
    if (e_out->NumElements() == 0) return absl::OkStatus();
    const T* in = input.data<T>();
    Out* e = e_out->data<Out>();
    Out* v = compute_v_ ? v_out->data<Out>() : nullptr;
    return ForEachMatrix(
        batch.count, 10 * CubicCost(n, n), [&](int64_t i) -> absl::Status {
          Eigen::ComplexEigenSolver<RowMatrix<Out>> eig(
              MatrixAt(in, i, n, n).template cast<Out>(), compute_v_);
          if (eig.info() != Eigen::Success) {
            return absl::InvalidArgumentError(
                "Eigen decomposition was not successful. The input might not "
                "be valid.");
          }
          Eigen::Map<Eigen::Matrix<Out, Eigen::Dynamic, 1>>(e + i * n, n) =
              eig.eigenvalues();
          if (compute_v_) MatrixAt(v, i, n, n) = eig.eigenvectors();
          return absl::OkStatus();
        });
  }

 private:
  const bool compute_v_;
};

absl::StatusOr<std::unique_ptr<OpKernel>> CreateEig(
    const KernelConstruction& c) {
  MS_RETURN_IF_ERROR(CheckNumInputs(c, 1));
  DataType dtype;
  DataType out_dtype;
  MS_RETURN_IF_ERROR(c.attrs.Get("T", &dtype));
  MS_RETURN_IF_ERROR(c.attrs.Get("Tout", &out_dtype));
  bool compute_v = true;
  MS_RETURN_IF_ERROR(c.attrs.GetOr("compute_v", true, &compute_v));
  const bool single = dtype == DT_FLOAT || dtype == DT_COMPLEX64;
  const bool wide = dtype == DT_DOUBLE || dtype == DT_COMPLEX128;
  if ((single && out_dtype != DT_COMPLEX64) ||
      (wide && out_dtype != DT_COMPLEX128)) {
    return UnsupportedAttrError(
        c,
        "Tout must be complex64 for float/complex64 input and complex128 "
        "for double/complex128 input");
  }
  return MakeTypedKernel(
      c, dtype, [compute_v](auto tag) -> std::unique_ptr<OpKernel> {
        using T = decltype(tag);
        if constexpr (kIsLinalgScalar<T>) {
          using Out =
              std::conditional_t<std::is_same_v<T, float> ||
                                     std::is_same_v<T, std::complex<float>>,
                                 std::complex<float>, std::complex<double>>;
          return std::make_unique<EigKernel<T, Out>>(compute_v);
        }
        return nullptr;
      });
}

}  // namespace

REGISTER_KERNEL(OpSpec("Eig").Output("e").Output("v"), CreateEig);

}  // namespace model_server
