// NextAfter: x1, x2 -> output, with broadcasting: the next representable
// value after x1 in the direction of x2 (std::nextafter; x1 when they are
// equal, NaN when either is NaN). dtypes: float and double (TensorFlow's
// registrations).
#include <cmath>
#include <memory>

#include "runtime/kernels/dtype_categories.h"
#include "runtime/kernels/math/elementwise_kernel.h"
#include "runtime/op_registry.h"

namespace model_server {
namespace {

template <typename T>
struct NextAfterOp {
  T operator()(T from, T to) const { return std::nextafter(from, to); }
};

struct NextAfterOps {
  template <typename T>
  static std::unique_ptr<OpKernel> Select() {
    if constexpr (kIsFloatOrDouble<T>) return MakeBinary<T>(NextAfterOp<T>());
    return nullptr;
  }
};

}  // namespace

REGISTER_KERNEL(OpSpec("NextAfter").Output("output"),
                (CreateElementwise<NextAfterOps, 2>));

}  // namespace model_server
