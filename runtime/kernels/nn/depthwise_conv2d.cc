// DepthwiseConv2dNative: each input channel c is convolved with its own
// filters f[:, :, c, 0..M), giving output channels c*M .. c*M+M-1.
// Input NHWC [N,H,W,C], filter [KH,KW,C,M], output [N,OH,OW,C*M].
//
// Direct loop, parallel over output rows on the shared pool: for every output
// pixel the KH*KW taps are accumulated as vector operations over the channel
// axis (contiguous in NHWC), so the work vectorizes for any depth multiplier.
//
// Attributes as TensorFlow: strides, padding (SAME/VALID/EXPLICIT),
// explicit_paddings, dilations. Unlike TensorFlow, unequal row and column
// strides are accepted (a superset). NCHW is rejected at load. Types: float,
// double, and half/bfloat16 (computed in float, rounded once).
#include <algorithm>
#include <array>
#include <cstdint>
#include <limits>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "runtime/eigen_device.h"
#include "runtime/kernels/nn/window_geometry.h"
#include "runtime/op_kernel.h"
#include "runtime/op_registry.h"
#include "runtime/status_macros.h"

namespace model_server {
namespace {

constexpr int64_t kIntMax = std::numeric_limits<int32_t>::max();

struct DepthwiseDims {
  int64_t batch, in_rows, in_cols, depth, multiplier;
  int64_t filter_rows, filter_cols;
  int64_t stride_rows, stride_cols, dilation_rows, dilation_cols;
  int64_t out_rows, out_cols;
  int64_t pad_top, pad_left;
};

template <typename T>
void DepthwiseNHWC(const DepthwiseDims& d, const T* input, const T* filter,
                   T* output) {
  using Vec = Eigen::Array<T, Eigen::Dynamic, 1>;
  using Mat = Eigen::Array<T, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
  const int64_t C = d.depth, M = d.multiplier, OC = C * M;
  auto rows = [&](int64_t first, int64_t last) {
    for (int64_t row = first; row < last; ++row) {
      const int64_t oh = row % d.out_rows, b = row / d.out_rows;
      for (int64_t ow = 0; ow < d.out_cols; ++ow) {
        T* out = output + ((b * d.out_rows + oh) * d.out_cols + ow) * OC;
        Eigen::Map<Vec> acc(out, OC);
        acc.setZero();
        for (int64_t kh = 0; kh < d.filter_rows; ++kh) {
          const int64_t ih =
              oh * d.stride_rows - d.pad_top + kh * d.dilation_rows;
          if (ih < 0 || ih >= d.in_rows) continue;
          for (int64_t kw = 0; kw < d.filter_cols; ++kw) {
            const int64_t iw =
                ow * d.stride_cols - d.pad_left + kw * d.dilation_cols;
            if (iw < 0 || iw >= d.in_cols) continue;
            const T* px = input + ((b * d.in_rows + ih) * d.in_cols + iw) * C;
            const T* f = filter + (kh * d.filter_cols + kw) * OC;
            if (M == 1) {
              acc += Eigen::Map<const Vec>(px, C) * Eigen::Map<const Vec>(f, C);
            } else {
              Eigen::Map<Mat>(out, C, M) +=
                  Eigen::Map<const Mat>(f, C, M).colwise() *
                  Eigen::Map<const Vec>(px, C);
            }
          }
        }
      }
    }
  };
  const double taps = static_cast<double>(d.filter_rows * d.filter_cols);
  const Eigen::TensorOpCost cost(taps * d.out_cols * C * sizeof(T),
                                 d.out_cols * OC * sizeof(T),
                                 2 * taps * d.out_cols * OC);
  EigenDevice().parallelFor(
      d.batch * d.out_rows, cost,
      [&](Eigen::Index first, Eigen::Index last) { rows(first, last); });
}

template <typename Out, typename In>
void Convert(const In* src, int64_t n, Out* dst) {
  for (int64_t i = 0; i < n; ++i) {
    dst[i] = static_cast<Out>(static_cast<float>(src[i]));
  }
}

class DepthwiseConv2dKernel : public OpKernel {
 public:
  static absl::StatusOr<std::unique_ptr<OpKernel>> Create(
      const KernelConstruction& c) {
    const NodeAttrs& attrs = c.attrs;
    auto k =
        std::unique_ptr<DepthwiseConv2dKernel>(new DepthwiseConv2dKernel());
    MS_RETURN_IF_ERROR(attrs.Get("T", &k->dtype_));
    if (k->dtype_ != DT_FLOAT && k->dtype_ != DT_DOUBLE &&
        k->dtype_ != DT_HALF && k->dtype_ != DT_BFLOAT16) {
      return absl::UnimplementedError(
          absl::StrCat("DepthwiseConv2dNative node '", attrs.node_name(),
                       "': unsupported type ", DataTypeName(k->dtype_),
                       "; supported: float, double, half, bfloat16"));
    }
    std::string format;
    MS_RETURN_IF_ERROR(
        attrs.GetOr("data_format", std::string("NHWC"), &format));
    if (format != "NHWC") {
      return absl::UnimplementedError(absl::StrCat(
          "DepthwiseConv2dNative node '", attrs.node_name(),
          "': only the NHWC data format is supported, got ", format));
    }
    std::vector<int32_t> strides, dilations;
    MS_RETURN_IF_ERROR(attrs.Get("strides", &strides));
    MS_RETURN_IF_ERROR(
        attrs.GetOr("dilations", std::vector<int32_t>{1, 1, 1, 1}, &dilations));
    if (strides.size() != 4) {
      return attrs.Error(
          "Sliding window strides field must specify 4 dimensions");
    }
    if (dilations.size() != 4) {
      return attrs.Error(
          "Sliding window dilations field must specify 4 dimensions");
    }
    if (strides[0] != 1 || strides[3] != 1) {
      return absl::UnimplementedError(absl::StrCat(
          "DepthwiseConv2dNative node '", attrs.node_name(),
          "': Current implementation does not yet support strides in the "
          "batch and depth dimensions."));
    }
    if (dilations[0] != 1 || dilations[3] != 1) {
      return absl::UnimplementedError(absl::StrCat(
          "DepthwiseConv2dNative node '", attrs.node_name(),
          "': Current implementation does not yet support dilations in the "
          "batch and depth dimensions."));
    }
    if (strides[1] <= 0 || strides[2] <= 0) {
      return attrs.Error("Row and column strides should be larger than 0.");
    }
    if (dilations[1] <= 0 || dilations[2] <= 0) {
      return attrs.Error("Dilated rates should be larger than 0.");
    }
    k->stride_rows_ = strides[1];
    k->stride_cols_ = strides[2];
    k->dilation_rows_ = dilations[1];
    k->dilation_cols_ = dilations[2];
    MS_ASSIGN_OR_RETURN(k->padding_,
                        PaddingAttr(attrs, /*allow_explicit=*/true));
    MS_ASSIGN_OR_RETURN(k->pads_,
                        ExplicitPaddingsAttr(attrs, k->padding_, 3, 1, 2));
    MS_RETURN_IF_ERROR(CheckNumInputs(c, 2));
    return std::unique_ptr<OpKernel>(std::move(k));
  }

  absl::Status Compute(OpKernelContext& ctx) const override {
    const Tensor& input = ctx.input(0);
    const Tensor& filter = ctx.input(1);
    if (input.dtype() != dtype_ || filter.dtype() != dtype_) {
      return ctx.InvalidArgument(absl::StrCat(
          "DepthwiseConv2dNative expects input and filter of type ",
          DataTypeName(dtype_), ", got ", DataTypeName(input.dtype()), " and ",
          DataTypeName(filter.dtype())));
    }
    if (input.rank() != 4) {
      return ctx.InvalidArgument(absl::StrCat("input must be 4-dimensional",
                                              input.shape().DebugString()));
    }
    if (filter.rank() != 4) {
      return ctx.InvalidArgument(absl::StrCat("filter must be 4-dimensional: ",
                                              filter.shape().DebugString()));
    }
    if (input.dim(3) != filter.dim(2)) {
      return ctx.InvalidArgument(absl::StrCat(
          "input and filter must have the same depth: ", input.dim(3), " vs ",
          filter.dim(2)));
    }
    for (int i = 0; i < 4; ++i) {
      if (input.dim(i) > kIntMax || filter.dim(i) > kIntMax) {
        return ctx.InvalidArgument(
            absl::StrCat("input or filter dimension too large: ",
                         input.shape().DebugString(), " and ",
                         filter.shape().DebugString()));
      }
    }
    DepthwiseDims d;
    d.batch = input.dim(0);
    d.in_rows = input.dim(1);
    d.in_cols = input.dim(2);
    d.depth = input.dim(3);
    d.filter_rows = filter.dim(0);
    d.filter_cols = filter.dim(1);
    d.multiplier = filter.dim(3);
    d.stride_rows = stride_rows_;
    d.stride_cols = stride_cols_;
    d.dilation_rows = dilation_rows_;
    d.dilation_cols = dilation_cols_;
    int64_t pad_bottom = pads_[1], pad_right = pads_[3];
    d.pad_top = pads_[0];
    d.pad_left = pads_[2];
    MS_RETURN_IF_ERROR(WindowedOutputSize(
        d.in_rows, d.filter_rows, d.dilation_rows, d.stride_rows, padding_,
        &d.out_rows, &d.pad_top, &pad_bottom));
    MS_RETURN_IF_ERROR(WindowedOutputSize(
        d.in_cols, d.filter_cols, d.dilation_cols, d.stride_cols, padding_,
        &d.out_cols, &d.pad_left, &pad_right));
    MS_ASSIGN_OR_RETURN(TensorShape out_shape,
                        TensorShape::FromDims({d.batch, d.out_rows, d.out_cols,
                                               d.depth * d.multiplier}));
    MS_ASSIGN_OR_RETURN(Tensor * output,
                        ctx.allocate_output(0, dtype_, out_shape));
    if (output->NumElements() == 0) return absl::OkStatus();
    if (dtype_ == DT_FLOAT) {
      DepthwiseNHWC(d, input.data<float>(), filter.data<float>(),
                    output->data<float>());
    } else if (dtype_ == DT_DOUBLE) {
      DepthwiseNHWC(d, input.data<double>(), filter.data<double>(),
                    output->data<double>());
    } else if (dtype_ == DT_HALF) {
      return RunWidened<Eigen::half>(d, input, filter, output);
    } else {
      return RunWidened<Eigen::bfloat16>(d, input, filter, output);
    }
    return absl::OkStatus();
  }

 private:
  DepthwiseConv2dKernel() = default;

  // Half and bfloat16: computed in float, rounded once.
  template <typename Narrow>
  static absl::Status RunWidened(const DepthwiseDims& d, const Tensor& input,
                                 const Tensor& filter, Tensor* output) {
    MS_ASSIGN_OR_RETURN(Tensor in, Tensor::Create(DT_FLOAT, input.shape()));
    MS_ASSIGN_OR_RETURN(Tensor f, Tensor::Create(DT_FLOAT, filter.shape()));
    MS_ASSIGN_OR_RETURN(Tensor out, Tensor::Create(DT_FLOAT, output->shape()));
    Convert(input.data<Narrow>(), input.NumElements(), in.data<float>());
    Convert(filter.data<Narrow>(), filter.NumElements(), f.data<float>());
    DepthwiseNHWC(d, in.data<float>(), f.data<float>(), out.data<float>());
    Convert(out.data<float>(), out.NumElements(), output->data<Narrow>());
    return absl::OkStatus();
  }

  DataType dtype_ = DT_INVALID;
  Padding padding_ = Padding::kValid;
  int64_t stride_rows_ = 1, stride_cols_ = 1;
  int64_t dilation_rows_ = 1, dilation_cols_ = 1;
  std::array<int64_t, 4> pads_ = {0, 0, 0, 0};  // top, bottom, left, right
};

}  // namespace

REGISTER_KERNEL(OpSpec("DepthwiseConv2dNative").Output("output"),
                DepthwiseConv2dKernel::Create);

}  // namespace model_server
