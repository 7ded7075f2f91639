// MaxPool, MaxPoolV2, AvgPool, MaxPool3D and AvgPool3D: the maximum or mean
// of each window over the spatial dimensions of an input [N, (D,) H, W, C]
// (or channels-first: NCHW / NCDHW, computed through transposes, which
// TensorFlow's CPU kernels refuse for MaxPool/AvgPool: a deliberate
// superset).
//
// Each output position reduces its window as vector operations along the
// (contiguous) channel axis; output lines are spread over the shared pool.
// Padded positions never take part: max pooling takes the maximum of the
// in-bounds elements and average pooling divides by the number of in-bounds
// elements, as TensorFlow does. MaxPoolV2 takes ksize and strides as int32
// input tensors instead of attrs. MaxPool accepts EXPLICIT padding with
// explicit_paddings.
//
// Types: max pooling every real number type; average pooling float, double,
// half and bfloat16 (half/bfloat16 averaged in float). Windows over the
// batch or channel dimension are UNIMPLEMENTED, as in TensorFlow.
#include <algorithm>
#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <type_traits>
#include <vector>

#include "absl/strings/str_cat.h"
#include "runtime/eigen_device.h"
#include "runtime/kernels/dtype_categories.h"
#include "runtime/kernels/kernel_util.h"
#include "runtime/kernels/nn/data_format.h"
#include "runtime/kernels/nn/pool_window.h"
#include "runtime/op_kernel.h"
#include "runtime/op_registry.h"
#include "runtime/status_macros.h"

namespace model_server {
namespace {

enum class PoolKind { kMax, kAvg };

// Max (Acc == T) or average (Acc the accumulation type) pooling of a
// channels-last input.
template <PoolKind kKind, typename T, typename Acc>
void PoolChannelsLast(const PoolGeometry& g, const T* input, T* output) {
  using AccVec = Eigen::Array<Acc, Eigen::Dynamic, 1>;
  const int64_t C = g.channels;
  // One task per output line (b, od, oh).
  auto lines = [&](int64_t first, int64_t last) {
    AccVec acc(C);
    for (int64_t line = first; line < last; ++line) {
      const int64_t oh = line % g.output[1];
      const int64_t od = (line / g.output[1]) % g.output[0];
      const int64_t b = line / (g.output[1] * g.output[0]);
      std::array<int64_t, 3> begin, end;
      const std::array<int64_t, 2> at = {od, oh};
      for (int s = 0; s < 2; ++s) {
        const int64_t start = at[s] * g.stride[s] - g.pad_before[s];
        begin[s] = std::max<int64_t>(start, 0);
        end[s] = std::min(start + g.window[s], g.input[s]);
      }
      for (int64_t ow = 0; ow < g.output[2]; ++ow) {
        const int64_t start = ow * g.stride[2] - g.pad_before[2];
        begin[2] = std::max<int64_t>(start, 0);
        end[2] = std::min(start + g.window[2], g.input[2]);
        if constexpr (kKind == PoolKind::kMax) {
          acc.setConstant(Eigen::NumTraits<Acc>::lowest());
        } else {
          acc.setZero();
        }
        for (int64_t id = begin[0]; id < end[0]; ++id) {
          for (int64_t ih = begin[1]; ih < end[1]; ++ih) {
            for (int64_t iw = begin[2]; iw < end[2]; ++iw) {
              const int64_t position =
                  ((b * g.input[0] + id) * g.input[1] + ih) * g.input[2] + iw;
              Eigen::Map<const Eigen::Array<T, Eigen::Dynamic, 1>> px(
                  input + position * C, C);
              if constexpr (kKind == PoolKind::kMax) {
                acc = acc.max(px);
              } else {
                acc += px.template cast<Acc>();
              }
            }
          }
        }
        Eigen::Map<Eigen::Array<T, Eigen::Dynamic, 1>> out(
            output + (line * g.output[2] + ow) * C, C);
        if constexpr (kKind == PoolKind::kMax) {
          out = acc;
        } else {
          int64_t count = 1;
          for (int s = 0; s < 3; ++s) {
            count *= std::max<int64_t>(0, end[s] - begin[s]);
          }
          out = (acc / static_cast<Acc>(std::max<int64_t>(count, 1)))
                    .template cast<T>();
        }
      }
    }
  };
  const double window =
      static_cast<double>(g.window[0] * g.window[1] * g.window[2]);
  const double per_line = window * g.output[2] * C;
  const Eigen::TensorOpCost cost(per_line * sizeof(T),
                                 g.output[2] * C * sizeof(T), per_line);
  EigenDevice().parallelFor(
      g.batch * g.output[0] * g.output[1], cost,
      [&](Eigen::Index first, Eigen::Index last) { lines(first, last); });
}

class PoolKernel : public OpKernel {
 public:
  PoolKernel(PoolKind kind, bool v2, int rank, DataType dtype,
             DataFormat format, Padding padding, std::vector<int64_t> ksize,
             std::vector<int64_t> strides, std::array<int64_t, 4> pads)
      : kind_(kind),
        v2_(v2),
        rank_(rank),
        dtype_(dtype),
        format_(format),
        padding_(padding),
        ksize_(std::move(ksize)),
        strides_(std::move(strides)),
        pads_(pads) {}

  absl::Status Compute(OpKernelContext& ctx) const override {
    const Tensor& input = ctx.input(0);
    MS_RETURN_IF_ERROR(CheckInputDtype(input, dtype_));
    std::vector<int64_t> ksize = ksize_, strides = strides_;
    if (v2_) {
      MS_RETURN_IF_ERROR(ReadInt32Vector(ctx.input(1), "ksize", &ksize));
      MS_RETURN_IF_ERROR(ReadInt32Vector(ctx.input(2), "strides", &strides));
      MS_RETURN_IF_ERROR(CheckPoolWindow(ksize, strides, rank_, format_));
    }
    PoolGeometry g;
    MS_RETURN_IF_ERROR(PoolGeometryFor(input.shape(), format_, ksize, strides,
                                       padding_, pads_, &g));
    MS_ASSIGN_OR_RETURN(
        Tensor * output,
        ctx.allocate_output(0, dtype_, PoolOutputShape(g, format_, rank_)));
    if (output->NumElements() == 0) return absl::OkStatus();
    const bool channels_first = format_ == DataFormat::kChannelsFirst;
    Tensor x = input, y = *output;
    if (channels_first) {
      MS_ASSIGN_OR_RETURN(x, ChannelsFirstToLast(input));
      std::vector<int64_t> dims(output->shape().dims().begin(),
                                output->shape().dims().end());
      dims.push_back(dims[1]);
      dims.erase(dims.begin() + 1);
      MS_ASSIGN_OR_RETURN(TensorShape shape, TensorShape::FromDims(dims));
      MS_ASSIGN_OR_RETURN(y, Tensor::Create(dtype_, shape));
    }
    SwitchOnDataType(dtype_, [&](auto tag) {
      using T = decltype(tag);
      if constexpr (kIsRealNumber<T>) {
        if (kind_ == PoolKind::kMax) {
          PoolChannelsLast<PoolKind::kMax, T, T>(g, x.data<T>(), y.data<T>());
        } else if constexpr (kIsFloat<T>) {
          PoolChannelsLast<PoolKind::kAvg, T, ComputeType<T>>(g, x.data<T>(),
                                                              y.data<T>());
        }
      }
    });
    if (channels_first) ChannelsLastToFirst(y, output);
    return absl::OkStatus();
  }

 private:
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
  const int rank_;
  const DataType dtype_;
  const DataFormat format_;
  const Padding padding_;
  const std::vector<int64_t> ksize_, strides_;  // empty for V2
  const std::array<int64_t, 4> pads_;  // explicit: {before, after} per dim
};

template <PoolKind kKind, int kSpatialDims, bool kV2>
absl::StatusOr<std::unique_ptr<OpKernel>> CreatePool(
    const KernelConstruction& c) {
  const NodeAttrs& attrs = c.attrs;
  MS_RETURN_IF_ERROR(CheckNumInputs(c, kV2 ? 3 : 1));
  DataType dtype;
  MS_RETURN_IF_ERROR(attrs.GetOr("T", DT_FLOAT, &dtype));
  const bool supported =
      kKind == PoolKind::kMax
          ? DtypeIs(dtype,
                    [](auto tag) { return kIsRealNumber<decltype(tag)>; })
          : DtypeIs(dtype, [](auto tag) { return kIsFloat<decltype(tag)>; });
  if (!supported) return UnsupportedDtypeError(c, dtype);
  constexpr int kRank = kSpatialDims + 2;
  MS_ASSIGN_OR_RETURN(DataFormat format, DataFormatAttr(attrs, kSpatialDims));
  const bool allow_explicit =
      kKind == PoolKind::kMax && kSpatialDims == 2 && !kV2;
  MS_ASSIGN_OR_RETURN(Padding padding, PaddingAttr(attrs, allow_explicit));
  std::array<int64_t, 4> pads = {0, 0, 0, 0};
  if (kSpatialDims == 2) {
    MS_ASSIGN_OR_RETURN(
        pads, ExplicitPaddingsAttr(attrs, padding, ChannelDim(format, kRank),
                                   SpatialDim(format, kRank, 0),
                                   SpatialDim(format, kRank, 1)));
  }
  std::vector<int64_t> ksize, strides;
  if (!kV2) {
    MS_RETURN_IF_ERROR(attrs.Get("ksize", &ksize));
    MS_RETURN_IF_ERROR(attrs.Get("strides", &strides));
    absl::Status status = CheckPoolWindow(ksize, strides, kRank, format);
    if (status.code() == absl::StatusCode::kInvalidArgument) {
      return attrs.Error(status.message());
    }
    if (!status.ok()) return UnsupportedAttrError(c, status.message());
  }
  return std::make_unique<PoolKernel>(kKind, kV2, kRank, dtype, format, padding,
                                      ksize, strides, pads);
}

}  // namespace

REGISTER_KERNEL(OpSpec("MaxPool").Output("output"),
                (CreatePool<PoolKind::kMax, 2, false>));
REGISTER_KERNEL(OpSpec("MaxPoolV2").Output("output"),
                (CreatePool<PoolKind::kMax, 2, true>));
REGISTER_KERNEL(OpSpec("AvgPool").Output("output"),
                (CreatePool<PoolKind::kAvg, 2, false>));
REGISTER_KERNEL(OpSpec("MaxPool3D").Output("output"),
                (CreatePool<PoolKind::kMax, 3, false>));
REGISTER_KERNEL(OpSpec("AvgPool3D").Output("output"),
                (CreatePool<PoolKind::kAvg, 3, false>));

}  // namespace model_server
