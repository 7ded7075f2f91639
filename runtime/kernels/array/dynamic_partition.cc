// Splitting rows by a partition id and merging them back.
//
// DynamicPartition: data, partitions (int32, shape a prefix of data's) ->
//   outputs (attr num_partitions tensors): output i holds, in order, the
//   slices data[j...] whose partitions[j...] == i.
// DynamicStitch / ParallelDynamicStitch: indices (N int32 tensors), data (N
//   tensors of T) -> merged [max index + 1] + data[0].shape[rank(indices[0]):]
//   with merged[indices[m][j...], :] = data[m][j..., :]; where indices
//   repeat, the later input wins (ParallelDynamicStitch leaves it unspecified
//   in TensorFlow; we do the same as DynamicStitch). An index that no input
//   names stays zero.
//
// Every dtype (data_movement.h). Ids and indices out of range are
// INVALID_ARGUMENT.
#include <algorithm>
#include <cstdint>
#include <memory>
#include <string>
#include <type_traits>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "runtime/kernels/array/data_movement.h"
#include "runtime/kernels/kernel_util.h"
#include "runtime/op_kernel.h"
#include "runtime/op_registry.h"
#include "runtime/status_macros.h"

namespace model_server {
namespace {

// True if `prefix`'s dimensions begin `shape`'s.
bool StartsWith(const TensorShape& shape, const TensorShape& prefix) {
  if (prefix.rank() > shape.rank()) return false;
  for (int d = 0; d < prefix.rank(); ++d) {
    if (shape.dim(d) != prefix.dim(d)) return false;
  }
  return true;
}

class DynamicPartitionKernel : public OpKernel {
 public:
  static absl::StatusOr<std::unique_ptr<OpKernel>> Create(
      const KernelConstruction& c) {
    MS_RETURN_IF_ERROR(CheckNumInputs(c, 2));
    int64_t num;
    MS_RETURN_IF_ERROR(c.attrs.Get("num_partitions", &num));
    if (num < 1 || num > 1000000) {
      return c.attrs.Error(
          absl::StrCat("num_partitions must be at least 1, got ", num));
    }
    return std::unique_ptr<OpKernel>(
        new DynamicPartitionKernel(static_cast<int>(num)));
  }

  absl::Status Compute(OpKernelContext& ctx) const override {
    const Tensor& data = ctx.input(0);
    const Tensor& partitions = ctx.input(1);
    MS_RETURN_IF_ERROR(CheckInputDtype(partitions, DT_INT32));
    if (!StartsWith(data.shape(), partitions.shape())) {
      return ctx.InvalidArgument(absl::StrCat(
          "data.shape must start with partitions.shape, got data.shape = ",
          data.shape().DebugString(),
          ", partitions.shape = ", partitions.shape().DebugString()));
    }
    const int64_t n = partitions.NumElements();
    const int32_t* ids = partitions.data<int32_t>();
    std::vector<int64_t> counts(num_, 0);
    for (int64_t j = 0; j < n; ++j) {
      if (ids[j] < 0 || ids[j] >= num_) {
        return ctx.InvalidArgument(absl::StrCat(
            "partitions", SliceDebugString(partitions.shape().dims(), j), " = ",
            ids[j], " is not in [0, ", num_, ")"));
      }
      ++counts[ids[j]];
    }
    absl::Span<const int64_t> slice_dims =
        data.shape().dims().subspan(partitions.rank());
    const int64_t slice = Product(slice_dims);
    std::vector<Tensor*> outs(num_);
    for (int p = 0; p < num_; ++p) {
      std::vector<int64_t> dims = {counts[p]};
      dims.insert(dims.end(), slice_dims.begin(), slice_dims.end());
      MS_ASSIGN_OR_RETURN(TensorShape shape, TensorShape::FromDims(dims));
      MS_ASSIGN_OR_RETURN(outs[p], ctx.allocate_output(p, data.dtype(), shape));
    }
    if (slice == 0) return absl::OkStatus();
    SwitchOnMoveType(data.dtype(), [&](auto tag) {
      using T = decltype(tag);
      std::vector<int64_t> filled(num_, 0);
      for (int64_t j = 0; j < n; ++j) {
        const int p = ids[j];
        CopyRun(DataAs<T>(data) + j * slice, slice,
                DataAs<T>(outs[p]) + filled[p]++ * slice);
      }
    });
    return absl::OkStatus();
  }

 private:
  explicit DynamicPartitionKernel(int num) : num_(num) {}
  const int num_;
};

class DynamicStitchKernel : public OpKernel {
 public:
  static absl::StatusOr<std::unique_ptr<OpKernel>> Create(
      const KernelConstruction& c) {
    int64_t n;
    MS_RETURN_IF_ERROR(c.attrs.Get("N", &n));
    if (n < 1 || n > 100000) {
      return c.attrs.Error(absl::StrCat("attr 'N' = ", n, " must be >= 1"));
    }
    MS_RETURN_IF_ERROR(CheckNumInputs(c, static_cast<int>(2 * n)));
    return std::unique_ptr<OpKernel>(
        new DynamicStitchKernel(static_cast<int>(n)));
  }

  absl::Status Compute(OpKernelContext& ctx) const override {
    const Tensor& data0 = ctx.input(n_);
    const Tensor& indices0 = ctx.input(0);
    if (!StartsWith(data0.shape(), indices0.shape())) {
      return ctx.InvalidArgument(
          absl::StrCat("data[0].shape = ", data0.shape().DebugString(),
                       " does not start with indices[0].shape = ",
                       indices0.shape().DebugString()));
    }
    absl::Span<const int64_t> slice_dims =
        data0.shape().dims().subspan(indices0.rank());
    const int64_t slice = Product(slice_dims);
    int64_t max_index = -1;
    for (int m = 0; m < n_; ++m) {
      const Tensor& indices = ctx.input(m);
      const Tensor& data = ctx.input(n_ + m);
      MS_RETURN_IF_ERROR(CheckInputDtype(indices, DT_INT32));
      MS_RETURN_IF_ERROR(CheckInputDtype(data, data0.dtype()));
      bool ok =
          StartsWith(data.shape(), indices.shape()) &&
          data.rank() - indices.rank() == static_cast<int>(slice_dims.size());
      for (size_t d = 0; ok && d < slice_dims.size(); ++d) {
        ok = data.dim(indices.rank() + static_cast<int>(d)) == slice_dims[d];
      }
      if (!ok) {
        return ctx.InvalidArgument(absl::StrCat(
            "Need data[", m, "].shape = indices[", m,
            "].shape + constant, got data[", m,
            "].shape = ", data.shape().DebugString(), ", indices[", m,
            "].shape = ", indices.shape().DebugString(), ", constant = [",
            absl::StrJoin(slice_dims, ","), "]"));
      }
      for (int64_t j = 0; j < indices.NumElements(); ++j) {
        const int32_t index = indices.data<int32_t>()[j];
        if (index < 0) {
          return ctx.InvalidArgument(absl::StrCat(
              "indices[", m, "]", SliceDebugString(indices.shape().dims(), j),
              " = ", index, " is negative"));
        }
        max_index = std::max<int64_t>(max_index, index);
      }
    }
    std::vector<int64_t> dims = {max_index + 1};
    dims.insert(dims.end(), slice_dims.begin(), slice_dims.end());
    MS_ASSIGN_OR_RETURN(TensorShape shape, TensorShape::FromDims(dims));
    MS_ASSIGN_OR_RETURN(Tensor * out,
                        ctx.allocate_output(0, data0.dtype(), shape));
    if (out->NumElements() == 0) return absl::OkStatus();
    SwitchOnMoveType(data0.dtype(), [&](auto tag) {
      using T = decltype(tag);
      T* dst = DataAs<T>(out);
      if constexpr (std::is_trivially_copyable_v<T>) {
        std::fill(dst, dst + out->NumElements(), T{});
      }
      for (int m = 0; m < n_; ++m) {
        const Tensor& indices = ctx.input(m);
        const T* src = DataAs<T>(ctx.input(n_ + m));
        for (int64_t j = 0; j < indices.NumElements(); ++j) {
          CopyRun(src + j * slice, slice,
                  dst + indices.data<int32_t>()[j] * slice);
        }
      }
    });
    return absl::OkStatus();
  }

 private:
  explicit DynamicStitchKernel(int n) : n_(n) {}
  const int n_;
};

}  // namespace

REGISTER_KERNEL(OpSpec("DynamicPartition").Output("outputs", "num_partitions"),
                DynamicPartitionKernel::Create);
REGISTER_KERNEL(OpSpec("DynamicStitch").Output("merged"),
                DynamicStitchKernel::Create);
REGISTER_KERNEL(OpSpec("ParallelDynamicStitch").Output("merged"),
                DynamicStitchKernel::Create);

}  // namespace model_server
