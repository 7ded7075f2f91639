#include "runtime/kernels/nn/conv_common.h"

#include <limits>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "runtime/kernels/kernel_util.h"
#include "runtime/status_macros.h"

namespace model_server {
namespace {

constexpr int64_t kIntMax = std::numeric_limits<int32_t>::max();

// Spatial index s of the 3-element arrays for the i-th spatial dimension of
// a node with `spatial_dims` of them.
int SlotOf(int spatial_dims, int i) { return 3 - spatial_dims + i; }

}  // namespace

absl::StatusOr<ConvParams> ConvParamsFromAttrs(const KernelConstruction& c,
                                               int spatial_dims,
                                               bool allow_explicit) {
  const NodeAttrs& attrs = c.attrs;
  ConvParams p;
  p.spatial_dims = spatial_dims;
  const int rank = p.rank();
  MS_ASSIGN_OR_RETURN(p.format, DataFormatAttr(attrs, spatial_dims));
  std::vector<int64_t> strides, dilations;
  MS_RETURN_IF_ERROR(attrs.Get("strides", &strides));
  MS_RETURN_IF_ERROR(
      attrs.GetOr("dilations", std::vector<int64_t>(rank, 1), &dilations));
  if (static_cast<int>(strides.size()) != rank) {
    return attrs.Error(absl::StrCat(
        "Sliding window strides field must specify ", rank, " dimensions"));
  }
  if (static_cast<int>(dilations.size()) != rank) {
    return attrs.Error(absl::StrCat(
        "Sliding window dilations field must specify ", rank, " dimensions"));
  }
  const int channel = ChannelDim(p.format, rank);
  if (strides[0] != 1 || strides[channel] != 1) {
    return UnsupportedAttrError(
        c,
        "Current implementation does not yet support strides in the batch "
        "and depth dimensions.");
  }
  if (dilations[0] != 1 || dilations[channel] != 1) {
    return UnsupportedAttrError(
        c,
        "Current implementation does not yet support dilations in the batch "
        "and depth dimensions.");
  }
  for (int i = 0; i < spatial_dims; ++i) {
    const int dim = SpatialDim(p.format, rank, i);
    if (strides[dim] <= 0 || strides[dim] > kIntMax) {
      return attrs.Error(absl::StrCat(
          "Strides must be positive and in int32 range, got ", strides[dim]));
    }
    if (dilations[dim] <= 0 || dilations[dim] > kIntMax) {
      return attrs.Error(absl::StrCat(
          "Dilated rates should be larger than 0, got ", dilations[dim]));
    }
    p.stride[SlotOf(spatial_dims, i)] = strides[dim];
    p.dilation[SlotOf(spatial_dims, i)] = dilations[dim];
  }
  MS_ASSIGN_OR_RETURN(p.padding, PaddingAttr(attrs, allow_explicit));
  if (spatial_dims == 2) {
    MS_ASSIGN_OR_RETURN(const auto pads,
                        ExplicitPaddingsAttr(attrs, p.padding, channel,
                                             SpatialDim(p.format, rank, 0),
                                             SpatialDim(p.format, rank, 1)));
    p.explicit_before = {0, pads[0], pads[2]};
    p.explicit_after = {0, pads[1], pads[3]};
  }
  return p;
}

absl::Status ConvGeometryFromShapes(absl::string_view label,
                                    const ConvParams& p,
                                    const TensorShape& input,
                                    const TensorShape& filter,
                                    ConvGeometry* g) {
  const int rank = p.rank();
  if (input.rank() != rank) {
    return absl::InvalidArgumentError(absl::StrCat(label, ": input must be ",
                                                   rank, "-dimensional, got ",
                                                   input.DebugString()));
  }
  if (filter.rank() != rank) {
    return absl::InvalidArgumentError(absl::StrCat(label, ": filter must be ",
                                                   rank, "-dimensional, got ",
                                                   filter.DebugString()));
  }
  for (int d = 0; d < rank; ++d) {
    if (input.dim(d) > kIntMax || filter.dim(d) > kIntMax) {
      return absl::InvalidArgumentError(absl::StrCat(
          label, ": dimensions must be in int32 range, got input ",
          input.DebugString(), " and filter ", filter.DebugString()));
    }
  }
  *g = ConvGeometry();
  g->batch = input.dim(0);
  g->in_depth = input.dim(ChannelDim(p.format, rank));
  g->filter_depth = filter.dim(rank - 2);
  g->out_depth = filter.dim(rank - 1);
  if (g->filter_depth <= 0) {
    return absl::InvalidArgumentError(
        absl::StrCat(label, ": filter depth must be stricly positive, got ",
                     g->filter_depth));
  }
  if (g->in_depth % g->filter_depth != 0) {
    return absl::InvalidArgumentError(absl::StrCat(
        label, ": input depth must be evenly divisible by filter depth: ",
        g->in_depth, " vs ", g->filter_depth));
  }
  const int64_t groups = g->in_depth / g->filter_depth;
  if (groups <= 0) {
    return absl::InvalidArgumentError(absl::StrCat(
        label, ": number of groups must be stricly positive, got ", groups));
  }
  g->stride = p.stride;
  g->dilation = p.dilation;
  for (int i = 0; i < p.spatial_dims; ++i) {
    const int s = SlotOf(p.spatial_dims, i);
    g->input[s] = input.dim(SpatialDim(p.format, rank, i));
    g->filter[s] = filter.dim(i);
    g->pad_before[s] = p.explicit_before[s];
    g->pad_after[s] = p.explicit_after[s];
    absl::Status status = WindowedOutputSize(
        g->input[s], g->filter[s], g->dilation[s], g->stride[s], p.padding,
        &g->output[s], &g->pad_before[s], &g->pad_after[s]);
    if (!status.ok()) {
      return absl::InvalidArgumentError(
          absl::StrCat(label, ": ", status.message()));
    }
  }
  return absl::OkStatus();
}

namespace {

TensorShape ShapeInFormat(const ConvParams& p, int64_t batch,
                          const std::array<int64_t, 3>& spatial,
                          int64_t depth) {
  std::vector<int64_t> dims = {batch};
  if (p.format == DataFormat::kChannelsFirst) dims.push_back(depth);
  for (int i = 0; i < p.spatial_dims; ++i) {
    dims.push_back(spatial[SlotOf(p.spatial_dims, i)]);
  }
  if (p.format == DataFormat::kChannelsLast) dims.push_back(depth);
  TensorShape shape;
  for (int64_t d : dims) {
    // The sizes come from shapes of existing tensors (or windowed output
    // sizes no larger than them), so they cannot overflow.
    shape.AddDim(d).IgnoreError();
  }
  return shape;
}

}  // namespace

TensorShape ConvInputShape(const ConvParams& p, const ConvGeometry& g) {
  return ShapeInFormat(p, g.batch, g.input, g.in_depth);
}

TensorShape ConvOutputShape(const ConvParams& p, const ConvGeometry& g) {
  return ShapeInFormat(p, g.batch, g.output, g.out_depth);
}

absl::Status RunConvEngine(const ConvParams& p, const ConvGeometry& g,
                           bool backward, const Tensor& data,
                           const Tensor& filter, Tensor* result) {
  const bool channels_first = p.format == DataFormat::kChannelsFirst;
  MS_ASSIGN_OR_RETURN(Tensor x, WidenNarrowFloat(data));
  MS_ASSIGN_OR_RETURN(Tensor f, WidenNarrowFloat(filter));
  if (channels_first) {
    MS_ASSIGN_OR_RETURN(x, ChannelsFirstToLast(x));
  }
  // The engine's output buffer: *result itself unless a transpose or a
  // rounding follows.
  Tensor y = *result;
  const bool widened = x.dtype() != result->dtype();
  if (channels_first || widened) {
    std::vector<int64_t> dims(result->shape().dims().begin(),
                              result->shape().dims().end());
    if (channels_first) {
      dims.push_back(dims[1]);
      dims.erase(dims.begin() + 1);
    }
    MS_ASSIGN_OR_RETURN(TensorShape shape, TensorShape::FromDims(dims));
    MS_ASSIGN_OR_RETURN(y, Tensor::Create(x.dtype(), shape));
  }
  absl::Status status;
  auto run = [&](auto tag) {
    using T = decltype(tag);
    status =
        backward
            ? ConvBackwardInput<T>(g, x.data<T>(), f.data<T>(), y.data<T>())
            : ConvForward<T>(g, x.data<T>(), f.data<T>(), y.data<T>());
  };
  switch (x.dtype()) {
    case DT_FLOAT:
      run(float());
      break;
    case DT_DOUBLE:
      run(double());
      break;
    case DT_INT32:
      run(int32_t());
      break;
    default:
      return absl::InternalError(absl::StrCat(
          "convolution engine has no ", DataTypeName(x.dtype()), " kernel"));
  }
  MS_RETURN_IF_ERROR(status);
  if (channels_first) {
    if (widened) {
      MS_ASSIGN_OR_RETURN(Tensor t, Tensor::Create(y.dtype(), result->shape()));
      ChannelsLastToFirst(y, &t);
      y = t;
    } else {
      ChannelsLastToFirst(y, result);
      return absl::OkStatus();
    }
  }
  if (widened) NarrowInto(y, result);
  return absl::OkStatus();
}

}  // namespace model_server
