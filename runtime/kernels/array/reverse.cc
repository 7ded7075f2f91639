// ReverseV2: tensor, axis (Tidx int32/int64): reverses the listed axes.
// Every dtype (data_movement.h).
#include <cstdint>
#include <memory>
#include <vector>

#include "absl/strings/str_cat.h"
#include "runtime/kernels/array/data_movement.h"
#include "runtime/kernels/kernel_util.h"
#include "runtime/op_kernel.h"
#include "runtime/op_registry.h"
#include "runtime/status_macros.h"

namespace model_server {
namespace {

class ReverseV2Kernel : public OpKernel {
 public:
  static absl::StatusOr<std::unique_ptr<OpKernel>> Create(
      const KernelConstruction& c) {
    MS_RETURN_IF_ERROR(CheckNumInputs(c, 2));
    MS_RETURN_IF_ERROR(CheckIndexTypeAttr(c, "Tidx"));
    return std::unique_ptr<OpKernel>(new ReverseV2Kernel());
  }

  absl::Status Compute(OpKernelContext& ctx) const override {
    const Tensor& input = ctx.input(0);
    const Tensor& axis_t = ctx.input(1);
    MS_RETURN_IF_ERROR(CheckIntTensor(axis_t, "axis"));
    if (axis_t.rank() != 1) {
      return ctx.InvalidArgument(
          absl::StrCat("'dims' must be 1-dimension, not ", axis_t.rank()));
    }
    const int rank = input.rank();
    std::vector<bool> reverse(rank, false);
    for (int64_t i = 0; i < axis_t.NumElements(); ++i) {
      const int64_t axis = IntAt(axis_t, i);
      const int64_t canonical = axis < 0 ? axis + rank : axis;
      if (canonical < 0 || canonical >= rank) {
        return ctx.InvalidArgument(absl::StrCat("'axis'[", i, "] = ", axis,
                                                " is out of valid range [0, ",
                                                rank - 1, "]."));
      }
      if (reverse[canonical]) {
        return ctx.InvalidArgument(
            absl::StrCat("axis ", canonical, " specified more than once."));
      }
      reverse[canonical] = true;
    }
    Dims dims(input.shape().dims().begin(), input.shape().dims().end());
    Dims strides = StridesOf(dims);
    int64_t start = 0;
    bool any = false;
    for (int i = 0; i < rank; ++i) {
      if (reverse[i] && dims[i] > 1) {
        start += (dims[i] - 1) * strides[i];
        strides[i] = -strides[i];
        any = true;
      }
    }
    if (!any) {
      ctx.set_output(0, input);
      return absl::OkStatus();
    }
    MS_ASSIGN_OR_RETURN(Tensor * out,
                        ctx.allocate_output(0, input.dtype(), input.shape()));
    CopyView(input, start, dims, strides, out);
    return absl::OkStatus();
  }
};

}  // namespace

REGISTER_KERNEL(OpSpec("ReverseV2").Output("output"), ReverseV2Kernel::Create);

}  // namespace model_server
