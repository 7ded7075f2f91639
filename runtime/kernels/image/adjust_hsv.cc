// AdjustHue and AdjustSaturation: images [..., 3] (rank >= 3), a float
// scalar (delta / scale) -> images, pixel by pixel, as TensorFlow's CPU
// kernels compute them in float:
//   AdjustHue: hue and the value range (min, max of r, g, b) with hue in
//     [0, 6); hue += 6 * delta, wrapped into [0, 6); the middle channel is
//     rebuilt from the hue's fractional part.
//   AdjustSaturation: RGB -> HSV, saturation *= scale clamped to [0, 1],
//     HSV -> RGB (TensorFlow's adjust_saturation helpers, which differ from
//     RGBToHSV/HSVToRGB in rounding).
// T: float (TensorFlow's CPU registration) and half (its GPU one; computed
// in float). Errors as TensorFlow: "input must be at least 3-D, got shape",
// "delta must be scalar: ", "scale must be scalar: ", "input must have 3
// channels but instead has N channels.".
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <memory>

#include "absl/strings/str_cat.h"
#include "runtime/kernels/broadcast.h"
#include "runtime/kernels/kernel_util.h"
#include "runtime/op_kernel.h"
#include "runtime/op_registry.h"
#include "runtime/status_macros.h"

namespace model_server {
namespace {

// Hue in [0, 6) and the smallest and largest channel.
void RgbToHueAndRange(float r, float g, float b, float* h, float* v_min,
                      float* v_max) {
  float v_mid;
  int sector;
  if (r < g) {
    if (b < r) {
      *v_max = g, v_mid = r, *v_min = b, sector = 1;
    } else if (b > g) {
      *v_max = b, v_mid = g, *v_min = r, sector = 3;
    } else {
      *v_max = g, v_mid = b, *v_min = r, sector = 2;
    }
  } else {
    if (b < g) {
      *v_max = r, v_mid = g, *v_min = b, sector = 0;
    } else if (b > r) {
      *v_max = b, v_mid = r, *v_min = g, sector = 4;
    } else {
      *v_max = r, v_mid = b, *v_min = g, sector = 5;
    }
  }
  if (*v_max == *v_min) {
    *h = 0;
    return;
  }
  const float ratio = (v_mid - *v_min) / (*v_max - *v_min);
  *h = sector + ((sector & 1) == 0 ? ratio : 1 - ratio);
}

void HueAndRangeToRgb(float h, float v_min, float v_max, float* rgb) {
  const int sector = static_cast<int>(h);
  float ratio = h - sector;
  if ((sector & 1) != 0) ratio = 1 - ratio;
  const float v_mid = v_min + ratio * (v_max - v_min);
  float r, g, b;
  switch (sector) {
    case 0:
      r = v_max, g = v_mid, b = v_min;
      break;
    case 1:
      r = v_mid, g = v_max, b = v_min;
      break;
    case 2:
      r = v_min, g = v_max, b = v_mid;
      break;
    case 3:
      r = v_min, g = v_mid, b = v_max;
      break;
    case 4:
      r = v_mid, g = v_min, b = v_max;
      break;
    default:
      r = v_max, g = v_min, b = v_mid;
      break;
  }
  rgb[0] = r, rgb[1] = g, rgb[2] = b;
}

void AdjustHuePixel(const float* in, float delta, float* out) {
  constexpr float kSectors = 6;
  float h, v_min, v_max;
  RgbToHueAndRange(in[0], in[1], in[2], &h, &v_min, &v_max);
  h += delta * kSectors;
  // Wrapped into [0, 6) (TensorFlow subtracts 6 in a loop: the same value
  // for any delta in [-1, 1]). A non-finite hue, on which TensorFlow would
  // loop forever or switch on an undefined sector, is taken as hue 5.
  if (std::isfinite(h)) {
    if (h < 0) h = kSectors - std::fmod(-h, kSectors);
    if (h >= kSectors) h = std::fmod(h, kSectors);
  }
  HueAndRangeToRgb(std::isfinite(h) ? h : 5, v_min, v_max, out);
}

void RgbToHsv(float r, float g, float b, float* h, float* s, float* v) {
  const float vv = std::max(r, std::max(g, b));
  const float range = vv - std::min(r, std::min(g, b));
  *s = vv > 0 ? range / vv : 0;
  const float norm = 1.0f / (6.0f * range);
  float hh;
  if (r == vv) {
    hh = norm * (g - b);
  } else if (g == vv) {
    hh = norm * (b - r) + 2.0 / 6.0;
  } else {
    hh = norm * (r - g) + 4.0 / 6.0;
  }
  if (range <= 0.0) hh = 0;
  if (hh < 0.0) hh = hh + 1;
  *v = vv;
  *h = hh;
}

void HsvToRgb(float h, float s, float v, float* rgb) {
  const float c = s * v;
  const float m = v - c;
  const float dh = h * 6;
  const int sector = static_cast<int>(dh);
  float fmodu = dh;
  while (fmodu <= 0) fmodu += 2.0f;
  while (fmodu >= 2.0f) fmodu -= 2.0f;
  const float x = c * (1 - std::abs(fmodu - 1));
  float r = 0, g = 0, b = 0;
  switch (sector) {
    case 0:
      r = c, g = x;
      break;
    case 1:
      r = x, g = c;
      break;
    case 2:
      g = c, b = x;
      break;
    case 3:
      g = x, b = c;
      break;
    case 4:
      r = x, b = c;
      break;
    case 5:
      r = c, b = x;
      break;
    default:
      break;
  }
  rgb[0] = r + m, rgb[1] = g + m, rgb[2] = b + m;
}

void AdjustSaturationPixel(const float* in, float scale, float* out) {
  float h, s, v;
  RgbToHsv(in[0], in[1], in[2], &h, &s, &v);
  s = std::min(1.0f, std::max(0.0f, s * scale));
  HsvToRgb(h, s, v, out);
}

template <typename T, bool kHue>
class AdjustHsvKernel : public OpKernel {
 public:
  absl::Status Compute(OpKernelContext& ctx) const override {
    const Tensor& images = ctx.input(0);
    const Tensor& factor = ctx.input(1);
    MS_RETURN_IF_ERROR(CheckInputDtype(images, DataTypeOf<T>::value));
    if (images.rank() < 3) {
      return absl::InvalidArgumentError(
          absl::StrCat("input must be at least 3-D, got shape",
                       images.shape().DebugString()));
    }
    const char* factor_name = kHue ? "delta" : "scale";
    if (factor.rank() != 0) {
      return absl::InvalidArgumentError(absl::StrCat(
          factor_name, " must be scalar: ", factor.shape().DebugString()));
    }
    if (factor.dtype() != DT_FLOAT) {
      return absl::InvalidArgumentError(absl::StrCat(
          factor_name, " must be float, got ", DataTypeName(factor.dtype())));
    }
    const int64_t channels = images.dim(images.rank() - 1);
    if (channels != 3) {
      return absl::InvalidArgumentError(
          absl::StrCat("input must have 3 channels but instead has ", channels,
                       " channels."));
    }
    MS_ASSIGN_OR_RETURN(Tensor * out,
                        ctx.allocate_output(0, images.dtype(), images.shape()));
    const float f = factor.data<float>()[0];
    const T* in = images.data<T>();
    T* y = out->data<T>();
    ParallelFor(images.NumElements() / 3, 6 * sizeof(T), 40,
                [&](int64_t begin, int64_t end) {
                  for (int64_t i = begin; i < end; ++i) {
                    const float pixel[3] = {static_cast<float>(in[3 * i]),
                                            static_cast<float>(in[3 * i + 1]),
                                            static_cast<float>(in[3 * i + 2])};
                    float result[3];
                    if constexpr (kHue) {
                      AdjustHuePixel(pixel, f, result);
                    } else {
                      AdjustSaturationPixel(pixel, f, result);
                    }
                    for (int k = 0; k < 3; ++k) {
                      y[3 * i + k] = static_cast<T>(result[k]);
                    }
                  }
                });
    return absl::OkStatus();
  }
};

template <bool kHue>
absl::StatusOr<std::unique_ptr<OpKernel>> CreateAdjustHsv(
    const KernelConstruction& c) {
  MS_RETURN_IF_ERROR(CheckNumInputs(c, 2));
  DataType dtype;
  MS_RETURN_IF_ERROR(c.attrs.GetOr("T", DT_FLOAT, &dtype));
  if (dtype == DT_FLOAT) {
    return std::unique_ptr<OpKernel>(new AdjustHsvKernel<float, kHue>());
  }
  if (dtype == DT_HALF) {
    return std::unique_ptr<OpKernel>(new AdjustHsvKernel<Eigen::half, kHue>());
  }
  return UnsupportedDtypeError(c, dtype);
}

}  // namespace

REGISTER_KERNEL(OpSpec("AdjustHue").Output("output"), CreateAdjustHsv<true>);
REGISTER_KERNEL(OpSpec("AdjustSaturation").Output("output"),
                CreateAdjustHsv<false>);

}  // namespace model_server
