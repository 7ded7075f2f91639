// Bitwise ops on the eight integer dtypes (TensorFlow's bitwise_ops):
// BitwiseAnd, BitwiseOr, BitwiseXor, LeftShift, RightShift (x, y -> z, with
// broadcasting), Invert (x -> y, ~x) and PopulationCount (x -> y, the number
// of set bits as uint8).
//
// Shifts follow TensorFlow's CPU kernels: the shift amount is clamped to
// [0, bits - 1] (a negative shift shifts by 0, an oversized one by bits - 1),
// LeftShift shifts the unsigned representation (bits shifted out are lost,
// the sign bit can be set), RightShift is arithmetic for signed types.
#include <bitset>
#include <climits>
#include <cstdint>
#include <memory>
#include <type_traits>

#include "runtime/kernels/dtype_categories.h"
#include "runtime/kernels/math/elementwise_kernel.h"
#include "runtime/op_registry.h"

namespace model_server {
namespace {

// The shift amount TensorFlow uses: y clamped to [0, bits - 1].
template <typename T>
unsigned ClampedShift(T y) {
  constexpr int kMaxShift = static_cast<int>(sizeof(T) * CHAR_BIT) - 1;
  if constexpr (std::is_signed_v<T>) {
    if (y < 0) return 0;
  }
  return y > static_cast<T>(kMaxShift) ? kMaxShift : static_cast<unsigned>(y);
}

template <typename T>
struct LeftShiftOp {
  T operator()(T x, T y) const {
    using U = WrappingUnsigned<T>;
    return static_cast<T>(static_cast<U>(static_cast<U>(x) << ClampedShift(y)));
  }
};

template <typename T>
struct RightShiftOp {
  // >> on a negative signed value is arithmetic (C++20, and every compiler
  // we build with before it).
  T operator()(T x, T y) const { return static_cast<T>(x >> ClampedShift(y)); }
};

template <typename T>
struct AndOp {
  T operator()(T x, T y) const { return static_cast<T>(x & y); }
};
template <typename T>
struct OrOp {
  T operator()(T x, T y) const { return static_cast<T>(x | y); }
};
template <typename T>
struct XorOp {
  T operator()(T x, T y) const { return static_cast<T>(x ^ y); }
};

template <typename T>
struct InvertOp {
  T operator()(T x) const { return static_cast<T>(~x); }
};

template <typename T>
struct PopulationCountOp {
  uint8_t operator()(T x) const {
    using U = std::make_unsigned_t<T>;
    return static_cast<uint8_t>(
        std::bitset<sizeof(T) * CHAR_BIT>(static_cast<U>(x)).count());
  }
};

template <template <typename> class Op>
struct IntBinaryOps {
  template <typename T>
  static std::unique_ptr<OpKernel> Select() {
    if constexpr (kIsInt<T>) return MakeBinary<T>(Op<T>());
    return nullptr;
  }
};

struct InvertOps {
  template <typename T>
  static std::unique_ptr<OpKernel> Select() {
    if constexpr (kIsInt<T>) return MakeUnary<T>(InvertOp<T>());
    return nullptr;
  }
};

struct PopulationCountOps {
  template <typename T>
  static std::unique_ptr<OpKernel> Select() {
    if constexpr (kIsInt<T>) {
      return MakeUnary<T, uint8_t>(PopulationCountOp<T>());
    }
    return nullptr;
  }
};

}  // namespace

REGISTER_KERNEL(OpSpec("BitwiseAnd").Output("z"),
                (CreateElementwise<IntBinaryOps<AndOp>, 2>));
REGISTER_KERNEL(OpSpec("BitwiseOr").Output("z"),
                (CreateElementwise<IntBinaryOps<OrOp>, 2>));
REGISTER_KERNEL(OpSpec("BitwiseXor").Output("z"),
                (CreateElementwise<IntBinaryOps<XorOp>, 2>));
REGISTER_KERNEL(OpSpec("LeftShift").Output("z"),
                (CreateElementwise<IntBinaryOps<LeftShiftOp>, 2>));
REGISTER_KERNEL(OpSpec("RightShift").Output("z"),
                (CreateElementwise<IntBinaryOps<RightShiftOp>, 2>));
REGISTER_KERNEL(OpSpec("Invert").Output("y"),
                (CreateElementwise<InvertOps, 1>));
REGISTER_KERNEL(OpSpec("PopulationCount").Output("y"),
                (CreateElementwise<PopulationCountOps, 1>));

}  // namespace model_server
