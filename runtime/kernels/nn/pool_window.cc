#include "runtime/kernels/nn/pool_window.h"

#include <limits>

#include "absl/strings/str_cat.h"
#include "runtime/status_macros.h"

namespace model_server {

absl::Status CheckPoolWindow(const std::vector<int64_t>& ksize,
                             const std::vector<int64_t>& strides, int rank,
                             DataFormat format) {
  if (static_cast<int>(ksize.size()) != rank) {
    return absl::InvalidArgumentError(absl::StrCat(
        "Sliding window ksize field must specify ", rank, " dimensions"));
  }
  if (static_cast<int>(strides.size()) != rank) {
    return absl::InvalidArgumentError(absl::StrCat(
        "Sliding window stride field must specify ", rank, " dimensions"));
  }
  constexpr int64_t kIntMax = std::numeric_limits<int32_t>::max();
  for (int i = 0; i < rank; ++i) {
    if (ksize[i] <= 0) {
      return absl::InvalidArgumentError(
          absl::StrCat("Sliding window ksize for dimension ", i, " was zero."));
    }
    if (strides[i] <= 0) {
      return absl::InvalidArgumentError(
          absl::StrCat("Stride must be > 0, but got ", strides[i]));
    }
    if (ksize[i] > kIntMax || strides[i] > kIntMax) {
      return absl::InvalidArgumentError("Sliding window too large");
    }
  }
  if (ksize[0] != 1 || strides[0] != 1) {
    return absl::UnimplementedError(
        "Pooling is not yet supported on the batch dimension.");
  }
  const int channel = ChannelDim(format, rank);
  if (ksize[channel] != 1 || strides[channel] != 1) {
    return absl::UnimplementedError(
        "Pooling across the depth dimension is not supported");
  }
  return absl::OkStatus();
}

absl::Status PoolGeometryFor(const TensorShape& input_shape, DataFormat format,
                             const std::vector<int64_t>& ksize,
                             const std::vector<int64_t>& strides,
                             Padding padding,
                             const std::array<int64_t, 4>& explicit_pads,
                             PoolGeometry* g) {
  const int rank = static_cast<int>(ksize.size());
  if (input_shape.rank() != rank) {
    return absl::InvalidArgumentError(absl::StrCat("tensor_in must be ", rank,
                                                   "-dimensional, got ",
                                                   input_shape.DebugString()));
  }
  const int spatial = rank - 2;
  *g = PoolGeometry();
  g->batch = input_shape.dim(0);
  g->channels = input_shape.dim(ChannelDim(format, rank));
  for (int i = 0; i < spatial; ++i) {
    const int s = 3 - spatial + i;
    const int dim = SpatialDim(format, rank, i);
    g->input[s] = input_shape.dim(dim);
    g->window[s] = ksize[dim];
    g->stride[s] = strides[dim];
    int64_t before = 0, after = 0;
    if (padding == Padding::kExplicit) {
      before = explicit_pads[2 * i];
      after = explicit_pads[2 * i + 1];
    }
    MS_RETURN_IF_ERROR(WindowedOutputSize(g->input[s], g->window[s], 1,
                                          g->stride[s], padding, &g->output[s],
                                          &before, &after));
    g->pad_before[s] = before;
  }
  return absl::OkStatus();
}

TensorShape PoolOutputShape(const PoolGeometry& g, DataFormat format,
                            int rank) {
  TensorShape shape;
  // Sizes no larger than the input's (or its explicit padding, int32 each),
  // so the shape cannot overflow.
  shape.AddDim(g.batch).IgnoreError();
  if (format == DataFormat::kChannelsFirst)
    shape.AddDim(g.channels).IgnoreError();
  for (int s = 5 - rank; s < 3; ++s) shape.AddDim(g.output[s]).IgnoreError();
  if (format == DataFormat::kChannelsLast)
    shape.AddDim(g.channels).IgnoreError();
  return shape;
}

}  // namespace model_server
