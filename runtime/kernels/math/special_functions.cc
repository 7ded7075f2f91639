// Special functions with Eigen's implementations
// (unsupported/SpecialFunctions):
//   unary  x -> y:  Lgamma, Digamma, Erfinv, Ndtri, BesselI0, BesselI0e,
//                   BesselI1, BesselI1e, BesselJ0, BesselJ1, BesselY0,
//                   BesselY1, BesselK0, BesselK0e, BesselK1, BesselK1e;
//   binary -> z, with broadcasting: Igamma(a, x), Igammac(a, x) (regularized
//                   lower and upper incomplete gamma), Polygamma(a, x),
//                   Zeta(x, q) (Hurwitz zeta);
//   Betainc(a, b, x) -> z, the regularized incomplete beta function.
//
// dtypes (TensorFlow's CPU registrations): the unary ops take half,
// bfloat16, float and double (half and bfloat16 computed in float and
// rounded once); Igamma, Igammac, Polygamma, Zeta and Betainc take float and
// double. Erfinv is ndtri((x + 1) / 2) / sqrt(2), as TensorFlow computes it.
// Out-of-domain arguments give NaN or +-inf as Eigen defines, never errors.
//
// Betainc broadcasts like TensorFlow's kernel: every non-scalar input must
// have one shape ("Shapes of a and b are inconsistent: [..] vs. [..]"),
// scalars are repeated.
#include <cmath>
#include <memory>
#include <type_traits>

#include "absl/strings/str_cat.h"
#include "runtime/eigen_device.h"
#include "runtime/kernels/broadcast.h"
#include "runtime/kernels/dtype_categories.h"
#include "runtime/kernels/math/elementwise_kernel.h"
#include "runtime/op_registry.h"

namespace model_server {
namespace {

namespace ei = Eigen::internal;

// Applies Eigen's scalar functor Op in T's compute type.
template <typename T, template <typename> class Op>
struct Widened {
  T operator()(T x) const {
    using W = ComputeType<T>;
    return static_cast<T>(Op<W>()(static_cast<W>(x)));
  }
  T operator()(T x, T y) const {
    using W = ComputeType<T>;
    return static_cast<T>(Op<W>()(static_cast<W>(x), static_cast<W>(y)));
  }
};

template <typename W>
struct ErfinvOp {
  W operator()(W x) const {
    return Eigen::numext::ndtri((x + W(1)) / W(2)) *
           static_cast<W>(0.70710678118654752440);
  }
};

template <template <typename> class Op>
struct UnaryFloatOps {
  template <typename T>
  static std::unique_ptr<OpKernel> Select() {
    if constexpr (kIsFloat<T>) {
      return MakeUnary<T>(Widened<T, Op>(), kSpecialFunctionCost);
    }
    return nullptr;
  }
};

template <template <typename> class Op>
struct BinaryFloatOrDoubleOps {
  template <typename T>
  static std::unique_ptr<OpKernel> Select() {
    if constexpr (kIsFloatOrDouble<T>) {
      return MakeBinary<T>(Op<T>(), kSpecialFunctionCost);
    }
    return nullptr;
  }
};

// Betainc(a, b, x): non-scalar inputs share one shape; scalars repeat.
template <typename T>
class BetaincKernel final : public OpKernel {
 public:
  absl::Status Compute(OpKernelContext& ctx) const override {
    const Tensor& a = ctx.input(0);
    const Tensor& b = ctx.input(1);
    const Tensor& x = ctx.input(2);
    for (const Tensor* t : {&a, &b, &x}) {
      MS_RETURN_IF_ERROR(CheckInputDtype(*t, DataTypeOf<T>::value));
    }
    const TensorShape* merged = nullptr;
    const char* merged_name = nullptr;
    const char* names[] = {"a", "b", "x"};
    const Tensor* inputs[] = {&a, &b, &x};
    for (int i = 0; i < 3; ++i) {
      if (inputs[i]->rank() == 0) continue;
      if (merged == nullptr) {
        merged = &inputs[i]->shape();
        merged_name = names[i];
      } else if (*merged != inputs[i]->shape()) {
        return ctx.InvalidArgument(absl::StrCat(
            "Shapes of ", merged_name, " and ", names[i], " are inconsistent: ",
            merged->DebugString(), " vs. ", inputs[i]->shape().DebugString()));
      }
    }
    MS_ASSIGN_OR_RETURN(Broadcast bcast,
                        Broadcast::Make({&a.shape(), &b.shape(), &x.shape()}));
    MS_ASSIGN_OR_RETURN(
        Tensor * out,
        ctx.allocate_output(0, DataTypeOf<T>::value, bcast.output_shape()));
    if (bcast.num_elements() == 0) return absl::OkStatus();
    BroadcastTernaryLoop(
        bcast, a.data<T>(), b.data<T>(), x.data<T>(), out->data<T>(),
        4 * kSpecialFunctionCost,
        [](T av, T bv, T xv) { return Eigen::numext::betainc(av, bv, xv); });
    return absl::OkStatus();
  }
};

struct BetaincOps {
  template <typename T>
  static std::unique_ptr<OpKernel> Select() {
    if constexpr (kIsFloatOrDouble<T>)
      return std::make_unique<BetaincKernel<T>>();
    return nullptr;
  }
};

}  // namespace

#define MS_REGISTER_SPECIAL_UNARY(name, op) \
  REGISTER_KERNEL(OpSpec(name).Output("y"), \
                  (CreateElementwise<UnaryFloatOps<op>, 1>))
MS_REGISTER_SPECIAL_UNARY("Lgamma", ei::scalar_lgamma_op);
MS_REGISTER_SPECIAL_UNARY("Digamma", ei::scalar_digamma_op);
MS_REGISTER_SPECIAL_UNARY("Erfinv", ErfinvOp);
MS_REGISTER_SPECIAL_UNARY("Ndtri", ei::scalar_ndtri_op);
MS_REGISTER_SPECIAL_UNARY("BesselI0", ei::scalar_bessel_i0_op);
MS_REGISTER_SPECIAL_UNARY("BesselI0e", ei::scalar_bessel_i0e_op);
MS_REGISTER_SPECIAL_UNARY("BesselI1", ei::scalar_bessel_i1_op);
MS_REGISTER_SPECIAL_UNARY("BesselI1e", ei::scalar_bessel_i1e_op);
MS_REGISTER_SPECIAL_UNARY("BesselJ0", ei::scalar_bessel_j0_op);
MS_REGISTER_SPECIAL_UNARY("BesselJ1", ei::scalar_bessel_j1_op);
MS_REGISTER_SPECIAL_UNARY("BesselY0", ei::scalar_bessel_y0_op);
MS_REGISTER_SPECIAL_UNARY("BesselY1", ei::scalar_bessel_y1_op);
MS_REGISTER_SPECIAL_UNARY("BesselK0", ei::scalar_bessel_k0_op);
MS_REGISTER_SPECIAL_UNARY("BesselK0e", ei::scalar_bessel_k0e_op);
MS_REGISTER_SPECIAL_UNARY("BesselK1", ei::scalar_bessel_k1_op);
MS_REGISTER_SPECIAL_UNARY("BesselK1e", ei::scalar_bessel_k1e_op);
#undef MS_REGISTER_SPECIAL_UNARY

REGISTER_KERNEL(
    OpSpec("Igamma").Output("z"),
    (CreateElementwise<BinaryFloatOrDoubleOps<ei::scalar_igamma_op>, 2>));
REGISTER_KERNEL(
    OpSpec("Igammac").Output("z"),
    (CreateElementwise<BinaryFloatOrDoubleOps<ei::scalar_igammac_op>, 2>));
REGISTER_KERNEL(
    OpSpec("Zeta").Output("z"),
    (CreateElementwise<BinaryFloatOrDoubleOps<ei::scalar_zeta_op>, 2>));
REGISTER_KERNEL(
    OpSpec("Polygamma").Output("z"),
    (CreateElementwise<BinaryFloatOrDoubleOps<ei::scalar_polygamma_op>, 2>));
REGISTER_KERNEL(OpSpec("Betainc").Output("z"),
                (CreateElementwise<BetaincOps, 3>));

}  // namespace model_server
