// Lu: input [..., N, N] -> lu [..., N, N] and p [..., N] (output_idx_type
// int32 or int64, default int32) with P * input = L * U: the strictly lower
// part of lu is L (unit diagonal implied), the upper part U, and p[i] is the
// input row that row i of P * input comes from. Partial pivoting, as
// TensorFlow; an exactly zero pivot is INVALID_ARGUMENT "Input is not
// invertible.". float, double, complex64, complex128.
#include "Eigen/LU"

#include <memory>

#include "absl/strings/str_cat.h"
#include "runtime/kernels/kernel_util.h"
#include "runtime/kernels/linalg/matrix_batch.h"
#include "runtime/op_kernel.h"
#include "runtime/op_registry.h"
#include "runtime/status_macros.h"

namespace model_server {
namespace {

template <typename T, typename Index>
class LuKernel : public OpKernel {
 public:
  absl::Status Compute(OpKernelContext& ctx) const override {
    const Tensor& input = ctx.input(0);
    MS_RETURN_IF_ERROR(CheckInputDtype(input, DataTypeOf<T>::value));
    if (input.rank() < 2) {
      return absl::InvalidArgumentError(
          absl::StrCat("Input tensor must have rank >= 2, got ", input.rank()));
    }
    MS_ASSIGN_OR_RETURN(const MatrixBatch batch, MatrixBatchOf(input, 0));
    MS_RETURN_IF_ERROR(CheckSquare(batch));
    const int64_t n = batch.rows;
    MS_ASSIGN_OR_RETURN(Tensor * lu_out,
                        ctx.allocate_output(0, input.dtype(), input.shape()));
    MS_ASSIGN_OR_RETURN(TensorShape p_shape, BatchShape(batch, {n}));
    MS_ASSIGN_OR_RETURN(
        Tensor * p_out,
        ctx.allocate_output(1, DataTypeOf<Index>::value, p_shape));
    if (lu_out->NumElements() == 0) return absl::OkStatus();
    using Real = typename Eigen::NumTraits<T>::Real;
    const T* in = input.data<T>();
    T* lu_data = lu_out->data<T>();
    Index* p_data = p_out->data<Index>();
    return ForEachMatrix(
        batch.count, CubicCost(n, n) * 2 / 3, [&](int64_t i) -> absl::Status {
          Eigen::PartialPivLU<Eigen::Matrix<T, Eigen::Dynamic, Eigen::Dynamic>>
              lu(MatrixAt(in, i, n, n));
          MatrixMap<T> packed = MatrixAt(lu_data, i, n, n);
          packed = lu.matrixLU();
          // permutationP() maps input rows to their place in P * input; p is
          // its inverse.
          const auto& to = lu.permutationP().indices();
          for (int64_t r = 0; r < n; ++r) {
            p_data[i * n + to[r]] = static_cast<Index>(r);
          }
          const Real min_abs_pivot = packed.diagonal().cwiseAbs().minCoeff();
          if (!(min_abs_pivot > Real(0))) {
            return absl::InvalidArgumentError("Input is not invertible.");
          }
          return absl::OkStatus();
        });
  }
};

absl::StatusOr<std::unique_ptr<OpKernel>> CreateLu(
    const KernelConstruction& c) {
  MS_RETURN_IF_ERROR(CheckNumInputs(c, 1));
  DataType dtype;
  MS_RETURN_IF_ERROR(c.attrs.Get("T", &dtype));
  MS_ASSIGN_OR_RETURN(const DataType index_type,
                      IndexTypeAttr(c, "output_idx_type", DT_INT32));
  return MakeTypedKernel(c, dtype,
                         [index_type](auto tag) -> std::unique_ptr<OpKernel> {
                           using T = decltype(tag);
                           if constexpr (kIsLinalgScalar<T>) {
                             if (index_type == DT_INT64) {
                               return std::make_unique<LuKernel<T, int64_t>>();
                             }
                             return std::make_unique<LuKernel<T, int32_t>>();
                           }
                           return nullptr;
                         });
}

}  // namespace

REGISTER_KERNEL(OpSpec("Lu").Output("lu").Output("p"), CreateLu);

}  // namespace model_server
