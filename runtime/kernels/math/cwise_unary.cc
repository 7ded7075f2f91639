// Element-wise unary math: Neg, Abs, Exp, Expm1, Log, Log1p, Sqrt, Rsqrt,
// Square, Reciprocal, Inv, Tanh, Sigmoid, Sin, Cos, Tan, Asin, Acos, Atan,
// Asinh, Acosh, Atanh, Sinh, Cosh, Erf, Erfc, Floor, Ceil, Round, Rint,
// Sign, IsNan, IsInf, IsFinite and the activations Relu, Relu6, LeakyRelu,
// Elu, Selu, Softplus, Softsign.
//
// dtypes: float, double, half and bfloat16 for every op; additionally the
// signed integers for Neg, Abs, Sign, Square and Round, the unsigned ones
// for Square and Round, and all integers for Relu and Relu6 (TensorFlow's
// real-number types). Input and output share the shape; IsNan/IsInf/
// IsFinite output bool.
//
// Semantics follow TensorFlow: Round rounds half to even (Round of an
// integer is the identity); Relu/Relu6 propagate NaN; Sign(NaN) is NaN;
// LeakyRelu is x > 0 ? x : alpha * x for any alpha (attr, default 0.2);
// Elu/Selu use exp(x) - 1 below zero; Softplus switches to x or exp(x) where
// log1p(exp(x)) would overflow or underflow, with TensorFlow's thresholds.
// Integer Neg/Abs wrap for the most negative value instead of overflowing.
// half/bfloat16 results of the activations are computed in float and
// rounded once (TensorFlow rounds after each step; results may differ in
// the last bit).
//
// Floating-point ops run through Eigen's vectorized functors in blocks on
// the thread pool when the tensor is large.
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
// Functors not in Eigen. Those with packetOp vectorize for float and double
// (functor_traits below); half/bfloat16 compute in float per element.

template <typename T>
struct IntNeg {
  T operator()(T a) const {
    return static_cast<T>(WrappingUnsigned<T>(0) -
                          static_cast<WrappingUnsigned<T>>(a));
  }
};
template <typename T>
struct IntAbs {
  T operator()(T a) const { return a < 0 ? IntNeg<T>()(a) : a; }
};
template <typename T>
struct IntSquare {
  T operator()(T a) const {
    return static_cast<T>(static_cast<WrappingUnsigned<T>>(a) *
                          static_cast<WrappingUnsigned<T>>(a));
  }
};
template <typename T>
struct IntSign {
  T operator()(T a) const { return static_cast<T>((a > 0) - (a < 0)); }
};
template <typename T>
struct IntIdentity {
  T operator()(T a) const { return a; }
};
template <typename T>
struct IntRelu {
  T operator()(T a) const { return a < T(0) ? T(0) : a; }
};
template <typename T>
struct IntRelu6 {
  T operator()(T a) const { return a < T(0) ? T(0) : (a > T(6) ? T(6) : a); }
};

template <typename T>
struct IsNanOp {
  bool operator()(T a) const {
    return std::isnan(static_cast<ComputeType<T>>(a));
  }
};
template <typename T>
struct IsInfOp {
  bool operator()(T a) const {
    return std::isinf(static_cast<ComputeType<T>>(a));
  }
};
template <typename T>
struct IsFiniteOp {
  bool operator()(T a) const {
    return std::isfinite(static_cast<ComputeType<T>>(a));
  }
};

// max(x, 0), NaN propagating.
template <typename T>
struct ReluOp {
  T operator()(const T& a) const {
    using W = ComputeType<T>;
    const W x = static_cast<W>(a);
    return static_cast<T>(std::isnan(x) ? x : (x < W(0) ? W(0) : x));
  }
  template <typename Packet>
  Packet packetOp(const Packet& x) const {
    return Eigen::internal::pmax<Eigen::PropagateNaN>(
        x, Eigen::internal::pzero(x));
  }
};

template <typename T>
struct Relu6Op {
  T operator()(const T& a) const {
    using W = ComputeType<T>;
    const W x = static_cast<W>(a);
    if (std::isnan(x)) return a;
    return static_cast<T>(x < W(0) ? W(0) : (x > W(6) ? W(6) : x));
  }
  template <typename Packet>
  Packet packetOp(const Packet& x) const {
    using Eigen::internal::pmax;
    using Eigen::internal::pmin;
    return pmin<Eigen::PropagateNaN>(
        pmax<Eigen::PropagateNaN>(x, Eigen::internal::pzero(x)),
        Eigen::internal::pset1<Packet>(T(6)));
  }
};

template <typename T>
struct LeakyReluOp {
  explicit LeakyReluOp(float alpha) : alpha(static_cast<T>(alpha)) {}
  T operator()(const T& a) const {
    using W = ComputeType<T>;
    const W x = static_cast<W>(a);
    return static_cast<T>(x > W(0) ? x : x * static_cast<W>(alpha));
  }
  template <typename Packet>
  Packet packetOp(const Packet& x) const {
    using namespace Eigen::internal;  // NOLINT: packet math vocabulary
    const Packet positive = pcmp_lt(pzero(x), x);
    return pselect(positive, x, pmul(x, pset1<Packet>(alpha)));
  }
  T alpha;
};

template <typename T>
struct EluOp {
  T operator()(const T& a) const {
    using W = ComputeType<T>;
    const W x = static_cast<W>(a);
    return static_cast<T>(x < W(0) ? std::exp(x) - W(1) : x);
  }
  template <typename Packet>
  Packet packetOp(const Packet& x) const {
    using namespace Eigen::internal;  // NOLINT: packet math vocabulary
    const Packet negative = pcmp_lt(x, pzero(x));
    const Packet em1 = psub(pexp(x), pset1<Packet>(T(1)));
    return pselect(negative, em1, x);
  }
};

constexpr double kSeluScale = 1.0507009873554804934193349852946;
constexpr double kSeluScaleAlpha = 1.7580993408473768599402175208123;

template <typename T>
struct SeluOp {
  T operator()(const T& a) const {
    using W = ComputeType<T>;
    const W x = static_cast<W>(a);
    return static_cast<T>(x < W(0) ? W(kSeluScaleAlpha) * (std::exp(x) - W(1))
                                   : W(kSeluScale) * x);
  }
  template <typename Packet>
  Packet packetOp(const Packet& x) const {
    using namespace Eigen::internal;  // NOLINT: packet math vocabulary
    const Packet negative = pcmp_lt(x, pzero(x));
    const Packet em1 = psub(pexp(x), pset1<Packet>(T(1)));
    return pselect(negative, pmul(pset1<Packet>(T(kSeluScaleAlpha)), em1),
                   pmul(pset1<Packet>(T(kSeluScale)), x));
  }
};

// TensorFlow's thresholds: below log(eps) + 2, exp(x) is within epsilon of
// softplus; above -(log(eps) + 2), x is.
template <typename T>
struct SoftplusOp {
  static ComputeType<T> Threshold() {
    return static_cast<ComputeType<T>>(
        std::log(static_cast<double>(Eigen::NumTraits<T>::epsilon())) + 2);
  }
  T operator()(const T& a) const {
    using W = ComputeType<T>;
    const W x = static_cast<W>(a);
    const W threshold = Threshold();
    if (x > -threshold) return a;
    if (x < threshold) return static_cast<T>(std::exp(x));
    return static_cast<T>(std::log1p(std::exp(x)));
  }
  template <typename Packet>
  Packet packetOp(const Packet& x) const {
    using namespace Eigen::internal;  // NOLINT: packet math vocabulary
    const Packet threshold = pset1<Packet>(Threshold());
    const Packet too_large = pcmp_lt(pnegate(threshold), x);
    const Packet too_small = pcmp_lt(x, threshold);
    const Packet e = pexp(x);
    const Packet mid = plog1p(e);
    return pselect(too_large, x, pselect(too_small, e, mid));
  }
};

template <typename T>
struct SoftsignOp {
  T operator()(const T& a) const {
    using W = ComputeType<T>;
    const W x = static_cast<W>(a);
    return static_cast<T>(x / (W(1) + std::abs(x)));
  }
  template <typename Packet>
  Packet packetOp(const Packet& x) const {
    using namespace Eigen::internal;  // NOLINT: packet math vocabulary
    return pdiv(x, padd(pset1<Packet>(T(1)), pabs(x)));
  }
};

}  // namespace
}  // namespace model_server

// Packet support for the activation functors: float and double only, and
// only where Eigen's packet backend has the packet functions the functor
// calls (NEON on aarch64 lacks plog1p, for example): otherwise the scalar
// path runs. (Eigen::internal::functor_traits is the trait Eigen's
// evaluators read.)
namespace Eigen {
namespace internal {
#define MS_ACTIVATION_TRAITS(Op, cost, packet_functions)             \
  template <typename T>                                              \
  struct functor_traits<model_server::Op<T>> {                       \
    enum {                                                           \
      Cost = cost,                                                   \
      PacketAccess = (std::is_same_v<T, float> ||                    \
                      std::is_same_v<T, double>)&&(packet_functions) \
    };                                                               \
  }
MS_ACTIVATION_TRAITS(ReluOp, 1, true);
MS_ACTIVATION_TRAITS(Relu6Op, 2, true);
MS_ACTIVATION_TRAITS(LeakyReluOp, 3, true);
MS_ACTIVATION_TRAITS(EluOp, 20, packet_traits<T>::HasExp);
MS_ACTIVATION_TRAITS(SeluOp, 22, packet_traits<T>::HasExp);
MS_ACTIVATION_TRAITS(SoftsignOp, 8, true);
#undef MS_ACTIVATION_TRAITS
// Eigen 3.4 has no vectorized log1p for double.
template <typename T>
struct functor_traits<model_server::SoftplusOp<T>> {
  enum {
    Cost = 40,
    PacketAccess = std::is_same_v<T, float> && packet_traits<T>::HasExp &&
                   packet_traits<T>::HasLog1p
  };
};
}  // namespace internal
}  // namespace Eigen

namespace model_server {
namespace {

// ---------------------------------------------------------------------------
// Evaluation.

template <typename Tin, typename Tout, typename F>
void RunUnary(const F& f, const Tin* in, Tout* out, int64_t n) {
  using Traits = Eigen::internal::functor_traits<F>;
  constexpr double kCost = Traits::Cost;
  if constexpr (kIsFloat<Tin> && std::is_same_v<Tin, Tout> &&
                Traits::PacketAccess &&
                Eigen::internal::packet_traits<Tin>::Vectorizable) {
    using ConstMap = Eigen::TensorMap<
        Eigen::Tensor<const Tin, 1, Eigen::RowMajor, Eigen::Index>>;
    using Map =
        Eigen::TensorMap<Eigen::Tensor<Tout, 1, Eigen::RowMajor, Eigen::Index>>;
    ParallelFor(n, sizeof(Tin) + sizeof(Tout), kCost,
                [&](int64_t begin, int64_t end) {
                  Map(out + begin, end - begin) =
                      ConstMap(in + begin, end - begin).unaryExpr(f);
                });
  } else {
    ParallelFor(n, sizeof(Tin) + sizeof(Tout), kCost,
                [&](int64_t begin, int64_t end) {
                  for (int64_t i = begin; i < end; ++i) out[i] = f(in[i]);
                });
  }
}

template <typename Tin, typename Tout, typename F>
class UnaryKernel final : public OpKernel {
 public:
  explicit UnaryKernel(F f) : f_(std::move(f)) {}

  absl::Status Compute(OpKernelContext& ctx) const override {
    constexpr DataType kInType = DataTypeOf<Tin>::value;
    const Tensor& x = ctx.input(0);
    if (x.dtype() != kInType) {
      return ctx.InvalidArgument(
          absl::StrCat("Expected a ", DataTypeName(kInType), " input, got ",
                       DataTypeName(x.dtype())));
    }
    MS_ASSIGN_OR_RETURN(
        Tensor * out,
        ctx.allocate_output(0, DataTypeOf<Tout>::value, x.shape()));
    RunUnary(f_, x.data<Tin>(), out->data<Tout>(), x.NumElements());
    return absl::OkStatus();
  }

 private:
  const F f_;
};

template <typename Tin, typename Tout = Tin, typename F>
std::unique_ptr<OpKernel> Make(F f) {
  return std::make_unique<UnaryKernel<Tin, Tout, F>>(std::move(f));
}

// Attributes some unary ops read.
struct UnaryParams {
  float alpha = 0.2f;
};

// An op whose float kernels use one Eigen functor template.
template <template <typename> class EigenOp>
struct FloatOps {
  template <typename T>
  static std::unique_ptr<OpKernel> Select(const UnaryParams&) {
    if constexpr (kIsFloat<T>) return Make<T>(EigenOp<T>());
    return nullptr;
  }
};

// Eigen's functor for floats, `IntOp` for integers accepted by `kIntOk`.
template <template <typename> class EigenOp, template <typename> class IntOp,
          bool kUnsignedToo>
struct FloatAndIntOps {
  template <typename T>
  static std::unique_ptr<OpKernel> Select(const UnaryParams&) {
    if constexpr (kIsFloat<T>) {
      return Make<T>(EigenOp<T>());
    } else if constexpr (kIsSignedInt<T> || (kUnsignedToo && kIsInt<T>)) {
      return Make<T>(IntOp<T>());
    }
    return nullptr;
  }
};

template <template <typename> class Pred>
struct PredicateOps {
  template <typename T>
  static std::unique_ptr<OpKernel> Select(const UnaryParams&) {
    if constexpr (kIsFloat<T>) return Make<T, bool>(Pred<T>());
    return nullptr;
  }
};

struct LeakyReluOps {
  template <typename T>
  static std::unique_ptr<OpKernel> Select(const UnaryParams& params) {
    if constexpr (kIsFloat<T>) return Make<T>(LeakyReluOp<T>(params.alpha));
    return nullptr;
  }
};

template <typename Ops>
absl::StatusOr<std::unique_ptr<OpKernel>> Create(
    const KernelConstruction& construction) {
  const NodeAttrs& attrs = construction.attrs;
  MS_RETURN_IF_ERROR(CheckNumInputs(construction, 1));
  DataType dtype;
  MS_RETURN_IF_ERROR(attrs.Get("T", &dtype));
  UnaryParams params;
  if constexpr (std::is_same_v<Ops, LeakyReluOps>) {
    MS_RETURN_IF_ERROR(attrs.GetOr("alpha", 0.2f, &params.alpha));
  }
  return MakeTypedKernel(construction, dtype,
                         [&](auto tag) -> std::unique_ptr<OpKernel> {
                           using T = decltype(tag);
                           return Ops::template Select<T>(params);
                         });
}

namespace ei = Eigen::internal;

template <typename T>
using AbsOp = ei::scalar_abs_op<T>;
template <typename T>
using RoundOp = ei::scalar_rint_op<T>;

}  // namespace

// Output arg names are TensorFlow's: "activations" for the activation ops,
// "y" for the rest.
#define MS_REGISTER_UNARY_AS(name, output, ...) \
  REGISTER_KERNEL(OpSpec(name).Output(output), (Create<__VA_ARGS__>))
#define MS_REGISTER_UNARY(name, ...) \
  MS_REGISTER_UNARY_AS(name, "y", __VA_ARGS__)
#define MS_REGISTER_ACTIVATION(name, ...) \
  MS_REGISTER_UNARY_AS(name, "activations", __VA_ARGS__)

MS_REGISTER_UNARY("Neg", FloatAndIntOps<ei::scalar_opposite_op, IntNeg, false>);
MS_REGISTER_UNARY("Abs", FloatAndIntOps<AbsOp, IntAbs, false>);
MS_REGISTER_UNARY("Square",
                  FloatAndIntOps<ei::scalar_square_op, IntSquare, true>);
MS_REGISTER_UNARY("Sign", FloatAndIntOps<ei::scalar_sign_op, IntSign, false>);
MS_REGISTER_UNARY("Round", FloatAndIntOps<RoundOp, IntIdentity, true>);
MS_REGISTER_ACTIVATION("Relu", FloatAndIntOps<ReluOp, IntRelu, true>);
MS_REGISTER_ACTIVATION("Relu6", FloatAndIntOps<Relu6Op, IntRelu6, true>);
MS_REGISTER_UNARY("Exp", FloatOps<ei::scalar_exp_op>);
MS_REGISTER_UNARY("Expm1", FloatOps<ei::scalar_expm1_op>);
MS_REGISTER_UNARY("Log", FloatOps<ei::scalar_log_op>);
MS_REGISTER_UNARY("Log1p", FloatOps<ei::scalar_log1p_op>);
MS_REGISTER_UNARY("Sqrt", FloatOps<ei::scalar_sqrt_op>);
MS_REGISTER_UNARY("Rsqrt", FloatOps<ei::scalar_rsqrt_op>);
MS_REGISTER_UNARY("Reciprocal", FloatOps<ei::scalar_inverse_op>);
MS_REGISTER_UNARY("Inv", FloatOps<ei::scalar_inverse_op>);
MS_REGISTER_UNARY("Tanh", FloatOps<ei::scalar_tanh_op>);
MS_REGISTER_UNARY("Sigmoid", FloatOps<ei::scalar_logistic_op>);
MS_REGISTER_UNARY("Sin", FloatOps<ei::scalar_sin_op>);
MS_REGISTER_UNARY("Cos", FloatOps<ei::scalar_cos_op>);
MS_REGISTER_UNARY("Tan", FloatOps<ei::scalar_tan_op>);
MS_REGISTER_UNARY("Asin", FloatOps<ei::scalar_asin_op>);
MS_REGISTER_UNARY("Acos", FloatOps<ei::scalar_acos_op>);
MS_REGISTER_UNARY("Atan", FloatOps<ei::scalar_atan_op>);
MS_REGISTER_UNARY("Asinh", FloatOps<ei::scalar_asinh_op>);
MS_REGISTER_UNARY("Acosh", FloatOps<ei::scalar_acosh_op>);
MS_REGISTER_UNARY("Atanh", FloatOps<ei::scalar_atanh_op>);
MS_REGISTER_UNARY("Sinh", FloatOps<ei::scalar_sinh_op>);
MS_REGISTER_UNARY("Cosh", FloatOps<ei::scalar_cosh_op>);
MS_REGISTER_UNARY("Erf", FloatOps<ei::scalar_erf_op>);
MS_REGISTER_UNARY("Erfc", FloatOps<ei::scalar_erfc_op>);
MS_REGISTER_UNARY("Floor", FloatOps<ei::scalar_floor_op>);
MS_REGISTER_UNARY("Ceil", FloatOps<ei::scalar_ceil_op>);
MS_REGISTER_UNARY("Rint", FloatOps<RoundOp>);
MS_REGISTER_ACTIVATION("Elu", FloatOps<EluOp>);
MS_REGISTER_ACTIVATION("Selu", FloatOps<SeluOp>);
MS_REGISTER_ACTIVATION("Softplus", FloatOps<SoftplusOp>);
MS_REGISTER_ACTIVATION("Softsign", FloatOps<SoftsignOp>);
MS_REGISTER_UNARY("IsNan", PredicateOps<IsNanOp>);
MS_REGISTER_UNARY("IsInf", PredicateOps<IsInfOp>);
MS_REGISTER_UNARY("IsFinite", PredicateOps<IsFiniteOp>);
MS_REGISTER_ACTIVATION("LeakyRelu", LeakyReluOps);
#undef MS_REGISTER_ACTIVATION
#undef MS_REGISTER_UNARY
#undef MS_REGISTER_UNARY_AS

}  // namespace model_server
