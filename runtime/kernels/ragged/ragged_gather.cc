// RaggedGather: rows of a ragged tensor picked by `indices`
// (tf.gather on a RaggedTensor, e.g. embedding-style lookups of token rows).
//
// Inputs: params_nested_splits (PARAMS_RAGGED_RANK >= 1 row_splits tensors,
// Tsplits int32/int64, outermost first), params_dense_values (Tvalues, any
// dtype), indices (Tindices int32/int64, any rank). Outputs
// "output_nested_splits" (OUTPUT_RAGGED_RANK = PARAMS_RAGGED_RANK +
// rank(indices) - 1 tensors: uniform splits for the leading dimensions of a
// multi-dimensional `indices`, then the gathered rows' splits) and
// "output_dense_values". An index outside [0, rows) is INVALID_ARGUMENT
// "indices[i] = v is not in [0, rows)".
#include <algorithm>
#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "runtime/kernels/array/data_movement.h"
#include "runtime/kernels/kernel_util.h"
#include "runtime/op_kernel.h"
#include "runtime/op_registry.h"
#include "runtime/status_macros.h"

namespace model_server {
namespace {

using Range = std::pair<int64_t, int64_t>;

class RaggedGatherKernel final : public OpKernel {
 public:
  static absl::StatusOr<std::unique_ptr<OpKernel>> Create(
      const KernelConstruction& c) {
    int64_t params_rank, output_rank;
    MS_RETURN_IF_ERROR(c.attrs.Get("PARAMS_RAGGED_RANK", &params_rank));
    MS_RETURN_IF_ERROR(c.attrs.Get("OUTPUT_RAGGED_RANK", &output_rank));
    if (params_rank < 1 || output_rank < 0) {
      return c.attrs.Error(absl::StrCat(
          "PARAMS_RAGGED_RANK must be >= 1 and OUTPUT_RAGGED_RANK >= 0, got ",
          params_rank, " and ", output_rank));
    }
    MS_RETURN_IF_ERROR(CheckNumInputs(c, static_cast<int>(params_rank) + 2));
    DataType splits_dtype;
    MS_ASSIGN_OR_RETURN(splits_dtype, IndexTypeAttr(c, "Tsplits", DT_INT64));
    return std::unique_ptr<OpKernel>(
        new RaggedGatherKernel(static_cast<int>(params_rank),
                               static_cast<int>(output_rank), splits_dtype));
  }

  absl::Status Compute(OpKernelContext& ctx) const override {
    const Tensor& values = ctx.input(params_rank_);
    const Tensor& indices = ctx.input(params_rank_ + 1);
    MS_RETURN_IF_ERROR(CheckIntTensor(indices, "indices"));
    if (values.rank() < 1) {
      return ctx.InvalidArgument("params_dense_values must have rank >= 1");
    }
    if (params_rank_ + indices.rank() - 1 != output_rank_) {
      return ctx.InvalidArgument(absl::StrCat(
          "OUTPUT_RAGGED_RANK must be PARAMS_RAGGED_RANK + rank(indices) - 1 "
          "= ",
          params_rank_ + indices.rank() - 1, ", got ", output_rank_));
    }
    MS_RETURN_IF_ERROR(CheckSplits(ctx, values.dim(0)));
    const Tensor& top = ctx.input(0);
    const int64_t rows = top.NumElements() - 1;

    // The selected rows as ranges of level-1 items.
    std::vector<Range> ranges;
    std::vector<std::vector<int64_t>> out_splits;
    for (int i = 0; i < indices.rank() - 1; ++i) {
      // Uniform splits for the leading dimensions of `indices`.
      int64_t outer = 1;
      for (int d = 0; d <= i; ++d) outer *= indices.dim(d);
      std::vector<int64_t> uniform(outer + 1);
      for (int64_t r = 0; r <= outer; ++r) uniform[r] = r * indices.dim(i + 1);
      out_splits.push_back(std::move(uniform));
    }
    std::vector<int64_t> level0 = {0};
    for (int64_t i = 0; i < indices.NumElements(); ++i) {
      const int64_t index = IntAt(indices, i);
      if (index < 0 || index >= rows) {
        return ctx.InvalidArgument(absl::StrCat("indices[", i, "] = ", index,
                                                " is not in [0, ", rows, ")"));
      }
      const Range range = {IntAt(top, index), IntAt(top, index + 1)};
      ranges.push_back(range);
      level0.push_back(level0.back() + range.second - range.first);
    }
    if (indices.rank() > 0) out_splits.push_back(std::move(level0));
    for (int level = 1; level < params_rank_; ++level) {
      const Tensor& splits = ctx.input(level);
      std::vector<int64_t> out = {0};
      std::vector<Range> next;
      for (const Range& range : ranges) {
        for (int64_t j = range.first; j < range.second; ++j) {
          out.push_back(out.back() + IntAt(splits, j + 1) - IntAt(splits, j));
        }
        next.push_back(
            {IntAt(splits, range.first), IntAt(splits, range.second)});
      }
      out_splits.push_back(std::move(out));
      ranges = std::move(next);
    }

    for (size_t k = 0; k < out_splits.size(); ++k) {
      const int64_t n = static_cast<int64_t>(out_splits[k].size());
      MS_ASSIGN_OR_RETURN(
          Tensor * t, ctx.allocate_output(static_cast<int>(k), splits_dtype_,
                                          TensorShape{n}));
      for (int64_t j = 0; j < n; ++j) {
        if (splits_dtype_ == DT_INT32) {
          t->data<int32_t>()[j] = static_cast<int32_t>(out_splits[k][j]);
        } else {
          t->data<int64_t>()[j] = out_splits[k][j];
        }
      }
    }
    int64_t total = 0;
    for (const Range& range : ranges) total += range.second - range.first;
    TensorShape shape = values.shape();
    MS_RETURN_IF_ERROR(shape.SetDim(0, total));
    MS_ASSIGN_OR_RETURN(
        Tensor * out, ctx.allocate_output(output_rank_, values.dtype(), shape));
    const int64_t inner =
        values.dim(0) == 0 ? 0 : values.NumElements() / values.dim(0);
    SwitchOnMoveType(values.dtype(), [&](auto tag) {
      using T = decltype(tag);
      const T* src = DataAs<T>(values);
      T* dst = DataAs<T>(out);
      for (const Range& range : ranges) {
        dst = std::copy(src + range.first * inner, src + range.second * inner,
                        dst);
      }
    });
    return absl::OkStatus();
  }

 private:
  RaggedGatherKernel(int params_rank, int output_rank, DataType splits_dtype)
      : params_rank_(params_rank),
        output_rank_(output_rank),
        splits_dtype_(splits_dtype) {}

  // Every splits tensor: a non-empty vector from 0, non-decreasing, ending
  // at the size of the level below.
  absl::Status CheckSplits(OpKernelContext& ctx, int64_t num_values) const {
    for (int level = 0; level < params_rank_; ++level) {
      const Tensor& splits = ctx.input(level);
      const std::string what =
          absl::StrCat("params_nested_splits[", level, "]");
      MS_RETURN_IF_ERROR(CheckIntTensor(splits, what));
      if (splits.rank() != 1 || splits.NumElements() < 1) {
        return ctx.InvalidArgument(
            absl::StrCat(what, " must be a non-empty vector"));
      }
      const int64_t n = splits.NumElements();
      const int64_t below = level + 1 < params_rank_
                                ? ctx.input(level + 1).NumElements() - 1
                                : num_values;
      if (IntAt(splits, 0) != 0 || IntAt(splits, n - 1) != below) {
        return ctx.InvalidArgument(
            absl::StrCat(what, " must start with 0 and end with ", below));
      }
      for (int64_t i = 0; i + 1 < n; ++i) {
        if (IntAt(splits, i + 1) < IntAt(splits, i)) {
          return ctx.InvalidArgument(
              absl::StrCat(what, " must be non-decreasing"));
        }
      }
    }
    return absl::OkStatus();
  }

  const int params_rank_;
  const int output_rank_;
  const DataType splits_dtype_;
};

}  // namespace

REGISTER_KERNEL(OpSpec("RaggedGather")
                    .Output("output_nested_splits", "OUTPUT_RAGGED_RANK")
                    .Output("output_dense_values"),
                RaggedGatherKernel::Create);

}  // namespace model_server
