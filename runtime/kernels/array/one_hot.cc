// OneHot: indices (TI uint8/int8/int32/int64), depth, on_value, off_value;
//   attr axis.
#include <cstdint>
#include <memory>

#include "absl/strings/str_cat.h"
#include "runtime/kernels/array/data_movement.h"
#include "runtime/kernels/kernel_util.h"
#include "runtime/op_kernel.h"
#include "runtime/op_registry.h"
#include "runtime/status_macros.h"

namespace model_server {
namespace {

class OneHotKernel : public OpKernel {
 public:
  static absl::StatusOr<std::unique_ptr<OpKernel>> Create(
      const KernelConstruction& c) {
    MS_RETURN_IF_ERROR(CheckNumInputs(c, 4));
    int64_t axis;
    MS_RETURN_IF_ERROR(c.attrs.GetOr("axis", int64_t{-1}, &axis));
    if (axis < -1) return c.attrs.Error("axis must be >= -1");
    DataType ti;
    MS_RETURN_IF_ERROR(c.attrs.GetOr("TI", DT_INT64, &ti));
    if (ti != DT_UINT8 && ti != DT_INT8 && ti != DT_INT32 && ti != DT_INT64) {
      return UnsupportedAttrError(
          c, absl::StrCat("unsupported TI ", DataTypeName(ti)));
    }
    return std::unique_ptr<OpKernel>(new OneHotKernel(axis));
  }

  absl::Status Compute(OpKernelContext& ctx) const override {
    const Tensor& indices = ctx.input(0);
    const Tensor& depth_t = ctx.input(1);
    const Tensor& on = ctx.input(2);
    const Tensor& off = ctx.input(3);
    if (depth_t.rank() != 0 || depth_t.dtype() != DT_INT32) {
      return ctx.InvalidArgument(absl::StrCat(
          "depth must be a scalar, but got: ", depth_t.shape().DebugString()));
    }
    if (on.rank() != 0) {
      return ctx.InvalidArgument(absl::StrCat(
          "on_value must be a scalar, but got: ", on.shape().DebugString()));
    }
    if (off.rank() != 0) {
      return ctx.InvalidArgument(absl::StrCat(
          "off_value must be a scalar, but got: ", off.shape().DebugString()));
    }
    if (on.dtype() != off.dtype()) {
      return ctx.InvalidArgument("on_value and off_value must have one type");
    }
    const int out_rank = indices.rank() + 1;
    if (axis_ != -1 && axis_ >= out_rank) {
      return ctx.InvalidArgument(
          absl::StrCat("Expected axis to be -1 or between [0, ", out_rank,
                       ").  But received: ", axis_));
    }
    const int64_t depth = depth_t.data<int32_t>()[0];
    if (depth < 0) {
      return ctx.InvalidArgument(
          absl::StrCat("depth must be non-negative, got: ", depth));
    }
    const int axis = axis_ == -1 ? indices.rank() : static_cast<int>(axis_);
    TensorShape shape = indices.shape();
    MS_RETURN_IF_ERROR(shape.InsertDim(axis, depth));
    MS_ASSIGN_OR_RETURN(Tensor * out,
                        ctx.allocate_output(0, on.dtype(), shape));
    if (out->NumElements() == 0) return absl::OkStatus();
    const int64_t prefix = Product(indices.shape().dims().subspan(0, axis));
    const int64_t suffix = Product(indices.shape().dims().subspan(axis));
    Dims index(indices.NumElements());
    for (int64_t i = 0; i < indices.NumElements(); ++i) {
      switch (indices.dtype()) {
        case DT_UINT8:
          index[i] = indices.data<uint8_t>()[i];
          break;
        case DT_INT8:
          index[i] = indices.data<int8_t>()[i];
          break;
        case DT_INT32:
          index[i] = indices.data<int32_t>()[i];
          break;
        case DT_INT64:
          index[i] = indices.data<int64_t>()[i];
          break;
        default:
          return ctx.InvalidArgument(
              absl::StrCat("indices must be an integer tensor, got ",
                           DataTypeName(indices.dtype())));
      }
    }
    SwitchOnMoveType(on.dtype(), [&](auto tag) {
      using T = decltype(tag);
      const T on_value = DataAs<T>(on)[0];
      const T off_value = DataAs<T>(off)[0];
      T* y = DataAs<T>(out);
      // y[p, d, s] = indices[p, s] == d ? on : off.
      ForRows(prefix * depth, suffix, [&](int64_t begin, int64_t end) {
        for (int64_t row = begin; row < end; ++row) {
          const int64_t p = row / depth, d = row % depth;
          const int64_t* idx = index.data() + p * suffix;
          T* dst = y + row * suffix;
          for (int64_t s = 0; s < suffix; ++s) {
            dst[s] = idx[s] == d ? on_value : off_value;
          }
        }
      });
    });
    return absl::OkStatus();
  }

 private:
  explicit OneHotKernel(int64_t axis) : axis_(axis) {}
  const int64_t axis_;
};

}  // namespace

REGISTER_KERNEL(OpSpec("OneHot").Output("output"), OneHotKernel::Create);

}  // namespace model_server
