// RaggedTensorToTensor: a ragged tensor -> a dense "result", padded with
// default_value and truncated to `shape` where it is given.
//
// Inputs: shape (Tshape int32/int64: a scalar for "unknown", or one entry
// per output dimension, -1 for unknown), values (T, any dtype: the flat
// values), default_value (T, broadcastable to values.shape[1:]), and
// num_row_partition_tensors partition tensors (Tindex int32/int64) whose
// kinds the attr row_partition_types lists, outermost first:
//   - "FIRST_DIM_SIZE" (only first): a scalar, the number of rows;
//   - "ROW_SPLITS": the level's row_splits;
//   - "VALUE_ROWIDS": the level's value_rowids (the row count comes from
//     the level above, or FIRST_DIM_SIZE).
// The output has rank ragged_rank + values.rank; an unknown dimension is
// the number of rows (first) or the longest row (ragged ones); inner
// dimensions are values.shape[1:]. Elements beyond a given dimension are
// dropped. Bad partitions are INVALID_ARGUMENT.
#include <algorithm>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "runtime/kernels/array/data_movement.h"
#include "runtime/kernels/kernel_util.h"
#include "runtime/kernels/ragged/row_partition.h"
#include "runtime/op_kernel.h"
#include "runtime/op_registry.h"
#include "runtime/status_macros.h"

namespace model_server {
namespace {

enum class PartitionType { kFirstDimSize, kRowSplits, kValueRowids };

class RaggedTensorToTensorKernel final : public OpKernel {
 public:
  static absl::StatusOr<std::unique_ptr<OpKernel>> Create(
      const KernelConstruction& c) {
    int64_t num_partitions;
    MS_RETURN_IF_ERROR(
        c.attrs.Get("num_row_partition_tensors", &num_partitions));
    std::vector<std::string> names;
    MS_RETURN_IF_ERROR(c.attrs.Get("row_partition_types", &names));
    if (static_cast<int64_t>(names.size()) != num_partitions ||
        num_partitions < 1) {
      return c.attrs.Error(absl::StrCat(
          "row_partition_types has ", names.size(),
          " entries; num_row_partition_tensors is ", num_partitions));
    }
    MS_RETURN_IF_ERROR(CheckNumInputs(c, 3 + static_cast<int>(num_partitions)));
    std::vector<PartitionType> types;
    for (size_t i = 0; i < names.size(); ++i) {
      if (names[i] == "FIRST_DIM_SIZE" && i == 0) {
        types.push_back(PartitionType::kFirstDimSize);
      } else if (names[i] == "ROW_SPLITS") {
        types.push_back(PartitionType::kRowSplits);
      } else if (names[i] == "VALUE_ROWIDS" && (i > 0)) {
        types.push_back(PartitionType::kValueRowids);
      } else {
        return c.attrs.Error(absl::StrCat(
            "unsupported row_partition_types [", absl::StrJoin(names, ", "),
            "]: FIRST_DIM_SIZE may only come first, VALUE_ROWIDS only after "
            "it or another partition"));
      }
    }
    if (types[0] == PartitionType::kFirstDimSize && types.size() == 1) {
      return c.attrs.Error("FIRST_DIM_SIZE needs a partition after it");
    }
    return std::unique_ptr<OpKernel>(
        new RaggedTensorToTensorKernel(std::move(types)));
  }

  absl::Status Compute(OpKernelContext& ctx) const override {
    const Tensor& shape = ctx.input(0);
    const Tensor& values = ctx.input(1);
    const Tensor& default_value = ctx.input(2);
    if (values.rank() < 1) {
      return ctx.InvalidArgument("values must have rank >= 1, got a scalar");
    }
    if (default_value.dtype() != values.dtype()) {
      return ctx.InvalidArgument("default_value must have the values' dtype");
    }
    MS_ASSIGN_OR_RETURN(std::vector<RowPartition> levels, Partitions(ctx));
    const int ragged_rank = static_cast<int>(levels.size());
    const int out_rank = ragged_rank + values.rank();

    // Output dimensions.
    MS_RETURN_IF_ERROR(CheckIntTensor(shape, "shape"));
    if (shape.rank() > 1 ||
        (shape.rank() == 1 && shape.NumElements() != out_rank)) {
      return ctx.InvalidArgument(
          absl::StrCat("shape ", shape.DebugString(),
                       " does not fit a ragged tensor of rank ", out_rank));
    }
    std::vector<int64_t> dims(out_rank);
    dims[0] = levels[0].num_rows;
    for (int k = 0; k < ragged_rank; ++k)
      dims[k + 1] = levels[k].max_row_length;
    for (int d = 1; d < values.rank(); ++d)
      dims[ragged_rank + d] = values.dim(d);
    if (shape.rank() == 1) {
      for (int d = 0; d < out_rank; ++d) {
        const int64_t given = IntAt(shape, d);
        if (given < -1) {
          return ctx.InvalidArgument(
              absl::StrCat("shape[", d, "] = ", given, " is not >= -1"));
        }
        if (given == -1) continue;
        if (d > ragged_rank && given != dims[d]) {
          return ctx.InvalidArgument(absl::StrCat(
              "shape[", d, "] = ", given,
              " differs from the values' inner dimension ", dims[d]));
        }
        dims[d] = given;
      }
    }
    MS_ASSIGN_OR_RETURN(TensorShape out_shape, TensorShape::FromDims(dims));
    MS_ASSIGN_OR_RETURN(Tensor * out,
                        ctx.allocate_output(0, values.dtype(), out_shape));

    // Inner blocks: one per values row.
    int64_t inner = 1;
    for (int d = 1; d < values.rank(); ++d) inner *= values.dim(d);
    MS_RETURN_IF_ERROR(FillDefault(default_value, values, out, inner));

    // Block offset of each element, level by level (-1: dropped).
    std::vector<int64_t> stride(ragged_rank + 1, 1);
    for (int k = ragged_rank - 1; k >= 0; --k)
      stride[k] = stride[k + 1] * dims[k + 1];
    std::vector<int64_t> offset(levels[0].num_rows);
    for (int64_t i = 0; i < levels[0].num_rows; ++i) {
      offset[i] = i < dims[0] ? i * stride[0] : -1;
    }
    for (int k = 0; k < ragged_rank; ++k) {
      std::vector<int64_t> next(levels[k].num_elements());
      for (int64_t j = 0; j < levels[k].num_elements(); ++j) {
        const int64_t parent = offset[levels[k].row[j]];
        const int64_t q = levels[k].position[j];
        next[j] =
            (parent < 0 || q >= dims[k + 1]) ? -1 : parent + q * stride[k + 1];
      }
      offset = std::move(next);
    }
    SwitchOnMoveType(values.dtype(), [&](auto tag) {
      using T = decltype(tag);
      const T* src = DataAs<T>(values);
      T* dst = DataAs<T>(out);
      for (size_t j = 0; j < offset.size(); ++j) {
        if (offset[j] < 0) continue;
        std::copy(src + j * inner, src + (j + 1) * inner,
                  dst + offset[j] * inner);
      }
    });
    return absl::OkStatus();
  }

 private:
  explicit RaggedTensorToTensorKernel(std::vector<PartitionType> types)
      : types_(std::move(types)) {}

  // The ragged levels, outermost first, checked against each other and the
  // values.
  absl::StatusOr<std::vector<RowPartition>> Partitions(
      OpKernelContext& ctx) const {
    const int64_t num_values = ctx.input(1).dim(0);
    std::vector<RowPartition> levels;
    int64_t rows = -1;  // Elements of the level above (rows of this one).
    size_t first = 0;
    if (types_[0] == PartitionType::kFirstDimSize) {
      MS_ASSIGN_OR_RETURN(rows, ScalarIndex(ctx.input(3), "FIRST_DIM_SIZE"));
      first = 1;
    }
    for (size_t i = first; i < types_.size(); ++i) {
      const Tensor& t = ctx.input(3 + static_cast<int>(i));
      const bool last = i + 1 == types_.size();
      const std::string what = absl::StrCat("row_partition_tensors[", i, "]");
      RowPartition level;
      if (types_[i] == PartitionType::kRowSplits) {
        MS_RETURN_IF_ERROR(CheckIntTensor(t, what));
        if (t.rank() != 1 || t.NumElements() < 1) {
          return ctx.InvalidArgument(absl::StrCat(
              what, " (row_splits) must be a non-empty vector, got shape ",
              t.shape().DebugString()));
        }
        const int64_t elements =
            last ? num_values : IntAt(t, t.NumElements() - 1);
        MS_ASSIGN_OR_RETURN(level, PartitionFromRowSplits(t, elements, what));
        if (rows >= 0 && level.num_rows != rows) {
          return ctx.InvalidArgument(absl::StrCat(what, " has ", level.num_rows,
                                                  " rows; the level above has ",
                                                  rows, " elements"));
        }
      } else {
        MS_ASSIGN_OR_RETURN(level, PartitionFromValueRowids(t, rows, what));
        if (last && level.num_elements() != num_values) {
          return ctx.InvalidArgument(
              absl::StrCat(what, " has ", level.num_elements(), " entries for ",
                           num_values, " values"));
        }
      }
      rows = level.num_elements();
      levels.push_back(std::move(level));
    }
    return levels;
  }

  // Fills `out` with default_value broadcast to every inner block.
  static absl::Status FillDefault(const Tensor& default_value,
                                  const Tensor& values, Tensor* out,
                                  int64_t inner) {
    const int inner_rank = values.rank() - 1;
    const int rank = default_value.rank();
    if (rank > inner_rank) {
      return absl::InvalidArgumentError(absl::StrCat(
          "default_value.shape=", default_value.shape().DebugString(),
          " and rt_input.flat_values.shape=", values.shape().DebugString(),
          " are incompatible: default_value.rank = ", rank,
          " must be less than rt_input.flat_values.rank = ", values.rank()));
    }
    // Index into default_value for each position of an inner block.
    std::vector<int64_t> source(inner, 0);
    for (int64_t e = 0; e < inner; ++e) {
      int64_t rest = e, index = 0, stride = 1;
      for (int d = inner_rank - 1; d >= 0; --d) {
        const int64_t size = values.dim(d + 1);
        const int64_t coord = rest % size;
        rest /= size;
        const int dd = d - (inner_rank - rank);
        if (dd < 0) continue;
        const int64_t dsize = default_value.dim(dd);
        if (dsize != 1 && dsize != size) {
          return absl::InvalidArgumentError(absl::StrCat(
              "default_value.shape=", default_value.shape().DebugString(),
              " and rt_input.flat_values.shape=", values.shape().DebugString(),
              " are incompatible"));
        }
        index += (dsize == 1 ? 0 : coord) * stride;
        stride *= dsize;
      }
      source[e] = index;
    }
    const int64_t blocks = inner == 0 ? 0 : out->NumElements() / inner;
    SwitchOnMoveType(values.dtype(), [&](auto tag) {
      using T = decltype(tag);
      const T* src = DataAs<T>(default_value);
      T* dst = DataAs<T>(out);
      for (int64_t b = 0; b < blocks; ++b) {
        for (int64_t e = 0; e < inner; ++e) dst[b * inner + e] = src[source[e]];
      }
    });
    return absl::OkStatus();
  }

  const std::vector<PartitionType> types_;
};

}  // namespace

REGISTER_KERNEL(OpSpec("RaggedTensorToTensor").Output("result"),
                RaggedTensorToTensorKernel::Create);

}  // namespace model_server
