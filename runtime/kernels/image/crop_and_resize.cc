// CropAndResize: image [batch, H, W, depth] (any real number type), boxes
// float [num_boxes, 4] of normalised [y1, x1, y2, x2], box_ind int32
// [num_boxes] (which image each box crops), crop_size int32 [2] -> float
// [num_boxes, crop_height, crop_width, depth]. Attrs method ("bilinear" or
// "nearest") and extrapolation_value (default 0).
//
// As TensorFlow's CropAndResizeOp: output row y of a box samples input row
//   y1 * (H - 1) + y * (y2 - y1) * (H - 1) / (crop_height - 1)
// or, for crop_height 1, the box centre 0.5 * (y1 + y2) * (H - 1) (columns
// alike). Samples outside [0, H - 1] x [0, W - 1] are extrapolation_value;
// bilinear interpolates the 4 neighbours in float, nearest rounds half away
// from zero. y1 > y2 flips the crop. Errors: INVALID_ARGUMENT for shapes
// ("input image must be 4-D", "image dimensions must be positive", "boxes
// must be 2-D", "box_index has incompatible shape", "crop dimensions must
// be positive", ...), OUT_OF_RANGE for "box_index has values outside [0,
// batch_size)".
#include <cmath>
#include <cstdint>
#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "runtime/kernels/broadcast.h"
#include "runtime/kernels/dtype_categories.h"
#include "runtime/kernels/kernel_util.h"
#include "runtime/op_kernel.h"
#include "runtime/op_registry.h"
#include "runtime/status_macros.h"

namespace model_server {
namespace {

struct CropGeometry {
  int64_t batch, height, width, depth, num_boxes, crop_height, crop_width;
};

absl::Status ValidateCrop(const Tensor& image, const Tensor& boxes,
                          const Tensor& box_index, const Tensor& crop_size,
                          CropGeometry* g) {
  if (image.rank() != 4) {
    return absl::InvalidArgumentError(
        absl::StrCat("input image must be 4-D", image.shape().DebugString()));
  }
  g->batch = image.dim(0);
  g->height = image.dim(1);
  g->width = image.dim(2);
  g->depth = image.dim(3);
  if (g->height <= 0 || g->width <= 0) {
    return absl::InvalidArgumentError("image dimensions must be positive");
  }
  if (boxes.dtype() != DT_FLOAT) {
    return absl::InvalidArgumentError(
        absl::StrCat("boxes must be float, got ", DataTypeName(boxes.dtype())));
  }
  if (box_index.dtype() != DT_INT32) {
    return absl::InvalidArgumentError(absl::StrCat(
        "box_index must be int32, got ", DataTypeName(box_index.dtype())));
  }
  if (boxes.NumElements() == 0 && box_index.NumElements() == 0) {
    g->num_boxes = 0;
  } else {
    if (boxes.rank() != 2) {
      return absl::InvalidArgumentError(
          absl::StrCat("boxes must be 2-D", boxes.shape().DebugString()));
    }
    g->num_boxes = boxes.dim(0);
    if (boxes.dim(1) != 4) {
      return absl::InvalidArgumentError("boxes must have 4 columns");
    }
    if (box_index.rank() != 1) {
      return absl::InvalidArgumentError(absl::StrCat(
          "box_index must be 1-D", box_index.shape().DebugString()));
    }
    if (box_index.dim(0) != g->num_boxes) {
      return absl::InvalidArgumentError("box_index has incompatible shape");
    }
  }
  if (crop_size.rank() != 1) {
    return absl::InvalidArgumentError(
        absl::StrCat("crop_size must be 1-D", crop_size.shape().DebugString()));
  }
  if (crop_size.dim(0) != 2) {
    return absl::InvalidArgumentError("crop_size must have two elements");
  }
  if (crop_size.dtype() != DT_INT32) {
    return absl::InvalidArgumentError(absl::StrCat(
        "crop_size must be int32, got ", DataTypeName(crop_size.dtype())));
  }
  g->crop_height = crop_size.data<int32_t>()[0];
  g->crop_width = crop_size.data<int32_t>()[1];
  if (g->crop_height <= 0 || g->crop_width <= 0) {
    return absl::InvalidArgumentError("crop dimensions must be positive");
  }
  for (int64_t b = 0; b < g->num_boxes; ++b) {
    const int32_t index = box_index.data<int32_t>()[b];
    if (index < 0 || index >= g->batch) {
      return absl::OutOfRangeError(
          "box_index has values outside [0, batch_size)");
    }
  }
  return absl::OkStatus();
}

// Input coordinate of output position `i` along one axis, or NaN when the
// box coordinates are not finite.
float SourceCoordinate(int64_t i, float lo, float hi, int64_t in_size,
                       int64_t out_size) {
  if (out_size > 1) {
    const float scale = (hi - lo) * (in_size - 1) / (out_size - 1);
    return lo * (in_size - 1) + i * scale;
  }
  return static_cast<float>(0.5 * (lo + hi) * (in_size - 1));
}

bool Inside(float coordinate, int64_t size) {
  // False for NaN as well.
  return coordinate >= 0 && coordinate <= static_cast<float>(size - 1);
}

template <typename T>
void CropBox(const CropGeometry& g, const T* image, const float* box,
             int64_t image_index, bool bilinear, float extrapolation,
             float* out) {
  const int64_t D = g.depth;
  const T* base = image + image_index * g.height * g.width * D;
  auto pixel = [&](int64_t y, int64_t x, int64_t c) {
    return static_cast<float>(base[(y * g.width + x) * D + c]);
  };
  for (int64_t y = 0; y < g.crop_height; ++y) {
    const float in_y =
        SourceCoordinate(y, box[0], box[2], g.height, g.crop_height);
    float* row = out + y * g.crop_width * D;
    if (!Inside(in_y, g.height)) {
      for (int64_t k = 0; k < g.crop_width * D; ++k) row[k] = extrapolation;
      continue;
    }
    for (int64_t x = 0; x < g.crop_width; ++x) {
      const float in_x =
          SourceCoordinate(x, box[1], box[3], g.width, g.crop_width);
      float* dst = row + x * D;
      if (!Inside(in_x, g.width)) {
        for (int64_t c = 0; c < D; ++c) dst[c] = extrapolation;
        continue;
      }
      if (bilinear) {
        const int64_t top = static_cast<int64_t>(std::floor(in_y));
        const int64_t bottom = static_cast<int64_t>(std::ceil(in_y));
        const int64_t left = static_cast<int64_t>(std::floor(in_x));
        const int64_t right = static_cast<int64_t>(std::ceil(in_x));
        const float y_lerp = in_y - top;
        const float x_lerp = in_x - left;
        for (int64_t c = 0; c < D; ++c) {
          const float tl = pixel(top, left, c), tr = pixel(top, right, c);
          const float bl = pixel(bottom, left, c), br = pixel(bottom, right, c);
          const float t = tl + (tr - tl) * x_lerp;
          const float b = bl + (br - bl) * x_lerp;
          dst[c] = t + (b - t) * y_lerp;
        }
      } else {
        const int64_t ny = static_cast<int64_t>(std::round(in_y));
        const int64_t nx = static_cast<int64_t>(std::round(in_x));
        for (int64_t c = 0; c < D; ++c) dst[c] = pixel(ny, nx, c);
      }
    }
  }
}

template <typename T>
class CropAndResizeKernel : public OpKernel {
 public:
  CropAndResizeKernel(bool bilinear, float extrapolation)
      : bilinear_(bilinear), extrapolation_(extrapolation) {}

  absl::Status Compute(OpKernelContext& ctx) const override {
    const Tensor& image = ctx.input(0);
    MS_RETURN_IF_ERROR(CheckInputDtype(image, DataTypeOf<T>::value));
    CropGeometry g;
    MS_RETURN_IF_ERROR(
        ValidateCrop(image, ctx.input(1), ctx.input(2), ctx.input(3), &g));
    MS_ASSIGN_OR_RETURN(TensorShape shape,
                        TensorShape::FromDims({g.num_boxes, g.crop_height,
                                               g.crop_width, g.depth}));
    MS_ASSIGN_OR_RETURN(Tensor * out, ctx.allocate_output(0, DT_FLOAT, shape));
    if (out->NumElements() == 0) return absl::OkStatus();
    const float* boxes = ctx.input(1).data<float>();
    const int32_t* index = ctx.input(2).data<int32_t>();
    const int64_t per_box = g.crop_height * g.crop_width * g.depth;
    float* y = out->data<float>();
    ParallelFor(g.num_boxes, per_box * (4 * sizeof(T) + sizeof(float)),
                per_box * 12, [&](int64_t begin, int64_t end) {
                  for (int64_t b = begin; b < end; ++b) {
                    CropBox(g, image.data<T>(), boxes + 4 * b, index[b],
                            bilinear_, extrapolation_, y + b * per_box);
                  }
                });
    return absl::OkStatus();
  }

 private:
  bool bilinear_;
  float extrapolation_;
};

absl::StatusOr<std::unique_ptr<OpKernel>> CreateCropAndResize(
    const KernelConstruction& c) {
  MS_RETURN_IF_ERROR(CheckNumInputs(c, 4));
  DataType dtype;
  MS_RETURN_IF_ERROR(c.attrs.GetOr("T", DT_FLOAT, &dtype));
  std::string method;
  MS_RETURN_IF_ERROR(c.attrs.GetOr("method", std::string("bilinear"), &method));
  if (method != "bilinear" && method != "nearest") {
    return c.attrs.Error(
        absl::StrCat("method must be 'bilinear' or 'nearest', got ", method));
  }
  float extrapolation = 0;
  MS_RETURN_IF_ERROR(
      c.attrs.GetOr("extrapolation_value", 0.0f, &extrapolation));
  const bool bilinear = method == "bilinear";
  return MakeTypedKernel(c, dtype, [&](auto tag) -> std::unique_ptr<OpKernel> {
    using T = decltype(tag);
    if constexpr (kIsRealNumber<T>) {
      return std::make_unique<CropAndResizeKernel<T>>(bilinear, extrapolation);
    }
    return nullptr;
  });
}

}  // namespace

REGISTER_KERNEL(OpSpec("CropAndResize").Output("crops"), CreateCropAndResize);

}  // namespace model_server
