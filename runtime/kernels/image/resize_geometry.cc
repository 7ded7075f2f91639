#include "runtime/kernels/image/resize_geometry.h"

#include <cstdint>
#include <limits>

#include "absl/strings/str_cat.h"

namespace model_server {

float ResizeScale(int64_t in, int64_t out, bool align_corners) {
  return (align_corners && out > 1)
             ? static_cast<float>(in - 1) / static_cast<float>(out - 1)
             : static_cast<float>(in) / static_cast<float>(out);
}

absl::Status ValidateResize(const Tensor& images, const Tensor& size,
                            bool align_corners, bool half_pixel_centers,
                            ResizeDims* d) {
  if (half_pixel_centers && align_corners) {
    return absl::InvalidArgumentError(
        "If half_pixel_centers is True, align_corners must be False.");
  }
  if (images.rank() != 4) {
    return absl::InvalidArgumentError(absl::StrCat(
        "input must be 4-dimensional", images.shape().DebugString()));
  }
  d->batch = images.dim(0);
  d->in_height = images.dim(1);
  d->in_width = images.dim(2);
  d->channels = images.dim(3);
  if (d->channels <= 0) {
    return absl::InvalidArgumentError("image must have at least one channel");
  }
  if (d->in_height <= 0 || d->in_width <= 0) {
    return absl::InvalidArgumentError("input image must be of non-zero size");
  }
  constexpr int64_t kIntMax = std::numeric_limits<int32_t>::max();
  if (d->in_height >= kIntMax || d->in_width >= kIntMax) {
    return absl::InvalidArgumentError(
        "input sizes must be between 0 and max int32");
  }
  if (size.rank() != 1) {
    return absl::InvalidArgumentError(absl::StrCat(
        "shape_t must be 1-dimensional", size.shape().DebugString()));
  }
  if (size.NumElements() != 2) {
    return absl::InvalidArgumentError(absl::StrCat(
        "shape_t must have two elements", size.shape().DebugString()));
  }
  if (size.dtype() != DT_INT32) {
    return absl::InvalidArgumentError(
        absl::StrCat("size must be int32, got ", DataTypeName(size.dtype())));
  }
  d->out_height = size.data<int32_t>()[0];
  d->out_width = size.data<int32_t>()[1];
  if (d->out_height <= 0 || d->out_width <= 0) {
    return absl::InvalidArgumentError("output dimensions must be positive");
  }
  d->height_scale = ResizeScale(d->in_height, d->out_height, align_corners);
  d->width_scale = ResizeScale(d->in_width, d->out_width, align_corners);
  return absl::OkStatus();
}

}  // namespace model_server
