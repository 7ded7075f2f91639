// LinSpace: start, stop (scalars of attr T), num (scalar of attr Tidx,
// int32 or int64) -> output [num], evenly spaced from start to stop
// inclusive: start + i * (stop - start) / (num - 1), the last element
// exactly stop; num = 1 gives [start].
//
// dtypes: float, double, half and bfloat16 (half and bfloat16 computed in
// float). Errors (TensorFlow's texts): non-scalar arguments ("start must
// be a scalar, not shape [..]", same for stop and num) and "Requires
// num > 0: n"; a huge num fails with RESOURCE_EXHAUSTED.
#include <cstdint>
#include <memory>

#include "absl/strings/str_cat.h"
#include "runtime/kernels/dtype_categories.h"
#include "runtime/kernels/kernel_util.h"
#include "runtime/op_kernel.h"
#include "runtime/op_registry.h"
#include "runtime/status_macros.h"

namespace model_server {
namespace {

template <typename T>
class LinSpaceKernel final : public OpKernel {
 public:
  absl::Status Compute(OpKernelContext& ctx) const override {
    const Tensor& start = ctx.input(0);
    const Tensor& stop = ctx.input(1);
    const Tensor& num_tensor = ctx.input(2);
    MS_RETURN_IF_ERROR(CheckInputDtype(start, DataTypeOf<T>::value));
    MS_RETURN_IF_ERROR(CheckInputDtype(stop, DataTypeOf<T>::value));
    MS_RETURN_IF_ERROR(CheckIntTensor(num_tensor, "num"));
    const char* names[] = {"start", "stop", "num"};
    const Tensor* args[] = {&start, &stop, &num_tensor};
    for (int i = 0; i < 3; ++i) {
      if (args[i]->rank() != 0) {
        return ctx.InvalidArgument(
            absl::StrCat(names[i], " must be a scalar, not shape ",
                         args[i]->shape().DebugString()));
      }
    }
    const int64_t num = IntAt(num_tensor, 0);
    if (num <= 0) {
      return ctx.InvalidArgument(absl::StrCat("Requires num > 0: ", num));
    }
    MS_ASSIGN_OR_RETURN(
        Tensor * out,
        ctx.allocate_output(0, DataTypeOf<T>::value, TensorShape{num}));
    T* o = out->data<T>();
    const ComputeType<T> first = Widen(start.scalar<T>());
    const ComputeType<T> last = Widen(stop.scalar<T>());
    if (num == 1) {
      o[0] = start.scalar<T>();
      return absl::OkStatus();
    }
    const ComputeType<T> step =
        (last - first) / static_cast<ComputeType<T>>(num - 1);
    for (int64_t i = 0; i < num - 1; ++i) {
      o[i] = static_cast<T>(first + step * static_cast<ComputeType<T>>(i));
    }
    o[num - 1] = stop.scalar<T>();
    return absl::OkStatus();
  }
};

absl::StatusOr<std::unique_ptr<OpKernel>> CreateLinSpace(
    const KernelConstruction& c) {
  MS_RETURN_IF_ERROR(CheckNumInputs(c, 3));
  MS_RETURN_IF_ERROR(CheckIndexTypeAttr(c, "Tidx"));
  DataType dtype;
  MS_RETURN_IF_ERROR(c.attrs.Get("T", &dtype));
  return MakeTypedKernel(c, dtype, [](auto tag) -> std::unique_ptr<OpKernel> {
    using T = decltype(tag);
    if constexpr (kIsFloat<T>) return std::make_unique<LinSpaceKernel<T>>();
    return nullptr;
  });
}

}  // namespace

REGISTER_KERNEL(OpSpec("LinSpace").Output("output"), CreateLinSpace);

}  // namespace model_server
