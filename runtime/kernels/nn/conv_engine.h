// The convolution engine shared by Conv2D, Conv3D and their backprop-input
// ops (Conv2DBackpropInput, Conv3DBackpropInput[V2]): channels-last buffers,
// up to three spatial dimensions (a 2-D convolution is a 3-D one whose
// leading spatial dimension has size 1).
//
// Forward: im2col + GEMM. Each output position's receptive field is copied
// into one row of a patch matrix [rows, KD*KH*KW*FD], multiplied by the
// filter viewed as [KD*KH*KW*FD, OC]; the product is the channels-last
// output itself. A 1x1 stride-1 unpadded filter is a plain GEMM over the
// input; a VALID filter covering the whole image is a GEMM per image.
//
// Backward input (the transposed convolution): GEMM + col2im. The output
// gradient [rows, OC] times the filter transposed [OC, KD*KH*KW*FD] gives
// every output position's contribution to its receptive field, which is
// added into the input gradient (col2im, the inverse of im2col).
//
// Forward runs on the shared thread pool in tiles of output rows (about
// 512 KB of patches each): every task fills its own small tile buffer and
// multiplies it at once, so no whole-batch patch matrix is ever allocated.
// Backward input computes blocks of up to 64 MB of columns with a parallel
// GEMM (math/gemm.h) and scatters them over channel ranges.
#ifndef MODEL_SERVER_RUNTIME_KERNELS_NN_CONV_ENGINE_H_
#define MODEL_SERVER_RUNTIME_KERNELS_NN_CONV_ENGINE_H_

#include <array>
#include <cstdint>

#include "absl/status/status.h"

namespace model_server {

// Shapes of one convolution. Spatial arrays are {depth, rows, cols}; a 2-D
// convolution has depth 1 everywhere (stride and dilation 1, no padding).
struct ConvGeometry {
  int64_t batch = 0;
  std::array<int64_t, 3> input = {1, 1, 1};
  std::array<int64_t, 3> filter = {1, 1, 1};
  std::array<int64_t, 3> output = {1, 1, 1};
  std::array<int64_t, 3> stride = {1, 1, 1};
  std::array<int64_t, 3> dilation = {1, 1, 1};
  std::array<int64_t, 3> pad_before = {0, 0, 0};
  std::array<int64_t, 3> pad_after = {0, 0, 0};
  int64_t in_depth = 0;      // channels of the input
  int64_t filter_depth = 0;  // channels one filter sees: in_depth / groups
  int64_t out_depth = 0;     // filters (a multiple of the groups)

  int64_t groups() const { return in_depth / filter_depth; }
  int64_t input_positions() const { return input[0] * input[1] * input[2]; }
  int64_t output_positions() const { return output[0] * output[1] * output[2]; }
  int64_t filter_taps() const { return filter[0] * filter[1] * filter[2]; }
};

// output [N, OD, OH, OW, OC] = input [N, D, H, W, C] convolved with filter
// [KD, KH, KW, FD, OC], grouped when C > FD. T: float, double, int32_t.
// Fails only with RESOURCE_EXHAUSTED when the patch buffer cannot be had.
// REQUIRES: the geometry is consistent (the kernels check the request's
// shapes against it) and no dimension is 0.
template <typename T>
absl::Status ConvForward(const ConvGeometry& g, const T* input, const T* filter,
                         T* output);

// in_backprop [N, D, H, W, C] = the gradient of ConvForward's output with
// respect to its input, given out_backprop [N, OD, OH, OW, OC] and filter.
// REQUIRES: as ConvForward, and groups() == 1.
template <typename T>
absl::Status ConvBackwardInput(const ConvGeometry& g, const T* out_backprop,
                               const T* filter, T* in_backprop);

// patches [N * OD * OH * OW, KD * KH * KW * C] = the receptive field of
// every output position (im2col), zeros for padding: ExtractImagePatches and
// ExtractVolumePatches. T is the unsigned integer of the element's size
// (uint8_t .. uint64_t: elements are moved, not read). REQUIRES: as
// ConvForward; filter_depth == in_depth.
template <typename T>
void ExtractPatches(const ConvGeometry& g, const T* input, T* patches);

}  // namespace model_server

#endif  // MODEL_SERVER_RUNTIME_KERNELS_NN_CONV_ENGINE_H_
