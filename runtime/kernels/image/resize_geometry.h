// What every ResizeX op shares: TensorFlow's ImageResizerState validation of
// images [N,H,W,C] and size (int32 [2]) and the align_corners scale.
#ifndef MODEL_SERVER_RUNTIME_KERNELS_IMAGE_RESIZE_GEOMETRY_H_
#define MODEL_SERVER_RUNTIME_KERNELS_IMAGE_RESIZE_GEOMETRY_H_

#include <cstdint>

#include "absl/status/status.h"
#include "runtime/tensor.h"

namespace model_server {

struct ResizeDims {
  int64_t batch, in_height, in_width, channels, out_height, out_width;
  float height_scale, width_scale;
};

// in / out, or (in - 1) / (out - 1) with align_corners and out > 1.
float ResizeScale(int64_t in, int64_t out, bool align_corners);

// Fills `d` from images and size; INVALID_ARGUMENT with TensorFlow's texts
// ("input must be 4-dimensional", "output dimensions must be positive", both
// flags set, ...). An empty batch is valid.
absl::Status ValidateResize(const Tensor& images, const Tensor& size,
                            bool align_corners, bool half_pixel_centers,
                            ResizeDims* d);

}  // namespace model_server

#endif  // MODEL_SERVER_RUNTIME_KERNELS_IMAGE_RESIZE_GEOMETRY_H_
