// RaggedTensorToSparse: rt_nested_splits (attr RAGGED_RANK >= 1 row_splits
// tensors, Tsplits int32/int64, outermost first) and rt_dense_values (T, any
// dtype, rank >= 1) -> "sparse_indices" (int64 [n, rank]), "sparse_values"
// (T [n], the values flattened) and "sparse_dense_shape" (int64 [rank]:
// rows, the longest row of each ragged level, the values' inner
// dimensions). Bad splits are INVALID_ARGUMENT.
#include <algorithm>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "runtime/kernels/array/data_movement.h"
#include "runtime/kernels/ragged/row_partition.h"
#include "runtime/op_kernel.h"
#include "runtime/op_registry.h"
#include "runtime/status_macros.h"

namespace model_server {
namespace {

class RaggedTensorToSparseKernel final : public OpKernel {
 public:
  static absl::StatusOr<std::unique_ptr<OpKernel>> Create(
      const KernelConstruction& c) {
    int64_t ragged_rank;
    MS_RETURN_IF_ERROR(c.attrs.Get("RAGGED_RANK", &ragged_rank));
    if (ragged_rank < 1) {
      return c.attrs.Error(
          absl::StrCat("RAGGED_RANK must be >= 1, got ", ragged_rank));
    }
    MS_RETURN_IF_ERROR(CheckNumInputs(c, static_cast<int>(ragged_rank) + 1));
    return std::unique_ptr<OpKernel>(
        new RaggedTensorToSparseKernel(static_cast<int>(ragged_rank)));
  }

  absl::Status Compute(OpKernelContext& ctx) const override {
    const Tensor& values = ctx.input(ragged_rank_);
    if (values.rank() < 1) {
      return ctx.InvalidArgument("rt_dense_values must have rank >= 1");
    }
    // Partitions, innermost first so each knows its element count.
    std::vector<RowPartition> levels(ragged_rank_);
    int64_t elements = values.dim(0);
    for (int k = ragged_rank_ - 1; k >= 0; --k) {
      MS_ASSIGN_OR_RETURN(
          levels[k],
          PartitionFromRowSplits(ctx.input(k), elements,
                                 absl::StrCat("rt_nested_splits[", k, "]")));
      elements = levels[k].num_rows;
    }
    const int rank = ragged_rank_ + values.rank();
    int64_t inner = 1;
    for (int d = 1; d < values.rank(); ++d) inner *= values.dim(d);
    const int64_t n = values.NumElements();
    MS_ASSIGN_OR_RETURN(Tensor * indices,
                        ctx.allocate_output(0, DT_INT64, TensorShape{n, rank}));
    MS_ASSIGN_OR_RETURN(Tensor * sparse_values,
                        ctx.allocate_output(1, values.dtype(), TensorShape{n}));
    MS_ASSIGN_OR_RETURN(Tensor * dense_shape,
                        ctx.allocate_output(2, DT_INT64, TensorShape{rank}));
    int64_t* shape = dense_shape->data<int64_t>();
    shape[0] = levels[0].num_rows;
    for (int k = 0; k < ragged_rank_; ++k)
      shape[k + 1] = levels[k].max_row_length;
    for (int d = 1; d < values.rank(); ++d)
      shape[ragged_rank_ + d] = values.dim(d);

    int64_t* index = indices->data<int64_t>();
    std::vector<int64_t> coords(rank);
    for (int64_t v = 0; v < values.dim(0); ++v) {
      // The ragged coordinates of values row v, innermost level first.
      int64_t item = v;
      for (int k = ragged_rank_ - 1; k >= 0; --k) {
        coords[k + 1] = levels[k].position[item];
        item = levels[k].row[item];
      }
      coords[0] = item;
      for (int64_t e = 0; e < inner; ++e) {
        int64_t rest = e;
        for (int d = values.rank() - 1; d >= 1; --d) {
          coords[ragged_rank_ + d] = rest % values.dim(d);
          rest /= values.dim(d);
        }
        std::copy(coords.begin(), coords.end(), index + (v * inner + e) * rank);
      }
    }
    SwitchOnMoveType(values.dtype(), [&](auto tag) {
      using T = decltype(tag);
      std::copy(DataAs<T>(values), DataAs<T>(values) + n,
                DataAs<T>(sparse_values));
    });
    return absl::OkStatus();
  }

 private:
  explicit RaggedTensorToSparseKernel(int ragged_rank)
      : ragged_rank_(ragged_rank) {}
  const int ragged_rank_;
};

}  // namespace

REGISTER_KERNEL(OpSpec("RaggedTensorToSparse")
                    .Output("sparse_indices")
                    .Output("sparse_values")
                    .Output("sparse_dense_shape"),
                RaggedTensorToSparseKernel::Create);

}  // namespace model_server
