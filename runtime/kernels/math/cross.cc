// Cross: a, b (attr T, one shape [..., 3]) -> product, the cross product
// of each pair of 3-vectors along the last dimension.
//
// dtypes: every real number type (TensorFlow's registrations); integers
// wrap on overflow, half and bfloat16 compute in float. Errors (TensorFlow's
// texts): "Both inputs must be of same shape: [..] vs. [..]", "Input must
// be at least 1D[..]", "Argument 'a' must be of size 3 in the last
// dimension, got shape [..]".
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

// x*y - z*w in T's arithmetic (wrapping for integers).
template <typename T>
T MulSub(T x, T y, T z, T w) {
  if constexpr (kIsInt<T>) {
    using U = WrappingUnsigned<T>;
    return static_cast<T>(static_cast<U>(x) * static_cast<U>(y) -
                          static_cast<U>(z) * static_cast<U>(w));
  } else {
    return static_cast<T>(Widen(x) * Widen(y) - Widen(z) * Widen(w));
  }
}

template <typename T>
class CrossKernel final : public OpKernel {
 public:
  absl::Status Compute(OpKernelContext& ctx) const override {
    const Tensor& a = ctx.input(0);
    const Tensor& b = ctx.input(1);
    MS_RETURN_IF_ERROR(CheckInputDtype(a, DataTypeOf<T>::value));
    MS_RETURN_IF_ERROR(CheckInputDtype(b, DataTypeOf<T>::value));
    if (a.shape() != b.shape()) {
      return ctx.InvalidArgument(absl::StrCat(
          "Both inputs must be of same shape: ", a.shape().DebugString(),
          " vs. ", b.shape().DebugString()));
    }
    if (a.rank() < 1) {
      return ctx.InvalidArgument(
          absl::StrCat("Input must be at least 1D", a.shape().DebugString()));
    }
    if (a.dim(a.rank() - 1) != 3) {
      return ctx.InvalidArgument(absl::StrCat(
          "Argument 'a' must be of size 3 in the last dimension, got shape ",
          a.shape().DebugString()));
    }
    MS_ASSIGN_OR_RETURN(Tensor * out,
                        ctx.allocate_output(0, a.dtype(), a.shape()));
    const T* x = a.data<T>();
    const T* y = b.data<T>();
    T* o = out->data<T>();
    ParallelFor(a.NumElements() / 3, 9 * sizeof(T), 9,
                [&](int64_t begin, int64_t end) {
                  for (int64_t i = begin; i < end; ++i) {
                    const T* u = x + 3 * i;
                    const T* v = y + 3 * i;
                    T* w = o + 3 * i;
                    w[0] = MulSub(u[1], v[2], u[2], v[1]);
                    w[1] = MulSub(u[2], v[0], u[0], v[2]);
                    w[2] = MulSub(u[0], v[1], u[1], v[0]);
                  }
                });
    return absl::OkStatus();
  }
};

absl::StatusOr<std::unique_ptr<OpKernel>> CreateCross(
    const KernelConstruction& c) {
  MS_RETURN_IF_ERROR(CheckNumInputs(c, 2));
  DataType dtype;
  MS_RETURN_IF_ERROR(c.attrs.Get("T", &dtype));
  return MakeTypedKernel(c, dtype, [](auto tag) -> std::unique_ptr<OpKernel> {
    using T = decltype(tag);
    if constexpr (kIsRealNumber<T>) return std::make_unique<CrossKernel<T>>();
    return nullptr;
  });
}

}  // namespace

REGISTER_KERNEL(OpSpec("Cross").Output("product"), CreateCross);

}  // namespace model_server
