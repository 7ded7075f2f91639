#include "runtime/kernels/nn/data_format.h"

#include <algorithm>
#include <string>

#include "absl/strings/str_cat.h"
#include "runtime/kernels/array/data_movement.h"
#include "runtime/status_macros.h"

namespace model_server {

absl::StatusOr<DataFormat> DataFormatAttr(const NodeAttrs& attrs,
                                          int spatial_dims) {
  const bool is_3d = spatial_dims == 3;
  const std::string last = is_3d ? "NDHWC" : "NHWC";
  const std::string first = is_3d ? "NCDHW" : "NCHW";
  std::string format;
  MS_RETURN_IF_ERROR(attrs.GetOr("data_format", last, &format));
  if (format == last) return DataFormat::kChannelsLast;
  if (format == first) return DataFormat::kChannelsFirst;
  return attrs.Error(absl::StrCat("Invalid data format: ", format));
}

int ChannelDim(DataFormat format, int rank) {
  return format == DataFormat::kChannelsLast ? rank - 1 : 1;
}

int SpatialDim(DataFormat format, int rank, int i) {
  (void)rank;
  return format == DataFormat::kChannelsLast ? 1 + i : 2 + i;
}

absl::StatusOr<Tensor> ChannelsFirstToLast(const Tensor& t) {
  const int rank = t.rank();
  const Dims in_strides = StridesOf(t.shape().dims());
  Dims dims, strides;
  for (int d = 0; d < rank; ++d) {
    const int from = d == 0 ? 0 : (d == rank - 1 ? 1 : d + 1);
    dims.push_back(t.dim(from));
    strides.push_back(in_strides[from]);
  }
  MS_ASSIGN_OR_RETURN(TensorShape shape, TensorShape::FromDims(dims));
  MS_ASSIGN_OR_RETURN(Tensor out, Tensor::Create(t.dtype(), shape));
  CopyView(t, 0, dims, strides, &out);
  return out;
}

void ChannelsLastToFirst(const Tensor& t, Tensor* out) {
  const int rank = t.rank();
  const Dims in_strides = StridesOf(t.shape().dims());
  Dims dims, strides;
  for (int d = 0; d < rank; ++d) {
    const int from = d == 0 ? 0 : (d == 1 ? rank - 1 : d - 1);
    dims.push_back(t.dim(from));
    strides.push_back(in_strides[from]);
  }
  CopyView(t, 0, dims, strides, out);
}

namespace {

template <typename Out, typename In>
void ConvertElements(const In* src, int64_t n, Out* dst) {
  std::transform(src, src + n, dst,
                 [](In v) { return static_cast<Out>(static_cast<float>(v)); });
}

}  // namespace

absl::StatusOr<Tensor> WidenNarrowFloat(const Tensor& t) {
  if (t.dtype() != DT_HALF && t.dtype() != DT_BFLOAT16) return t;
  MS_ASSIGN_OR_RETURN(Tensor out, Tensor::Create(DT_FLOAT, t.shape()));
  if (t.dtype() == DT_HALF) {
    ConvertElements(t.data<Eigen::half>(), t.NumElements(), out.data<float>());
  } else {
    ConvertElements(t.data<Eigen::bfloat16>(), t.NumElements(),
                    out.data<float>());
  }
  return out;
}

void NarrowInto(const Tensor& t, Tensor* out) {
  if (out->dtype() == t.dtype()) {
    if (out->raw_data() != t.raw_data() && t.NumElements() > 0) {
      std::copy_n(static_cast<const char*>(t.raw_data()), t.TotalBytes(),
                  static_cast<char*>(out->raw_data()));
    }
  } else if (out->dtype() == DT_HALF) {
    ConvertElements(t.data<float>(), t.NumElements(), out->data<Eigen::half>());
  } else {
    ConvertElements(t.data<float>(), t.NumElements(),
                    out->data<Eigen::bfloat16>());
  }
}

}  // namespace model_server
