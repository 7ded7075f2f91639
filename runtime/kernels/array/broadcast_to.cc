// Broadcasting as ops of their own.
//
// BroadcastTo: input, shape (Tidx int32/int64 vector) -> output: the input
//   repeated along the dimensions where it has size 1 (or that it lacks) to
//   `shape`. Every dtype.
// BroadcastArgs: s0, s1 (T int32/int64 vectors) -> r0: the shape that
//   shapes s0 and s1 broadcast to (tf.broadcast_dynamic_shape).
//
// The broadcasting rules are TensorFlow's (broadcast.h): dimensions are
// right-aligned and compatible when equal or when one is 1. The error texts
// are TensorFlow's.
#include <algorithm>
#include <cstdint>
#include <memory>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "runtime/kernels/array/data_movement.h"
#include "runtime/kernels/kernel_util.h"
#include "runtime/kernels/shape_input.h"
#include "runtime/op_kernel.h"
#include "runtime/op_registry.h"
#include "runtime/status_macros.h"

namespace model_server {
namespace {

class BroadcastToKernel : public OpKernel {
 public:
  static absl::StatusOr<std::unique_ptr<OpKernel>> Create(
      const KernelConstruction& c) {
    MS_RETURN_IF_ERROR(CheckNumInputs(c, 2));
    MS_RETURN_IF_ERROR(CheckIndexTypeAttr(c, "Tidx"));
    return std::unique_ptr<OpKernel>(new BroadcastToKernel());
  }

  absl::Status Compute(OpKernelContext& ctx) const override {
    const Tensor& input = ctx.input(0);
    MS_ASSIGN_OR_RETURN(TensorShape shape,
                        ShapeFromTensor(ctx.input(1), "shape"));
    const int in_rank = input.rank();
    const int out_rank = shape.rank();
    if (in_rank > out_rank) {
      return ctx.InvalidArgument(absl::StrCat(
          "Rank of input (", in_rank,
          ") must be no greater than rank of output shape (", out_rank, ")."));
    }
    // The input's element stride along each output dimension: 0 where it
    // repeats.
    const Dims in_strides = StridesOf(input.shape().dims());
    Dims dims(shape.dims().begin(), shape.dims().end());
    Dims strides(out_rank, 0);
    for (int d = 0; d < in_rank; ++d) {
      const int o = out_rank - in_rank + d;
      const int64_t n = input.dim(d);
      if (n == shape.dim(o)) {
        strides[o] = in_strides[d];
      } else if (n != 1) {
        return ctx.InvalidArgument(absl::StrCat(
            "Unable to broadcast tensor of shape ", input.shape().DebugString(),
            " to tensor of shape ", shape.DebugString()));
      }
    }
    if (shape == input.shape()) {
      ctx.set_output(0, input);
      return absl::OkStatus();
    }
    MS_ASSIGN_OR_RETURN(Tensor * out,
                        ctx.allocate_output(0, input.dtype(), shape));
    CopyView(input, 0, dims, strides, out);
    return absl::OkStatus();
  }
};

class BroadcastArgsKernel : public OpKernel {
 public:
  static absl::StatusOr<std::unique_ptr<OpKernel>> Create(
      const KernelConstruction& c) {
    MS_RETURN_IF_ERROR(CheckNumInputs(c, 2));
    MS_RETURN_IF_ERROR(CheckIndexTypeAttr(c, "T"));
    return std::unique_ptr<OpKernel>(new BroadcastArgsKernel());
  }

  absl::Status Compute(OpKernelContext& ctx) const override {
    const Tensor& s0 = ctx.input(0);
    const Tensor& s1 = ctx.input(1);
    for (const Tensor* s : {&s0, &s1}) {
      MS_RETURN_IF_ERROR(CheckIntTensor(*s, "shape"));
      if (s->rank() != 1) {
        return ctx.InvalidArgument(absl::StrCat("In[", s == &s0 ? 0 : 1,
                                                "] must be a vector.",
                                                s->shape().DebugString()));
      }
    }
    const Dims a = IntValues(s0);
    const Dims b = IntValues(s1);
    const size_t rank = std::max(a.size(), b.size());
    std::vector<int64_t> result(rank);
    for (size_t i = 0; i < rank; ++i) {
      // Right-aligned: dimension i from the back of each shape.
      const int64_t x = i < a.size() ? a[a.size() - 1 - i] : 1;
      const int64_t y = i < b.size() ? b[b.size() - 1 - i] : 1;
      if (x != y && x != 1 && y != 1) {
        return ctx.InvalidArgument(
            absl::StrCat("Incompatible shapes: [", absl::StrJoin(a, ","),
                         "] vs. [", absl::StrJoin(b, ","), "]"));
      }
      result[rank - 1 - i] = x == 1 ? y : x;
    }
    MS_ASSIGN_OR_RETURN(
        Tensor * out,
        ctx.allocate_output(0, s0.dtype(),
                            TensorShape{static_cast<int64_t>(rank)}));
    for (size_t i = 0; i < rank; ++i) {
      if (s0.dtype() == DT_INT32) {
        out->data<int32_t>()[i] = static_cast<int32_t>(result[i]);
      } else {
        out->data<int64_t>()[i] = result[i];
      }
    }
    return absl::OkStatus();
  }
};

}  // namespace

REGISTER_KERNEL(OpSpec("BroadcastTo").Output("output"),
                BroadcastToKernel::Create);
REGISTER_KERNEL(OpSpec("BroadcastArgs").Output("r0"),
                BroadcastArgsKernel::Create);

}  // namespace model_server
