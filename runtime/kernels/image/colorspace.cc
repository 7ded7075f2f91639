// RGBToHSV and HSVToRGB: images [..., 3] -> [..., 3], pixel by pixel, with
// hue, saturation and value in [0, 1] as TensorFlow defines them
// (colorspace_op.h). T: half, bfloat16, float, double (half and bfloat16
// computed in float). Errors as TensorFlow: "input must be at least 1D",
// "input must have 3 channels but input only has N channels.".
#include <algorithm>
#include <cmath>
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

template <typename C>
void RgbToHsv(C r, C g, C b, C* out) {
  const C value = std::max({r, g, b});
  const C minimum = std::min({r, g, b});
  const C range = value - minimum;
  const C saturation = value > C(0) ? range / value : C(0);
  const C norm = (C(1) / range) * (C(1) / C(6));
  C hue;
  if (r == value) {
    hue = norm * (g - b);
  } else if (g == value) {
    hue = norm * (b - r) + C(2) / C(6);
  } else {
    hue = norm * (r - g) + C(4) / C(6);
  }
  hue = range > C(0) ? hue : C(0);
  hue = hue < C(0) ? hue + C(1) : hue;
  out[0] = hue;
  out[1] = saturation;
  out[2] = value;
}

// TensorFlow's piecewise-linear form: each channel is
// ((1 - s) + s * d) * v with d a clamped triangle of 6 * hue. Hues outside
// [0, 1] are not wrapped (hue 1 is red again, as is any hue past 5/6 up to
// 1; TensorFlow clamps rather than wraps further out).
template <typename C>
C HueRamp(C dh, C centre, C offset, bool rising) {
  const C d =
      rising ? std::abs(dh - centre) - offset : offset - std::abs(dh - centre);
  return std::min(std::max(d, C(0)), C(1));
}

template <typename C>
void HsvToRgb(C h, C s, C v, C* out) {
  const C dh = h * C(6);
  const C one_minus_s = C(1) - s;
  out[0] = (one_minus_s + s * HueRamp(dh, C(3), C(1), true)) * v;
  out[1] = (one_minus_s + s * HueRamp(dh, C(2), C(2), false)) * v;
  out[2] = (one_minus_s + s * HueRamp(dh, C(4), C(2), false)) * v;
}

template <typename T, bool kToHsv>
class ColorspaceKernel : public OpKernel {
 public:
  absl::Status Compute(OpKernelContext& ctx) const override {
    const Tensor& images = ctx.input(0);
    MS_RETURN_IF_ERROR(CheckInputDtype(images, DataTypeOf<T>::value));
    if (images.rank() < 1) {
      return absl::InvalidArgumentError(absl::StrCat(
          "input must be at least 1D", images.shape().DebugString()));
    }
    const int64_t channels = images.dim(images.rank() - 1);
    if (channels != 3) {
      return absl::InvalidArgumentError(
          absl::StrCat("input must have 3 channels but input only has ",
                       channels, " channels."));
    }
    MS_ASSIGN_OR_RETURN(Tensor * out,
                        ctx.allocate_output(0, images.dtype(), images.shape()));
    using C = std::conditional_t<std::is_same_v<T, double>, double, float>;
    const T* in = images.data<T>();
    T* y = out->data<T>();
    ParallelFor(images.NumElements() / 3, 6 * sizeof(T), 30,
                [&](int64_t begin, int64_t end) {
                  for (int64_t i = begin; i < end; ++i) {
                    C result[3];
                    const C a = static_cast<C>(in[3 * i]);
                    const C b = static_cast<C>(in[3 * i + 1]);
                    const C c = static_cast<C>(in[3 * i + 2]);
                    if constexpr (kToHsv) {
                      RgbToHsv(a, b, c, result);
                    } else {
                      HsvToRgb(a, b, c, result);
                    }
                    for (int k = 0; k < 3; ++k) {
                      y[3 * i + k] = static_cast<T>(result[k]);
                    }
                  }
                });
    return absl::OkStatus();
  }
};

template <bool kToHsv>
absl::StatusOr<std::unique_ptr<OpKernel>> CreateColorspace(
    const KernelConstruction& c) {
  MS_RETURN_IF_ERROR(CheckNumInputs(c, 1));
  DataType dtype;
  MS_RETURN_IF_ERROR(c.attrs.GetOr("T", DT_FLOAT, &dtype));
  return MakeTypedKernel(c, dtype, [](auto tag) -> std::unique_ptr<OpKernel> {
    using T = decltype(tag);
    if constexpr (kIsFloat<T>) {
      return std::make_unique<ColorspaceKernel<T, kToHsv>>();
    }
    return nullptr;
  });
}

}  // namespace

REGISTER_KERNEL(OpSpec("RGBToHSV").Output("output"), CreateColorspace<true>);
REGISTER_KERNEL(OpSpec("HSVToRGB").Output("output"), CreateColorspace<false>);

}  // namespace model_server
