// A SparseTensor (indices, values, dense_shape) combined with a dense one.
//
// SparseTensorDenseAdd: a_indices [nnz, ndims], a_values [nnz], a_shape
//   [ndims] (Tindices int32/int64), b (T, shape a_shape) -> output = b with
//   each a value added at its index (repeated indices add up).
// SparseTensorDenseMatMul: a_indices [nnz, 2] (Tindices), a_values [nnz],
//   a_shape [2] (int64), b [K, N] -> product [M, N] of the 2-D sparse a and
//   b; attrs adjoint_a, adjoint_b (transpose, conjugated for complex).
//
// Dtypes: real and complex numbers (half and bfloat16 accumulate in float).
// An index outside a_shape is INVALID_ARGUMENT; the texts are TensorFlow's.
#include <complex>
#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "runtime/kernels/dtype_categories.h"
#include "runtime/kernels/dtype_complex.h"
#include "runtime/kernels/kernel_util.h"
#include "runtime/op_kernel.h"
#include "runtime/op_registry.h"
#include "runtime/status_macros.h"

namespace model_server {
namespace {

template <typename T>
constexpr bool kIsSparseDenseType = kIsRealNumber<T> || kIsComplex<T>;

template <typename T>
T Conj(const T& x) {
  if constexpr (kIsComplex<T>) {
    return std::conj(x);
  } else {
    return x;
  }
}

// Checks the sparse operand's three tensors: indices a matrix [nnz, rank],
// values and shape vectors, and every index inside the shape.
absl::Status CheckSparseOperand(const Tensor& indices, const Tensor& values,
                                const Tensor& shape) {
  MS_RETURN_IF_ERROR(CheckIntTensor(indices, "a_indices"));
  MS_RETURN_IF_ERROR(CheckIntTensor(shape, "a_shape"));
  if (indices.rank() != 2) {
    return absl::InvalidArgumentError(
        absl::StrCat("Input a_indices should be a matrix but received shape: ",
                     indices.shape().DebugString()));
  }
  if (values.rank() != 1 || shape.rank() != 1) {
    return absl::InvalidArgumentError(absl::StrCat(
        "Inputs a_values and a_shape should be vectors but received shapes: ",
        values.shape().DebugString(), " and ", shape.shape().DebugString()));
  }
  if (values.dim(0) != indices.dim(0) || shape.dim(0) != indices.dim(1)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "a_indices ", indices.shape().DebugString(), ", a_values ",
        values.shape().DebugString(), " and a_shape ",
        shape.shape().DebugString(), " do not describe one SparseTensor"));
  }
  const int64_t nnz = indices.dim(0);
  const int64_t rank = indices.dim(1);
  for (int64_t i = 0; i < nnz; ++i) {
    for (int64_t d = 0; d < rank; ++d) {
      const int64_t v = IntAt(indices, i * rank + d);
      if (v < 0 || v >= IntAt(shape, d)) {
        std::vector<int64_t> index, bound;
        for (int64_t e = 0; e < rank; ++e) {
          index.push_back(IntAt(indices, i * rank + e));
          bound.push_back(IntAt(shape, e));
        }
        return absl::InvalidArgumentError(absl::StrCat(
            "Sparse index tuple [", absl::StrJoin(index, ","),
            "] is out of bounds of shape [", absl::StrJoin(bound, ","), "]"));
      }
    }
  }
  return absl::OkStatus();
}

template <typename T>
class SparseTensorDenseAddKernel : public OpKernel {
 public:
  absl::Status Compute(OpKernelContext& ctx) const override {
    const Tensor& indices = ctx.input(0);
    const Tensor& values = ctx.input(1);
    const Tensor& shape = ctx.input(2);
    const Tensor& b = ctx.input(3);
    MS_RETURN_IF_ERROR(CheckInputDtype(values, DataTypeOf<T>::value));
    MS_RETURN_IF_ERROR(CheckInputDtype(b, DataTypeOf<T>::value));
    if (shape.rank() == 1 && shape.NumElements() != b.rank()) {
      return ctx.InvalidArgument(absl::StrCat(
          "Two operands have different ranks; received: ", shape.NumElements(),
          " and ", b.rank()));
    }
    MS_RETURN_IF_ERROR(CheckSparseOperand(indices, values, shape));
    for (int d = 0; d < b.rank(); ++d) {
      if (IntAt(shape, d) != b.dim(d)) {
        return ctx.InvalidArgument(absl::StrCat(
            "Dimension ", d,
            " does not equal (no broadcasting is supported): lhs dimension "
            "size ",
            IntAt(shape, d), ", rhs dimension size ", b.dim(d)));
      }
    }
    MS_ASSIGN_OR_RETURN(Tensor out, b.DeepCopy());
    T* y = out.data<T>();
    const T* v = values.data<T>();
    const int64_t rank = b.rank();
    for (int64_t i = 0; i < values.NumElements(); ++i) {
      int64_t offset = 0;
      for (int64_t d = 0; d < rank; ++d) {
        offset =
            offset * b.dim(static_cast<int>(d)) + IntAt(indices, i * rank + d);
      }
      y[offset] = static_cast<T>(static_cast<ComputeType<T>>(y[offset]) +
                                 static_cast<ComputeType<T>>(v[i]));
    }
    ctx.set_output(0, std::move(out));
    return absl::OkStatus();
  }
};

template <typename T>
class SparseTensorDenseMatMulKernel : public OpKernel {
 public:
  SparseTensorDenseMatMulKernel(bool adjoint_a, bool adjoint_b)
      : adjoint_a_(adjoint_a), adjoint_b_(adjoint_b) {}

  absl::Status Compute(OpKernelContext& ctx) const override {
    const Tensor& indices = ctx.input(0);
    const Tensor& values = ctx.input(1);
    const Tensor& shape = ctx.input(2);
    const Tensor& b = ctx.input(3);
    MS_RETURN_IF_ERROR(CheckInputDtype(values, DataTypeOf<T>::value));
    MS_RETURN_IF_ERROR(CheckInputDtype(b, DataTypeOf<T>::value));
    if (b.rank() != 2) {
      return ctx.InvalidArgument(absl::StrCat(
          "Tensor 'b' is not a matrix, got shape ", b.shape().DebugString()));
    }
    if (shape.rank() != 1 || shape.NumElements() != 2) {
      return ctx.InvalidArgument(absl::StrCat(
          "Tensor 'a_shape' is not a vector of 2 elements, got shape ",
          shape.shape().DebugString()));
    }
    MS_RETURN_IF_ERROR(CheckSparseOperand(indices, values, shape));
    const int64_t a_rows = IntAt(shape, 0), a_cols = IntAt(shape, 1);
    const int64_t m = adjoint_a_ ? a_cols : a_rows;
    const int64_t k = adjoint_a_ ? a_rows : a_cols;
    const int64_t b_rows = adjoint_b_ ? b.dim(1) : b.dim(0);
    const int64_t n = adjoint_b_ ? b.dim(0) : b.dim(1);
    if (k != b_rows) {
      return ctx.InvalidArgument(absl::StrCat(
          "Cannot multiply A and B because inner dimension does not match: ", k,
          " vs. ", b_rows,
          ".  Did you forget a transpose?  Dimensions of "
          "A: [",
          a_rows, ", ", a_cols,
          ").  Dimensions of B: ", b.shape().DebugString()));
    }
    MS_ASSIGN_OR_RETURN(TensorShape out_shape, TensorShape::FromDims({m, n}));
    MS_ASSIGN_OR_RETURN(
        Tensor * out, ctx.allocate_output(0, DataTypeOf<T>::value, out_shape));
    using Acc = ComputeType<T>;
    std::vector<Acc> acc(out->NumElements(), Acc(0));
    const T* v = values.data<T>();
    const T* x = b.data<T>();
    const int64_t b_cols = b.dim(1);
    for (int64_t i = 0; i < values.NumElements(); ++i) {
      int64_t row = IntAt(indices, 2 * i), col = IntAt(indices, 2 * i + 1);
      Acc a = static_cast<Acc>(v[i]);
      if (adjoint_a_) {
        std::swap(row, col);
        a = Conj(a);
      }
      // out[row, :] += a * op(b)[col, :]
      Acc* y = acc.data() + row * n;
      for (int64_t j = 0; j < n; ++j) {
        const Acc bv = adjoint_b_ ? Conj(static_cast<Acc>(x[j * b_cols + col]))
                                  : static_cast<Acc>(x[col * b_cols + j]);
        y[j] += a * bv;
      }
    }
    T* y = out->data<T>();
    for (size_t i = 0; i < acc.size(); ++i) y[i] = static_cast<T>(acc[i]);
    return absl::OkStatus();
  }

 private:
  const bool adjoint_a_;
  const bool adjoint_b_;
};

absl::StatusOr<std::unique_ptr<OpKernel>> CreateSparseTensorDenseAdd(
    const KernelConstruction& c) {
  MS_RETURN_IF_ERROR(CheckNumInputs(c, 4));
  MS_RETURN_IF_ERROR(CheckIndexTypeAttr(c, "Tindices"));
  DataType dtype;
  MS_RETURN_IF_ERROR(c.attrs.Get("T", &dtype));
  return MakeTypedKernel(c, dtype, [](auto tag) -> std::unique_ptr<OpKernel> {
    using T = decltype(tag);
    if constexpr (kIsSparseDenseType<T>) {
      return std::make_unique<SparseTensorDenseAddKernel<T>>();
    }
    return nullptr;
  });
}

absl::StatusOr<std::unique_ptr<OpKernel>> CreateSparseTensorDenseMatMul(
    const KernelConstruction& c) {
  MS_RETURN_IF_ERROR(CheckNumInputs(c, 4));
  MS_RETURN_IF_ERROR(CheckIndexTypeAttr(c, "Tindices"));
  DataType dtype;
  MS_RETURN_IF_ERROR(c.attrs.Get("T", &dtype));
  bool adjoint_a, adjoint_b;
  MS_RETURN_IF_ERROR(c.attrs.GetOr("adjoint_a", false, &adjoint_a));
  MS_RETURN_IF_ERROR(c.attrs.GetOr("adjoint_b", false, &adjoint_b));
  return MakeTypedKernel(c, dtype, [&](auto tag) -> std::unique_ptr<OpKernel> {
    using T = decltype(tag);
    if constexpr (kIsSparseDenseType<T>) {
      return std::make_unique<SparseTensorDenseMatMulKernel<T>>(adjoint_a,
                                                                adjoint_b);
    }
    return nullptr;
  });
}

}  // namespace

REGISTER_KERNEL(OpSpec("SparseTensorDenseAdd").Output("output"),
                CreateSparseTensorDenseAdd);
REGISTER_KERNEL(OpSpec("SparseTensorDenseMatMul").Output("product"),
                CreateSparseTensorDenseMatMul);

}  // namespace model_server
