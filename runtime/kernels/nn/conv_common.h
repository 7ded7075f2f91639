// What the convolution kernels (conv.cc, conv_backprop_input.cc) share:
// reading their attrs, TensorFlow's shape checks, and running the engine
// (conv_engine.h) on a node's tensors whatever their data format and dtype.
//
// Attrs as TensorFlow's Conv2D / Conv3D family: strides and dilations with
// one entry per input dimension (1 for batch and channels), padding SAME /
// VALID (and EXPLICIT with explicit_paddings for the 2-D ops), data_format
// NHWC / NCHW or NDHWC / NCDHW. Channels-first is computed through
// transposes (data_format.h); half and bfloat16 in float, rounded once.
#ifndef MODEL_SERVER_RUNTIME_KERNELS_NN_CONV_COMMON_H_
#define MODEL_SERVER_RUNTIME_KERNELS_NN_CONV_COMMON_H_

#include <array>
#include <cstdint>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "runtime/kernels/nn/conv_engine.h"
#include "runtime/kernels/nn/data_format.h"
#include "runtime/kernels/nn/window_geometry.h"
#include "runtime/op_kernel.h"
#include "runtime/tensor.h"

namespace model_server {

// A convolution node's attrs. Spatial arrays are {depth, rows, cols}; the
// 2-D ops leave index 0 at stride 1, dilation 1, no padding.
struct ConvParams {
  int spatial_dims = 2;  // 2 or 3
  DataFormat format = DataFormat::kChannelsLast;
  Padding padding = Padding::kValid;
  std::array<int64_t, 3> stride = {1, 1, 1};
  std::array<int64_t, 3> dilation = {1, 1, 1};
  std::array<int64_t, 3> explicit_before = {0, 0, 0};
  std::array<int64_t, 3> explicit_after = {0, 0, 0};

  int rank() const { return spatial_dims + 2; }
};

// Reads strides, dilations (default all 1), padding, explicit_paddings (when
// `allow_explicit`) and data_format, with TensorFlow's checks: one entry per
// dimension, 1 for batch and channels (UNIMPLEMENTED otherwise, as
// TensorFlow), positive spatial entries (INVALID_ARGUMENT).
absl::StatusOr<ConvParams> ConvParamsFromAttrs(const KernelConstruction& c,
                                               int spatial_dims,
                                               bool allow_explicit);

// The geometry of a convolution of `input` (shape in p.format) with `filter`
// ([K..., FD, OC]): TensorFlow's checks (ranks, sizes in int32 range, FD > 0
// dividing the input depth) and its windowed output sizes. `label` starts the
// error messages ("Conv3D").
absl::Status ConvGeometryFromShapes(absl::string_view label,
                                    const ConvParams& p,
                                    const TensorShape& input,
                                    const TensorShape& filter, ConvGeometry* g);

// The input and output shapes of `g` in p.format.
TensorShape ConvInputShape(const ConvParams& p, const ConvGeometry& g);
TensorShape ConvOutputShape(const ConvParams& p, const ConvGeometry& g);

// Runs ConvForward (`backward` false: data is the input, *result the
// output) or ConvBackwardInput (data is out_backprop, *result the input
// gradient) for tensors of one dtype (float, double, int32, half, bfloat16)
// laid out in p.format. REQUIRES: g was computed for these shapes and
// *result is allocated and not empty.
absl::Status RunConvEngine(const ConvParams& p, const ConvGeometry& g,
                           bool backward, const Tensor& data,
                           const Tensor& filter, Tensor* result);

}  // namespace model_server

#endif  // MODEL_SERVER_RUNTIME_KERNELS_NN_CONV_COMMON_H_
