// Cast: converts a tensor from SrcT to DstT element by element.
//
// Types: bool, the eight integer types, half, bfloat16, float and double, in
// any combination (complex, string and the resource/variant types are
// rejected at load with UNIMPLEMENTED "Cast <src> to <dst> is not
// supported", TensorFlow's text). SrcT == DstT forwards the input.
//
// Semantics are TensorFlow's (C++ static_cast, as Eigen's cast performs it):
//   - to bool: x != 0 (NaN is true); from bool: 0 or 1;
//   - integer to integer wraps modulo 2^bits;
//   - float to integer truncates toward zero. NaN and out-of-range values,
//     which C++ leaves undefined, get what x86 hardware (and so TensorFlow
//     on x86) produces: the most negative value for int32/int64, and for
//     narrower types the int32 result wrapped; see FloatToInt;
//   - to half/bfloat16/float rounds to nearest even; with Truncate=true a
//     float or double source narrowing to a float type has its extra
//     mantissa bits zeroed first (rounds toward zero), as TensorFlow does.
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <memory>
#include <type_traits>

#include "absl/strings/str_cat.h"
#include "runtime/eigen_device.h"
#include "runtime/kernels/broadcast.h"
#include "runtime/kernels/dtype_categories.h"
#include "runtime/op_kernel.h"
#include "runtime/op_registry.h"
#include "runtime/status_macros.h"

namespace model_server {
namespace {

template <typename T>
constexpr bool kCastable = kIsFloat<T> || kIsInt<T> || std::is_same_v<T, bool>;

// Float to integer with x86 semantics for the cases C++ leaves undefined:
// cvttss2si/cvttsd2si give the most negative value for NaN and out-of-range
// inputs; narrower integers are converted through int32 (uint32 through
// int64) and wrapped, as compilers emit it.
template <typename I>
I FloatToInt(double x) {
  if constexpr (std::is_same_v<I, int64_t>) {
    if (x >= -9223372036854775808.0 && x < 9223372036854775808.0) {
      return static_cast<int64_t>(x);
    }
    return std::numeric_limits<int64_t>::min();
  } else if constexpr (std::is_same_v<I, int32_t>) {
    if (x > -2147483649.0 && x < 2147483648.0) return static_cast<int32_t>(x);
    return std::numeric_limits<int32_t>::min();
  } else if constexpr (std::is_same_v<I, uint64_t>) {
    if (x > -1.0 && x < 18446744073709551616.0) return static_cast<uint64_t>(x);
    if (std::isnan(x)) return uint64_t{1} << 63;
    if (x >= 18446744073709551616.0) return 0;
    return static_cast<uint64_t>(FloatToInt<int64_t>(x));
  } else if constexpr (std::is_same_v<I, uint32_t>) {
    return static_cast<uint32_t>(FloatToInt<int64_t>(x));
  } else {
    return static_cast<I>(FloatToInt<int32_t>(x));
  }
}

template <typename Dst, typename Src>
Dst ConvertScalar(const Src& v) {
  if constexpr (std::is_same_v<Dst, bool>) {
    if constexpr (kIsNarrowFloat<Src>) {
      return static_cast<float>(v) != 0.0f;
    } else {
      return v != Src(0);
    }
  } else if constexpr (kIsFloat<Src> && kIsInt<Dst>) {
    return FloatToInt<Dst>(static_cast<double>(v));
  } else if constexpr (kIsNarrowFloat<Src>) {
    return static_cast<Dst>(static_cast<float>(v));
  } else {
    return static_cast<Dst>(v);
  }
}

// Mantissa bits (with the implicit one) of each floating-point type.
template <typename T>
constexpr int kMantissaBits = std::numeric_limits<T>::digits;
template <>
constexpr int kMantissaBits<Eigen::half> = 11;
template <>
constexpr int kMantissaBits<Eigen::bfloat16> = 8;

// Zeroes the mantissa bits of `v` that Dst cannot hold (NaN untouched).
template <typename Dst, typename Src>
Src TruncateMantissa(Src v) {
  using Bits = std::conditional_t<sizeof(Src) == 8, uint64_t, uint32_t>;
  constexpr int kDrop = kMantissaBits<Src> - kMantissaBits<Dst>;
  if (std::isnan(v)) return v;
  Bits bits;
  std::memcpy(&bits, &v, sizeof(v));
  bits &= ~((Bits{1} << kDrop) - 1);
  std::memcpy(&v, &bits, sizeof(v));
  return v;
}

template <typename Src, typename Dst>
constexpr bool kHasTruncation = (std::is_same_v<Src, float> ||
                                 std::is_same_v<Src, double>)&&kIsFloat<Dst> &&
                                (kMantissaBits<Src> > kMantissaBits<Dst>);

// Converts elements [begin, end) of `in` into `out`.
using ConvertFn = void (*)(const void* in, void* out, int64_t begin,
                           int64_t end);

template <typename Src, typename Dst, bool kTruncate>
void ConvertRange(const void* in_raw, void* out_raw, int64_t begin,
                  int64_t end) {
  const Src* in = static_cast<const Src*>(in_raw) + begin;
  Dst* out = static_cast<Dst*>(out_raw) + begin;
  const int64_t n = end - begin;
  if constexpr (kTruncate) {
    for (int64_t i = 0; i < n; ++i) {
      out[i] = static_cast<Dst>(TruncateMantissa<Dst>(in[i]));
    }
  } else if constexpr (kIsFloat<Dst> && !std::is_same_v<Src, bool>) {
    // Plain static_cast semantics; Eigen vectorizes the common pairs.
    using ConstMap = Eigen::TensorMap<
        Eigen::Tensor<const Src, 1, Eigen::RowMajor, Eigen::Index>>;
    using Map =
        Eigen::TensorMap<Eigen::Tensor<Dst, 1, Eigen::RowMajor, Eigen::Index>>;
    Map(out, n) = ConstMap(in, n).template cast<Dst>();
  } else {
    for (int64_t i = 0; i < n; ++i) out[i] = ConvertScalar<Dst>(in[i]);
  }
}

class CastKernel final : public OpKernel {
 public:
  CastKernel(DataType src, DataType dst, ConvertFn convert)
      : src_(src), dst_(dst), convert_(convert) {}

  absl::Status Compute(OpKernelContext& ctx) const override {
    const Tensor& x = ctx.input(0);
    if (x.dtype() != src_) {
      return ctx.InvalidArgument(absl::StrCat("Expected a ", DataTypeName(src_),
                                              " input, got ",
                                              DataTypeName(x.dtype())));
    }
    if (convert_ == nullptr) {  // SrcT == DstT
      ctx.set_output(0, x);
      return absl::OkStatus();
    }
    MS_ASSIGN_OR_RETURN(Tensor * out, ctx.allocate_output(0, dst_, x.shape()));
    const double bytes = DataTypeSize(src_) + DataTypeSize(dst_);
    const void* in = x.raw_data();
    void* o = out->raw_data();
    ParallelFor(x.NumElements(), bytes, 1, [&](int64_t begin, int64_t end) {
      convert_(in, o, begin, end);
    });
    return absl::OkStatus();
  }

 private:
  const DataType src_;
  const DataType dst_;
  const ConvertFn convert_;
};

absl::StatusOr<std::unique_ptr<OpKernel>> CreateCast(
    const KernelConstruction& construction) {
  const NodeAttrs& attrs = construction.attrs;
  MS_RETURN_IF_ERROR(CheckNumInputs(construction, 1));
  DataType src, dst;
  MS_RETURN_IF_ERROR(attrs.Get("SrcT", &src));
  MS_RETURN_IF_ERROR(attrs.Get("DstT", &dst));
  bool truncate = false;
  MS_RETURN_IF_ERROR(attrs.GetOr("Truncate", false, &truncate));
  if (src == dst) {
    return std::unique_ptr<OpKernel>(new CastKernel(src, dst, nullptr));
  }
  ConvertFn convert = nullptr;
  SwitchOnDataType(src, [&](auto src_tag) {
    using Src = decltype(src_tag);
    if constexpr (kCastable<Src>) {
      SwitchOnDataType(dst, [&](auto dst_tag) {
        using Dst = decltype(dst_tag);
        if constexpr (kCastable<Dst> && !std::is_same_v<Src, Dst>) {
          if constexpr (kHasTruncation<Src, Dst>) {
            convert = truncate ? &ConvertRange<Src, Dst, true>
                               : &ConvertRange<Src, Dst, false>;
          } else {
            convert = &ConvertRange<Src, Dst, false>;
          }
        }
      });
    }
  });
  if (convert == nullptr) {
    return absl::UnimplementedError(absl::StrCat(
        "Cast node '", attrs.node_name(), "': Cast ", DataTypeName(src), " to ",
        DataTypeName(dst), " is not supported"));
  }
  return std::unique_ptr<OpKernel>(new CastKernel(src, dst, convert));
}

}  // namespace

REGISTER_KERNEL(OpSpec("Cast").Output("y"), CreateCast);

}  // namespace model_server
