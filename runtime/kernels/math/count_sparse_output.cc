// The count ops with sparse outputs (tf.sparse.bincount, Keras
// CategoryEncoding with sparse=True): per batch row, how often each value
// occurs, as a SparseTensor. TensorFlow's count_ops.cc semantics.
//
// DenseCountSparseOutput: values (T int32/int64, a vector = one row, or a
//   matrix = one row per row), weights (output_type, empty or the values'
//   shape).
// SparseCountSparseOutput: indices (int64 [n, rank]), values (T [n]),
//   dense_shape (int64 [rank]), weights; rank 1 is one row, else the first
//   index is the row.
// RaggedCountSparseOutput: splits (int64 row_splits), values (T), weights.
// Attrs: minlength, maxlength (default -1), binary_output, output_type
// (int32, int64, float, double). Values < 0, and >= maxlength when
// maxlength > 0, are skipped. Outputs "output_indices" (int64 [m, 2], or
// [m, 1] for one dense/sparse row), "output_values" (output_type, the
// counts or summed weights, 1 with binary_output; sorted by value within a
// row) and "output_dense_shape" ([rows, width] or [width]; width is
// maxlength if > 0, else max(largest value + 1, minlength)).
#include <algorithm>
#include <cstdint>
#include <memory>
#include <type_traits>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "runtime/kernels/kernel_util.h"
#include "runtime/op_kernel.h"
#include "runtime/op_registry.h"
#include "runtime/status_macros.h"

namespace model_server {
namespace {

enum class CountInput { kDense, kSparse, kRagged };

struct CountAttrs {
  int64_t minlength = -1;
  int64_t maxlength = -1;
  bool binary_output = false;
};

template <typename W>
class Counter {
 public:
  Counter(const CountAttrs& attrs, int64_t rows, const Tensor& weights)
      : attrs_(attrs),
        counts_(rows),
        weights_(weights.NumElements() > 0 ? weights.data<W>() : nullptr) {}

  // Counts value `v` (element `i` of the values) in `row`.
  void Add(int64_t row, int64_t v, int64_t i) {
    if (v < 0 || (attrs_.maxlength > 0 && v >= attrs_.maxlength)) return;
    W& count = counts_[row][v];
    if (attrs_.binary_output) {
      count = W(1);
    } else {
      count += weights_ != nullptr ? weights_[i] : W(1);
    }
    max_value_ = std::max(max_value_, v);
  }

  absl::Status Write(OpKernelContext& ctx, bool one_row) const {
    int64_t total = 0;
    for (const auto& row : counts_) total += static_cast<int64_t>(row.size());
    const int64_t columns = one_row ? 1 : 2;
    MS_ASSIGN_OR_RETURN(
        Tensor * indices,
        ctx.allocate_output(0, DT_INT64, TensorShape{total, columns}));
    MS_ASSIGN_OR_RETURN(
        Tensor * values,
        ctx.allocate_output(1, DataTypeOf<W>::value, TensorShape{total}));
    int64_t k = 0;
    for (size_t r = 0; r < counts_.size(); ++r) {
      std::vector<std::pair<int64_t, W>> sorted(counts_[r].begin(),
                                                counts_[r].end());
      std::sort(sorted.begin(), sorted.end(),
                [](const auto& a, const auto& b) { return a.first < b.first; });
      for (const auto& [value, count] : sorted) {
        if (one_row) {
          indices->data<int64_t>()[k] = value;
        } else {
          indices->data<int64_t>()[2 * k] = static_cast<int64_t>(r);
          indices->data<int64_t>()[2 * k + 1] = value;
        }
        values->data<W>()[k] = count;
        ++k;
      }
    }
    const int64_t width = attrs_.maxlength > 0
                              ? attrs_.maxlength
                              : std::max(max_value_ + 1, attrs_.minlength);
    MS_ASSIGN_OR_RETURN(
        Tensor * shape,
        ctx.allocate_output(2, DT_INT64, TensorShape{one_row ? 1 : 2}));
    if (one_row) {
      shape->data<int64_t>()[0] = width;
    } else {
      shape->data<int64_t>()[0] = static_cast<int64_t>(counts_.size());
      shape->data<int64_t>()[1] = width;
    }
    return absl::OkStatus();
  }

 private:
  const CountAttrs attrs_;
  std::vector<absl::flat_hash_map<int64_t, W>> counts_;
  const W* weights_;
  int64_t max_value_ = 0;
};

absl::Status CheckWeights(const Tensor& weights, const Tensor& values,
                          DataType dtype) {
  MS_RETURN_IF_ERROR(CheckInputDtype(weights, dtype));
  if (weights.NumElements() > 0 && weights.shape() != values.shape()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "Weights and values must have the same shape. Weight shape: ",
        weights.shape().DebugString(),
        "; values shape: ", values.shape().DebugString()));
  }
  return absl::OkStatus();
}

template <CountInput kInput, typename W>
class CountSparseOutputKernel final : public OpKernel {
 public:
  explicit CountSparseOutputKernel(CountAttrs attrs) : attrs_(attrs) {}

  absl::Status Compute(OpKernelContext& ctx) const override {
    if constexpr (kInput == CountInput::kDense) return Dense(ctx);
    if constexpr (kInput == CountInput::kSparse) return Sparse(ctx);
    return Ragged(ctx);
  }

 private:
  absl::Status Dense(OpKernelContext& ctx) const {
    const Tensor& values = ctx.input(0);
    MS_RETURN_IF_ERROR(CheckIntTensor(values, "values"));
    MS_RETURN_IF_ERROR(
        CheckWeights(ctx.input(1), values, DataTypeOf<W>::value));
    if (values.rank() != 1 && values.rank() != 2) {
      return ctx.InvalidArgument(
          absl::StrCat("Input must be a 1 or 2-dimensional tensor. Got: ",
                       values.shape().DebugString()));
    }
    const bool one_row = values.rank() == 1;
    if (!one_row && values.dim(0) == 0) {
      return ctx.InvalidArgument(
          "Invalid input: Shapes dimension cannot be 0.");
    }
    const int64_t rows = one_row ? 1 : values.dim(0);
    const int64_t per_row = one_row ? values.NumElements() : values.dim(1);
    Counter<W> counter(attrs_, rows, ctx.input(1));
    for (int64_t i = 0; i < values.NumElements(); ++i) {
      counter.Add(per_row == 0 ? 0 : i / per_row, IntAt(values, i), i);
    }
    return counter.Write(ctx, one_row);
  }

  absl::Status Sparse(OpKernelContext& ctx) const {
    const Tensor& indices = ctx.input(0);
    const Tensor& values = ctx.input(1);
    const Tensor& shape = ctx.input(2);
    MS_RETURN_IF_ERROR(CheckInputDtype(indices, DT_INT64));
    MS_RETURN_IF_ERROR(CheckIntTensor(values, "values"));
    MS_RETURN_IF_ERROR(CheckInputDtype(shape, DT_INT64));
    if (indices.rank() != 2 || values.rank() != 1 || shape.rank() != 1 ||
        values.dim(0) != indices.dim(0) || shape.dim(0) != indices.dim(1) ||
        shape.NumElements() < 1) {
      return ctx.InvalidArgument(absl::StrCat(
          "Expected indices [n, rank], values [n] and dense_shape [rank] "
          "with rank >= 1, got ",
          indices.shape().DebugString(), ", ", values.shape().DebugString(),
          " and ", shape.shape().DebugString()));
    }
    MS_RETURN_IF_ERROR(
        CheckWeights(ctx.input(3), values, DataTypeOf<W>::value));
    const int64_t n = values.NumElements(), rank = indices.dim(1);
    const int64_t* index = indices.data<int64_t>();
    const int64_t* dims = shape.data<int64_t>();
    for (int64_t i = 0; i < n; ++i) {
      for (int64_t j = 0; j < rank; ++j) {
        if (index[i * rank + j] < 0 || index[i * rank + j] >= dims[j]) {
          return ctx.InvalidArgument(absl::StrCat(
              "Invalid index value at ", i, ": dimension ", j, " has value ",
              index[i * rank + j], " which is not in [0, ", dims[j], ")"));
        }
      }
    }
    const bool one_row = rank == 1;
    const int64_t rows = one_row ? 1 : dims[0];
    if (rows <= 0 || rows > (int64_t{1} << 31)) {
      return ctx.InvalidArgument(absl::StrCat(
          "Cannot allocate ", rows, " batches, is the dense shape too wide?"));
    }
    Counter<W> counter(attrs_, rows, ctx.input(3));
    for (int64_t i = 0; i < n; ++i) {
      counter.Add(one_row ? 0 : index[i * rank], IntAt(values, i), i);
    }
    return counter.Write(ctx, one_row);
  }

  absl::Status Ragged(OpKernelContext& ctx) const {
    const Tensor& splits = ctx.input(0);
    const Tensor& values = ctx.input(1);
    MS_RETURN_IF_ERROR(CheckInputDtype(splits, DT_INT64));
    MS_RETURN_IF_ERROR(CheckIntTensor(values, "values"));
    MS_RETURN_IF_ERROR(
        CheckWeights(ctx.input(2), values, DataTypeOf<W>::value));
    const int64_t rows = splits.NumElements() - 1;
    const int64_t n = values.NumElements();
    if (splits.rank() != 1 || rows < 1) {
      return ctx.InvalidArgument(
          "Must provide at least 2 elements for the splits argument");
    }
    const int64_t* split = splits.data<int64_t>();
    if (split[0] != 0) {
      return ctx.InvalidArgument(
          absl::StrCat("Splits must start with 0, not with ", split[0]));
    }
    if (split[rows] != n) {
      return ctx.InvalidArgument(
          absl::StrCat("Splits must end with the number of values, got ",
                       split[rows], " instead of ", n));
    }
    Counter<W> counter(attrs_, rows, ctx.input(2));
    for (int64_t r = 0; r < rows; ++r) {
      if (split[r + 1] < split[r]) {
        return ctx.InvalidArgument("Splits must be non-decreasing");
      }
      for (int64_t i = split[r]; i < split[r + 1]; ++i) {
        counter.Add(r, IntAt(values, i), i);
      }
    }
    return counter.Write(ctx, /*one_row=*/false);
  }

  const CountAttrs attrs_;
};

template <CountInput kInput>
absl::StatusOr<std::unique_ptr<OpKernel>> CreateCount(
    const KernelConstruction& c) {
  const int inputs = kInput == CountInput::kDense    ? 2
                     : kInput == CountInput::kSparse ? 4
                                                     : 3;
  MS_RETURN_IF_ERROR(CheckNumInputs(c, inputs));
  MS_RETURN_IF_ERROR(CheckIndexTypeAttr(c, "T"));
  CountAttrs attrs;
  MS_RETURN_IF_ERROR(c.attrs.GetOr("minlength", int64_t{-1}, &attrs.minlength));
  MS_RETURN_IF_ERROR(c.attrs.GetOr("maxlength", int64_t{-1}, &attrs.maxlength));
  MS_RETURN_IF_ERROR(c.attrs.Get("binary_output", &attrs.binary_output));
  if (attrs.minlength < -1 || attrs.maxlength < -1) {
    return c.attrs.Error("minlength and maxlength must be >= -1");
  }
  DataType output_type;
  MS_RETURN_IF_ERROR(c.attrs.Get("output_type", &output_type));
  return MakeTypedKernel(
      c, output_type, [&](auto tag) -> std::unique_ptr<OpKernel> {
        using W = decltype(tag);
        if constexpr (std::is_same_v<W, int32_t> ||
                      std::is_same_v<W, int64_t> || std::is_same_v<W, float> ||
                      std::is_same_v<W, double>) {
          return std::make_unique<CountSparseOutputKernel<kInput, W>>(attrs);
        }
        return nullptr;
      });
}

}  // namespace

#define MS_COUNT_OUTPUTS(name)  \
  OpSpec(name)                  \
      .Output("output_indices") \
      .Output("output_values")  \
      .Output("output_dense_shape")
REGISTER_KERNEL(MS_COUNT_OUTPUTS("DenseCountSparseOutput"),
                CreateCount<CountInput::kDense>);
REGISTER_KERNEL(MS_COUNT_OUTPUTS("SparseCountSparseOutput"),
                CreateCount<CountInput::kSparse>);
REGISTER_KERNEL(MS_COUNT_OUTPUTS("RaggedCountSparseOutput"),
                CreateCount<CountInput::kRagged>);
#undef MS_COUNT_OUTPUTS

}  // namespace model_server
