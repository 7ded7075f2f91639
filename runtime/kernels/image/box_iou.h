// Intersection over union of two boxes as TensorFlow's non-max-suppression
// kernels compute it: each box is 4 values [y1, x1, y2, x2] with either
// corner order, converted to float; 0 when either box has no area.
#ifndef MODEL_SERVER_RUNTIME_KERNELS_IMAGE_BOX_IOU_H_
#define MODEL_SERVER_RUNTIME_KERNELS_IMAGE_BOX_IOU_H_

#include <cmath>

namespace model_server {

template <typename T>
float BoxIou(const T* a, const T* b) {
  const float ay0 = std::fmin(float(a[0]), float(a[2]));
  const float ax0 = std::fmin(float(a[1]), float(a[3]));
  const float ay1 = std::fmax(float(a[0]), float(a[2]));
  const float ax1 = std::fmax(float(a[1]), float(a[3]));
  const float by0 = std::fmin(float(b[0]), float(b[2]));
  const float bx0 = std::fmin(float(b[1]), float(b[3]));
  const float by1 = std::fmax(float(b[0]), float(b[2]));
  const float bx1 = std::fmax(float(b[1]), float(b[3]));
  const float area_a = (ay1 - ay0) * (ax1 - ax0);
  const float area_b = (by1 - by0) * (bx1 - bx0);
  if (area_a <= 0 || area_b <= 0) return 0.0f;
  const float inter = std::fmax(std::fmin(ay1, by1) - std::fmax(ay0, by0), 0) *
                      std::fmax(std::fmin(ax1, bx1) - std::fmax(ax0, bx0), 0);
  return inter / (area_a + area_b - inter);
}

}  // namespace model_server

#endif  // MODEL_SERVER_RUNTIME_KERNELS_IMAGE_BOX_IOU_H_
