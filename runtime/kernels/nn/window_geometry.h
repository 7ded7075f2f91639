// Padding and output sizes of windowed ops (Conv2D, DepthwiseConv2dNative,
// MaxPool, AvgPool, ...), with TensorFlow's rules and error texts.
#ifndef MODEL_SERVER_RUNTIME_KERNELS_NN_WINDOW_GEOMETRY_H_
#define MODEL_SERVER_RUNTIME_KERNELS_NN_WINDOW_GEOMETRY_H_

#include <array>
#include <cstdint>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "runtime/node_attrs.h"

namespace model_server {

enum class Padding { kSame, kValid, kExplicit };

// The node's "padding" attr: "SAME", "VALID", or "EXPLICIT" when
// `allow_explicit`. INVALID_ARGUMENT "Invalid padding: <value>" otherwise.
absl::StatusOr<Padding> PaddingAttr(const NodeAttrs& attrs,
                                    bool allow_explicit);

// The node's "explicit_paddings" attr for a 4-D op whose depth dimension is
// `depth_dim` (3 for NHWC, 1 for NCHW): for kExplicit, 8 non-negative values
// in int32 range, zero for the batch and depth dimensions; otherwise it must
// be empty (both TensorFlow's checks). Returns {rows before, rows after,
// cols before, cols after}, zeros unless kExplicit; `rows_dim` and
// `cols_dim` are the indices of the row and column dimensions.
absl::StatusOr<std::array<int64_t, 4>> ExplicitPaddingsAttr(
    const NodeAttrs& attrs, Padding padding, int depth_dim, int rows_dim,
    int cols_dim);

// TensorFlow's windowed output size rule (GetWindowedOutputSizeVerboseV2):
// the output length of a window of `filter` taps `dilation` apart moved by
// `stride` over `input`. For kExplicit, *pad_before/*pad_after are inputs;
// otherwise they are set. INVALID_ARGUMENT for stride <= 0 or a negative
// output size.
absl::Status WindowedOutputSize(int64_t input, int64_t filter, int64_t dilation,
                                int64_t stride, Padding padding,
                                int64_t* output, int64_t* pad_before,
                                int64_t* pad_after);

}  // namespace model_server

#endif  // MODEL_SERVER_RUNTIME_KERNELS_NN_WINDOW_GEOMETRY_H_
