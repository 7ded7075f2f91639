// SparseReduceSum / SparseReduceMax (dense output) and SparseReduceSumSparse
// / SparseReduceMaxSparse (SparseTensor output): input_indices int64 [N, R],
// input_values T [N], input_shape int64 [R], reduction_axes int32 (scalar or
// vector, negative counts from the end; repeated axes are fine) and the
// keep_dims attr (default false; reduced dimensions become 1).
//
// As TensorFlow: the entries are grouped by their coordinates along the kept
// dimensions and each group reduces its present values only (Max ignores
// the implicit zeros; a dense output position no entry reaches is 0). The
// sparse outputs list one entry per non-empty group, in row-major order.
// Sum: every number dtype (half and bfloat16 summed in float, complex);
// Max: the real number dtypes. Unlike TensorFlow, an index outside
// input_shape is INVALID_ARGUMENT rather than a wrong write.
#include <algorithm>
#include <cstdint>
#include <memory>
#include <numeric>
#include <string>
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

// The entries of a validated SparseTensor grouped by their kept coordinates.
struct Grouping {
  Dims kept_dims;              // dimensions not reduced, ascending
  Dims out_dims;               // the reduced dense shape
  std::vector<int64_t> order;  // entries sorted by (kept, reduced) coords
  // Group g holds order[starts[g], starts[g + 1]).
  std::vector<int64_t> starts;
};

absl::StatusOr<Grouping> GroupEntries(const Tensor& indices,
                                      const Tensor& values, const Tensor& shape,
                                      const Tensor& axes, bool keep_dims) {
  if (shape.rank() != 1 || shape.dtype() != DT_INT64) {
    return absl::InvalidArgumentError(
        absl::StrCat("Expected input_shape to be a vector; got shape: ",
                     shape.shape().DebugString()));
  }
  if (axes.rank() > 1 || axes.dtype() != DT_INT32) {
    return absl::InvalidArgumentError(absl::StrCat(
        "Expected reduction_axes to be a scalar or a vector; got shape: ",
        axes.shape().DebugString()));
  }
  const int64_t rank = shape.NumElements();
  if (indices.rank() != 2 || indices.dtype() != DT_INT64) {
    return absl::InvalidArgumentError(
        absl::StrCat("Input indices should be an int64 matrix but received "
                     "shape ",
                     indices.shape().DebugString()));
  }
  if (values.rank() != 1 || values.dim(0) != indices.dim(0)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "Input values should be a vector with one value per index row but "
        "received shape ",
        values.shape().DebugString(), " for indices ",
        indices.shape().DebugString()));
  }
  if (indices.dim(1) != rank) {
    return absl::InvalidArgumentError(
        absl::StrCat("Index rank (", indices.dim(1), ") and shape rank (", rank,
                     ") do not match"));
  }
  const int64_t* dims = shape.data<int64_t>();
  // The dense shape must be valid (non-negative, its size must fit).
  MS_RETURN_IF_ERROR(
      TensorShape::FromDims(absl::MakeSpan(dims, rank)).status());
  std::vector<bool> reduced(rank, false);
  for (int64_t i = 0; i < axes.NumElements(); ++i) {
    const int32_t axis = axes.data<int32_t>()[i];
    if (axis < -rank || axis >= rank) {
      return absl::InvalidArgumentError(
          absl::StrCat("Invalid reduction dimension ", axis,
                       ", for input with ", rank, " dimensions."));
    }
    reduced[axis < 0 ? axis + rank : axis] = true;
  }
  const int64_t n = indices.dim(0);
  const int64_t* ix = indices.data<int64_t>();
  for (int64_t i = 0; i < n; ++i) {
    for (int64_t d = 0; d < rank; ++d) {
      if (ix[i * rank + d] < 0 || ix[i * rank + d] >= dims[d]) {
        return absl::InvalidArgumentError(absl::StrCat(
            "indices[", i, "] = [",
            absl::StrJoin(absl::MakeSpan(ix + i * rank, rank), ","),
            "] is out of bounds: need 0 <= index < [",
            absl::StrJoin(absl::MakeSpan(dims, rank), ","), "]"));
      }
    }
  }
  Grouping g;
  Dims key_dims;  // kept dimensions, then reduced ones
  for (int64_t d = 0; d < rank; ++d) {
    if (!reduced[d]) g.kept_dims.push_back(d);
    if (!reduced[d] || keep_dims)
      g.out_dims.push_back(reduced[d] ? 1 : dims[d]);
  }
  key_dims = g.kept_dims;
  for (int64_t d = 0; d < rank; ++d) {
    if (reduced[d]) key_dims.push_back(d);
  }
  g.order.resize(n);
  std::iota(g.order.begin(), g.order.end(), 0);
  std::stable_sort(g.order.begin(), g.order.end(), [&](int64_t a, int64_t b) {
    for (int64_t d : key_dims) {
      if (ix[a * rank + d] != ix[b * rank + d]) {
        return ix[a * rank + d] < ix[b * rank + d];
      }
    }
    return false;
  });
  auto same_group = [&](int64_t a, int64_t b) {
    for (int64_t d : g.kept_dims) {
      if (ix[a * rank + d] != ix[b * rank + d]) return false;
    }
    return true;
  };
  for (int64_t i = 0; i < n; ++i) {
    if (i == 0 || !same_group(g.order[i - 1], g.order[i])) {
      g.starts.push_back(i);
    }
  }
  g.starts.push_back(n);
  return g;
}

template <typename T>
class SparseReduceKernel : public OpKernel {
 public:
  SparseReduceKernel(bool max, bool sparse_output, bool keep_dims)
      : max_(max), sparse_output_(sparse_output), keep_dims_(keep_dims) {}

  absl::Status Compute(OpKernelContext& ctx) const override {
    const Tensor& indices = ctx.input(0);
    const Tensor& values = ctx.input(1);
    MS_RETURN_IF_ERROR(CheckInputDtype(values, DataTypeOf<T>::value));
    MS_ASSIGN_OR_RETURN(
        const Grouping g,
        GroupEntries(indices, values, ctx.input(2), ctx.input(3), keep_dims_));
    const int64_t rank = indices.dim(1);
    const int64_t* ix = indices.data<int64_t>();
    const T* v = values.data<T>();
    const int64_t groups = static_cast<int64_t>(g.starts.size()) - 1;
    auto reduce = [&](int64_t group) {
      using C = ComputeType<T>;
      C acc = Widen(v[g.order[g.starts[group]]]);
      for (int64_t i = g.starts[group] + 1; i < g.starts[group + 1]; ++i) {
        const C x = Widen(v[g.order[i]]);
        if constexpr (kIsRealNumber<T>) {
          if (max_) {
            acc = std::max(acc, x);
            continue;
          }
        }
        acc += x;
      }
      return static_cast<T>(acc);
    };
    // The kept coordinates of group `group`.
    auto coords = [&](int64_t group) {
      Dims c;
      const int64_t entry = g.order[g.starts[group]];
      for (int64_t d : g.kept_dims) c.push_back(ix[entry * rank + d]);
      return c;
    };
    if (!sparse_output_) {
      MS_ASSIGN_OR_RETURN(TensorShape out_shape,
                          TensorShape::FromDims(g.out_dims));
      MS_ASSIGN_OR_RETURN(Tensor * out,
                          ctx.allocate_output(0, values.dtype(), out_shape));
      T* dst = out->data<T>();
      std::fill(dst, dst + out->NumElements(), T(0));
      // Strides of the kept dimensions in the output.
      const Dims& dims = g.kept_dims;
      Dims strides(dims.size(), 1);
      const int64_t* in_dims = ctx.input(2).data<int64_t>();
      for (int i = static_cast<int>(dims.size()) - 2; i >= 0; --i) {
        strides[i] = strides[i + 1] * in_dims[dims[i + 1]];
      }
      for (int64_t group = 0; group < groups; ++group) {
        const Dims c = coords(group);
        int64_t flat = 0;
        for (size_t i = 0; i < c.size(); ++i) flat += c[i] * strides[i];
        dst[flat] = reduce(group);
      }
      return absl::OkStatus();
    }
    const int64_t out_rank = static_cast<int64_t>(g.out_dims.size());
    MS_ASSIGN_OR_RETURN(
        Tensor * out_indices,
        ctx.allocate_output(0, DT_INT64, TensorShape{groups, out_rank}));
    MS_ASSIGN_OR_RETURN(
        Tensor * out_values,
        ctx.allocate_output(1, values.dtype(), TensorShape{groups}));
    MS_ASSIGN_OR_RETURN(
        Tensor * out_shape,
        ctx.allocate_output(2, DT_INT64, TensorShape{out_rank}));
    std::copy(g.out_dims.begin(), g.out_dims.end(), out_shape->data<int64_t>());
    int64_t* oix = out_indices->data<int64_t>();
    std::fill(oix, oix + groups * out_rank, 0);
    for (int64_t group = 0; group < groups; ++group) {
      const Dims c = coords(group);
      for (size_t j = 0; j < c.size(); ++j) {
        const int64_t column =
            keep_dims_ ? g.kept_dims[j] : static_cast<int64_t>(j);
        oix[group * out_rank + column] = c[j];
      }
      out_values->data<T>()[group] = reduce(group);
    }
    return absl::OkStatus();
  }

 private:
  const bool max_;
  const bool sparse_output_;
  const bool keep_dims_;
};

absl::StatusOr<std::unique_ptr<OpKernel>> CreateSparseReduce(
    const KernelConstruction& c) {
  MS_RETURN_IF_ERROR(CheckNumInputs(c, 4));
  DataType dtype;
  MS_RETURN_IF_ERROR(c.attrs.Get("T", &dtype));
  bool keep_dims = false;
  MS_RETURN_IF_ERROR(c.attrs.GetOr("keep_dims", false, &keep_dims));
  const std::string& op = c.attrs.op();
  const bool max = op == "SparseReduceMax" || op == "SparseReduceMaxSparse";
  const bool sparse_output =
      op == "SparseReduceSumSparse" || op == "SparseReduceMaxSparse";
  return MakeTypedKernel(c, dtype, [&](auto tag) -> std::unique_ptr<OpKernel> {
    using T = decltype(tag);
    if constexpr (kIsRealNumber<T> || kIsComplex<T>) {
      if (max && !kIsRealNumber<T>) return nullptr;
      return std::make_unique<SparseReduceKernel<T>>(max, sparse_output,
                                                     keep_dims);
    }
    return nullptr;
  });
}

}  // namespace

REGISTER_KERNEL(OpSpec("SparseReduceSum").Output("output"), CreateSparseReduce);
REGISTER_KERNEL(OpSpec("SparseReduceMax").Output("output"), CreateSparseReduce);
REGISTER_KERNEL(OpSpec("SparseReduceSumSparse")
                    .Output("output_indices")
                    .Output("output_values")
                    .Output("output_shape"),
                CreateSparseReduce);
REGISTER_KERNEL(OpSpec("SparseReduceMaxSparse")
                    .Output("output_indices")
                    .Output("output_values")
                    .Output("output_shape"),
                CreateSparseReduce);

}  // namespace model_server
