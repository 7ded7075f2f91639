// ResizeArea: images [N,H,W,C] (any real number type), size int32 [2] ->
// float [N,h,w,C]; attr align_corners. Each output pixel is the average of
// the input area it covers: output cell y spans [y * s, (y + 1) * s) in input
// rows (s = height scale); input row i contributes with the length of its
// overlap with that span (TensorFlow's ResizeAreaOp, including its
// clamping of rows and columns past the edge, which align_corners can
// produce). Sums run in float: per input row over the columns, then over
// the rows, times 1 / (s_h * s_w).
#include <cmath>
#include <cstdint>
#include <vector>

#include "runtime/kernels/broadcast.h"
#include "runtime/kernels/image/float_resize_kernel.h"
#include "runtime/op_registry.h"

namespace model_server {
namespace {

// The input cells [first, last) covering output cell `out` and the weight
// of each (its overlap with the span).
struct AreaSpan {
  int64_t first, last;
  std::vector<float> weights;
};

int64_t ClampIndex(int64_t i, int64_t size) {
  return std::min(size - 1, std::max<int64_t>(0, i));
}

AreaSpan SpanOf(int64_t out, float scale) {
  const float begin = static_cast<float>(out) * scale;
  const float end = static_cast<float>(out + 1) * scale;
  AreaSpan span;
  span.first = static_cast<int64_t>(std::floor(begin));
  span.last = static_cast<int64_t>(std::ceil(end));
  for (int64_t i = span.first; i < span.last; ++i) {
    const float next = static_cast<float>(i + 1);
    float weight;
    if (static_cast<float>(i) < begin) {
      weight = next > end ? scale : next - begin;
    } else {
      weight = next > end ? end - static_cast<float>(i) : 1.0f;
    }
    span.weights.push_back(weight);
  }
  return span;
}

struct AreaResampler {
  static constexpr bool kHasHalfPixelCenters = false;

  template <typename T>
  static void Run(const ResizeDims& d, const T* in, bool /*half_pixel*/,
                  float* out) {
    std::vector<AreaSpan> xs;
    for (int64_t x = 0; x < d.out_width; ++x) {
      xs.push_back(SpanOf(x, d.width_scale));
    }
    const int64_t C = d.channels;
    const float norm = 1.0f / (d.height_scale * d.width_scale);
    auto rows = [&](int64_t first, int64_t last) {
      for (int64_t row = first; row < last; ++row) {
        const int64_t y = row % d.out_height, b = row / d.out_height;
        const AreaSpan ys = SpanOf(y, d.height_scale);
        float* dst = out + row * d.out_width * C;
        for (int64_t x = 0; x < d.out_width; ++x) {
          const AreaSpan& sx = xs[x];
          for (int64_t c = 0; c < C; ++c) {
            float sum = 0;
            for (int64_t i = ys.first; i < ys.last; ++i) {
              const T* src =
                  in + ((b * d.in_height + ClampIndex(i, d.in_height)) *
                        d.in_width) *
                           C;
              float row_sum = 0;
              for (int64_t j = sx.first; j < sx.last; ++j) {
                row_sum +=
                    static_cast<float>(src[ClampIndex(j, d.in_width) * C + c]) *
                    sx.weights[j - sx.first];
              }
              sum += row_sum * ys.weights[i - ys.first];
            }
            dst[x * C + c] = sum * norm;
          }
        }
      }
    };
    const double cells = (d.height_scale + 1) * (d.width_scale + 1);
    ParallelFor(d.batch * d.out_height,
                d.out_width * C * (cells * sizeof(T) + sizeof(float)),
                d.out_width * C * cells * 3, rows);
  }
};

}  // namespace

REGISTER_KERNEL(OpSpec("ResizeArea").Output("resized_images"),
                FloatResizeKernel<AreaResampler>::Create);

}  // namespace model_server
