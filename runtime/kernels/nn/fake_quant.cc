// FakeQuantWithMinMaxArgs, FakeQuantWithMinMaxVars and
// FakeQuantWithMinMaxVarsPerChannel: quantization-aware-training graphs
// round float inputs to the grid of a num_bits quantizer over [min, max],
// as TensorFlow's fake_quant functors:
//
//   quant range [qmin, qmax] = [narrow_range ? 1 : 0, 2^num_bits - 1]
//   scale = (max - min) / (qmax - qmin)
//   zero point = qmin - min / scale, clamped to [qmin, qmax] and rounded
//   nudged_min = (qmin - zero point) * scale, nudged_max likewise
//   out = floor((clamp(x, nudged_min, nudged_max) - nudged_min) / scale
//               + 0.5) * scale + nudged_min
//
// Args: min/max (default -6, 6), num_bits (8), narrow_range (false) attrs.
// Vars: scalar float min and max inputs. VarsPerChannel: min and max of
// shape [d], d the last dimension of the input. num_bits must be in
// [2, 16]; Args requires min < max. float only, as TensorFlow.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "runtime/kernels/broadcast.h"
#include "runtime/kernels/kernel_util.h"
#include "runtime/op_kernel.h"
#include "runtime/op_registry.h"
#include "runtime/status_macros.h"

namespace model_server {
namespace {

// The quantization grid of one [min, max] range.
struct Nudged {
  float min, max, scale;
};

Nudged Nudge(float min, float max, int64_t quant_min, int64_t quant_max) {
  const float qmin = static_cast<float>(quant_min);
  const float qmax = static_cast<float>(quant_max);
  const float scale = (max - min) / (qmax - qmin);
  const float zero_point_from_min = qmin - min / scale;
  float zero_point;
  if (zero_point_from_min < qmin || std::isnan(zero_point_from_min)) {
    zero_point = qmin;
  } else if (zero_point_from_min > qmax) {
    zero_point = qmax;
  } else {
    zero_point = std::round(zero_point_from_min);
  }
  return {(qmin - zero_point) * scale, (qmax - zero_point) * scale, scale};
}

float Quantize(float x, const Nudged& n) {
  const float clamped = std::min(std::max(x, n.min), n.max);
  const float inv_scale = 1.0f / n.scale;
  return std::floor((clamped - n.min) * inv_scale + 0.5f) * n.scale + n.min;
}

enum class RangeFrom { kAttrs, kScalars, kPerChannel };

class FakeQuantKernel : public OpKernel {
 public:
  FakeQuantKernel(RangeFrom range_from, int64_t quant_min, int64_t quant_max,
                  float min, float max)
      : range_from_(range_from),
        quant_min_(quant_min),
        quant_max_(quant_max),
        min_(min),
        max_(max) {}

  absl::Status Compute(OpKernelContext& ctx) const override {
    const Tensor& x = ctx.input(0);
    MS_RETURN_IF_ERROR(CheckInputDtype(x, DT_FLOAT));
    MS_ASSIGN_OR_RETURN(Tensor * y,
                        ctx.allocate_output(0, DT_FLOAT, x.shape()));
    const float* in = x.data<float>();
    float* out = y->data<float>();
    if (range_from_ != RangeFrom::kPerChannel) {
      float min = min_, max = max_;
      if (range_from_ == RangeFrom::kScalars) {
        MS_RETURN_IF_ERROR(ReadRange(ctx, 1, &min, &max));
      }
      const Nudged n = Nudge(min, max, quant_min_, quant_max_);
      ParallelFor(x.NumElements(), 8, 10, [&](int64_t first, int64_t last) {
        for (int64_t i = first; i < last; ++i) out[i] = Quantize(in[i], n);
      });
      return absl::OkStatus();
    }
    const Tensor& min_t = ctx.input(1);
    const Tensor& max_t = ctx.input(2);
    MS_RETURN_IF_ERROR(CheckInputDtype(min_t, DT_FLOAT));
    MS_RETURN_IF_ERROR(CheckInputDtype(max_t, DT_FLOAT));
    if (x.rank() < 1) {
      return ctx.InvalidArgument(
          "inputs must be at least 1-D for per-channel quantization");
    }
    const int64_t depth = x.dim(x.rank() - 1);
    if (min_t.rank() != 1 || min_t.dim(0) != depth || max_t.rank() != 1 ||
        max_t.dim(0) != depth) {
      return ctx.InvalidArgument(
          absl::StrCat("min and max must be 1-D of the inputs' last dimension ",
                       depth, ", got ", min_t.shape().DebugString(), " and ",
                       max_t.shape().DebugString()));
    }
    std::vector<Nudged> nudged(depth);
    for (int64_t c = 0; c < depth; ++c) {
      nudged[c] = Nudge(min_t.data<float>()[c], max_t.data<float>()[c],
                        quant_min_, quant_max_);
    }
    const int64_t rows = depth == 0 ? 0 : x.NumElements() / depth;
    ParallelFor(
        rows, 8.0 * depth, 10.0 * depth, [&](int64_t first, int64_t last) {
          for (int64_t r = first; r < last; ++r) {
            for (int64_t c = 0; c < depth; ++c) {
              out[r * depth + c] = Quantize(in[r * depth + c], nudged[c]);
            }
          }
        });
    return absl::OkStatus();
  }

 private:
  static absl::Status ReadRange(OpKernelContext& ctx, int first, float* min,
                                float* max) {
    const Tensor& min_t = ctx.input(first);
    const Tensor& max_t = ctx.input(first + 1);
    MS_RETURN_IF_ERROR(CheckInputDtype(min_t, DT_FLOAT));
    MS_RETURN_IF_ERROR(CheckInputDtype(max_t, DT_FLOAT));
    if (min_t.NumElements() != 1 || max_t.NumElements() != 1) {
      return ctx.InvalidArgument(absl::StrCat(
          "min and max must be scalars, got ", min_t.shape().DebugString(),
          " and ", max_t.shape().DebugString()));
    }
    *min = min_t.data<float>()[0];
    *max = max_t.data<float>()[0];
    return absl::OkStatus();
  }

  const RangeFrom range_from_;
  const int64_t quant_min_, quant_max_;
  const float min_, max_;  // kAttrs only
};

template <RangeFrom kRangeFrom>
absl::StatusOr<std::unique_ptr<OpKernel>> CreateFakeQuant(
    const KernelConstruction& c) {
  const NodeAttrs& attrs = c.attrs;
  MS_RETURN_IF_ERROR(
      CheckNumInputs(c, kRangeFrom == RangeFrom::kAttrs ? 1 : 3));
  if (attrs.Has("T")) {
    DataType dtype;
    MS_RETURN_IF_ERROR(attrs.Get("T", &dtype));
    if (dtype != DT_FLOAT) return UnsupportedDtypeError(c, dtype);
  }
  int64_t num_bits = 8;
  bool narrow_range = false;
  MS_RETURN_IF_ERROR(attrs.GetOr("num_bits", int64_t{8}, &num_bits));
  MS_RETURN_IF_ERROR(attrs.GetOr("narrow_range", false, &narrow_range));
  if (num_bits < 2 || num_bits > 16) {
    return attrs.Error(absl::StrCat(
        "num_bits is out of range, expected between 2 and 16, was: ",
        num_bits));
  }
  float min = -6.0f, max = 6.0f;
  if (kRangeFrom == RangeFrom::kAttrs) {
    MS_RETURN_IF_ERROR(attrs.GetOr("min", -6.0f, &min));
    MS_RETURN_IF_ERROR(attrs.GetOr("max", 6.0f, &max));
    if (!(min < max)) {
      return attrs.Error(absl::StrCat(
          "min has to be smaller than max, was: ", min, " >= ", max));
    }
  }
  return std::make_unique<FakeQuantKernel>(
      kRangeFrom, narrow_range ? 1 : 0, (int64_t{1} << num_bits) - 1, min, max);
}

}  // namespace

REGISTER_KERNEL(OpSpec("FakeQuantWithMinMaxArgs").Output("outputs"),
                CreateFakeQuant<RangeFrom::kAttrs>);
REGISTER_KERNEL(OpSpec("FakeQuantWithMinMaxVars").Output("outputs"),
                CreateFakeQuant<RangeFrom::kScalars>);
REGISTER_KERNEL(OpSpec("FakeQuantWithMinMaxVarsPerChannel").Output("outputs"),
                CreateFakeQuant<RangeFrom::kPerChannel>);

}  // namespace model_server
