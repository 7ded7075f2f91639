// Element-wise binary arithmetic with numpy-style broadcasting (broadcast.h):
// Add, AddV2, Sub, Mul, RealDiv, Div, DivNoNan, FloorDiv, FloorMod,
// TruncateDiv, TruncateMod (and Mod, its older name), Maximum, Minimum, Pow,
// SquaredDifference, Atan2.
//
// dtypes: float, double, half, bfloat16 for all but TruncateDiv; the eight
// integer types for everything except RealDiv, DivNoNan, Atan2 (and Pow,
// which takes the signed ones); Add also concatenates strings.
//
// Semantics follow TensorFlow's CPU kernels:
//   - integer Div and TruncateDiv truncate toward zero, FloorDiv rounds down,
//     FloorMod takes the divisor's sign, TruncateMod the dividend's; a zero
//     divisor fails the op with INVALID_ARGUMENT "Integer division by zero"
//     (TensorFlow reports an INTERNAL error for TruncateDiv/TruncateMod here;
//     we use the clearer message for all five). INT_MIN / -1 wraps to INT_MIN
//     (remainder 0) instead of trapping, as TensorFlow does.
//   - integer arithmetic wraps on overflow (computed in unsigned arithmetic).
//   - integer Pow with a negative exponent fails with INVALID_ARGUMENT
//     "Integers to negative integer powers are not allowed".
//   - Maximum/Minimum propagate NaN.
//   - half and bfloat16 round after every operation, like Eigen's types.
//
// Floating-point work runs through Eigen's vectorized functors, one
// contiguous broadcast segment at a time (equal shapes and scalars are one
// segment; [N,K] op [K] is N segments, or, for K < 16, calls over many rows
// against a tiled copy of the row), spread over the thread pool when large;
// everything else runs plain loops.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <memory>
#include <string>
#include <type_traits>

#include "absl/strings/str_cat.h"
#include "runtime/eigen_device.h"
#include "runtime/kernels/broadcast.h"
#include "runtime/kernels/dtype_categories.h"
#include "runtime/kernels/kernel_util.h"
#include "runtime/op_kernel.h"
#include "runtime/op_registry.h"
#include "runtime/status_macros.h"

namespace model_server {
namespace {

// ---------------------------------------------------------------------------
// Functors. Floating-point ones follow Eigen's functor protocol (operator(),
// optional packetOp, functor_traits below) so segments vectorize.

template <typename T>
struct IntAdd {
  T operator()(T a, T b) const {
    return static_cast<T>(static_cast<WrappingUnsigned<T>>(a) +
                          static_cast<WrappingUnsigned<T>>(b));
  }
};
template <typename T>
struct IntSub {
  T operator()(T a, T b) const {
    return static_cast<T>(static_cast<WrappingUnsigned<T>>(a) -
                          static_cast<WrappingUnsigned<T>>(b));
  }
};
template <typename T>
struct IntMul {
  T operator()(T a, T b) const {
    return static_cast<T>(static_cast<WrappingUnsigned<T>>(a) *
                          static_cast<WrappingUnsigned<T>>(b));
  }
};
template <typename T>
struct IntSquaredDifference {
  T operator()(T a, T b) const {
    const WrappingUnsigned<T> d = static_cast<WrappingUnsigned<T>>(a) -
                                  static_cast<WrappingUnsigned<T>>(b);
    return static_cast<T>(d * d);
  }
};
template <typename T>
struct IntMax {
  T operator()(T a, T b) const { return a < b ? b : a; }
};
template <typename T>
struct IntMin {
  T operator()(T a, T b) const { return b < a ? b : a; }
};

// Integer division; the kernel has already rejected zero divisors.
template <typename T>
T WrapNegate(T a) {
  return static_cast<T>(WrappingUnsigned<T>(0) -
                        static_cast<WrappingUnsigned<T>>(a));
}
template <typename T>
struct IntTruncateDiv {
  T operator()(T a, T b) const {
    if constexpr (std::is_signed_v<T>) {
      if (b == T(-1)) return WrapNegate(a);
    }
    return static_cast<T>(a / b);
  }
};
template <typename T>
struct IntTruncateMod {
  T operator()(T a, T b) const {
    if constexpr (std::is_signed_v<T>) {
      if (b == T(-1)) return T(0);
    }
    return static_cast<T>(a % b);
  }
};
template <typename T>
struct IntFloorDiv {
  T operator()(T a, T b) const {
    if constexpr (std::is_signed_v<T>) {
      if (b == T(-1)) return WrapNegate(a);
      const T q = static_cast<T>(a / b);
      const bool inexact = static_cast<T>(a % b) != 0;
      return (inexact && ((a < 0) != (b < 0))) ? static_cast<T>(q - 1) : q;
    } else {
      return static_cast<T>(a / b);
    }
  }
};
template <typename T>
struct IntFloorMod {
  T operator()(T a, T b) const {
    if constexpr (std::is_signed_v<T>) {
      if (b == T(-1)) return T(0);
      const T r = static_cast<T>(a % b);
      return (r != 0 && ((r < 0) != (b < 0))) ? static_cast<T>(r + b) : r;
    } else {
      return static_cast<T>(a % b);
    }
  }
};
// Exponent >= 0 (checked by the kernel); wraps like repeated multiplication.
template <typename T>
struct IntPow {
  T operator()(T base, T exponent) const {
    using W = std::conditional_t<(sizeof(T) <= 4), uint32_t, uint64_t>;
    W result = 1;
    W b = static_cast<W>(static_cast<WrappingUnsigned<T>>(base));
    auto e = static_cast<WrappingUnsigned<T>>(exponent);
    while (e != 0) {
      if (e & 1) result *= b;
      b *= b;
      e >>= 1;
    }
    return static_cast<T>(result);
  }
};

template <typename T>
struct SquaredDifferenceOp : Eigen::internal::binary_op_base<T, T> {
  using result_type = T;
  T operator()(const T& a, const T& b) const {
    const T d = a - b;
    return d * d;
  }
  template <typename Packet>
  Packet packetOp(const Packet& a, const Packet& b) const {
    const Packet d = Eigen::internal::psub(a, b);
    return Eigen::internal::pmul(d, d);
  }
};

template <typename T>
struct DivNoNanOp : Eigen::internal::binary_op_base<T, T> {
  using result_type = T;
  T operator()(const T& a, const T& b) const {
    return b == T(0) ? T(0) : static_cast<T>(a / b);
  }
  template <typename Packet>
  Packet packetOp(const Packet& a, const Packet& b) const {
    const Packet zero_divisor =
        Eigen::internal::pcmp_eq(b, Eigen::internal::pzero(b));
    return Eigen::internal::pandnot(Eigen::internal::pdiv(a, b), zero_divisor);
  }
};

// floor(x / y) with the quotient rounded to T first, as TensorFlow does.
template <typename T>
struct FloorDivRealOp : Eigen::internal::binary_op_base<T, T> {
  using result_type = T;
  T operator()(const T& a, const T& b) const {
    return Eigen::numext::floor(static_cast<T>(a / b));
  }
  template <typename Packet>
  Packet packetOp(const Packet& a, const Packet& b) const {
    return Eigen::internal::pfloor(Eigen::internal::pdiv(a, b));
  }
};

template <typename T>
struct FloorModRealOp {
  T operator()(const T& a, const T& b) const {
    using W = ComputeType<T>;
    const W y = static_cast<W>(b);
    const W trunc_mod = std::fmod(static_cast<W>(a), y);
    return static_cast<T>(
        (trunc_mod != W(0) && ((y < W(0)) != (trunc_mod < W(0))))
            ? trunc_mod + y
            : trunc_mod);
  }
};

template <typename T>
struct TruncateModRealOp {
  T operator()(const T& a, const T& b) const {
    using W = ComputeType<T>;
    return static_cast<T>(std::fmod(static_cast<W>(a), static_cast<W>(b)));
  }
};

template <typename T>
struct Atan2Op {
  T operator()(const T& y, const T& x) const {
    using W = ComputeType<T>;
    return static_cast<T>(std::atan2(static_cast<W>(y), static_cast<W>(x)));
  }
};

struct StringConcat {
  std::string operator()(const std::string& a, const std::string& b) const {
    return absl::StrCat(a, b);
  }
};

}  // namespace
}  // namespace model_server

// Packet support of the functors above, in Eigen's trait protocol. Only
// float and double take the vector path (see RunBinary).
namespace Eigen {
namespace internal {
template <typename T>
struct functor_traits<model_server::SquaredDifferenceOp<T>> {
  enum { Cost = 2 * NumTraits<T>::MulCost, PacketAccess = true };
};
template <typename T>
struct functor_traits<model_server::DivNoNanOp<T>> {
  enum { Cost = 2 * NumTraits<T>::MulCost + 4, PacketAccess = true };
};
template <typename T>
struct functor_traits<model_server::FloorDivRealOp<T>> {
  enum { Cost = 2 * NumTraits<T>::MulCost + 4, PacketAccess = true };
};
}  // namespace internal
}  // namespace Eigen

namespace model_server {
namespace {

// ---------------------------------------------------------------------------
// Evaluation.

// Segments shorter than this run a scalar loop: Eigen's setup costs more.
constexpr int64_t kMinEigenSegment = 16;

template <typename T, typename F>
void EigenSegment(const F& f, const T* x, bool x_inner, const T* y,
                  bool y_inner, T* out, int64_t n) {
  using ConstMap = Eigen::TensorMap<
      Eigen::Tensor<const T, 1, Eigen::RowMajor, Eigen::Index>>;
  using Map =
      Eigen::TensorMap<Eigen::Tensor<T, 1, Eigen::RowMajor, Eigen::Index>>;
  Map o(out, n);
  if (x_inner && y_inner) {
    o = ConstMap(x, n).binaryExpr(ConstMap(y, n), f);
  } else if (x_inner) {
    o = ConstMap(x, n).unaryExpr(Eigen::internal::bind2nd_op<F>(*y));
  } else {
    o = ConstMap(y, n).unaryExpr(Eigen::internal::bind1st_op<F>(*x));
  }
}

// [N,K] op [K] and [K] op [N,K] with short rows (K < kMinEigenSegment):
// one call per row would cost more than the row itself, so the repeated row
// is tiled into a buffer of whole rows and each call covers many rows.
// Returns false when `bcast` is not of that form.
template <typename T, typename F>
bool RunShortRows(const F& f, const Broadcast& bcast, const T* x, const T* y,
                  T* out) {
  if (bcast.rank() != 2) return false;
  const int64_t k = bcast.dim(1);
  if (k >= kMinEigenSegment || bcast.stride(0, 1) != 1 ||
      bcast.stride(1, 1) != 1) {
    return false;
  }
  // Both advance along rows, so exactly one input repeats across them.
  const bool x_full = bcast.stride(0, 0) != 0;
  const T* row = x_full ? y : x;
  constexpr int64_t kTileElements = 256;
  const int64_t rows_per_tile = (kTileElements + k - 1) / k;
  T tile[kTileElements + kMinEigenSegment];
  for (int64_t j = 0; j < rows_per_tile * k; ++j) tile[j] = row[j % k];
  const int64_t rows = bcast.dim(0);
  const int64_t tiles = (rows + rows_per_tile - 1) / rows_per_tile;
  const double tile_elements = static_cast<double>(rows_per_tile * k);
  ParallelFor(
      tiles, 3 * sizeof(T) * tile_elements,
      Eigen::internal::functor_traits<F>::Cost * tile_elements,
      [&](int64_t begin, int64_t end) {
        for (int64_t t = begin; t < end; ++t) {
          const int64_t first_row = t * rows_per_tile;
          const int64_t offset = first_row * k;
          const int64_t n = std::min(rows_per_tile, rows - first_row) * k;
          if (x_full) {
            EigenSegment(f, x + offset, true, tile, true, out + offset, n);
          } else {
            EigenSegment(f, tile, true, y + offset, true, out + offset, n);
          }
        }
      });
  return true;
}

template <typename T, typename F>
void RunBinary(const F& f, const Broadcast& bcast, const T* x, const T* y,
               T* out) {
  constexpr double kCost = Eigen::internal::functor_traits<F>::Cost;
  if constexpr (kIsFloat<T> &&
                Eigen::internal::functor_traits<F>::PacketAccess &&
                Eigen::internal::packet_traits<T>::Vectorizable) {
    if (RunShortRows(f, bcast, x, y, out)) return;
    const bool x_inner = bcast.inner_stride(0) != 0;
    const bool y_inner = bcast.inner_stride(1) != 0;
    auto segment = [&](int64_t o,
                       const std::array<int64_t, Broadcast::kMaxInputs>& in,
                       int64_t n) {
      const T* xs = x + in[0];
      const T* ys = y + in[1];
      T* dst = out + o;
      if (!x_inner && !y_inner) {
        const T v = f(*xs, *ys);
        for (int64_t j = 0; j < n; ++j) dst[j] = v;
      } else if (n < kMinEigenSegment) {
        if (x_inner && y_inner) {
          for (int64_t j = 0; j < n; ++j) dst[j] = f(xs[j], ys[j]);
        } else if (x_inner) {
          const T yv = *ys;
          for (int64_t j = 0; j < n; ++j) dst[j] = f(xs[j], yv);
        } else {
          const T xv = *xs;
          for (int64_t j = 0; j < n; ++j) dst[j] = f(xv, ys[j]);
        }
      } else {
        EigenSegment(f, xs, x_inner, ys, y_inner, dst, n);
      }
    };
    ParallelFor(bcast.num_elements(), 3 * sizeof(T), kCost,
                [&](int64_t begin, int64_t end) {
                  bcast.ForEachSegment(begin, end, segment);
                });
  } else {
    BroadcastBinaryLoop(bcast, x, y, out, kCost, f);
  }
}

// Value checks some integer ops make before computing.
enum class Check { kNone, kNonZeroDivisor, kNonNegativeExponent };

template <typename T, typename F, Check kCheck = Check::kNone>
class BinaryKernel final : public OpKernel {
 public:
  absl::Status Compute(OpKernelContext& ctx) const override {
    constexpr DataType kDtype = DataTypeOf<T>::value;
    const Tensor& x = ctx.input(0);
    const Tensor& y = ctx.input(1);
    if (x.dtype() != kDtype || y.dtype() != kDtype) {
      return ctx.InvalidArgument(absl::StrCat(
          "Expected two ", DataTypeName(kDtype), " inputs, got ",
          DataTypeName(x.dtype()), " and ", DataTypeName(y.dtype())));
    }
    MS_ASSIGN_OR_RETURN(Broadcast bcast,
                        Broadcast::Make({&x.shape(), &y.shape()}));
    MS_ASSIGN_OR_RETURN(Tensor * out,
                        ctx.allocate_output(0, kDtype, bcast.output_shape()));
    if (bcast.num_elements() == 0) return absl::OkStatus();
    // Every element of y is used when the output is not empty.
    const T* yv = y.data<T>();
    const int64_t ny = y.NumElements();
    if constexpr (kCheck == Check::kNonZeroDivisor) {
      for (int64_t i = 0; i < ny; ++i) {
        if (yv[i] == T(0)) {
          return ctx.InvalidArgument("Integer division by zero");
        }
      }
    } else if constexpr (kCheck == Check::kNonNegativeExponent) {
      for (int64_t i = 0; i < ny; ++i) {
        if (yv[i] < T(0)) {
          return ctx.InvalidArgument(
              "Integers to negative integer powers are not allowed");
        }
      }
    }
    RunBinary<T>(F(), bcast, x.data<T>(), yv, out->data<T>());
    return absl::OkStatus();
  }
};

// ---------------------------------------------------------------------------
// Per-op dtype tables: Select<T>() returns the kernel for T, or null.

template <typename T, typename F, Check kCheck = Check::kNone>
std::unique_ptr<OpKernel> Make() {
  return std::make_unique<BinaryKernel<T, F, kCheck>>();
}

template <bool kAllowString>
struct AddOps {
  template <typename T>
  static std::unique_ptr<OpKernel> Select() {
    if constexpr (kIsFloat<T>) {
      return Make<T, Eigen::internal::scalar_sum_op<T>>();
    } else if constexpr (kIsInt<T>) {
      return Make<T, IntAdd<T>>();
    } else if constexpr (kAllowString && std::is_same_v<T, std::string>) {
      return Make<T, StringConcat>();
    }
    return nullptr;
  }
};

struct SubOps {
  template <typename T>
  static std::unique_ptr<OpKernel> Select() {
    if constexpr (kIsFloat<T>) {
      return Make<T, Eigen::internal::scalar_difference_op<T>>();
    } else if constexpr (kIsInt<T>) {
      return Make<T, IntSub<T>>();
    }
    return nullptr;
  }
};

struct MulOps {
  template <typename T>
  static std::unique_ptr<OpKernel> Select() {
    if constexpr (kIsFloat<T>) {
      return Make<T, Eigen::internal::scalar_product_op<T>>();
    } else if constexpr (kIsInt<T>) {
      return Make<T, IntMul<T>>();
    }
    return nullptr;
  }
};

// Div: true division for floats, truncating for integers. RealDiv: floats.
template <bool kAllowInt>
struct DivOps {
  template <typename T>
  static std::unique_ptr<OpKernel> Select() {
    if constexpr (kIsFloat<T>) {
      return Make<T, Eigen::internal::scalar_quotient_op<T>>();
    } else if constexpr (kAllowInt && kIsInt<T>) {
      return Make<T, IntTruncateDiv<T>, Check::kNonZeroDivisor>();
    }
    return nullptr;
  }
};

struct TruncateDivOps {
  template <typename T>
  static std::unique_ptr<OpKernel> Select() {
    if constexpr (kIsInt<T>) {
      return Make<T, IntTruncateDiv<T>, Check::kNonZeroDivisor>();
    }
    return nullptr;
  }
};

struct DivNoNanOps {
  template <typename T>
  static std::unique_ptr<OpKernel> Select() {
    if constexpr (kIsFloatOrDouble<T>) {
      return Make<T, DivNoNanOp<T>>();
    } else if constexpr (kIsFloat<T>) {
      // No packet comparisons for half/bfloat16 in Eigen 3.4: scalar path.
      return Make<T, DivNoNanScalar<T>>();
    }
    return nullptr;
  }
  template <typename T>
  struct DivNoNanScalar {
    T operator()(const T& a, const T& b) const { return DivNoNanOp<T>()(a, b); }
  };
};

struct FloorDivOps {
  template <typename T>
  static std::unique_ptr<OpKernel> Select() {
    if constexpr (kIsFloatOrDouble<T>) {
      return Make<T, FloorDivRealOp<T>>();
    } else if constexpr (kIsFloat<T>) {
      return Make<T, FloorDivScalar<T>>();
    } else if constexpr (kIsInt<T>) {
      return Make<T, IntFloorDiv<T>, Check::kNonZeroDivisor>();
    }
    return nullptr;
  }
  template <typename T>
  struct FloorDivScalar {
    T operator()(const T& a, const T& b) const {
      return FloorDivRealOp<T>()(a, b);
    }
  };
};

struct FloorModOps {
  template <typename T>
  static std::unique_ptr<OpKernel> Select() {
    if constexpr (kIsFloat<T>) {
      return Make<T, FloorModRealOp<T>>();
    } else if constexpr (kIsInt<T>) {
      return Make<T, IntFloorMod<T>, Check::kNonZeroDivisor>();
    }
    return nullptr;
  }
};

struct TruncateModOps {
  template <typename T>
  static std::unique_ptr<OpKernel> Select() {
    if constexpr (kIsFloat<T>) {
      return Make<T, TruncateModRealOp<T>>();
    } else if constexpr (kIsInt<T>) {
      return Make<T, IntTruncateMod<T>, Check::kNonZeroDivisor>();
    }
    return nullptr;
  }
};

struct MaximumOps {
  template <typename T>
  static std::unique_ptr<OpKernel> Select() {
    if constexpr (kIsFloat<T>) {
      return Make<T,
                  Eigen::internal::scalar_max_op<T, T, Eigen::PropagateNaN>>();
    } else if constexpr (kIsInt<T>) {
      return Make<T, IntMax<T>>();
    }
    return nullptr;
  }
};

struct MinimumOps {
  template <typename T>
  static std::unique_ptr<OpKernel> Select() {
    if constexpr (kIsFloat<T>) {
      return Make<T,
                  Eigen::internal::scalar_min_op<T, T, Eigen::PropagateNaN>>();
    } else if constexpr (kIsInt<T>) {
      return Make<T, IntMin<T>>();
    }
    return nullptr;
  }
};

struct PowOps {
  template <typename T>
  static std::unique_ptr<OpKernel> Select() {
    if constexpr (kIsFloat<T>) {
      return Make<T, Eigen::internal::scalar_pow_op<T, T>>();
    } else if constexpr (kIsSignedInt<T>) {
      return Make<T, IntPow<T>, Check::kNonNegativeExponent>();
    }
    return nullptr;
  }
};

struct SquaredDifferenceOps {
  template <typename T>
  static std::unique_ptr<OpKernel> Select() {
    if constexpr (kIsFloat<T>) {
      return Make<T, SquaredDifferenceOp<T>>();
    } else if constexpr (kIsInt<T>) {
      return Make<T, IntSquaredDifference<T>>();
    }
    return nullptr;
  }
};

struct Atan2Ops {
  template <typename T>
  static std::unique_ptr<OpKernel> Select() {
    if constexpr (kIsFloat<T>) return Make<T, Atan2Op<T>>();
    return nullptr;
  }
};

// Factory: validates the node (two inputs, attr T) and picks the kernel for
// T, or fails with UNIMPLEMENTED naming the op, node and dtype.
template <typename Ops>
absl::StatusOr<std::unique_ptr<OpKernel>> Create(
    const KernelConstruction& construction) {
  const NodeAttrs& attrs = construction.attrs;
  MS_RETURN_IF_ERROR(CheckNumInputs(construction, 2));
  DataType dtype;
  MS_RETURN_IF_ERROR(attrs.Get("T", &dtype));
  return MakeTypedKernel(construction, dtype,
                         [&](auto tag) -> std::unique_ptr<OpKernel> {
                           using T = decltype(tag);
                           return Ops::template Select<T>();
                         });
}

}  // namespace

REGISTER_KERNEL(OpSpec("Add").Output("z"), Create<AddOps<true>>);
REGISTER_KERNEL(OpSpec("AddV2").Output("z"), Create<AddOps<false>>);
REGISTER_KERNEL(OpSpec("Sub").Output("z"), Create<SubOps>);
REGISTER_KERNEL(OpSpec("Mul").Output("z"), Create<MulOps>);
REGISTER_KERNEL(OpSpec("RealDiv").Output("z"), Create<DivOps<false>>);
REGISTER_KERNEL(OpSpec("Div").Output("z"), Create<DivOps<true>>);
REGISTER_KERNEL(OpSpec("TruncateDiv").Output("z"), Create<TruncateDivOps>);
REGISTER_KERNEL(OpSpec("DivNoNan").Output("z"), Create<DivNoNanOps>);
REGISTER_KERNEL(OpSpec("FloorDiv").Output("z"), Create<FloorDivOps>);
REGISTER_KERNEL(OpSpec("FloorMod").Output("z"), Create<FloorModOps>);
REGISTER_KERNEL(OpSpec("TruncateMod").Output("z"), Create<TruncateModOps>);
// TensorFlow's Mod is TruncateMod under its older name.
REGISTER_KERNEL(OpSpec("Mod").Output("z"), Create<TruncateModOps>);
REGISTER_KERNEL(OpSpec("Maximum").Output("z"), Create<MaximumOps>);
REGISTER_KERNEL(OpSpec("Minimum").Output("z"), Create<MinimumOps>);
REGISTER_KERNEL(OpSpec("Pow").Output("z"), Create<PowOps>);
REGISTER_KERNEL(OpSpec("SquaredDifference").Output("z"),
                Create<SquaredDifferenceOps>);
REGISTER_KERNEL(OpSpec("Atan2").Output("z"), Create<Atan2Ops>);

}  // namespace model_server
