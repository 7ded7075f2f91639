// Cumulative ops along one axis: Cumsum, Cumprod, CumulativeLogsumexp.
// x (attr T), axis (scalar, attr Tidx int32/int64) -> out, x's shape.
//
// Attrs exclusive (default false: element i combines x[0..i]; true:
// x[0..i-1], the first element being the identity 0, 1 or -inf) and reverse
// (default false: scan from the end of the axis instead).
//
// dtypes (TensorFlow's CPU registrations): Cumsum and Cumprod take every
// real number type and complex64/complex128; CumulativeLogsumexp takes half,
// bfloat16, float and double. Integers wrap on overflow. The running value
// is kept in T, so half and bfloat16 round after every step as TensorFlow's
// Eigen scan does. logsumexp(a, b) = max + log1p(exp(min - max)), with
// -inf as its identity.
//
// Errors (TensorFlow's texts): "ScanOp: axis must be a scalar, not [..]",
// "ScanOp: Expected scan axis in the range [-r, r), but got a".
#include <algorithm>
#include <cmath>
#include <complex>
#include <cstdint>
#include <limits>
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
inline constexpr bool kIsComplex = std::is_same_v<T, std::complex<float>> ||
                                   std::is_same_v<T, std::complex<double>>;

template <typename T>
struct SumStep {
  static T Identity() { return T(0); }
  T operator()(T acc, T x) const {
    if constexpr (kIsInt<T>) {
      return static_cast<T>(static_cast<WrappingUnsigned<T>>(acc) +
                            static_cast<WrappingUnsigned<T>>(x));
    } else {
      return static_cast<T>(acc + x);
    }
  }
};

template <typename T>
struct ProdStep {
  static T Identity() { return T(1); }
  T operator()(T acc, T x) const {
    if constexpr (kIsInt<T>) {
      return static_cast<T>(static_cast<WrappingUnsigned<T>>(acc) *
                            static_cast<WrappingUnsigned<T>>(x));
    } else {
      return static_cast<T>(acc * x);
    }
  }
};

template <typename T>
struct LogSumExpStep {
  static T Identity() {
    return static_cast<T>(-std::numeric_limits<float>::infinity());
  }
  T operator()(T acc, T x) const {
    using W = ComputeType<T>;
    const W a = static_cast<W>(acc), b = static_cast<W>(x);
    if (std::isnan(a) || std::isnan(b)) {
      return static_cast<T>(std::numeric_limits<W>::quiet_NaN());
    }
    const W hi = std::max(a, b), lo = std::min(a, b);
    // Both -inf: exp(lo - hi) would be NaN (TensorFlow's special case).
    if (hi == -std::numeric_limits<W>::infinity()) return static_cast<T>(hi);
    return static_cast<T>(hi + std::log1p(std::exp(lo - hi)));
  }
};

template <typename T, typename Step>
class ScanKernel final : public OpKernel {
 public:
  ScanKernel(bool exclusive, bool reverse)
      : exclusive_(exclusive), reverse_(reverse) {}

  absl::Status Compute(OpKernelContext& ctx) const override {
    const Tensor& x = ctx.input(0);
    const Tensor& axis_tensor = ctx.input(1);
    MS_RETURN_IF_ERROR(CheckInputDtype(x, DataTypeOf<T>::value));
    MS_RETURN_IF_ERROR(CheckIntTensor(axis_tensor, "axis"));
    if (axis_tensor.rank() != 0) {
      return ctx.InvalidArgument(
          absl::StrCat("ScanOp: axis must be a scalar, not ",
                       axis_tensor.shape().DebugString()));
    }
    const int rank = x.rank();
    const int64_t axis_arg = IntAt(axis_tensor, 0);
    const int64_t axis = axis_arg < 0 ? axis_arg + rank : axis_arg;
    if (axis < 0 || axis >= rank) {
      return ctx.InvalidArgument(
          absl::StrCat("ScanOp: Expected scan axis in the range [", -rank, ", ",
                       rank, "), but got ", axis));
    }
    MS_ASSIGN_OR_RETURN(Tensor * out,
                        ctx.allocate_output(0, x.dtype(), x.shape()));
    if (x.NumElements() == 0) return absl::OkStatus();
    int64_t outer = 1, inner = 1;
    for (int d = 0; d < axis; ++d) outer *= x.dim(d);
    for (int d = static_cast<int>(axis) + 1; d < rank; ++d) inner *= x.dim(d);
    const int64_t n = x.dim(static_cast<int>(axis));
    const T* in = x.data<T>();
    T* o = out->data<T>();
    // Work is split over the outer blocks; each block scans n rows of
    // `inner` elements, row by row so the inner loop is contiguous.
    ParallelFor(outer, 2 * sizeof(T) * n * inner, 2.0 * n * inner,
                [&](int64_t begin, int64_t end) {
                  for (int64_t b = begin; b < end; ++b) {
                    ScanBlock(in + b * n * inner, o + b * n * inner, n, inner);
                  }
                });
    return absl::OkStatus();
  }

 private:
  void ScanBlock(const T* in, T* out, int64_t n, int64_t inner) const {
    const Step step;
    const int64_t first = reverse_ ? n - 1 : 0;
    const int64_t dir = reverse_ ? -1 : 1;
    const T* prev_in = nullptr;
    T* prev_out = nullptr;
    for (int64_t k = 0; k < n; ++k) {
      const int64_t row = first + dir * k;
      const T* x = in + row * inner;
      T* y = out + row * inner;
      if (k == 0) {
        for (int64_t j = 0; j < inner; ++j) {
          y[j] = exclusive_ ? Step::Identity() : x[j];
        }
      } else if (exclusive_) {
        for (int64_t j = 0; j < inner; ++j)
          y[j] = step(prev_out[j], prev_in[j]);
      } else {
        for (int64_t j = 0; j < inner; ++j) y[j] = step(prev_out[j], x[j]);
      }
      prev_in = x;
      prev_out = y;
    }
  }

  const bool exclusive_;
  const bool reverse_;
};

enum class ScanKind { kSum, kProd, kLogSumExp };

template <ScanKind kKind>
absl::StatusOr<std::unique_ptr<OpKernel>> CreateScan(
    const KernelConstruction& c) {
  MS_RETURN_IF_ERROR(CheckNumInputs(c, 2));
  MS_RETURN_IF_ERROR(CheckIndexTypeAttr(c, "Tidx"));
  DataType dtype;
  bool exclusive, reverse;
  MS_RETURN_IF_ERROR(c.attrs.Get("T", &dtype));
  MS_RETURN_IF_ERROR(c.attrs.GetOr("exclusive", false, &exclusive));
  MS_RETURN_IF_ERROR(c.attrs.GetOr("reverse", false, &reverse));
  return MakeTypedKernel(c, dtype, [&](auto tag) -> std::unique_ptr<OpKernel> {
    using T = decltype(tag);
    if constexpr (kKind == ScanKind::kLogSumExp) {
      if constexpr (kIsFloat<T>) {
        return std::make_unique<ScanKernel<T, LogSumExpStep<T>>>(exclusive,
                                                                 reverse);
      }
    } else if constexpr (kIsRealNumber<T> || kIsComplex<T>) {
      using Step =
          std::conditional_t<kKind == ScanKind::kSum, SumStep<T>, ProdStep<T>>;
      return std::make_unique<ScanKernel<T, Step>>(exclusive, reverse);
    }
    return nullptr;
  });
}

}  // namespace

REGISTER_KERNEL(OpSpec("Cumsum").Output("out"), CreateScan<ScanKind::kSum>);
REGISTER_KERNEL(OpSpec("Cumprod").Output("out"), CreateScan<ScanKind::kProd>);
REGISTER_KERNEL(OpSpec("CumulativeLogsumexp").Output("out"),
                CreateScan<ScanKind::kLogSumExp>);

}  // namespace model_server
