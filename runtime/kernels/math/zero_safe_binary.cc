// Binary ops that define a zero operand's result as 0 (x, y -> z, with
// broadcasting), as TensorFlow's CPU kernels do:
//   Xlogy(x, y)   = x == 0 ? 0 : x * log(y)
//   Xlog1py(x, y) = x == 0 ? 0 : x * log1p(y)
//   Xdivy(x, y)   = x == 0 ? 0 : x / y
//   MulNoNan(x, y) = y == 0 ? 0 : x * y
// so 0 * log(0), 0 / 0 and inf * 0 give 0 instead of NaN; a NaN in the
// other operand is ignored where the result is defined as 0.
//
// dtypes: half, bfloat16, float, double (half and bfloat16 computed in float
// and rounded once). TensorFlow also registers complex64/complex128, which
// no model we know uses; they are UNIMPLEMENTED here.
#include <cmath>
#include <memory>

#include "runtime/kernels/dtype_categories.h"
#include "runtime/kernels/math/elementwise_kernel.h"
#include "runtime/op_registry.h"

namespace model_server {
namespace {

template <typename T>
struct XlogyOp {
  T operator()(T x, T y) const {
    const ComputeType<T> a = Widen(x);
    return a == 0 ? T(0) : static_cast<T>(a * std::log(Widen(y)));
  }
};

template <typename T>
struct Xlog1pyOp {
  T operator()(T x, T y) const {
    const ComputeType<T> a = Widen(x);
    return a == 0 ? T(0) : static_cast<T>(a * std::log1p(Widen(y)));
  }
};

template <typename T>
struct XdivyOp {
  T operator()(T x, T y) const {
    const ComputeType<T> a = Widen(x);
    return a == 0 ? T(0) : static_cast<T>(a / Widen(y));
  }
};

template <typename T>
struct MulNoNanOp {
  T operator()(T x, T y) const {
    const ComputeType<T> b = Widen(y);
    return b == 0 ? T(0) : static_cast<T>(Widen(x) * b);
  }
};

template <template <typename> class Op>
struct FloatOps {
  template <typename T>
  static std::unique_ptr<OpKernel> Select() {
    if constexpr (kIsFloat<T>) return MakeBinary<T>(Op<T>(), 20);
    return nullptr;
  }
};

}  // namespace

REGISTER_KERNEL(OpSpec("Xlogy").Output("z"),
                (CreateElementwise<FloatOps<XlogyOp>, 2>));
REGISTER_KERNEL(OpSpec("Xlog1py").Output("z"),
                (CreateElementwise<FloatOps<Xlog1pyOp>, 2>));
REGISTER_KERNEL(OpSpec("Xdivy").Output("z"),
                (CreateElementwise<FloatOps<XdivyOp>, 2>));
REGISTER_KERNEL(OpSpec("MulNoNan").Output("z"),
                (CreateElementwise<FloatOps<MulNoNanOp>, 2>));

}  // namespace model_server
