// Window geometry of the pooling ops (MaxPool, AvgPool, MaxPoolV2,
// MaxPool3D, AvgPool3D, MaxPoolWithArgmax): ksize and strides with one entry
// per input dimension, TensorFlow's checks on them, and the output size.
//
// Spatial arrays are {depth, rows, cols}; the 2-D ops have depth 1.
#ifndef MODEL_SERVER_RUNTIME_KERNELS_NN_POOL_WINDOW_H_
#define MODEL_SERVER_RUNTIME_KERNELS_NN_POOL_WINDOW_H_

#include <array>
#include <cstdint>
#include <vector>

#include "absl/status/status.h"
#include "runtime/kernels/nn/data_format.h"
#include "runtime/kernels/nn/window_geometry.h"
#include "runtime/tensor.h"

namespace model_server {

struct PoolGeometry {
  int64_t batch = 0, channels = 0;
  std::array<int64_t, 3> input = {1, 1, 1};
  std::array<int64_t, 3> window = {1, 1, 1};
  std::array<int64_t, 3> stride = {1, 1, 1};
  std::array<int64_t, 3> output = {1, 1, 1};
  std::array<int64_t, 3> pad_before = {0, 0, 0};

  int64_t input_positions() const { return input[0] * input[1] * input[2]; }
  int64_t output_positions() const { return output[0] * output[1] * output[2]; }
};

// TensorFlow's checks on ksize / strides of a pooling op with `rank`-D
// inputs in `format`: one entry per dimension, positive, in int32 range
// (INVALID_ARGUMENT), and 1 for the batch and channel dimensions
// (UNIMPLEMENTED, as TensorFlow's CPU kernels).
absl::Status CheckPoolWindow(const std::vector<int64_t>& ksize,
                             const std::vector<int64_t>& strides, int rank,
                             DataFormat format);

// The geometry of pooling `input_shape` (rank 4 or 5 in `format`) with a
// window that passed CheckPoolWindow; `explicit_pads` {before, after} per
// spatial dimension for Padding::kExplicit. INVALID_ARGUMENT for another
// rank or a negative output size.
absl::Status PoolGeometryFor(const TensorShape& input_shape, DataFormat format,
                             const std::vector<int64_t>& ksize,
                             const std::vector<int64_t>& strides,
                             Padding padding,
                             const std::array<int64_t, 4>& explicit_pads,
                             PoolGeometry* g);

// The output shape of `g` in `format` (rank 4 when g.input[0] is a 2-D op's
// unit depth and `rank` is 4, else 5).
TensorShape PoolOutputShape(const PoolGeometry& g, DataFormat format, int rank);

}  // namespace model_server

#endif  // MODEL_SERVER_RUNTIME_KERNELS_NN_POOL_WINDOW_H_
