// MaxPool, MaxPoolV2 and AvgPool over NHWC inputs [N,H,W,C].
//
// Each output pixel reduces its window over the spatial axes as vector
// operations along the (contiguous) channel axis; output rows are spread over
// the shared thread pool. Padded positions never take part: MaxPool takes the
// maximum of the in-bounds elements and AvgPool divides by the number of
// in-bounds elements, as TensorFlow does. MaxPoolV2 takes ksize and strides
// as int32 input tensors instead of attributes.
//
// Types: MaxPool/MaxPoolV2 all real number types; AvgPool float, double,
// half and bfloat16 (half/bfloat16 averaged in float). Only NHWC is supported
// (TensorFlow's CPU kernels are NHWC-only too); depth-wise max pooling
// (ksize over the channel axis) is UNIMPLEMENTED.
#include <algorithm>
#include <array>
#include <cstdint>
#include <limits>
#include <memory>
#include <string>
#include <type_traits>
#include <vector>

#include "absl/strings/str_cat.h"
#include "runtime/eigen_device.h"
#include "runtime/kernels/dtype_categories.h"
#include "runtime/kernels/kernel_util.h"
#include "runtime/kernels/nn/window_geometry.h"
#include "runtime/op_kernel.h"
#include "runtime/op_registry.h"
#include "runtime/status_macros.h"

namespace model_server {
namespace {

constexpr int64_t kIntMax = std::numeric_limits<int32_t>::max();

enum class PoolKind { kMax, kAvg };

struct PoolDims {
  int64_t batch, in_rows, in_cols, depth;
  int64_t window_rows, window_cols, stride_rows, stride_cols;
  int64_t out_rows, out_cols, pad_top, pad_left;
};

// Max (Acc == T) or average (Acc the accumulation type) pooling.
template <PoolKind kKind, typename T, typename Acc>
void PoolNHWC(const PoolDims& d, const T* input, T* output) {
  using AccVec = Eigen::Array<Acc, Eigen::Dynamic, 1>;
  const int64_t C = d.depth;
  auto rows = [&](int64_t first, int64_t last) {
    AccVec acc(C);
    for (int64_t row = first; row < last; ++row) {
      const int64_t oh = row % d.out_rows, b = row / d.out_rows;
      const int64_t h0 = oh * d.stride_rows - d.pad_top;
      const int64_t h_begin = std::max<int64_t>(h0, 0);
      const int64_t h_end = std::min(h0 + d.window_rows, d.in_rows);
      for (int64_t ow = 0; ow < d.out_cols; ++ow) {
        const int64_t w0 = ow * d.stride_cols - d.pad_left;
        const int64_t w_begin = std::max<int64_t>(w0, 0);
        const int64_t w_end = std::min(w0 + d.window_cols, d.in_cols);
        if constexpr (kKind == PoolKind::kMax) {
          acc.setConstant(Eigen::NumTraits<Acc>::lowest());
        } else {
          acc.setZero();
        }
        for (int64_t ih = h_begin; ih < h_end; ++ih) {
          for (int64_t iw = w_begin; iw < w_end; ++iw) {
            Eigen::Map<const Eigen::Array<T, Eigen::Dynamic, 1>> px(
                input + ((b * d.in_rows + ih) * d.in_cols + iw) * C, C);
            if constexpr (kKind == PoolKind::kMax) {
              acc = acc.max(px);
            } else {
              acc += px.template cast<Acc>();
            }
          }
        }
        Eigen::Map<Eigen::Array<T, Eigen::Dynamic, 1>> out(
            output + ((b * d.out_rows + oh) * d.out_cols + ow) * C, C);
        if constexpr (kKind == PoolKind::kMax) {
          out = acc;
        } else {
          const int64_t count = std::max<int64_t>(0, h_end - h_begin) *
                                std::max<int64_t>(0, w_end - w_begin);
          out = (acc / static_cast<Acc>(std::max<int64_t>(count, 1)))
                    .template cast<T>();
        }
      }
    }
  };
  const double window = static_cast<double>(d.window_rows * d.window_cols);
  const Eigen::TensorOpCost cost(window * d.out_cols * C * sizeof(T),
                                 d.out_cols * C * sizeof(T),
                                 window * d.out_cols * C);
  EigenDevice().parallelFor(
      d.batch * d.out_rows, cost,
      [&](Eigen::Index first, Eigen::Index last) { rows(first, last); });
}

class PoolKernel : public OpKernel {
 public:
  static absl::StatusOr<std::unique_ptr<OpKernel>> Create(
      PoolKind kind, bool v2, const KernelConstruction& c) {
    const NodeAttrs& attrs = c.attrs;
    auto k = std::unique_ptr<PoolKernel>(new PoolKernel(kind, v2));
    MS_RETURN_IF_ERROR(attrs.GetOr("T", DT_FLOAT, &k->dtype_));
    const bool float_like = k->dtype_ == DT_FLOAT || k->dtype_ == DT_DOUBLE ||
                            k->dtype_ == DT_HALF || k->dtype_ == DT_BFLOAT16;
    bool real = false;
    SwitchOnDataType(k->dtype_,
                     [&](auto tag) { real = kIsRealNumber<decltype(tag)>; });
    if ((kind == PoolKind::kAvg && !float_like) || !real) {
      return UnsupportedDtypeError(c, k->dtype_);
    }
    std::string format;
    MS_RETURN_IF_ERROR(
        attrs.GetOr("data_format", std::string("NHWC"), &format));
    if (format != "NHWC") {
      return absl::UnimplementedError(absl::StrCat(
          attrs.op(), " node '", attrs.node_name(),
          "': only the NHWC data format is supported on CPU, got ", format));
    }
    MS_ASSIGN_OR_RETURN(
        k->padding_,
        PaddingAttr(attrs, /*allow_explicit=*/kind == PoolKind::kMax && !v2));
    MS_ASSIGN_OR_RETURN(k->pads_,
                        ExplicitPaddingsAttr(attrs, k->padding_, 3, 1, 2));
    if (!v2) {
      std::vector<int64_t> ksize, strides;
      MS_RETURN_IF_ERROR(attrs.Get("ksize", &ksize));
      MS_RETURN_IF_ERROR(attrs.Get("strides", &strides));
      absl::Status status = CheckWindow(ksize, strides);
      if (status.code() == absl::StatusCode::kInvalidArgument) {
        return attrs.Error(status.message());
      }
      MS_RETURN_IF_ERROR(status);
      k->ksize_ = ksize;
      k->strides_ = strides;
    }
    const int want_inputs = v2 ? 3 : 1;
    if (c.num_inputs != want_inputs) {
      return attrs.Error(
          absl::StrCat("expects ", want_inputs, " inputs, got ", c.num_inputs));
    }
    return std::unique_ptr<OpKernel>(std::move(k));
  }

  absl::Status Compute(OpKernelContext& ctx) const override {
    const Tensor& input = ctx.input(0);
    MS_RETURN_IF_ERROR(CheckInputDtype(input, dtype_));
    std::vector<int64_t> ksize = ksize_, strides = strides_;
    if (v2_) {
      MS_RETURN_IF_ERROR(ReadInt32Vector(ctx.input(1), "ksize", &ksize));
      MS_RETURN_IF_ERROR(ReadInt32Vector(ctx.input(2), "strides", &strides));
      MS_RETURN_IF_ERROR(CheckWindow(ksize, strides));
    }
    if (input.rank() != 4) {
      return ctx.InvalidArgument(
          absl::StrCat("tensor_in must be 4-dimensional, got ",
                       input.shape().DebugString()));
    }
    PoolDims d;
    d.batch = input.dim(0);
    d.in_rows = input.dim(1);
    d.in_cols = input.dim(2);
    d.depth = input.dim(3);
    d.window_rows = ksize[1];
    d.window_cols = ksize[2];
    d.stride_rows = strides[1];
    d.stride_cols = strides[2];
    int64_t pad_bottom = pads_[1], pad_right = pads_[3];
    d.pad_top = pads_[0];
    d.pad_left = pads_[2];
    MS_RETURN_IF_ERROR(WindowedOutputSize(d.in_rows, d.window_rows, 1,
                                          d.stride_rows, padding_, &d.out_rows,
                                          &d.pad_top, &pad_bottom));
    MS_RETURN_IF_ERROR(WindowedOutputSize(d.in_cols, d.window_cols, 1,
                                          d.stride_cols, padding_, &d.out_cols,
                                          &d.pad_left, &pad_right));
    MS_ASSIGN_OR_RETURN(
        TensorShape out_shape,
        TensorShape::FromDims({d.batch, d.out_rows, d.out_cols, d.depth}));
    MS_ASSIGN_OR_RETURN(Tensor * output,
                        ctx.allocate_output(0, dtype_, out_shape));
    if (output->NumElements() == 0) return absl::OkStatus();
    SwitchOnDataType(dtype_, [&](auto tag) {
      using T = decltype(tag);
      if constexpr (kIsRealNumber<T>) {
        if (kind_ == PoolKind::kMax) {
          PoolNHWC<PoolKind::kMax, T, T>(d, input.data<T>(), output->data<T>());
        } else if constexpr (std::is_same_v<T, double>) {
          PoolNHWC<PoolKind::kAvg, T, double>(d, input.data<T>(),
                                              output->data<T>());
        } else if constexpr (!std::is_integral_v<T>) {
          PoolNHWC<PoolKind::kAvg, T, float>(d, input.data<T>(),
                                             output->data<T>());
        }
      }
    });
    return absl::OkStatus();
  }

 private:
  PoolKernel(PoolKind kind, bool v2) : kind_(kind), v2_(v2) {}

  // TensorFlow's checks on ksize/strides, for attributes or V2 inputs.
  static absl::Status CheckWindow(const std::vector<int64_t>& ksize,
                                  const std::vector<int64_t>& strides) {
    if (ksize.size() != 4) {
      return absl::InvalidArgumentError(
          "Sliding window ksize field must specify 4 dimensions");
    }
    if (strides.size() != 4) {
      return absl::InvalidArgumentError(
          "Sliding window stride field must specify 4 dimensions");
    }
    for (int i = 0; i < 4; ++i) {
      if (ksize[i] <= 0) {
        return absl::InvalidArgumentError(absl::StrCat(
            "Sliding window ksize for dimension ", i, " was zero."));
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
    if (ksize[3] != 1 || strides[3] != 1) {
      return absl::UnimplementedError(
          "Pooling across the depth dimension is not supported");
    }
    return absl::OkStatus();
  }

  static absl::Status ReadInt32Vector(const Tensor& t, const char* name,
                                      std::vector<int64_t>* out) {
    if (t.dtype() != DT_INT32 || t.rank() != 1) {
      return absl::InvalidArgumentError(
          absl::StrCat(name, " must be a 1-D int32 tensor, got ",
                       DataTypeName(t.dtype()), " ", t.shape().DebugString()));
    }
    out->assign(t.data<int32_t>(), t.data<int32_t>() + t.NumElements());
    return absl::OkStatus();
  }

  const PoolKind kind_;
  const bool v2_;
  DataType dtype_ = DT_INVALID;
  Padding padding_ = Padding::kValid;
  std::vector<int64_t> ksize_, strides_;
  std::array<int64_t, 4> pads_ = {0, 0, 0, 0};  // top, bottom, left, right
};

template <PoolKind kKind, bool kV2>
absl::StatusOr<std::unique_ptr<OpKernel>> MakePool(
    const KernelConstruction& c) {
  return PoolKernel::Create(kKind, kV2, c);
}

}  // namespace

REGISTER_KERNEL(OpSpec("MaxPool").Output("output"),
                (MakePool<PoolKind::kMax, false>));
REGISTER_KERNEL(OpSpec("MaxPoolV2").Output("output"),
                (MakePool<PoolKind::kMax, true>));
REGISTER_KERNEL(OpSpec("AvgPool").Output("output"),
                (MakePool<PoolKind::kAvg, false>));

}  // namespace model_server
