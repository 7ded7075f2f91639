// GatherV2: params, indices (Tindices), axis (Taxis); attr batch_dims.
// Gather: params, indices (axis 0). GatherNd: params, indices.
// Indices are int32/int64; an index out of range is INVALID_ARGUMENT naming
// its position. Every params dtype (data_movement.h).
#include <cstdint>
#include <memory>
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

template <typename Index>
int64_t FirstBadIndex(const Index* indices, int64_t n, int64_t limit) {
  for (int64_t i = 0; i < n; ++i) {
    if (indices[i] < 0 || indices[i] >= limit) return i;
  }
  return -1;
}

// out[b, o, n, :] = params[b, o, indices[b, n], :] for params viewed as
// [batch, outer, gather_dim, inner] and indices as [batch, per_batch].
template <typename T, typename Index>
void GatherRows(const T* params, const Index* indices, T* out, int64_t batch,
                int64_t outer, int64_t gather_dim, int64_t per_batch,
                int64_t inner) {
  const int64_t rows = batch * outer * per_batch;
  ForRows(rows, inner, [&](int64_t begin, int64_t end) {
    for (int64_t row = begin; row < end; ++row) {
      const int64_t n = row % per_batch;
      const int64_t bo = row / per_batch;  // b * outer + o
      const int64_t b = bo / outer;
      const int64_t index = static_cast<int64_t>(indices[b * per_batch + n]);
      const T* src = params + (bo * gather_dim + index) * inner;
      if (inner == 1) {
        out[row] = *src;
      } else {
        CopyRun(src, inner, out + row * inner);
      }
    }
  });
}

// GatherV2 (axis input), Gather (axis 0) and the gather of ResourceGather.
class GatherKernel : public OpKernel {
 public:
  static absl::StatusOr<std::unique_ptr<OpKernel>> Create(
      const KernelConstruction& c) {
    const bool v2 = c.attrs.op() == "GatherV2";
    MS_RETURN_IF_ERROR(CheckNumInputs(c, v2 ? 3 : 2));
    MS_RETURN_IF_ERROR(CheckIndexTypeAttr(c, "Tindices"));
    MS_RETURN_IF_ERROR(CheckIndexTypeAttr(c, "Taxis"));
    int64_t batch_dims = 0;
    MS_RETURN_IF_ERROR(c.attrs.GetOr("batch_dims", int64_t{0}, &batch_dims));
    return std::unique_ptr<OpKernel>(new GatherKernel(v2, batch_dims));
  }

  absl::Status Compute(OpKernelContext& ctx) const override {
    const Tensor& params = ctx.input(0);
    const Tensor& indices = ctx.input(1);
    MS_RETURN_IF_ERROR(CheckIntTensor(indices, "indices"));
    if (params.rank() < 1) {
      return ctx.InvalidArgument("params must be at least 1 dimensional");
    }
    int64_t axis = 0;
    if (v2_) {
      const Tensor& axis_t = ctx.input(2);
      MS_RETURN_IF_ERROR(CheckIntTensor(axis_t, "axis"));
      if (axis_t.rank() != 0) return ctx.InvalidArgument("axis must be scalar");
      axis = IntAt(axis_t, 0);
    }
    const int rank = params.rank();
    if (axis < -rank || axis >= rank) {
      return ctx.InvalidArgument(absl::StrCat("Expected axis in the range [",
                                              -rank, ", ", rank, "), but got ",
                                              axis));
    }
    if (axis < 0) axis += rank;
    int64_t batch_dims = batch_dims_;
    if (batch_dims != 0) {
      if (batch_dims < -indices.rank() || batch_dims > indices.rank()) {
        return ctx.InvalidArgument(
            absl::StrCat("Expected batch_dims in the range [", -indices.rank(),
                         ", ", indices.rank(), "], but got ", batch_dims));
      }
      if (batch_dims < 0) batch_dims += indices.rank();
      if (batch_dims >= rank) {
        return ctx.InvalidArgument(
            absl::StrCat("batch_dims (", batch_dims,
                         ") must be less than rank(params) (", rank, ")."));
      }
      if (axis < batch_dims) {
        return ctx.InvalidArgument(absl::StrCat(
            "batch_dims (", batch_dims, ") must be less than or equal to ",
            "axis (", axis, ")."));
      }
      for (int i = 0; i < batch_dims; ++i) {
        if (params.dim(i) != indices.dim(i)) {
          return ctx.InvalidArgument(absl::StrCat(
              "params.shape[", i, "]: ", params.dim(i),
              " should be equal to indices.shape[", i, "]: ", indices.dim(i)));
        }
      }
    }
    absl::Span<const int64_t> pdims = params.shape().dims();
    absl::Span<const int64_t> idims = indices.shape().dims();
    const int64_t batch = Product(pdims.subspan(0, batch_dims));
    const int64_t outer = Product(pdims.subspan(batch_dims, axis - batch_dims));
    const int64_t gather_dim = pdims[axis];
    const int64_t inner = Product(pdims.subspan(axis + 1));
    const int64_t per_batch = Product(idims.subspan(batch_dims));
    std::vector<int64_t> dims(pdims.begin(), pdims.begin() + axis);
    dims.insert(dims.end(), idims.begin() + batch_dims, idims.end());
    dims.insert(dims.end(), pdims.begin() + axis + 1, pdims.end());
    MS_ASSIGN_OR_RETURN(TensorShape shape, TensorShape::FromDims(dims));
    MS_ASSIGN_OR_RETURN(Tensor * out,
                        ctx.allocate_output(0, params.dtype(), shape));
    const int64_t bad = indices.dtype() == DT_INT32
                            ? FirstBadIndex(indices.data<int32_t>(),
                                            indices.NumElements(), gather_dim)
                            : FirstBadIndex(indices.data<int64_t>(),
                                            indices.NumElements(), gather_dim);
    if (bad >= 0) {
      return ctx.InvalidArgument(absl::StrCat(
          "indices", SliceDebugString(idims, bad), " = ", IntAt(indices, bad),
          " is not in [0, ", gather_dim, ")"));
    }
    if (out->NumElements() == 0) return absl::OkStatus();
    SwitchOnMoveType(params.dtype(), [&](auto tag) {
      using T = decltype(tag);
      if (indices.dtype() == DT_INT32) {
        GatherRows<T>(DataAs<T>(params), indices.data<int32_t>(),
                      DataAs<T>(out), batch, outer, gather_dim, per_batch,
                      inner);
      } else {
        GatherRows<T>(DataAs<T>(params), indices.data<int64_t>(),
                      DataAs<T>(out), batch, outer, gather_dim, per_batch,
                      inner);
      }
    });
    return absl::OkStatus();
  }

 private:
  GatherKernel(bool v2, int64_t batch_dims)
      : v2_(v2), batch_dims_(batch_dims) {}
  const bool v2_;
  const int64_t batch_dims_;
};

class GatherNdKernel : public OpKernel {
 public:
  static absl::StatusOr<std::unique_ptr<OpKernel>> Create(
      const KernelConstruction& c) {
    MS_RETURN_IF_ERROR(CheckNumInputs(c, 2));
    MS_RETURN_IF_ERROR(CheckIndexTypeAttr(c, "Tindices"));
    return std::unique_ptr<OpKernel>(new GatherNdKernel());
  }

  absl::Status Compute(OpKernelContext& ctx) const override {
    const Tensor& params = ctx.input(0);
    const Tensor& indices = ctx.input(1);
    MS_RETURN_IF_ERROR(CheckIntTensor(indices, "indices"));
    if (params.rank() < 1) {
      return ctx.InvalidArgument("params must be at least a vector");
    }
    if (indices.rank() < 1) {
      return ctx.InvalidArgument("indices must be at least a vector");
    }
    const int64_t k = indices.dim(indices.rank() - 1);
    if (k > params.rank()) {
      return ctx.InvalidArgument(absl::StrCat(
          "index innermost dimension length must be <= params rank; saw: ", k,
          " vs. ", params.rank()));
    }
    absl::Span<const int64_t> pdims = params.shape().dims();
    absl::Span<const int64_t> idims = indices.shape().dims();
    absl::Span<const int64_t> batch_shape = idims.subspan(0, idims.size() - 1);
    std::vector<int64_t> dims(batch_shape.begin(), batch_shape.end());
    dims.insert(dims.end(), pdims.begin() + k, pdims.end());
    MS_ASSIGN_OR_RETURN(TensorShape shape, TensorShape::FromDims(dims));
    MS_ASSIGN_OR_RETURN(Tensor * out,
                        ctx.allocate_output(0, params.dtype(), shape));
    if (out->NumElements() > 0 && params.NumElements() == 0) {
      return ctx.InvalidArgument(absl::StrCat(
          "Requested more than 0 entries, but params is empty.  Params "
          "shape: ",
          params.shape().DebugString()));
    }
    const int64_t n = Product(batch_shape);
    const int64_t slice = Product(pdims.subspan(k));
    const Dims strides = StridesOf(pdims.subspan(0, k));
    // Resolve every index tuple to a slice offset, checking bounds.
    std::vector<int64_t> offsets(n);
    for (int64_t i = 0; i < n; ++i) {
      int64_t offset = 0;
      for (int64_t j = 0; j < k; ++j) {
        const int64_t v = IntAt(indices, i * k + j);
        if (v < 0 || v >= pdims[j]) {
          std::vector<int64_t> tuple;
          for (int64_t t = 0; t < k; ++t) {
            tuple.push_back(IntAt(indices, i * k + t));
          }
          return ctx.InvalidArgument(absl::StrCat(
              "indices", SliceDebugString(batch_shape, i), " = [",
              absl::StrJoin(tuple, ", "), "] does not index into param shape ",
              params.shape().DebugString(), ", node name: ", ctx.node_name()));
        }
        offset += v * strides[j];
      }
      offsets[i] = offset * slice;
    }
    if (out->NumElements() == 0) return absl::OkStatus();
    SwitchOnMoveType(params.dtype(), [&](auto tag) {
      using T = decltype(tag);
      const T* src = DataAs<T>(params);
      T* dst = DataAs<T>(out);
      ForRows(n, slice, [&](int64_t begin, int64_t end) {
        for (int64_t i = begin; i < end; ++i) {
          CopyRun(src + offsets[i], slice, dst + i * slice);
        }
      });
    });
    return absl::OkStatus();
  }
};

}  // namespace

REGISTER_KERNEL(OpSpec("GatherV2").Output("output"), GatherKernel::Create);
REGISTER_KERNEL(OpSpec("Gather").Output("output"), GatherKernel::Create);
REGISTER_KERNEL(OpSpec("GatherNd").Output("output"), GatherNdKernel::Create);

}  // namespace model_server
