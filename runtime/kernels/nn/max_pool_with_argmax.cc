// MaxPoolWithArgmax: MaxPool over an NHWC input [N, H, W, C] that also
// returns, for each output element, the flat index of the maximum it took:
//   (y * W + x) * C + c                 by default, or
//   ((b * H + y) * W + x) * C + c       with include_batch_in_index.
// Ties go to the first maximum in row-major window order, as TensorFlow's
// CPU kernel (it replaces the running maximum only by a strictly larger
// value). Padded positions never take part.
//
// Attrs: ksize, strides (4 entries, 1 for batch and channels), padding SAME
// or VALID, Targmax int32 or int64 (default int64), include_batch_in_index
// (default false). Types: every real number type. NHWC only, as the op.
#include <algorithm>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "runtime/eigen_device.h"
#include "runtime/kernels/dtype_categories.h"
#include "runtime/kernels/kernel_util.h"
#include "runtime/kernels/nn/pool_window.h"
#include "runtime/op_kernel.h"
#include "runtime/op_registry.h"
#include "runtime/status_macros.h"

namespace model_server {
namespace {

template <typename T, typename Index>
void MaxPoolWithArgmax(const PoolGeometry& g, bool include_batch,
                       const T* input, T* output, Index* argmax) {
  const int64_t C = g.channels;
  const int64_t H = g.input[1], W = g.input[2];
  auto lines = [&](int64_t first, int64_t last) {
    for (int64_t line = first; line < last; ++line) {
      const int64_t oh = line % g.output[1], b = line / g.output[1];
      const int64_t h0 = oh * g.stride[1] - g.pad_before[1];
      const int64_t h_begin = std::max<int64_t>(h0, 0);
      const int64_t h_end = std::min(h0 + g.window[1], H);
      for (int64_t ow = 0; ow < g.output[2]; ++ow) {
        const int64_t w0 = ow * g.stride[2] - g.pad_before[2];
        const int64_t w_begin = std::max<int64_t>(w0, 0);
        const int64_t w_end = std::min(w0 + g.window[2], W);
        T* out = output + (line * g.output[2] + ow) * C;
        Index* arg = argmax + (line * g.output[2] + ow) * C;
        for (int64_t c = 0; c < C; ++c) {
          bool found = false;
          T best = T();
          int64_t best_index = -1;
          for (int64_t ih = h_begin; ih < h_end; ++ih) {
            for (int64_t iw = w_begin; iw < w_end; ++iw) {
              const int64_t index = ((b * H + ih) * W + iw) * C + c;
              const T v = input[index];
              if (!found || best < v) {
                found = true;
                best = v;
                best_index = index;
              }
            }
          }
          out[c] = found ? best : Eigen::NumTraits<T>::lowest();
          arg[c] = static_cast<Index>(include_batch || best_index < 0
                                          ? best_index
                                          : best_index - b * H * W * C);
        }
      }
    }
  };
  const double per_line = static_cast<double>(g.window[1] * g.window[2]) *
                          static_cast<double>(g.output[2] * C);
  const Eigen::TensorOpCost cost(per_line * sizeof(T),
                                 g.output[2] * C * (sizeof(T) + sizeof(Index)),
                                 per_line);
  EigenDevice().parallelFor(
      g.batch * g.output[1], cost,
      [&](Eigen::Index first, Eigen::Index last) { lines(first, last); });
}

class MaxPoolWithArgmaxKernel : public OpKernel {
 public:
  MaxPoolWithArgmaxKernel(DataType dtype, DataType index_type, Padding padding,
                          std::vector<int64_t> ksize,
                          std::vector<int64_t> strides, bool include_batch)
      : dtype_(dtype),
        index_type_(index_type),
        padding_(padding),
        ksize_(std::move(ksize)),
        strides_(std::move(strides)),
        include_batch_(include_batch) {}

  absl::Status Compute(OpKernelContext& ctx) const override {
    const Tensor& input = ctx.input(0);
    MS_RETURN_IF_ERROR(CheckInputDtype(input, dtype_));
    PoolGeometry g;
    MS_RETURN_IF_ERROR(PoolGeometryFor(input.shape(), DataFormat::kChannelsLast,
                                       ksize_, strides_, padding_, {0, 0, 0, 0},
                                       &g));
    const TensorShape shape = PoolOutputShape(g, DataFormat::kChannelsLast, 4);
    MS_ASSIGN_OR_RETURN(Tensor * output, ctx.allocate_output(0, dtype_, shape));
    MS_ASSIGN_OR_RETURN(Tensor * argmax,
                        ctx.allocate_output(1, index_type_, shape));
    if (output->NumElements() == 0) return absl::OkStatus();
    SwitchOnDataType(dtype_, [&](auto tag) {
      using T = decltype(tag);
      if constexpr (kIsRealNumber<T>) {
        if (index_type_ == DT_INT32) {
          MaxPoolWithArgmax<T, int32_t>(g, include_batch_, input.data<T>(),
                                        output->data<T>(),
                                        argmax->data<int32_t>());
        } else {
          MaxPoolWithArgmax<T, int64_t>(g, include_batch_, input.data<T>(),
                                        output->data<T>(),
                                        argmax->data<int64_t>());
        }
      }
    });
    return absl::OkStatus();
  }

 private:
  const DataType dtype_, index_type_;
  const Padding padding_;
  const std::vector<int64_t> ksize_, strides_;
  const bool include_batch_;
};

absl::StatusOr<std::unique_ptr<OpKernel>> CreateMaxPoolWithArgmax(
    const KernelConstruction& c) {
  const NodeAttrs& attrs = c.attrs;
  MS_RETURN_IF_ERROR(CheckNumInputs(c, 1));
  DataType dtype;
  MS_RETURN_IF_ERROR(attrs.Get("T", &dtype));
  if (!DtypeIs(dtype, [](auto tag) { return kIsRealNumber<decltype(tag)>; })) {
    return UnsupportedDtypeError(c, dtype);
  }
  MS_ASSIGN_OR_RETURN(DataType index_type,
                      IndexTypeAttr(c, "Targmax", DT_INT64));
  MS_ASSIGN_OR_RETURN(Padding padding,
                      PaddingAttr(attrs, /*allow_explicit=*/false));
  bool include_batch = false;
  MS_RETURN_IF_ERROR(
      attrs.GetOr("include_batch_in_index", false, &include_batch));
  std::vector<int64_t> ksize, strides;
  MS_RETURN_IF_ERROR(attrs.Get("ksize", &ksize));
  MS_RETURN_IF_ERROR(attrs.Get("strides", &strides));
  absl::Status status =
      CheckPoolWindow(ksize, strides, 4, DataFormat::kChannelsLast);
  if (status.code() == absl::StatusCode::kInvalidArgument) {
    return attrs.Error(status.message());
  }
  if (!status.ok()) return UnsupportedAttrError(c, status.message());
  return std::make_unique<MaxPoolWithArgmaxKernel>(
      dtype, index_type, padding, ksize, strides, include_batch);
}

}  // namespace

REGISTER_KERNEL(OpSpec("MaxPoolWithArgmax").Output("output").Output("argmax"),
                CreateMaxPoolWithArgmax);

}  // namespace model_server
