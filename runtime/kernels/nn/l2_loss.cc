// L2Loss: t -> output, sum(t^2) / 2 as a scalar. float, double, half and
// bfloat16 (half and bfloat16 summed in float).
#include <memory>
#include <type_traits>
#include <utility>

#include "absl/strings/str_cat.h"
#include "runtime/kernels/dtype_categories.h"
#include "runtime/kernels/kernel_util.h"
#include "runtime/op_kernel.h"
#include "runtime/op_registry.h"
#include "runtime/status_macros.h"

namespace model_server {
namespace {

class L2LossKernel : public OpKernel {
 public:
  static absl::StatusOr<std::unique_ptr<OpKernel>> Create(
      const KernelConstruction& c) {
    auto k = std::unique_ptr<L2LossKernel>(new L2LossKernel());
    MS_RETURN_IF_ERROR(c.attrs.GetOr("T", DT_FLOAT, &k->dtype_));
    if (!DtypeIs(k->dtype_, [](auto tag) { return kIsFloat<decltype(tag)>; })) {
      return UnsupportedDtypeError(c, k->dtype_);
    }
    return std::unique_ptr<OpKernel>(std::move(k));
  }

  absl::Status Compute(OpKernelContext& ctx) const override {
    const Tensor& t = ctx.input(0);
    MS_RETURN_IF_ERROR(CheckInputDtype(t, dtype_));
    MS_ASSIGN_OR_RETURN(Tensor * out,
                        ctx.allocate_output(0, dtype_, TensorShape()));
    SwitchOnDataType(dtype_, [&](auto tag) {
      using T = decltype(tag);
      if constexpr (kIsFloat<T>) {
        using Acc =
            std::conditional_t<std::is_same_v<T, double>, double, float>;
        Eigen::Map<const Eigen::Array<T, Eigen::Dynamic, 1>> x(t.data<T>(),
                                                               t.NumElements());
        const Acc sum = t.NumElements() == 0
                            ? Acc(0)
                            : x.template cast<Acc>().square().sum();
        out->data<T>()[0] = static_cast<T>(sum / Acc(2));
      }
    });
    return absl::OkStatus();
  }

 private:
  L2LossKernel() = default;
  DataType dtype_ = DT_FLOAT;
};

}  // namespace

REGISTER_KERNEL(OpSpec("L2Loss").Output("output"), L2LossKernel::Create);

}  // namespace model_server
