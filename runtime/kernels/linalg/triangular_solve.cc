// MatrixTriangularSolve (and the legacy BatchMatrixTriangularSolve): matrix
// [..., M, M] (lower or upper triangular, by the `lower` attr; the other
// triangle is not read), rhs [..., M, K] -> output [..., M, K] with
// matrix * output = rhs, or adjoint(matrix) * output = rhs with adjoint=true.
// The batch dimensions broadcast against each other (numpy rules, as
// TensorFlow's MatMulBCast). A zero on the diagonal is not checked: the
// values become inf/NaN, as in TensorFlow. float, double, complex64,
// complex128.
#include <algorithm>
#include <memory>
#include <vector>

#include "absl/strings/str_cat.h"
#include "runtime/kernels/kernel_util.h"
#include "runtime/kernels/linalg/matrix_batch.h"
#include "runtime/op_kernel.h"
#include "runtime/op_registry.h"
#include "runtime/status_macros.h"

namespace model_server {
namespace {

// Broadcast batch dimensions of two batches of matrices: for every output
// matrix, which matrix of each operand it reads.
struct BatchBroadcast {
  Dims out_dims;
  std::vector<int64_t> x_index;
  std::vector<int64_t> y_index;
};

absl::StatusOr<BatchBroadcast> BroadcastBatches(const Tensor& x,
                                                const Tensor& y) {
  const int rx = x.rank() - 2;
  const int ry = y.rank() - 2;
  const int rank = std::max(rx, ry);
  Dims xd(rank, 1), yd(rank, 1);
  for (int i = 0; i < rx; ++i) xd[rank - rx + i] = x.dim(i);
  for (int i = 0; i < ry; ++i) yd[rank - ry + i] = y.dim(i);
  BatchBroadcast b;
  b.out_dims.resize(rank);
  int64_t count = 1;
  for (int i = 0; i < rank; ++i) {
    if (xd[i] != yd[i] && xd[i] != 1 && yd[i] != 1) {
      return absl::InvalidArgumentError(absl::StrCat(
          "In[0] and In[1] must have compatible batch dimensions: ",
          x.shape().DebugString(), " vs. ", y.shape().DebugString()));
    }
    b.out_dims[i] = xd[i] == 1 ? yd[i] : xd[i];
    count *= b.out_dims[i];
  }
  b.x_index.resize(count);
  b.y_index.resize(count);
  for (int64_t o = 0; o < count; ++o) {
    int64_t rest = o, xi = 0, yi = 0, xs = 1, ys = 1;
    for (int i = rank - 1; i >= 0; --i) {
      const int64_t coord = rest % b.out_dims[i];
      rest /= b.out_dims[i];
      if (xd[i] != 1) xi += coord * xs;
      if (yd[i] != 1) yi += coord * ys;
      xs *= xd[i];
      ys *= yd[i];
    }
    b.x_index[o] = xi;
    b.y_index[o] = yi;
  }
  return b;
}

template <typename T>
class TriangularSolveKernel : public OpKernel {
 public:
  TriangularSolveKernel(bool lower, bool adjoint)
      : lower_(lower), adjoint_(adjoint) {}

  absl::Status Compute(OpKernelContext& ctx) const override {
    const Tensor& matrix = ctx.input(0);
    const Tensor& rhs = ctx.input(1);
    MS_RETURN_IF_ERROR(CheckInputDtype(matrix, DataTypeOf<T>::value));
    MS_RETURN_IF_ERROR(CheckInputDtype(rhs, DataTypeOf<T>::value));
    if (matrix.rank() < 2) {
      return absl::InvalidArgumentError(
          absl::StrCat("In[0] ndims must be >= 2: ", matrix.rank()));
    }
    if (rhs.rank() < 2) {
      return absl::InvalidArgumentError(
          absl::StrCat("In[1] ndims must be >= 2: ", rhs.rank()));
    }
    const int64_t m = matrix.dim(matrix.rank() - 1);
    if (matrix.dim(matrix.rank() - 2) != m) {
      return absl::InvalidArgumentError(
          absl::StrCat("In[0] matrices in the last dimensions must be square (",
                       m, " =/= ", matrix.dim(matrix.rank() - 2), ")"));
    }
    MS_ASSIGN_OR_RETURN(const BatchBroadcast bcast,
                        BroadcastBatches(matrix, rhs));
    const int64_t rhs_rows = rhs.dim(rhs.rank() - 2);
    const int64_t k = rhs.dim(rhs.rank() - 1);
    if (rhs_rows != m) {
      return absl::InvalidArgumentError(absl::StrCat(
          "In[0] mismatch In[1] shape: ", m, " vs. ", rhs_rows, ": ",
          matrix.shape().DebugString(), " ", rhs.shape().DebugString(), " ",
          lower_ ? 1 : 0, " ", adjoint_ ? 1 : 0));
    }
    Dims out_dims = bcast.out_dims;
    out_dims.push_back(m);
    out_dims.push_back(k);
    MS_ASSIGN_OR_RETURN(TensorShape shape, TensorShape::FromDims(out_dims));
    MS_ASSIGN_OR_RETURN(Tensor * out,
                        ctx.allocate_output(0, matrix.dtype(), shape));
    if (out->NumElements() == 0) return absl::OkStatus();
    const T* a = matrix.data<T>();
    const T* b = rhs.data<T>();
    T* dst = out->data<T>();
    return ForEachMatrix(
        static_cast<int64_t>(bcast.x_index.size()), m * m * k / 2.0 + 1,
        [&](int64_t i) {
          const ConstMatrixMap<T> lhs = MatrixAt(a, bcast.x_index[i], m, m);
          const ConstMatrixMap<T> right = MatrixAt(b, bcast.y_index[i], m, k);
          MatrixMap<T> x = MatrixAt(dst, i, m, k);
          if (lower_) {
            const auto tri = lhs.template triangularView<Eigen::Lower>();
            if (adjoint_) {
              x.noalias() = tri.adjoint().solve(right);
            } else {
              x.noalias() = tri.solve(right);
            }
          } else {
            const auto tri = lhs.template triangularView<Eigen::Upper>();
            if (adjoint_) {
              x.noalias() = tri.adjoint().solve(right);
            } else {
              x.noalias() = tri.solve(right);
            }
          }
          return absl::OkStatus();
        });
  }

 private:
  const bool lower_;
  const bool adjoint_;
};

absl::StatusOr<std::unique_ptr<OpKernel>> CreateTriangularSolve(
    const KernelConstruction& c) {
  MS_RETURN_IF_ERROR(CheckNumInputs(c, 2));
  DataType dtype;
  MS_RETURN_IF_ERROR(c.attrs.Get("T", &dtype));
  bool lower = true;
  bool adjoint = false;
  MS_RETURN_IF_ERROR(c.attrs.GetOr("lower", true, &lower));
  MS_RETURN_IF_ERROR(c.attrs.GetOr("adjoint", false, &adjoint));
  return MakeTypedKernel(c, dtype, [&](auto tag) -> std::unique_ptr<OpKernel> {
    using T = decltype(tag);
    if constexpr (kIsLinalgScalar<T>) {
      return std::make_unique<TriangularSolveKernel<T>>(lower, adjoint);
    }
    return nullptr;
  });
}

}  // namespace

REGISTER_KERNEL(OpSpec("MatrixTriangularSolve").Output("output"),
                CreateTriangularSolve);
REGISTER_KERNEL(OpSpec("BatchMatrixTriangularSolve").Output("output"),
                CreateTriangularSolve);

}  // namespace model_server
