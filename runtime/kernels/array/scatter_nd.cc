// Scatters of slices addressed by index tuples (the inverse of GatherNd).
//
// ScatterNd: indices, updates, shape -> output: zeros of `shape` with the
//   updates added in (duplicates add up).
// TensorScatterUpdate / Add / Sub / Min / Max: tensor, indices, updates ->
//   output: a copy of `tensor` with the updates applied.
// ScatterNdUpdate / Add / Sub / Min / Max (TF1, use_locking ignored): ref,
//   indices, updates -> output_ref. A reference input is updated in place;
//   a plain tensor (a frozen graph's Const) gives an updated copy
//   (scatter_util.h).
//
// indices (Tindices int32/int64) [..., K] name slices of the target's first K
// dimensions; updates = indices.shape[:-1] + target.shape[K:]. An index out
// of range is INVALID_ARGUMENT (TensorFlow's CPU kernels say the same);
// the shape errors are TensorFlow's texts. Duplicate indices: Update keeps
// the last (TensorFlow leaves it unspecified), the others combine them all.
//
// Dtypes: Update every dtype; Add, Sub and ScatterNd real and complex
// numbers; Min, Max real numbers. half and bfloat16 combine in their own
// precision, update by update, as TensorFlow's CPU kernels do.
#include <algorithm>
#include <cstdint>
#include <memory>
#include <string>
#include <type_traits>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "runtime/kernels/array/data_movement.h"
#include "runtime/kernels/array/scatter_util.h"
#include "runtime/kernels/kernel_util.h"
#include "runtime/kernels/shape_input.h"
#include "runtime/op_kernel.h"
#include "runtime/op_registry.h"
#include "runtime/status_macros.h"

namespace model_server {
namespace {

// Where each update slice lands in the target: element offsets.
struct ScatterNdPlan {
  int64_t slice_size = 0;
  std::vector<int64_t> offsets;  // one per update slice
};

// Checks indices and updates against the target `shape` (TensorFlow's
// texts) and resolves every index tuple.
absl::StatusOr<ScatterNdPlan> PlanScatterNd(const TensorShape& shape,
                                            const Tensor& indices,
                                            const Tensor& updates) {
  MS_RETURN_IF_ERROR(CheckIntTensor(indices, "indices"));
  if (shape.rank() < 1) {
    return absl::InvalidArgumentError(absl::StrCat(
        "Output must be at least 1-D, got shape: ", shape.DebugString()));
  }
  if (indices.rank() < 1) {
    return absl::InvalidArgumentError(
        absl::StrCat("Indices must be at least 1-D, got shape: ",
                     indices.shape().DebugString()));
  }
  const bool empty_ok =
      indices.NumElements() == 0 && updates.NumElements() == 0;
  if (!empty_ok && (shape.num_elements() == 0 || indices.NumElements() == 0 ||
                    updates.NumElements() == 0)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "Indices and updates specified for empty output.  indices shape: ",
        indices.shape().DebugString()));
  }
  const int64_t slice_dim =
      indices.rank() > 1 ? indices.dim(indices.rank() - 1) : 1;
  const int batch_dim = indices.rank() > 1 ? indices.rank() - 1 : 1;
  if (slice_dim > shape.rank()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "Output must have at least ", slice_dim,
        " dimensions to be indexed by indices of shape ",
        indices.shape().DebugString(), ", got shape: ", shape.DebugString()));
  }
  const auto prefix_error = [&]() {
    return absl::InvalidArgumentError(absl::StrCat(
        "Dimensions [0,", batch_dim, ") of indices[shape=",
        indices.shape().DebugString(), "] must match dimensions [0,", batch_dim,
        ") of updates[shape=", updates.shape().DebugString(), "]"));
  };
  const auto suffix_error = [&]() {
    return absl::InvalidArgumentError(absl::StrCat(
        "Dimensions [", slice_dim, ",", shape.rank(),
        ") of input[shape=", shape.DebugString(), "] must match dimensions [",
        slice_dim, ",", updates.rank(),
        ") of updates[shape=", updates.shape().DebugString(), "]"));
  };
  if (updates.rank() >= 1 && updates.dim(0) != indices.dim(0)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "Dimensions [0,1) of indices[shape=", indices.shape().DebugString(),
        "] = ", indices.dim(0), " must match dimensions [0,1) of updates[",
        "shape=", updates.shape().DebugString(), "] = ", updates.dim(0)));
  }
  if (updates.rank() < batch_dim) return prefix_error();
  if (updates.rank() != batch_dim + shape.rank() - slice_dim) {
    return suffix_error();
  }
  for (int d = 0; d < batch_dim; ++d) {
    if (updates.dim(d) != indices.dim(d)) return prefix_error();
  }
  for (int d = 0; d < updates.rank() - batch_dim; ++d) {
    if (updates.dim(d + batch_dim) !=
        shape.dim(static_cast<int>(d + slice_dim))) {
      return suffix_error();
    }
  }
  ScatterNdPlan plan;
  plan.slice_size = Product(shape.dims().subspan(slice_dim));
  // The number of index tuples (and update slices).
  const int64_t n = Product(indices.shape().dims().subspan(0, batch_dim));
  const Dims strides = StridesOf(shape.dims().subspan(0, slice_dim));
  plan.offsets.resize(n);
  for (int64_t i = 0; i < n; ++i) {
    int64_t offset = 0;
    for (int64_t j = 0; j < slice_dim; ++j) {
      const int64_t v = IntAt(indices, i * slice_dim + j);
      if (v < 0 || v >= shape.dim(static_cast<int>(j))) {
        std::vector<int64_t> tuple;
        for (int64_t t = 0; t < slice_dim; ++t) {
          tuple.push_back(IntAt(indices, i * slice_dim + t));
        }
        absl::Span<const int64_t> batch_shape =
            indices.shape().dims().subspan(0, indices.rank() - 1);
        return absl::InvalidArgumentError(
            absl::StrCat("indices", SliceDebugString(batch_shape, i), " = [",
                         absl::StrJoin(tuple, ", "),
                         "] does not index into shape ", shape.DebugString()));
      }
      offset += v * strides[j];
    }
    plan.offsets[i] = offset * plan.slice_size;
  }
  return plan;
}

// Applies the planned updates to `target` (of element type T).
template <ScatterOp op, typename T>
void ApplyScatterNd(const ScatterNdPlan& plan, const Tensor& updates,
                    Tensor* target) {
  const T* src = DataAs<T>(updates);
  T* dst = DataAs<T>(target);
  const int64_t slice = plan.slice_size;
  for (size_t i = 0; i < plan.offsets.size(); ++i) {
    T* out = dst + plan.offsets[i];
    const T* in = src + static_cast<int64_t>(i) * slice;
    if constexpr (op == ScatterOp::kUpdate) {
      CopyRun(in, slice, out);
    } else {
      for (int64_t j = 0; j < slice; ++j) ScatterApply<op, T>(out[j], in[j]);
    }
  }
}

// Applies `plan` for op to `target` with the element type of `dtype`.
template <ScatterOp op>
void DispatchScatterNd(DataType dtype, const ScatterNdPlan& plan,
                       const Tensor& updates, Tensor* target) {
  if constexpr (op == ScatterOp::kUpdate) {
    SwitchOnMoveType(dtype, [&](auto tag) {
      ApplyScatterNd<op, decltype(tag)>(plan, updates, target);
    });
  } else {
    SwitchOnDataType(dtype, [&](auto tag) {
      using T = decltype(tag);
      if constexpr (ScatterSupports<op, T>()) {
        ApplyScatterNd<op, T>(plan, updates, target);
      }
    });
  }
}

// The dtype attr `name`, checked against what `op` supports.
template <ScatterOp op>
absl::StatusOr<DataType> ScatterDtype(const KernelConstruction& c,
                                      const char* name) {
  DataType dtype;
  MS_RETURN_IF_ERROR(c.attrs.Get(name, &dtype));
  bool supported = false;
  if constexpr (op == ScatterOp::kUpdate) {
    supported = SwitchOnMoveType(dtype, [](auto) {});
  } else {
    supported = DtypeIs(
        dtype, [](auto tag) { return ScatterSupports<op, decltype(tag)>(); });
  }
  if (!supported) return UnsupportedDtypeError(c, dtype);
  return dtype;
}

// ScatterNd: indices, updates, shape.
class ScatterNdKernel : public OpKernel {
 public:
  static absl::StatusOr<std::unique_ptr<OpKernel>> Create(
      const KernelConstruction& c) {
    MS_RETURN_IF_ERROR(CheckNumInputs(c, 3));
    MS_RETURN_IF_ERROR(CheckIndexTypeAttr(c, "Tindices"));
    MS_ASSIGN_OR_RETURN(DataType dtype, ScatterDtype<ScatterOp::kAdd>(c, "T"));
    return std::unique_ptr<OpKernel>(new ScatterNdKernel(dtype));
  }

  absl::Status Compute(OpKernelContext& ctx) const override {
    const Tensor& indices = ctx.input(0);
    const Tensor& updates = ctx.input(1);
    MS_RETURN_IF_ERROR(CheckInputDtype(updates, dtype_));
    MS_ASSIGN_OR_RETURN(TensorShape shape,
                        ShapeFromTensor(ctx.input(2), "shape"));
    MS_ASSIGN_OR_RETURN(ScatterNdPlan plan,
                        PlanScatterNd(shape, indices, updates));
    MS_ASSIGN_OR_RETURN(Tensor * out, ctx.allocate_output(0, dtype_, shape));
    SwitchOnMoveType(dtype_, [&](auto tag) {
      using T = decltype(tag);
      if constexpr (std::is_trivially_copyable_v<T>) {
        std::fill(DataAs<T>(out), DataAs<T>(out) + out->NumElements(), T{});
      }
    });
    DispatchScatterNd<ScatterOp::kAdd>(dtype_, plan, updates, out);
    return absl::OkStatus();
  }

 private:
  explicit ScatterNdKernel(DataType dtype) : dtype_(dtype) {}
  const DataType dtype_;
};

// TensorScatter* (functional) and ScatterNd* (TF1, on a reference or a
// copy): tensor, indices, updates.
template <ScatterOp op>
class TensorScatterKernel : public OpKernel {
 public:
  static absl::StatusOr<std::unique_ptr<OpKernel>> Create(
      const KernelConstruction& c) {
    MS_RETURN_IF_ERROR(CheckNumInputs(c, 3));
    MS_RETURN_IF_ERROR(CheckIndexTypeAttr(c, "Tindices"));
    MS_ASSIGN_OR_RETURN(DataType dtype, ScatterDtype<op>(c, "T"));
    return std::unique_ptr<OpKernel>(new TensorScatterKernel(dtype));
  }

  absl::Status Compute(OpKernelContext& ctx) const override {
    const Tensor& indices = ctx.input(1);
    const Tensor& updates = ctx.input(2);
    MS_RETURN_IF_ERROR(CheckInputDtype(updates, dtype_));
    return UpdateRefOrCopy(ctx, [&](Tensor* target) -> absl::Status {
      MS_RETURN_IF_ERROR(CheckInputDtype(*target, dtype_));
      MS_ASSIGN_OR_RETURN(ScatterNdPlan plan,
                          PlanScatterNd(target->shape(), indices, updates));
      DispatchScatterNd<op>(dtype_, plan, updates, target);
      return absl::OkStatus();
    });
  }

 private:
  explicit TensorScatterKernel(DataType dtype) : dtype_(dtype) {}
  const DataType dtype_;
};

}  // namespace

REGISTER_KERNEL(OpSpec("ScatterNd").Output("output"), ScatterNdKernel::Create);
REGISTER_KERNEL(OpSpec("TensorScatterUpdate").Output("output"),
                TensorScatterKernel<ScatterOp::kUpdate>::Create);
REGISTER_KERNEL(OpSpec("TensorScatterAdd").Output("output"),
                TensorScatterKernel<ScatterOp::kAdd>::Create);
REGISTER_KERNEL(OpSpec("TensorScatterSub").Output("output"),
                TensorScatterKernel<ScatterOp::kSub>::Create);
REGISTER_KERNEL(OpSpec("TensorScatterMin").Output("output"),
                TensorScatterKernel<ScatterOp::kMin>::Create);
REGISTER_KERNEL(OpSpec("TensorScatterMax").Output("output"),
                TensorScatterKernel<ScatterOp::kMax>::Create);
REGISTER_KERNEL(OpSpec("ScatterNdUpdate").Output("output_ref").RefInput(0),
                TensorScatterKernel<ScatterOp::kUpdate>::Create);
REGISTER_KERNEL(OpSpec("ScatterNdAdd").Output("output_ref").RefInput(0),
                TensorScatterKernel<ScatterOp::kAdd>::Create);
REGISTER_KERNEL(OpSpec("ScatterNdSub").Output("output_ref").RefInput(0),
                TensorScatterKernel<ScatterOp::kSub>::Create);
REGISTER_KERNEL(OpSpec("ScatterNdMin").Output("output_ref").RefInput(0),
                TensorScatterKernel<ScatterOp::kMin>::Create);
REGISTER_KERNEL(OpSpec("ScatterNdMax").Output("output_ref").RefInput(0),
                TensorScatterKernel<ScatterOp::kMax>::Create);

}  // namespace model_server
