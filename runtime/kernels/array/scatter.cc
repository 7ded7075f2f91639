// TF1 row scatters: ScatterUpdate, ScatterAdd, ScatterSub, ScatterMul,
// ScatterDiv, ScatterMin, ScatterMax (tf.compat.v1.scatter_*).
//
// ref, indices (Tindices int32/int64, any shape), updates -> output_ref;
// attr use_locking (ignored: updates are atomic anyway). Row indices[i] of
// ref (its first dimension) is combined with updates[i]; updates has shape
// indices.shape + ref.shape[1:], or is a scalar applied to every named row.
// A reference input is updated in place; a plain tensor (a frozen graph's
// Const) gives an updated copy (scatter_util.h). Duplicate indices: Update
// keeps the last, the others combine them all.
//
// Dtypes: Update every dtype; Add, Sub, Mul, Div real and complex numbers;
// Min, Max real numbers. An index out of range, and an integer ScatterDiv
// by zero, are INVALID_ARGUMENT; the texts are TensorFlow's.
#include <cstdint>
#include <memory>

#include "absl/strings/str_cat.h"
#include "runtime/kernels/array/data_movement.h"
#include "runtime/kernels/array/scatter_util.h"
#include "runtime/kernels/kernel_util.h"
#include "runtime/op_kernel.h"
#include "runtime/op_registry.h"
#include "runtime/status_macros.h"

namespace model_server {
namespace {

// params[indices[i], :] (op)= updates[i, :], or the scalar updates[0].
template <ScatterOp op, typename T>
void ScatterRows(const Tensor& indices, const Tensor& updates, int64_t row,
                 Tensor* params) {
  const T* src = DataAs<T>(updates);
  T* dst = DataAs<T>(params);
  const bool scalar = updates.rank() == 0;
  for (int64_t i = 0; i < indices.NumElements(); ++i) {
    T* out = dst + IntAt(indices, i) * row;
    for (int64_t j = 0; j < row; ++j) {
      ScatterApply<op, T>(out[j], scalar ? src[0] : src[i * row + j]);
    }
  }
}

template <ScatterOp op>
class ScatterKernel : public OpKernel {
 public:
  static absl::StatusOr<std::unique_ptr<OpKernel>> Create(
      const KernelConstruction& c) {
    MS_RETURN_IF_ERROR(CheckNumInputs(c, 3));
    MS_RETURN_IF_ERROR(CheckIndexTypeAttr(c, "Tindices"));
    DataType dtype;
    MS_RETURN_IF_ERROR(c.attrs.Get("T", &dtype));
    const bool supported = op == ScatterOp::kUpdate
                               ? SwitchOnMoveType(dtype, [](auto) {})
                               : DtypeIs(dtype, [](auto tag) {
                                   return ScatterSupports<op, decltype(tag)>();
                                 });
    if (!supported) return UnsupportedDtypeError(c, dtype);
    return std::unique_ptr<OpKernel>(new ScatterKernel(dtype));
  }

  absl::Status Compute(OpKernelContext& ctx) const override {
    const Tensor& indices = ctx.input(1);
    const Tensor& updates = ctx.input(2);
    MS_RETURN_IF_ERROR(CheckIntTensor(indices, "indices"));
    MS_RETURN_IF_ERROR(CheckInputDtype(updates, dtype_));
    return UpdateRefOrCopy(ctx, [&](Tensor* params) -> absl::Status {
      MS_RETURN_IF_ERROR(CheckInputDtype(*params, dtype_));
      MS_RETURN_IF_ERROR(CheckShapes(*params, indices, updates));
      if (params->NumElements() == 0 && indices.NumElements() == 0) {
        return absl::OkStatus();
      }
      const int64_t limit = params->dim(0);
      for (int64_t i = 0; i < indices.NumElements(); ++i) {
        const int64_t index = IntAt(indices, i);
        if (index < 0 || index >= limit) {
          return absl::InvalidArgumentError(absl::StrCat(
              "indices", SliceDebugString(indices.shape().dims(), i), " = ",
              index, " is not in [0, ", limit, ")"));
        }
      }
      const int64_t row = limit == 0 ? 0 : params->NumElements() / limit;
      return Apply(indices, updates, row, params);
    });
  }

 private:
  explicit ScatterKernel(DataType dtype) : dtype_(dtype) {}

  static absl::Status CheckShapes(const Tensor& params, const Tensor& indices,
                                  const Tensor& updates) {
    if (params.rank() < 1) {
      return absl::InvalidArgumentError(
          absl::StrCat("Parameter must be at least 1-D, got shape ",
                       params.shape().DebugString()));
    }
    bool ok = updates.rank() == 0;
    if (!ok && updates.rank() == indices.rank() + params.rank() - 1) {
      ok = true;
      for (int d = 0; d < indices.rank(); ++d) {
        ok = ok && updates.dim(d) == indices.dim(d);
      }
      for (int d = 1; d < params.rank(); ++d) {
        ok = ok && updates.dim(indices.rank() + d - 1) == params.dim(d);
      }
    }
    if (!ok) {
      return absl::InvalidArgumentError(absl::StrCat(
          "Must have updates.shape = indices.shape + params.shape[1:] or "
          "updates.shape = [], got updates.shape ",
          updates.shape().DebugString(), ", indices.shape ",
          indices.shape().DebugString(), ", params.shape ",
          params.shape().DebugString()));
    }
    return absl::OkStatus();
  }

  absl::Status Apply(const Tensor& indices, const Tensor& updates, int64_t row,
                     Tensor* params) const {
    if constexpr (op == ScatterOp::kUpdate) {
      SwitchOnMoveType(dtype_, [&](auto tag) {
        ScatterRows<op, decltype(tag)>(indices, updates, row, params);
      });
      return absl::OkStatus();
    } else {
      bool divides_by_zero = false;
      SwitchOnDataType(dtype_, [&](auto tag) {
        using T = decltype(tag);
        if constexpr (ScatterSupports<op, T>()) {
          divides_by_zero =
              DividesByZero<op, T>(updates.data<T>(), updates.NumElements());
          if (!divides_by_zero) {
            ScatterRows<op, T>(indices, updates, row, params);
          }
        }
      });
      if (divides_by_zero) {
        return absl::InvalidArgumentError("Integer division by zero");
      }
      return absl::OkStatus();
    }
  }

  const DataType dtype_;
};

}  // namespace

REGISTER_KERNEL(OpSpec("ScatterUpdate").Output("output_ref").RefInput(0),
                ScatterKernel<ScatterOp::kUpdate>::Create);
REGISTER_KERNEL(OpSpec("ScatterAdd").Output("output_ref").RefInput(0),
                ScatterKernel<ScatterOp::kAdd>::Create);
REGISTER_KERNEL(OpSpec("ScatterSub").Output("output_ref").RefInput(0),
                ScatterKernel<ScatterOp::kSub>::Create);
REGISTER_KERNEL(OpSpec("ScatterMul").Output("output_ref").RefInput(0),
                ScatterKernel<ScatterOp::kMul>::Create);
REGISTER_KERNEL(OpSpec("ScatterDiv").Output("output_ref").RefInput(0),
                ScatterKernel<ScatterOp::kDiv>::Create);
REGISTER_KERNEL(OpSpec("ScatterMin").Output("output_ref").RefInput(0),
                ScatterKernel<ScatterOp::kMin>::Create);
REGISTER_KERNEL(OpSpec("ScatterMax").Output("output_ref").RefInput(0),
                ScatterKernel<ScatterOp::kMax>::Create);

}  // namespace model_server
