// Where: input -> "index" (int64 coordinates of the true, or non-zero,
// elements, in row-major order).
#include <cstdint>
#include <memory>
#include <string>
#include <type_traits>
#include <vector>

#include "absl/strings/str_cat.h"
#include "runtime/kernels/array/data_movement.h"
#include "runtime/kernels/kernel_util.h"
#include "runtime/op_kernel.h"
#include "runtime/op_registry.h"
#include "runtime/status_macros.h"

namespace model_server {
namespace {

class WhereKernel : public OpKernel {
 public:
  static absl::StatusOr<std::unique_ptr<OpKernel>> Create(
      const KernelConstruction& c) {
    MS_RETURN_IF_ERROR(CheckNumInputs(c, 1));
    DataType dtype;
    MS_RETURN_IF_ERROR(c.attrs.GetOr("T", DT_BOOL, &dtype));
    if (dtype == DT_STRING || dtype == DT_RESOURCE || dtype == DT_VARIANT) {
      return UnsupportedDtypeError(c, dtype);
    }
    return std::unique_ptr<OpKernel>(new WhereKernel());
  }

  absl::Status Compute(OpKernelContext& ctx) const override {
    const Tensor& input = ctx.input(0);
    std::vector<int64_t> true_positions;
    bool supported = false;
    SwitchOnDataType(input.dtype(), [&](auto tag) {
      using T = decltype(tag);
      if constexpr (!std::is_same_v<T, std::string> &&
                    !std::is_same_v<T, std::shared_ptr<ResourceBase>> &&
                    !std::is_same_v<T, std::shared_ptr<VariantValue>>) {
        supported = true;
        const T* x = input.data<T>();
        for (int64_t i = 0; i < input.NumElements(); ++i) {
          if (x[i] != T()) true_positions.push_back(i);
        }
      }
    });
    if (!supported) {
      return ctx.InvalidArgument(absl::StrCat("Where does not support type ",
                                              DataTypeName(input.dtype())));
    }
    const int rank = input.rank();
    const int64_t count = static_cast<int64_t>(true_positions.size());
    MS_ASSIGN_OR_RETURN(
        Tensor * out,
        ctx.allocate_output(0, DT_INT64, TensorShape{count, rank}));
    int64_t* coords = out->data<int64_t>();
    for (int64_t i = 0; i < count; ++i) {
      int64_t rest = true_positions[i];
      for (int d = rank - 1; d >= 0; --d) {
        coords[i * rank + d] = rest % input.dim(d);
        rest /= input.dim(d);
      }
    }
    return absl::OkStatus();
  }
};

}  // namespace

REGISTER_KERNEL(OpSpec("Where").Output("index"), WhereKernel::Create);

}  // namespace model_server
