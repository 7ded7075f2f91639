// ApproximateEqual: x, y (attr T, one shape; no broadcasting, as in
// TensorFlow's kernel) -> z (bool), |x - y| < tolerance (float attr,
// default 1e-5). NaN compares unequal.
//
// dtypes: every real number type (TensorFlow registers its number types;
// complex is not supported here). As in TensorFlow the tolerance is
// converted to T first, so for integers it truncates (the default 1e-5
// becomes 0: nothing is approximately equal). Mismatched shapes are
// INVALID_ARGUMENT "x and y must be of the same shape. x shape: [..]. y
// shape: [..]" (TensorFlow's text).
#include <cmath>
#include <cstdint>
#include <memory>
#include <type_traits>

#include "absl/strings/str_cat.h"
#include "runtime/kernels/broadcast.h"
#include "runtime/kernels/dtype_categories.h"
#include "runtime/kernels/kernel_util.h"
#include "runtime/op_kernel.h"
#include "runtime/op_registry.h"
#include "runtime/status_macros.h"

namespace model_server {
namespace {

template <typename T>
class ApproximateEqualKernel final : public OpKernel {
 public:
  explicit ApproximateEqualKernel(float tolerance) : tolerance_(tolerance) {}

  absl::Status Compute(OpKernelContext& ctx) const override {
    const Tensor& x = ctx.input(0);
    const Tensor& y = ctx.input(1);
    MS_RETURN_IF_ERROR(CheckInputDtype(x, DataTypeOf<T>::value));
    MS_RETURN_IF_ERROR(CheckInputDtype(y, DataTypeOf<T>::value));
    if (x.shape() != y.shape()) {
      return ctx.InvalidArgument(absl::StrCat(
          "x and y must be of the same shape. x shape: ",
          x.shape().DebugString(), ". y shape: ", y.shape().DebugString()));
    }
    MS_ASSIGN_OR_RETURN(Tensor * out,
                        ctx.allocate_output(0, DT_BOOL, x.shape()));
    const T* a = x.data<T>();
    const T* b = y.data<T>();
    bool* o = out->data<bool>();
    // As TensorFlow: the tolerance converted to T (so it truncates for
    // integers) and the difference taken in T (rounded for half/bfloat16);
    // integer differences in double, exact up to 2^53, cannot overflow.
    const T tolerance = static_cast<T>(tolerance_);
    ParallelFor(
        x.NumElements(), 2 * sizeof(T) + 1, 3, [&](int64_t begin, int64_t end) {
          for (int64_t i = begin; i < end; ++i) {
            if constexpr (kIsFloat<T>) {
              const T d = static_cast<T>(a[i] - b[i]);
              o[i] =
                  Widen(d) < Widen(tolerance) && -Widen(d) < Widen(tolerance);
            } else {
              const double d =
                  static_cast<double>(a[i]) - static_cast<double>(b[i]);
              o[i] = std::fabs(d) < static_cast<double>(tolerance);
            }
          }
        });
    return absl::OkStatus();
  }

 private:
  const float tolerance_;
};

absl::StatusOr<std::unique_ptr<OpKernel>> CreateApproximateEqual(
    const KernelConstruction& c) {
  MS_RETURN_IF_ERROR(CheckNumInputs(c, 2));
  DataType dtype;
  float tolerance;
  MS_RETURN_IF_ERROR(c.attrs.Get("T", &dtype));
  MS_RETURN_IF_ERROR(c.attrs.GetOr("tolerance", 1e-5f, &tolerance));
  return MakeTypedKernel(c, dtype, [&](auto tag) -> std::unique_ptr<OpKernel> {
    using T = decltype(tag);
    if constexpr (kIsRealNumber<T>) {
      return std::make_unique<ApproximateEqualKernel<T>>(tolerance);
    }
    return nullptr;
  });
}

}  // namespace

REGISTER_KERNEL(OpSpec("ApproximateEqual").Output("z"), CreateApproximateEqual);

}  // namespace model_server
