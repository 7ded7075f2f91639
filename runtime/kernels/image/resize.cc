// ResizeBilinear and ResizeNearestNeighbor on NHWC images.
//
// Inputs: images [N,H,W,C] and size (int32 [2]: new_height, new_width).
// Attributes align_corners and half_pixel_centers select TensorFlow's
// coordinate mapping (both true is an error, as in TensorFlow):
//   scale = align_corners && out > 1 ? (in - 1) / (out - 1) : in / out
//   bilinear source = half_pixel_centers ? (x + 0.5) * scale - 0.5 : x * scale
//   nearest source  = half_pixel_centers ? (x + 0.5) * scale : x * scale,
//                     rounded if align_corners else floored, clamped.
// Bilinear always outputs float and interpolates in float exactly as
// TensorFlow's compute_lerp; nearest keeps the input type. Interpolation
// weights are computed once per column/row; output rows run in parallel.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <memory>
#include <type_traits>
#include <vector>

#include "absl/strings/str_cat.h"
#include "runtime/eigen_device.h"
#include "runtime/kernels/dtype_categories.h"
#include "runtime/kernels/image/resize_geometry.h"
#include "runtime/kernels/kernel_util.h"
#include "runtime/op_kernel.h"
#include "runtime/op_registry.h"
#include "runtime/status_macros.h"

namespace model_server {
namespace {

struct Interpolation {
  int64_t lower, upper;
  float lerp;
};

std::vector<Interpolation> InterpolationWeights(int64_t out_size,
                                                int64_t in_size, float scale,
                                                bool half_pixel_centers) {
  std::vector<Interpolation> w(out_size);
  for (int64_t i = 0; i < out_size; ++i) {
    const float in = half_pixel_centers
                         ? (static_cast<float>(i) + 0.5f) * scale - 0.5f
                         : static_cast<float>(i) * scale;
    const float in_f = std::floor(in);
    w[i].lower = std::max(static_cast<int64_t>(in_f), int64_t{0});
    w[i].upper = std::min(static_cast<int64_t>(std::ceil(in)), in_size - 1);
    w[i].lerp = in - in_f;
  }
  return w;
}

template <typename T>
void Bilinear(const ResizeDims& d, const T* in, bool half_pixel_centers,
              float* out) {
  const std::vector<Interpolation> ys = InterpolationWeights(
      d.out_height, d.in_height, d.height_scale, half_pixel_centers);
  const std::vector<Interpolation> xs = InterpolationWeights(
      d.out_width, d.in_width, d.width_scale, half_pixel_centers);
  const int64_t C = d.channels;
  auto rows = [&](int64_t first, int64_t last) {
    for (int64_t row = first; row < last; ++row) {
      const int64_t y = row % d.out_height, b = row / d.out_height;
      const Interpolation& wy = ys[y];
      const T* top = in + (b * d.in_height + wy.lower) * d.in_width * C;
      const T* bottom = in + (b * d.in_height + wy.upper) * d.in_width * C;
      float* dst = out + row * d.out_width * C;
      for (int64_t x = 0; x < d.out_width; ++x, dst += C) {
        const Interpolation& wx = xs[x];
        const T* tl = top + wx.lower * C;
        const T* tr = top + wx.upper * C;
        const T* bl = bottom + wx.lower * C;
        const T* br = bottom + wx.upper * C;
        for (int64_t c = 0; c < C; ++c) {
          const float t =
              static_cast<float>(tl[c]) +
              (static_cast<float>(tr[c]) - static_cast<float>(tl[c])) * wx.lerp;
          const float bo =
              static_cast<float>(bl[c]) +
              (static_cast<float>(br[c]) - static_cast<float>(bl[c])) * wx.lerp;
          dst[c] = t + (bo - t) * wy.lerp;
        }
      }
    }
  };
  const Eigen::TensorOpCost cost(4 * d.out_width * C * sizeof(T),
                                 d.out_width * C * sizeof(float),
                                 8 * d.out_width * C);
  EigenDevice().parallelFor(
      d.batch * d.out_height, cost,
      [&](Eigen::Index a, Eigen::Index b) { rows(a, b); });
}

// Source index for nearest-neighbour output coordinate `x`.
int64_t NearestSource(int64_t x, float scale, int64_t in_size,
                      bool align_corners, bool half_pixel_centers) {
  const float src = half_pixel_centers ? (static_cast<float>(x) + 0.5f) * scale
                                       : static_cast<float>(x) * scale;
  int64_t i = align_corners ? static_cast<int64_t>(std::round(src))
                            : static_cast<int64_t>(std::floor(src));
  i = std::min(i, in_size - 1);
  if (half_pixel_centers) i = std::max<int64_t>(i, 0);
  return i;
}

template <typename T>
void Nearest(const ResizeDims& d, const T* in, bool align_corners,
             bool half_pixel_centers, T* out) {
  std::vector<int64_t> xs(d.out_width);
  for (int64_t x = 0; x < d.out_width; ++x) {
    xs[x] = NearestSource(x, d.width_scale, d.in_width, align_corners,
                          half_pixel_centers);
  }
  const int64_t C = d.channels;
  auto rows = [&](int64_t first, int64_t last) {
    for (int64_t row = first; row < last; ++row) {
      const int64_t y = row % d.out_height, b = row / d.out_height;
      const int64_t sy = NearestSource(y, d.height_scale, d.in_height,
                                       align_corners, half_pixel_centers);
      const T* src = in + (b * d.in_height + sy) * d.in_width * C;
      T* dst = out + row * d.out_width * C;
      for (int64_t x = 0; x < d.out_width; ++x) {
        std::memcpy(dst + x * C, src + xs[x] * C, C * sizeof(T));
      }
    }
  };
  const Eigen::TensorOpCost cost(d.out_width * C * sizeof(T),
                                 d.out_width * C * sizeof(T), d.out_width);
  EigenDevice().parallelFor(
      d.batch * d.out_height, cost,
      [&](Eigen::Index a, Eigen::Index b) { rows(a, b); });
}

template <bool kBilinear>
class ResizeKernel : public OpKernel {
 public:
  static absl::StatusOr<std::unique_ptr<OpKernel>> Create(
      const KernelConstruction& c) {
    const NodeAttrs& attrs = c.attrs;
    auto k = std::unique_ptr<ResizeKernel>(new ResizeKernel());
    MS_RETURN_IF_ERROR(attrs.GetOr("T", DT_FLOAT, &k->dtype_));
    MS_RETURN_IF_ERROR(attrs.GetOr("align_corners", false, &k->align_corners_));
    MS_RETURN_IF_ERROR(
        attrs.GetOr("half_pixel_centers", false, &k->half_pixel_centers_));
    if (!DtypeIs(k->dtype_,
                 [](auto tag) { return kIsRealNumber<decltype(tag)>; })) {
      return UnsupportedDtypeError(c, k->dtype_);
    }
    MS_RETURN_IF_ERROR(CheckNumInputs(c, 2));
    return std::unique_ptr<OpKernel>(std::move(k));
  }

  absl::Status Compute(OpKernelContext& ctx) const override {
    const Tensor& images = ctx.input(0);
    if (images.dtype() != dtype_) {
      return ctx.InvalidArgument(absl::StrCat("expected images of type ",
                                              DataTypeName(dtype_), ", got ",
                                              DataTypeName(images.dtype())));
    }
    ResizeDims d;
    MS_RETURN_IF_ERROR(ValidateResize(images, ctx.input(1), align_corners_,
                                      half_pixel_centers_, &d));
    MS_ASSIGN_OR_RETURN(TensorShape out_shape,
                        TensorShape::FromDims(
                            {d.batch, d.out_height, d.out_width, d.channels}));
    MS_ASSIGN_OR_RETURN(
        Tensor * out,
        ctx.allocate_output(0, kBilinear ? DT_FLOAT : dtype_, out_shape));
    if (out->NumElements() == 0) return absl::OkStatus();
    SwitchOnDataType(dtype_, [&](auto tag) {
      using T = decltype(tag);
      if constexpr (kIsRealNumber<T>) {
        if constexpr (kBilinear) {
          Bilinear(d, images.data<T>(), half_pixel_centers_,
                   out->data<float>());
        } else {
          Nearest(d, images.data<T>(), align_corners_, half_pixel_centers_,
                  out->data<T>());
        }
      }
    });
    return absl::OkStatus();
  }

 private:
  ResizeKernel() = default;

  DataType dtype_ = DT_FLOAT;
  bool align_corners_ = false;
  bool half_pixel_centers_ = false;
};

}  // namespace

REGISTER_KERNEL(OpSpec("ResizeBilinear").Output("resized_images"),
                ResizeKernel<true>::Create);
REGISTER_KERNEL(OpSpec("ResizeNearestNeighbor").Output("resized_images"),
                ResizeKernel<false>::Create);

}  // namespace model_server
