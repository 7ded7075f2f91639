// FusedBatchNorm, FusedBatchNormV2, FusedBatchNormV3.
//
// Inference (is_training=false):
//   y = (x - mean) * (rsqrt(variance + epsilon) * scale) + offset
// per channel; batch_mean/batch_variance echo mean/variance, and so do
// reserve_space_1/2 (TensorFlow leaves those uninitialized on CPU).
// Training (is_training=true) normalizes with the batch's own statistics and
// outputs the updated running mean/variance (Bessel-corrected, blended with
// exponential_avg_factor) as batch_mean/batch_variance and the raw batch
// mean/variance as reserve_space_1/2, as TensorFlow's CPU kernel does. V3 adds
// reserve_space_3, a scalar 0. An empty x gives NaN statistics.
//
// x is 4-D or 5-D; data_format NHWC/NDHWC (channels last) or NCHW/NCDHW
// (channels at axis 1). T is float for FusedBatchNorm; half, bfloat16 or
// float for V2/V3 (computed in float); U (statistics) is float.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <memory>
#include <string>
#include <type_traits>
#include <vector>

#include "absl/strings/str_cat.h"
#include "runtime/eigen_device.h"
#include "runtime/op_kernel.h"
#include "runtime/op_registry.h"
#include "runtime/status_macros.h"

namespace model_server {
namespace {

// x viewed as [outer, channels, inner]: channels-last has inner == 1,
// channels-first has outer == batch.
struct Layout {
  int64_t outer, channels, inner;
};

template <typename T>
float ToFloat(T v) {
  return static_cast<float>(v);
}

// y = (x - mean[c]) * factor[c] + offset[c].
template <typename T>
void Normalize(const Layout& l, const T* x, const float* mean,
               const float* factor, const float* offset, T* y) {
  using Vec = Eigen::Array<float, Eigen::Dynamic, 1>;
  using TVec = Eigen::Array<T, Eigen::Dynamic, 1>;
  const int64_t C = l.channels, S = l.inner;
  if (S == 1) {
    Eigen::Map<const Vec> m(mean, C), f(factor, C), o(offset, C);
    auto rows = [&](int64_t first, int64_t last) {
      for (int64_t r = first; r < last; ++r) {
        Eigen::Map<const TVec> xr(x + r * C, C);
        Eigen::Map<TVec>(y + r * C, C) =
            ((xr.template cast<float>() - m) * f + o).template cast<T>();
      }
    };
    const Eigen::TensorOpCost cost(C * sizeof(T), C * sizeof(T), 3 * C);
    EigenDevice().parallelFor(
        l.outer, cost, [&](Eigen::Index a, Eigen::Index b) { rows(a, b); });
    return;
  }
  auto planes = [&](int64_t first, int64_t last) {
    for (int64_t p = first; p < last; ++p) {
      const int64_t c = p % C;
      Eigen::Map<const TVec> xp(x + p * S, S);
      Eigen::Map<TVec>(y + p * S, S) =
          ((xp.template cast<float>() - mean[c]) * factor[c] + offset[c])
              .template cast<T>();
    }
  };
  const Eigen::TensorOpCost cost(S * sizeof(T), S * sizeof(T), 3 * S);
  EigenDevice().parallelFor(
      l.outer * C, cost, [&](Eigen::Index a, Eigen::Index b) { planes(a, b); });
}

// Per-channel mean and biased variance of x (two passes, double sums).
template <typename T>
void BatchMoments(const Layout& l, const T* x, std::vector<float>* mean,
                  std::vector<float>* variance) {
  const int64_t C = l.channels, S = l.inner;
  const double count = static_cast<double>(l.outer * S);
  std::vector<double> sum(C, 0.0), sq(C, 0.0);
  for (int64_t o = 0; o < l.outer; ++o) {
    for (int64_t c = 0; c < C; ++c) {
      const T* p = x + (o * C + c) * S;
      for (int64_t s = 0; s < S; ++s) sum[c] += ToFloat(p[s]);
    }
  }
  mean->resize(C);
  for (int64_t c = 0; c < C; ++c)
    (*mean)[c] = static_cast<float>(sum[c] / count);
  for (int64_t o = 0; o < l.outer; ++o) {
    for (int64_t c = 0; c < C; ++c) {
      const T* p = x + (o * C + c) * S;
      const double m = (*mean)[c];
      for (int64_t s = 0; s < S; ++s) {
        const double d = ToFloat(p[s]) - m;
        sq[c] += d * d;
      }
    }
  }
  variance->resize(C);
  for (int64_t c = 0; c < C; ++c) {
    (*variance)[c] = static_cast<float>(sq[c] / count);
  }
}

class FusedBatchNormKernel : public OpKernel {
 public:
  static absl::StatusOr<std::unique_ptr<OpKernel>> Create(
      int version, const KernelConstruction& c) {
    const NodeAttrs& attrs = c.attrs;
    auto k = std::unique_ptr<FusedBatchNormKernel>(
        new FusedBatchNormKernel(version));
    MS_RETURN_IF_ERROR(attrs.GetOr("T", DT_FLOAT, &k->t_));
    DataType u = DT_FLOAT;
    if (version > 1) MS_RETURN_IF_ERROR(attrs.GetOr("U", DT_FLOAT, &u));
    const bool t_ok =
        k->t_ == DT_FLOAT ||
        (version > 1 && (k->t_ == DT_HALF || k->t_ == DT_BFLOAT16));
    if (!t_ok || u != DT_FLOAT) {
      return absl::UnimplementedError(absl::StrCat(
          attrs.op(), " node '", attrs.node_name(), "': unsupported types T=",
          DataTypeName(k->t_), ", U=", DataTypeName(u)));
    }
    MS_RETURN_IF_ERROR(attrs.GetOr("epsilon", 0.0001f, &k->epsilon_));
    MS_RETURN_IF_ERROR(attrs.GetOr("exponential_avg_factor", 1.0f,
                                   &k->exponential_avg_factor_));
    MS_RETURN_IF_ERROR(attrs.GetOr("is_training", true, &k->is_training_));
    std::string format;
    MS_RETURN_IF_ERROR(
        attrs.GetOr("data_format", std::string("NHWC"), &format));
    if (format == "NHWC" || format == "NDHWC") {
      k->channels_last_ = true;
    } else if (format == "NCHW" || format == "NCDHW") {
      k->channels_last_ = false;
    } else {
      return attrs.Error(absl::StrCat("Invalid data format: ", format));
    }
    MS_RETURN_IF_ERROR(CheckNumInputs(c, 5));
    return std::unique_ptr<OpKernel>(std::move(k));
  }

  absl::Status Compute(OpKernelContext& ctx) const override {
    const Tensor& x = ctx.input(0);
    const Tensor* params[4] = {&ctx.input(1), &ctx.input(2), &ctx.input(3),
                               &ctx.input(4)};
    static const char* const kNames[4] = {"scale", "offset", "estimated_mean",
                                          "estimated_variance"};
    if (x.dtype() != t_) {
      return ctx.InvalidArgument(absl::StrCat("expected x of type ",
                                              DataTypeName(t_), ", got ",
                                              DataTypeName(x.dtype())));
    }
    if (x.rank() != 4 && x.rank() != 5) {
      return ctx.InvalidArgument(absl::StrCat(
          "input must be 4 or 5-dimensional", x.shape().DebugString()));
    }
    for (int i = 0; i < 4; ++i) {
      if (params[i]->dtype() != DT_FLOAT) {
        return ctx.InvalidArgument(
            absl::StrCat(kNames[i], " must be float, got ",
                         DataTypeName(params[i]->dtype())));
      }
      if (params[i]->rank() != 1) {
        return ctx.InvalidArgument(
            absl::StrCat(kNames[i], " must be 1-dimensional",
                         params[i]->shape().DebugString()));
      }
    }
    Layout l;
    const int caxis = channels_last_ ? x.rank() - 1 : 1;
    l.channels = x.dim(caxis);
    l.outer = 1;
    l.inner = 1;
    for (int i = 0; i < x.rank(); ++i) {
      if (i < caxis) l.outer *= x.dim(i);
      if (i > caxis) l.inner *= x.dim(i);
    }
    const int64_t C = l.channels;
    for (int i = 0; i < 2; ++i) {
      if (params[i]->NumElements() != C) {
        return ctx.InvalidArgument(absl::StrCat(
            i == 0 ? "scale" : "offset",
            " must have the same number of elements as the channels of x, "
            "got ",
            params[i]->NumElements(), " and ", C));
      }
    }
    if (!is_training_ || exponential_avg_factor_ != 1.0f) {
      const char* prefix = is_training_ ? "When exponential_avg_factor != 1"
                                        : "When is_training=false";
      for (int i = 2; i < 4; ++i) {
        if (params[i]->NumElements() != C) {
          return ctx.InvalidArgument(absl::StrCat(
              prefix, ", ", i == 2 ? "mean" : "variance",
              " must have the same number of elements as the channels of x, "
              "got ",
              params[i]->NumElements(), " and ", C));
        }
      }
    }
    MS_ASSIGN_OR_RETURN(Tensor * y, ctx.allocate_output(0, t_, x.shape()));
    const TensorShape stat_shape = params[0]->shape();
    float* stats[4];
    for (int i = 0; i < 4; ++i) {
      MS_ASSIGN_OR_RETURN(Tensor * t,
                          ctx.allocate_output(1 + i, DT_FLOAT, stat_shape));
      stats[i] = t->data<float>();
    }
    if (version_ == 3) {
      MS_ASSIGN_OR_RETURN(Tensor * r3,
                          ctx.allocate_output(5, DT_FLOAT, TensorShape()));
      r3->data<float>()[0] = 0.f;
    }
    if (x.NumElements() == 0) {
      for (int i = 0; i < 4; ++i) {
        std::fill(stats[i], stats[i] + C,
                  std::numeric_limits<float>::quiet_NaN());
      }
      return absl::OkStatus();
    }
    const float* scale = params[0]->data<float>();
    const float* offset = params[1]->data<float>();
    std::vector<float> mean, variance;
    if (is_training_) {
      SwitchT(x, [&](auto* xp) { BatchMoments(l, xp, &mean, &variance); });
    } else {
      mean.assign(params[2]->data<float>(), params[2]->data<float>() + C);
      variance.assign(params[3]->data<float>(), params[3]->data<float>() + C);
    }
    std::vector<float> factor(C);
    for (int64_t c = 0; c < C; ++c) {
      factor[c] = 1.0f / std::sqrt(variance[c] + epsilon_) * scale[c];
    }
    SwitchT(x, [&](auto* xp) {
      using T = std::remove_const_t<std::remove_pointer_t<decltype(xp)>>;
      Normalize(l, xp, mean.data(), factor.data(), offset, y->data<T>());
    });
    if (!is_training_) {
      for (int i = 0; i < 4; ++i) {
        std::copy(i % 2 == 0 ? mean.begin() : variance.begin(),
                  i % 2 == 0 ? mean.end() : variance.end(), stats[i]);
      }
      return absl::OkStatus();
    }
    const double n = static_cast<double>(l.outer * l.inner);
    const double adjust = n / (n > 1 ? n - 1 : 1);
    const float f = exponential_avg_factor_;
    for (int64_t c = 0; c < C; ++c) {
      const float unbiased = static_cast<float>(variance[c] * adjust);
      if (f == 1.0f) {
        stats[0][c] = mean[c];
        stats[1][c] = unbiased;
      } else {
        stats[0][c] = (1 - f) * params[2]->data<float>()[c] + f * mean[c];
        stats[1][c] = (1 - f) * params[3]->data<float>()[c] + f * unbiased;
      }
      stats[2][c] = mean[c];
      stats[3][c] = variance[c];
    }
    return absl::OkStatus();
  }

 private:
  explicit FusedBatchNormKernel(int version) : version_(version) {}

  // Calls fn(const T* data) for x's element type.
  template <typename Fn>
  void SwitchT(const Tensor& x, Fn&& fn) const {
    switch (t_) {
      case DT_HALF:
        fn(x.data<Eigen::half>());
        break;
      case DT_BFLOAT16:
        fn(x.data<Eigen::bfloat16>());
        break;
      default:
        fn(x.data<float>());
    }
  }

  const int version_;
  DataType t_ = DT_FLOAT;
  float epsilon_ = 0.0001f;
  float exponential_avg_factor_ = 1.0f;
  bool is_training_ = true;
  bool channels_last_ = true;
};

template <int kVersion>
absl::StatusOr<std::unique_ptr<OpKernel>> MakeFusedBatchNorm(
    const KernelConstruction& c) {
  return FusedBatchNormKernel::Create(kVersion, c);
}

}  // namespace

REGISTER_KERNEL(OpSpec("FusedBatchNorm")
                    .Output("y")
                    .Output("batch_mean")
                    .Output("batch_variance")
                    .Output("reserve_space_1")
                    .Output("reserve_space_2"),
                MakeFusedBatchNorm<1>);
REGISTER_KERNEL(OpSpec("FusedBatchNormV2")
                    .Output("y")
                    .Output("batch_mean")
                    .Output("batch_variance")
                    .Output("reserve_space_1")
                    .Output("reserve_space_2"),
                MakeFusedBatchNorm<2>);
REGISTER_KERNEL(OpSpec("FusedBatchNormV3")
                    .Output("y")
                    .Output("batch_mean")
                    .Output("batch_variance")
                    .Output("reserve_space_1")
                    .Output("reserve_space_2")
                    .Output("reserve_space_3"),
                MakeFusedBatchNorm<3>);

}  // namespace model_server
