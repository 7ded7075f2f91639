// ClipByValue: output = max(min(t, clip_value_max), clip_value_min).
//
// The bounds may be scalars or tensors of t's shape (TensorFlow's rule); as
// an extension they may also be any shape that broadcasts to t's shape (the
// output always has t's shape). NaN in t stays NaN. dtypes: float, double,
// half, bfloat16 and the eight integer types.
#include <cstdint>
#include <memory>
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

// std::max(std::min(x, hi), lo): a NaN x passes through.
template <typename T>
T Clip(const T& x, const T& lo, const T& hi) {
  const T m = hi < x ? hi : x;
  return m < lo ? lo : m;
}

// Clip to scalar bounds, vectorized for float and double.
template <typename T>
struct ClipScalarOp {
  ClipScalarOp(T lo, T hi) : lo(lo), hi(hi) {}
  T operator()(const T& x) const { return Clip(x, lo, hi); }
  template <typename Packet>
  Packet packetOp(const Packet& x) const {
    // pmin/pmax return their first argument when either is NaN, matching
    // the scalar comparisons above.
    using Eigen::internal::pmax;
    using Eigen::internal::pmin;
    using Eigen::internal::pset1;
    return pmax(pmin(x, pset1<Packet>(hi)), pset1<Packet>(lo));
  }
  T lo, hi;
};

}  // namespace
}  // namespace model_server

namespace Eigen {
namespace internal {
template <typename T>
struct functor_traits<model_server::ClipScalarOp<T>> {
  enum {
    Cost = 2,
    PacketAccess = std::is_same_v<T, float> || std::is_same_v<T, double>
  };
};
}  // namespace internal
}  // namespace Eigen

namespace model_server {
namespace {

template <typename T>
class ClipByValueKernel final : public OpKernel {
 public:
  absl::Status Compute(OpKernelContext& ctx) const override {
    constexpr DataType kDtype = DataTypeOf<T>::value;
    const Tensor& t = ctx.input(0);
    const Tensor& lo = ctx.input(1);
    const Tensor& hi = ctx.input(2);
    if (t.dtype() != kDtype || lo.dtype() != kDtype || hi.dtype() != kDtype) {
      return ctx.InvalidArgument(
          absl::StrCat("Expected three ", DataTypeName(kDtype), " inputs, got ",
                       DataTypeName(t.dtype()), ", ", DataTypeName(lo.dtype()),
                       " and ", DataTypeName(hi.dtype())));
    }
    absl::StatusOr<Broadcast> bcast =
        Broadcast::Make({&t.shape(), &lo.shape(), &hi.shape()});
    if (!bcast.ok() || bcast->output_shape() != t.shape()) {
      return ctx.InvalidArgument(absl::StrCat(
          "clip_value_min and clip_value_max must be either of the same "
          "shape as input, or a scalar. input shape: ",
          t.shape().DebugString(),
          "clip_value_min shape: ", lo.shape().DebugString(),
          "clip_value_max shape: ", hi.shape().DebugString()));
    }
    MS_ASSIGN_OR_RETURN(Tensor * out,
                        ctx.allocate_output(0, kDtype, t.shape()));
    const int64_t n = t.NumElements();
    if (n == 0) return absl::OkStatus();
    const T* x = t.data<T>();
    T* o = out->data<T>();
    if (lo.NumElements() == 1 && hi.NumElements() == 1) {
      const ClipScalarOp<T> clip(lo.data<T>()[0], hi.data<T>()[0]);
      ParallelFor(n, 2 * sizeof(T), 2, [&](int64_t begin, int64_t end) {
        if constexpr (std::is_same_v<T, float> || std::is_same_v<T, double>) {
          using ConstMap = Eigen::TensorMap<
              Eigen::Tensor<const T, 1, Eigen::RowMajor, Eigen::Index>>;
          using Map = Eigen::TensorMap<
              Eigen::Tensor<T, 1, Eigen::RowMajor, Eigen::Index>>;
          Map(o + begin, end - begin) =
              ConstMap(x + begin, end - begin).unaryExpr(clip);
        } else {
          for (int64_t i = begin; i < end; ++i) o[i] = clip(x[i]);
        }
      });
      return absl::OkStatus();
    }
    BroadcastTernaryLoop(
        *bcast, x, lo.data<T>(), hi.data<T>(), o, 3,
        [](const T& v, const T& l, const T& h) { return Clip(v, l, h); });
    return absl::OkStatus();
  }
};

absl::StatusOr<std::unique_ptr<OpKernel>> CreateClipByValue(
    const KernelConstruction& construction) {
  const NodeAttrs& attrs = construction.attrs;
  MS_RETURN_IF_ERROR(CheckNumInputs(construction, 3));
  DataType dtype;
  MS_RETURN_IF_ERROR(attrs.Get("T", &dtype));
  return MakeTypedKernel(construction, dtype,
                         [&](auto tag) -> std::unique_ptr<OpKernel> {
                           using T = decltype(tag);
                           if constexpr (kIsFloat<T> || kIsInt<T>) {
                             return std::make_unique<ClipByValueKernel<T>>();
                           }
                           return nullptr;
                         });
}

}  // namespace

REGISTER_KERNEL(OpSpec("ClipByValue").Output("output"), CreateClipByValue);

}  // namespace model_server
