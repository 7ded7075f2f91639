// ResizeBicubic: images [N,H,W,C] (any real number type), size int32 [2] ->
// float [N,h,w,C]; attrs align_corners, half_pixel_centers.
//
// Cubic convolution over 4x4 input pixels, as TensorFlow computes it: the
// kernel's coefficients are tabulated at 1/1024 steps of the fractional
// position (rounded to the nearest step), with Keys' a = -0.5 when
// half_pixel_centers is set and the legacy a = -0.75 otherwise. Legacy
// sampling clamps the 4 taps to the image (edge pixels repeat); with
// half_pixel_centers taps outside the image get weight 0 and the remaining
// weights are renormalised to sum to 1. Source position of output x:
// x * scale (legacy) or (x + 0.5) * scale - 0.5. Each output interpolates
// the 4 rows of each of its 4 columns first, then across the columns, in
// float.
#include <array>
#include <cmath>
#include <cstdint>
#include <limits>
#include <vector>

#include "runtime/kernels/broadcast.h"
#include "runtime/kernels/image/float_resize_kernel.h"
#include "runtime/op_registry.h"

namespace model_server {
namespace {

constexpr int kTableSize = 1024;

// coefficients[2 * i] is the cubic kernel at distance i / kTableSize,
// coefficients[2 * i + 1] at distance 1 + i / kTableSize.
std::vector<float> CubicCoefficients(double a) {
  std::vector<float> table((kTableSize + 1) * 2);
  for (int i = 0; i <= kTableSize; ++i) {
    float x = i * 1.0 / kTableSize;
    table[i * 2] = ((a + 2) * x - (a + 3)) * x * x + 1;
    x += 1.0;
    table[i * 2 + 1] = ((a * x - 5 * a) * x + 8 * a) * x - 4 * a;
  }
  return table;
}

const std::vector<float>& CoefficientTable(bool keys) {
  static const std::vector<float>* const kKeys =
      new std::vector<float>(CubicCoefficients(-0.5));
  static const std::vector<float>* const kLegacy =
      new std::vector<float>(CubicCoefficients(-0.75));
  return keys ? *kKeys : *kLegacy;
}

struct Taps {
  std::array<int64_t, 4> index;
  std::array<float, 4> weight;
};

int64_t ClampIndex(int64_t i, int64_t size) {
  return std::min(size - 1, std::max<int64_t>(0, i));
}

Taps TapsFor(int64_t out, float scale, int64_t in_size,
             bool half_pixel_centers) {
  const float position = half_pixel_centers
                             ? (static_cast<float>(out) + 0.5f) * scale - 0.5f
                             : static_cast<float>(out) * scale;
  const int64_t base = static_cast<int64_t>(std::floor(position));
  const float delta = position - static_cast<float>(base);
  const int64_t offset = std::lrintf(delta * kTableSize);
  const std::vector<float>& table = CoefficientTable(half_pixel_centers);
  const std::array<float, 4> kernel = {table[offset * 2 + 1], table[offset * 2],
                                       table[(kTableSize - offset) * 2],
                                       table[(kTableSize - offset) * 2 + 1]};
  Taps taps;
  for (int k = 0; k < 4; ++k) {
    taps.index[k] = ClampIndex(base - 1 + k, in_size);
    taps.weight[k] = kernel[k];
  }
  if (half_pixel_centers) {
    float sum = 0;
    for (int k = 0; k < 4; ++k) {
      if (taps.index[k] != base - 1 + k) taps.weight[k] = 0;
      sum += taps.weight[k];
    }
    if (std::abs(sum) >= 1000.0f * std::numeric_limits<float>::min()) {
      const float inverse = 1.0f / sum;
      for (float& w : taps.weight) w *= inverse;
    }
  }
  return taps;
}

float Cubic(const std::array<float, 4>& w, float v0, float v1, float v2,
            float v3) {
  return v0 * w[0] + v1 * w[1] + v2 * w[2] + v3 * w[3];
}

struct BicubicResampler {
  static constexpr bool kHasHalfPixelCenters = true;

  template <typename T>
  static void Run(const ResizeDims& d, const T* in, bool half_pixel_centers,
                  float* out) {
    std::vector<Taps> xs;
    for (int64_t x = 0; x < d.out_width; ++x) {
      xs.push_back(TapsFor(x, d.width_scale, d.in_width, half_pixel_centers));
    }
    const int64_t C = d.channels;
    auto rows = [&](int64_t first, int64_t last) {
      for (int64_t row = first; row < last; ++row) {
        const int64_t y = row % d.out_height, b = row / d.out_height;
        const Taps ty =
            TapsFor(y, d.height_scale, d.in_height, half_pixel_centers);
        std::array<const T*, 4> src;
        for (int k = 0; k < 4; ++k) {
          src[k] = in + (b * d.in_height + ty.index[k]) * d.in_width * C;
        }
        float* dst = out + row * d.out_width * C;
        for (int64_t x = 0; x < d.out_width; ++x) {
          const Taps& tx = xs[x];
          for (int64_t c = 0; c < C; ++c) {
            std::array<float, 4> column;
            for (int k = 0; k < 4; ++k) {
              const int64_t at = tx.index[k] * C + c;
              column[k] = Cubic(ty.weight, static_cast<float>(src[0][at]),
                                static_cast<float>(src[1][at]),
                                static_cast<float>(src[2][at]),
                                static_cast<float>(src[3][at]));
            }
            dst[x * C + c] =
                Cubic(tx.weight, column[0], column[1], column[2], column[3]);
          }
        }
      }
    };
    ParallelFor(d.batch * d.out_height,
                d.out_width * C * (16 * sizeof(T) + sizeof(float)),
                d.out_width * C * 40, rows);
  }
};

}  // namespace

REGISTER_KERNEL(OpSpec("ResizeBicubic").Output("resized_images"),
                FloatResizeKernel<BicubicResampler>::Create);

}  // namespace model_server
