// Roll: input, shift (Tshift int32/int64), axis (Taxis int32/int64) ->
// output. Rolls the elements along each listed axis: the element at index i
// moves to (i + shift) mod dim. shift and axis are both scalars or vectors of
// the same length; shifts on the same axis add up; negative axes count from the
// back. Every dtype (TensorFlow registers all types); the error texts are
// TensorFlow's.
#include <cstdint>
#include <memory>
#include <vector>

#include "absl/strings/str_cat.h"
#include "runtime/kernels/array/data_movement.h"
#include "runtime/kernels/array/index_map_copy.h"
#include "runtime/kernels/kernel_util.h"
#include "runtime/op_kernel.h"
#include "runtime/op_registry.h"
#include "runtime/status_macros.h"

namespace model_server {
namespace {

class RollKernel : public OpKernel {
 public:
  static absl::StatusOr<std::unique_ptr<OpKernel>> Create(
      const KernelConstruction& c) {
    MS_RETURN_IF_ERROR(CheckNumInputs(c, 3));
    MS_RETURN_IF_ERROR(CheckIndexTypeAttr(c, "Tshift"));
    MS_RETURN_IF_ERROR(CheckIndexTypeAttr(c, "Taxis"));
    return std::unique_ptr<OpKernel>(new RollKernel());
  }

  absl::Status Compute(OpKernelContext& ctx) const override {
    const Tensor& input = ctx.input(0);
    const Tensor& shift = ctx.input(1);
    const Tensor& axis = ctx.input(2);
    MS_RETURN_IF_ERROR(CheckIntTensor(shift, "shift"));
    MS_RETURN_IF_ERROR(CheckIntTensor(axis, "axis"));
    const int rank = input.rank();
    if (rank < 1) {
      return ctx.InvalidArgument("input must be 1-D or higher");
    }
    if (shift.rank() > 1) {
      return ctx.InvalidArgument(
          absl::StrCat("shift must be a scalar or a 1-D vector. Found: ",
                       shift.shape().DebugString()));
    }
    if (axis.rank() > 1) {
      return ctx.InvalidArgument(
          absl::StrCat("axis must be a scalar or a 1-D vector. Found: ",
                       axis.shape().DebugString()));
    }
    if (shift.shape() != axis.shape()) {
      return ctx.InvalidArgument("shift and axis must have the same size");
    }
    // The total shift of each dimension, reduced to [0, dim).
    std::vector<int64_t> total(rank, 0);
    bool any = false;
    for (int64_t i = 0; i < axis.NumElements(); ++i) {
      int64_t a = IntAt(axis, i);
      if (a < 0) a += rank;
      if (a < 0 || a >= rank) {
        return ctx.InvalidArgument(
            absl::StrCat("axis ", a, " is out of range"));
      }
      const int64_t n = input.dim(static_cast<int>(a));
      if (n == 0) continue;
      total[a] = ((total[a] + IntAt(shift, i) % n) % n + n) % n;
      any = true;
    }
    if (!any || input.NumElements() == 0) {
      ctx.set_output(0, input);
      return absl::OkStatus();
    }
    IndexMaps maps(rank);
    for (int d = 0; d < rank; ++d) {
      const int64_t n = input.dim(d);
      maps[d].resize(n);
      for (int64_t o = 0; o < n; ++o) maps[d][o] = (o - total[d] + n) % n;
    }
    MS_ASSIGN_OR_RETURN(Tensor * out,
                        ctx.allocate_output(0, input.dtype(), input.shape()));
    SwitchOnMoveType(input.dtype(), [&](auto tag) {
      using T = decltype(tag);
      CopyWithIndexMaps<T>(DataAs<T>(input), input.shape().dims(), maps, T{},
                           DataAs<T>(out));
    });
    return absl::OkStatus();
  }
};

}  // namespace

REGISTER_KERNEL(OpSpec("Roll").Output("output"), RollKernel::Create);

}  // namespace model_server
