// Counting occurrences of non-negative integers:
//   Bincount(arr int32 [any], size int32 scalar, weights T) -> bins [size]
//   DenseBincount(input Tidx [n] or [rows, n], size Tidx scalar, weights T;
//                 attr binary_output) -> output [size] or [rows, size]
//   SparseBincount(indices int64 [nnz, r], values Tidx [nnz], dense_shape
//                 int64 [r], size, weights; binary_output), r = 1 or 2:
//                 the sparse tensor's values, counted per row when r = 2
//   RaggedBincount(splits int64 [rows + 1], values Tidx [n], size, weights;
//                 binary_output) -> [rows, size], one row per ragged row
// bins[v] is the number of elements equal to v, or the sum of their
// weights when weights is not empty (then it has one weight per value).
// Values >= size are ignored; with binary_output a bin is 1 when its value
// occurs at all (weights ignored).
//
// dtypes (TensorFlow's CPU registrations): T is int32, int64, float or
// double; Tidx is int32 or int64. Errors (TensorFlow's texts where it has
// them): "size (s) must be non-negative", "Input arr must be
// non-negative!", weights neither empty nor one per value, a DenseBincount
// input of rank other than 1 or 2, sparse indices outside dense_shape and
// malformed row splits.
#include <algorithm>
#include <cstdint>
#include <memory>
#include <type_traits>

#include "absl/strings/str_cat.h"
#include "runtime/kernels/dtype_categories.h"
#include "runtime/kernels/kernel_util.h"
#include "runtime/op_kernel.h"
#include "runtime/op_registry.h"
#include "runtime/status_macros.h"

namespace model_server {
namespace {

enum class Kind { kBincount, kDense, kSparse, kRagged };

// What every form reduces to: n values, each in one row (RowOf), counted
// into rows x size bins. No per-value buffers: the row is computed from the
// input's own data.
struct CountInput {
  const Tensor* values = nullptr;
  const Tensor* size = nullptr;
  const Tensor* weights = nullptr;
  int64_t rows = 1;
  bool two_dimensional = false;
  int64_t row_length = 0;                // dense [rows, n]: value i in i / n
  const int64_t* sparse_rows = nullptr;  // sparse: value i in indices[i, 0]
  const int64_t* splits = nullptr;       // ragged: splits[r] <= i < [r + 1]
};

// Walks the values in order and returns each one's row.
class RowOf {
 public:
  explicit RowOf(const CountInput& in) : in_(in) {}
  int64_t operator()(int64_t i) {
    if (in_.row_length > 0) return i / in_.row_length;
    if (in_.sparse_rows != nullptr) return in_.sparse_rows[2 * i];
    if (in_.splits != nullptr) {
      while (in_.splits[ragged_row_ + 1] <= i) ++ragged_row_;
      return ragged_row_;
    }
    return 0;
  }

 private:
  const CountInput& in_;
  int64_t ragged_row_ = 0;
};

absl::Status CheckSplits(const Tensor& splits, int64_t num_values) {
  MS_RETURN_IF_ERROR(CheckInputDtype(splits, DT_INT64));
  if (splits.rank() != 1 || splits.NumElements() == 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("Splits must be a non-empty vector, got shape ",
                     splits.shape().DebugString()));
  }
  const int64_t* s = splits.data<int64_t>();
  const int64_t n = splits.NumElements();
  if (s[0] != 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("Splits must start with 0, not with ", s[0]));
  }
  for (int64_t i = 1; i < n; ++i) {
    if (s[i] < s[i - 1]) {
      return absl::InvalidArgumentError(absl::StrCat(
          "Splits must be non-decreasing, got ", s[i - 1], " then ", s[i]));
    }
  }
  if (s[n - 1] != num_values) {
    return absl::InvalidArgumentError(
        absl::StrCat("Splits must end with the number of values, got ",
                     s[n - 1], " instead of ", num_values));
  }
  return absl::OkStatus();
}

absl::Status CheckSparse(const Tensor& indices, const Tensor& values,
                         const Tensor& dense_shape, CountInput* in) {
  MS_RETURN_IF_ERROR(CheckInputDtype(indices, DT_INT64));
  MS_RETURN_IF_ERROR(CheckInputDtype(dense_shape, DT_INT64));
  if (dense_shape.rank() != 1 ||
      (dense_shape.NumElements() != 1 && dense_shape.NumElements() != 2)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "dense_shape must be a vector of 1 or 2 elements, got shape ",
        dense_shape.shape().DebugString()));
  }
  const int64_t rank = dense_shape.NumElements();
  const int64_t nnz = values.NumElements();
  if (values.rank() != 1 || indices.rank() != 2 || indices.dim(0) != nnz ||
      indices.dim(1) != rank) {
    return absl::InvalidArgumentError(
        absl::StrCat("Expected indices [", nnz, ",", rank, "] for ", nnz,
                     " values of a rank-", rank, " sparse tensor, got indices ",
                     indices.shape().DebugString(), " and values ",
                     values.shape().DebugString()));
  }
  const int64_t* shape = dense_shape.data<int64_t>();
  const int64_t* idx = indices.data<int64_t>();
  for (int64_t i = 0; i < nnz; ++i) {
    for (int64_t d = 0; d < rank; ++d) {
      const int64_t v = idx[i * rank + d];
      if (v < 0 || v >= shape[d]) {
        return absl::InvalidArgumentError(
            absl::StrCat("Index out of bound: indices[", i, ",", d, "] = ", v,
                         " is outside the dense shape's dimension ", shape[d]));
      }
    }
  }
  if (rank == 2) {
    in->two_dimensional = true;
    in->rows = shape[0];
    in->sparse_rows = idx;
  }
  return absl::OkStatus();
}

template <typename T>
class BincountKernel final : public OpKernel {
 public:
  BincountKernel(Kind kind, DataType index_type, bool binary_output)
      : kind_(kind), index_type_(index_type), binary_output_(binary_output) {}

  absl::Status Compute(OpKernelContext& ctx) const override {
    CountInput in;
    MS_RETURN_IF_ERROR(Prepare(ctx, &in));
    const Tensor& values = *in.values;
    MS_RETURN_IF_ERROR(CheckInputDtype(values, index_type_));
    MS_RETURN_IF_ERROR(CheckInputDtype(*in.size, index_type_));
    MS_RETURN_IF_ERROR(CheckInputDtype(*in.weights, DataTypeOf<T>::value));
    if (in.size->rank() != 0) {
      return ctx.InvalidArgument(absl::StrCat(
          "Shape must be rank 0 but is rank ", in.size->rank(), " for size"));
    }
    const int64_t size = IntAt(*in.size, 0);
    if (size < 0) {
      return ctx.InvalidArgument(
          absl::StrCat("size (", size, ") must be non-negative"));
    }
    const Tensor& weights = *in.weights;
    const bool weighted = weights.NumElements() > 0;
    if (weighted && weights.shape() != values.shape()) {
      return ctx.InvalidArgument(
          absl::StrCat("weights must be empty or have the values' shape ",
                       values.shape().DebugString(), ", got ",
                       weights.shape().DebugString()));
    }
    const int64_t n = values.NumElements();
    for (int64_t i = 0; i < n; ++i) {
      if (IntAt(values, i) < 0) {
        return ctx.InvalidArgument("Input arr must be non-negative!");
      }
    }
    MS_ASSIGN_OR_RETURN(TensorShape shape,
                        in.two_dimensional
                            ? TensorShape::FromDims({in.rows, size})
                            : TensorShape::FromDims({size}));
    MS_ASSIGN_OR_RETURN(Tensor * out,
                        ctx.allocate_output(0, DataTypeOf<T>::value, shape));
    T* o = out->data<T>();
    for (int64_t i = 0; i < out->NumElements(); ++i) o[i] = T(0);
    const T* w = weighted ? weights.data<T>() : nullptr;
    RowOf row_of(in);
    for (int64_t i = 0; i < n; ++i) {
      const int64_t v = IntAt(values, i);
      const int64_t row = row_of(i);
      if (v >= size) continue;
      T& bin = o[row * size + v];
      if (binary_output_) {
        bin = T(1);
      } else {
        bin += w != nullptr ? w[i] : T(1);
      }
    }
    return absl::OkStatus();
  }

 private:
  // Finds the values, size and weights inputs and each value's row.
  absl::Status Prepare(OpKernelContext& ctx, CountInput* in) const {
    switch (kind_) {
      case Kind::kBincount:
      case Kind::kDense: {
        const Tensor& input = ctx.input(0);
        in->values = &input;
        in->size = &ctx.input(1);
        in->weights = &ctx.input(2);
        if (kind_ == Kind::kBincount) return absl::OkStatus();
        if (input.rank() != 1 && input.rank() != 2) {
          return ctx.InvalidArgument(
              absl::StrCat("Input must be a 1 or 2-dimensional tensor. Got: ",
                           input.shape().DebugString()));
        }
        if (input.rank() == 2) {
          in->two_dimensional = true;
          in->rows = input.dim(0);
          // An empty row length means no values: no row is ever asked for.
          in->row_length = std::max<int64_t>(input.dim(1), 1);
        }
        return absl::OkStatus();
      }
      case Kind::kSparse:
        in->values = &ctx.input(1);
        in->size = &ctx.input(3);
        in->weights = &ctx.input(4);
        return CheckSparse(ctx.input(0), ctx.input(1), ctx.input(2), in);
      case Kind::kRagged: {
        const Tensor& splits = ctx.input(0);
        const Tensor& values = ctx.input(1);
        in->values = &values;
        in->size = &ctx.input(2);
        in->weights = &ctx.input(3);
        if (values.rank() != 1) {
          return ctx.InvalidArgument(
              absl::StrCat("values must be a vector, got shape ",
                           values.shape().DebugString()));
        }
        MS_RETURN_IF_ERROR(CheckSplits(splits, values.NumElements()));
        const int64_t* s = splits.data<int64_t>();
        in->two_dimensional = true;
        in->rows = splits.NumElements() - 1;
        in->splits = s;
        return absl::OkStatus();
      }
    }
    return absl::OkStatus();
  }

  const Kind kind_;
  const DataType index_type_;
  const bool binary_output_;
};

template <Kind kKind>
absl::StatusOr<std::unique_ptr<OpKernel>> CreateBincount(
    const KernelConstruction& c) {
  constexpr int kNumInputs = kKind == Kind::kSparse   ? 5
                             : kKind == Kind::kRagged ? 4
                                                      : 3;
  MS_RETURN_IF_ERROR(CheckNumInputs(c, kNumInputs));
  DataType dtype;
  MS_RETURN_IF_ERROR(c.attrs.Get("T", &dtype));
  DataType index_type = DT_INT32;
  bool binary_output = false;
  if constexpr (kKind != Kind::kBincount) {
    MS_ASSIGN_OR_RETURN(index_type, IndexTypeAttr(c, "Tidx", DT_INT32));
    MS_RETURN_IF_ERROR(c.attrs.GetOr("binary_output", false, &binary_output));
  }
  return MakeTypedKernel(c, dtype, [&](auto tag) -> std::unique_ptr<OpKernel> {
    using T = decltype(tag);
    if constexpr (std::is_same_v<T, int32_t> || std::is_same_v<T, int64_t> ||
                  kIsFloatOrDouble<T>) {
      return std::make_unique<BincountKernel<T>>(kKind, index_type,
                                                 binary_output);
    }
    return nullptr;
  });
}

}  // namespace

REGISTER_KERNEL(OpSpec("Bincount").Output("bins"),
                CreateBincount<Kind::kBincount>);
REGISTER_KERNEL(OpSpec("DenseBincount").Output("output"),
                CreateBincount<Kind::kDense>);
REGISTER_KERNEL(OpSpec("SparseBincount").Output("output"),
                CreateBincount<Kind::kSparse>);
REGISTER_KERNEL(OpSpec("RaggedBincount").Output("output"),
                CreateBincount<Kind::kRagged>);

}  // namespace model_server
