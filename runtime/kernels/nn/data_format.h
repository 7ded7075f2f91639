// Data formats of the NN ops (channels last: NHWC, NDHWC; channels first:
// NCHW, NCDHW) and moving tensors between them and into the type the
// kernels compute in.
//
// Kernels in this folder compute channels-last; a channels-first node moves
// its input's channel dimension to the end, computes, and moves the result's
// channel dimension back (TensorFlow's CPU kernels mostly refuse
// channels-first; accepting it is a deliberate superset, because graphs
// exported from GPU training use it).
#ifndef MODEL_SERVER_RUNTIME_KERNELS_NN_DATA_FORMAT_H_
#define MODEL_SERVER_RUNTIME_KERNELS_NN_DATA_FORMAT_H_

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "runtime/node_attrs.h"
#include "runtime/tensor.h"

namespace model_server {

enum class DataFormat { kChannelsLast, kChannelsFirst };

// The node's "data_format" attr for an op with `spatial_dims` (1, 2 or 3)
// spatial dimensions: "NHWC"/"NCHW" for 2 (and for 1, as Keras' 1-D layers
// are 2-D ops), "NDHWC"/"NCDHW" for 3; the channels-last name when the node
// does not set it. INVALID_ARGUMENT "Invalid data format: <value>" otherwise.
absl::StatusOr<DataFormat> DataFormatAttr(const NodeAttrs& attrs,
                                          int spatial_dims);

// The index of the channel dimension, and of spatial dimension `i`
// (0-based), in a tensor of rank `rank` in `format`.
int ChannelDim(DataFormat format, int rank);
int SpatialDim(DataFormat format, int rank, int i);

// A copy of `t` (any dtype, rank >= 2) with dimension 1 moved to the end:
// NCHW -> NHWC, NCDHW -> NDHWC.
absl::StatusOr<Tensor> ChannelsFirstToLast(const Tensor& t);

// `*out` = `t` with its last dimension moved to position 1 (NHWC -> NCHW).
// REQUIRES: *out is allocated with that shape and t's dtype.
void ChannelsLastToFirst(const Tensor& t, Tensor* out);

// A float copy of a half or bfloat16 tensor; any other tensor unchanged.
absl::StatusOr<Tensor> WidenNarrowFloat(const Tensor& t);

// `*out` (half or bfloat16) = float `t` rounded once; if *out has t's dtype,
// a copy. REQUIRES: same number of elements.
void NarrowInto(const Tensor& t, Tensor* out);

}  // namespace model_server

#endif  // MODEL_SERVER_RUNTIME_KERNELS_NN_DATA_FORMAT_H_
