// Random ops beyond the plain uniform and normal fills (random.cc):
//
// RandomUniformInt: shape (T int32/int64), minval, maxval (Tout int32/int64
//   scalars) -> output of Tout, uniform in [minval, maxval).
// RandomGamma: shape (S int32/int64), alpha (T half/float/double) -> output
//   shape + alpha.shape; output[..., i] ~ Gamma(alpha[i], 1).
// RandomPoisson: shape (S), rate (dtype half/float/double) -> output of
//   dtype; RandomPoissonV2: rate of R, output of dtype (each half, float,
//   double, int32 or int64). Shape shape + rate.shape; output[..., i] ~
//   Poisson(rate[i]).
// RandomShuffle: value (any dtype) -> output, its rows (dimension 0) in a
//   random order.
// Multinomial: logits [batch, classes] (T real), num_samples (int32 scalar)
//   -> output [batch, num_samples] of output_dtype (int32/int64, default
//   int64): class indices drawn with probabilities softmax(logits[b]).
//
// All take seed / seed2 (random_source.h: not TensorFlow's Philox stream;
// the frozen corpus checks random graphs on dtype and shape only). Invalid
// parameters give what the distributions give: NaN for a Gamma alpha <= 0,
// 0 for a Poisson rate <= 0 (as TensorFlow's samplers). The errors are
// TensorFlow's texts.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <memory>
#include <random>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "runtime/kernels/array/data_movement.h"
#include "runtime/kernels/dtype_categories.h"
#include "runtime/kernels/kernel_util.h"
#include "runtime/kernels/random/random_source.h"
#include "runtime/kernels/shape_input.h"
#include "runtime/op_kernel.h"
#include "runtime/op_registry.h"
#include "runtime/status_macros.h"

namespace model_server {
namespace {

// half, float, double, int32, int64: the types of Poisson rates and samples.
bool IsPoissonType(DataType dtype) {
  return dtype == DT_HALF || dtype == DT_FLOAT || dtype == DT_DOUBLE ||
         dtype == DT_INT32 || dtype == DT_INT64;
}

// A Poisson sample for `rate`. Non-positive and NaN rates give 0; rates too
// large for std::poisson_distribution's exactness use the normal
// approximation (the values are far beyond any int64 tail concern).
double SamplePoisson(double rate, std::mt19937_64& rng) {
  if (!(rate > 0)) return 0;
  if (std::isinf(rate)) return rate;
  if (rate > 1e12) {
    NormalSource normal(rng);
    return std::max(0.0, std::round(rate + std::sqrt(rate) * normal.Next()));
  }
  std::poisson_distribution<int64_t> poisson(rate);
  return static_cast<double>(poisson(rng));
}

// A Gamma(alpha, 1) sample; NaN for alpha <= 0 or NaN.
double SampleGamma(double alpha, std::mt19937_64& rng) {
  if (!(alpha > 0)) return std::numeric_limits<double>::quiet_NaN();
  if (std::isinf(alpha)) return alpha;
  std::gamma_distribution<double> gamma(alpha, 1.0);
  return gamma(rng);
}

// Reads element i of a half/float/double/int32/int64 tensor as double.
double NumberAt(const Tensor& t, int64_t i) {
  double v = 0;
  SwitchOnDataType(t.dtype(), [&](auto tag) {
    using T = decltype(tag);
    if constexpr (kIsRealNumber<T>) v = static_cast<double>(t.data<T>()[i]);
  });
  return v;
}

// Writes `v` to element i of a half/float/double/int32/int64 tensor; an
// integer output saturates.
void SetNumber(Tensor* t, int64_t i, double v) {
  SwitchOnDataType(t->dtype(), [&](auto tag) {
    using T = decltype(tag);
    if constexpr (kIsInt<T>) {
      const double lo = static_cast<double>(std::numeric_limits<T>::lowest());
      const double hi = static_cast<double>(std::numeric_limits<T>::max());
      t->data<T>()[i] = std::isnan(v) ? T(0)
                        : v <= lo     ? std::numeric_limits<T>::lowest()
                        : v >= hi     ? std::numeric_limits<T>::max()
                                      : static_cast<T>(v);
    } else if constexpr (kIsFloat<T>) {
      t->data<T>()[i] = static_cast<T>(v);
    }
  });
}

class RandomUniformIntKernel : public OpKernel {
 public:
  static absl::StatusOr<std::unique_ptr<OpKernel>> Create(
      const KernelConstruction& c) {
    MS_RETURN_IF_ERROR(CheckNumInputs(c, 3));
    MS_RETURN_IF_ERROR(CheckIndexTypeAttr(c, "T"));
    MS_ASSIGN_OR_RETURN(DataType dtype, IndexTypeAttr(c, "Tout", DT_INT32));
    MS_ASSIGN_OR_RETURN(uint64_t base, RandomStream::BaseSeed(c));
    return std::unique_ptr<OpKernel>(new RandomUniformIntKernel(dtype, base));
  }

  absl::Status Compute(OpKernelContext& ctx) const override {
    MS_ASSIGN_OR_RETURN(TensorShape shape,
                        ShapeFromTensor(ctx.input(0), "shape"));
    const Tensor& minval = ctx.input(1);
    const Tensor& maxval = ctx.input(2);
    MS_RETURN_IF_ERROR(CheckInputDtype(minval, dtype_));
    MS_RETURN_IF_ERROR(CheckInputDtype(maxval, dtype_));
    if (minval.rank() != 0) {
      return ctx.InvalidArgument(absl::StrCat("minval must be 0-D, got shape ",
                                              minval.shape().DebugString()));
    }
    if (maxval.rank() != 0) {
      return ctx.InvalidArgument(absl::StrCat("maxval must be 0-D, got shape ",
                                              maxval.shape().DebugString()));
    }
    MS_ASSIGN_OR_RETURN(Tensor * out, ctx.allocate_output(0, dtype_, shape));
    if (out->NumElements() == 0) return absl::OkStatus();
    const int64_t lo = IntAt(minval, 0);
    const int64_t hi = IntAt(maxval, 0);
    if (lo >= hi) {
      return ctx.InvalidArgument(
          absl::StrCat("Need minval < maxval: ", lo, " >= ", hi));
    }
    const uint64_t range =
        static_cast<uint64_t>(hi) - static_cast<uint64_t>(lo);
    std::mt19937_64 rng = stream_.Next();
    for (int64_t i = 0; i < out->NumElements(); ++i) {
      const int64_t v =
          static_cast<int64_t>(static_cast<uint64_t>(lo) + rng() % range);
      if (dtype_ == DT_INT32) {
        out->data<int32_t>()[i] = static_cast<int32_t>(v);
      } else {
        out->data<int64_t>()[i] = v;
      }
    }
    return absl::OkStatus();
  }

 private:
  RandomUniformIntKernel(DataType dtype, uint64_t base)
      : dtype_(dtype), stream_(base) {}
  const DataType dtype_;
  const RandomStream stream_;
};

// RandomGamma, RandomPoisson and RandomPoissonV2: one sample per element of
// the parameter tensor, `shape` times.
class ParameterizedSampleKernel : public OpKernel {
 public:
  enum class Kind { kGamma, kPoisson };

  template <Kind kKind>
  static absl::StatusOr<std::unique_ptr<OpKernel>> Create(
      const KernelConstruction& c) {
    MS_RETURN_IF_ERROR(CheckNumInputs(c, 2));
    MS_RETURN_IF_ERROR(CheckIndexTypeAttr(c, "S"));
    DataType param_dtype, out_dtype;
    if (kKind == Kind::kGamma) {
      MS_RETURN_IF_ERROR(c.attrs.Get("T", &param_dtype));
      out_dtype = param_dtype;
    } else if (c.attrs.op() == "RandomPoissonV2") {
      MS_RETURN_IF_ERROR(c.attrs.GetOr("R", DT_DOUBLE, &param_dtype));
      MS_RETURN_IF_ERROR(c.attrs.GetOr("dtype", DT_INT64, &out_dtype));
    } else {
      MS_RETURN_IF_ERROR(c.attrs.Get("dtype", &param_dtype));
      out_dtype = param_dtype;
    }
    const bool ok =
        kKind == Kind::kGamma
            ? (param_dtype == DT_HALF || param_dtype == DT_FLOAT ||
               param_dtype == DT_DOUBLE)
            : IsPoissonType(param_dtype) && IsPoissonType(out_dtype);
    if (!ok) {
      return UnsupportedAttrError(
          c, absl::StrCat("unsupported dtypes ", DataTypeName(param_dtype),
                          " -> ", DataTypeName(out_dtype)));
    }
    MS_ASSIGN_OR_RETURN(uint64_t base, RandomStream::BaseSeed(c));
    return std::unique_ptr<OpKernel>(
        new ParameterizedSampleKernel(kKind, param_dtype, out_dtype, base));
  }

  absl::Status Compute(OpKernelContext& ctx) const override {
    MS_ASSIGN_OR_RETURN(TensorShape shape,
                        ShapeFromTensor(ctx.input(0), "shape"));
    const Tensor& params = ctx.input(1);
    MS_RETURN_IF_ERROR(CheckInputDtype(params, param_dtype_));
    const int64_t num_samples = shape.num_elements();
    for (int64_t d : params.shape().dims()) MS_RETURN_IF_ERROR(shape.AddDim(d));
    MS_ASSIGN_OR_RETURN(Tensor * out,
                        ctx.allocate_output(0, out_dtype_, shape));
    const int64_t num_params = params.NumElements();
    if (out->NumElements() == 0) return absl::OkStatus();
    std::vector<double> values(num_params);
    for (int64_t i = 0; i < num_params; ++i) values[i] = NumberAt(params, i);
    std::mt19937_64 rng = stream_.Next();
    for (int64_t s = 0; s < num_samples; ++s) {
      for (int64_t i = 0; i < num_params; ++i) {
        const double v = kind_ == Kind::kGamma ? SampleGamma(values[i], rng)
                                               : SamplePoisson(values[i], rng);
        SetNumber(out, s * num_params + i, v);
      }
    }
    return absl::OkStatus();
  }

 private:
  ParameterizedSampleKernel(Kind kind, DataType param_dtype, DataType out_dtype,
                            uint64_t base)
      : kind_(kind),
        param_dtype_(param_dtype),
        out_dtype_(out_dtype),
        stream_(base) {}
  const Kind kind_;
  const DataType param_dtype_;
  const DataType out_dtype_;
  const RandomStream stream_;
};

class RandomShuffleKernel : public OpKernel {
 public:
  static absl::StatusOr<std::unique_ptr<OpKernel>> Create(
      const KernelConstruction& c) {
    MS_RETURN_IF_ERROR(CheckNumInputs(c, 1));
    MS_ASSIGN_OR_RETURN(uint64_t base, RandomStream::BaseSeed(c));
    return std::unique_ptr<OpKernel>(new RandomShuffleKernel(base));
  }

  absl::Status Compute(OpKernelContext& ctx) const override {
    const Tensor& value = ctx.input(0);
    if (value.rank() == 0 || value.dim(0) <= 1) {
      ctx.set_output(0, value);
      return absl::OkStatus();
    }
    const int64_t rows = value.dim(0);
    const int64_t row = value.NumElements() / rows;
    std::vector<int64_t> order(rows);
    for (int64_t i = 0; i < rows; ++i) order[i] = i;
    std::mt19937_64 rng = stream_.Next();
    for (int64_t i = rows - 1; i > 0; --i) {
      std::swap(order[i], order[static_cast<int64_t>(rng() % (i + 1))]);
    }
    MS_ASSIGN_OR_RETURN(Tensor * out,
                        ctx.allocate_output(0, value.dtype(), value.shape()));
    if (row == 0) return absl::OkStatus();
    SwitchOnMoveType(value.dtype(), [&](auto tag) {
      using T = decltype(tag);
      for (int64_t i = 0; i < rows; ++i) {
        CopyRun(DataAs<T>(value) + order[i] * row, row,
                DataAs<T>(out) + i * row);
      }
    });
    return absl::OkStatus();
  }

 private:
  explicit RandomShuffleKernel(uint64_t base) : stream_(base) {}
  const RandomStream stream_;
};

class MultinomialKernel : public OpKernel {
 public:
  static absl::StatusOr<std::unique_ptr<OpKernel>> Create(
      const KernelConstruction& c) {
    MS_RETURN_IF_ERROR(CheckNumInputs(c, 2));
    DataType dtype;
    MS_RETURN_IF_ERROR(c.attrs.Get("T", &dtype));
    if (!DtypeIs(dtype,
                 [](auto tag) { return kIsRealNumber<decltype(tag)>; })) {
      return UnsupportedDtypeError(c, dtype);
    }
    MS_ASSIGN_OR_RETURN(DataType out_dtype,
                        IndexTypeAttr(c, "output_dtype", DT_INT64));
    MS_ASSIGN_OR_RETURN(uint64_t base, RandomStream::BaseSeed(c));
    return std::unique_ptr<OpKernel>(new MultinomialKernel(out_dtype, base));
  }

  absl::Status Compute(OpKernelContext& ctx) const override {
    const Tensor& logits = ctx.input(0);
    const Tensor& num_samples_t = ctx.input(1);
    if (logits.rank() != 2) {
      return ctx.InvalidArgument(
          absl::StrCat("logits should be a matrix, got shape ",
                       logits.shape().DebugString()));
    }
    if (num_samples_t.rank() != 0) {
      return ctx.InvalidArgument(
          absl::StrCat("num_samples should be a scalar, got shape ",
                       num_samples_t.shape().DebugString()));
    }
    MS_ASSIGN_OR_RETURN(int64_t num_samples,
                        ScalarIndex(num_samples_t, "num_samples"));
    if (num_samples < 0) {
      return ctx.InvalidArgument(
          absl::StrCat("num_samples should be nonnegative, got ", num_samples));
    }
    const int64_t batch = logits.dim(0);
    const int64_t classes = logits.dim(1);
    if (classes == 0 && batch > 0 && num_samples > 0) {
      return ctx.InvalidArgument(
          absl::StrCat("num_classes should be positive, got ", classes));
    }
    MS_ASSIGN_OR_RETURN(TensorShape shape,
                        TensorShape::FromDims({batch, num_samples}));
    MS_ASSIGN_OR_RETURN(Tensor * out,
                        ctx.allocate_output(0, out_dtype_, shape));
    if (out->NumElements() == 0) return absl::OkStatus();
    std::mt19937_64 rng = stream_.Next();
    std::vector<double> cdf(classes);
    for (int64_t b = 0; b < batch; ++b) {
      double max_logit = -std::numeric_limits<double>::infinity();
      for (int64_t j = 0; j < classes; ++j) {
        const double v = NumberAt(logits, b * classes + j);
        if (std::isfinite(v)) max_logit = std::max(max_logit, v);
      }
      double total = 0;
      for (int64_t j = 0; j < classes; ++j) {
        const double v = NumberAt(logits, b * classes + j);
        total += std::isfinite(v) ? std::exp(v - max_logit) : 0.0;
        cdf[j] = total;
      }
      for (int64_t s = 0; s < num_samples; ++s) {
        // With no finite logit every class is as likely as TensorFlow's
        // sampler makes it: pick the last class.
        int64_t pick = classes - 1;
        if (total > 0) {
          const double u = UniformDouble(rng) * total;
          pick = std::upper_bound(cdf.begin(), cdf.end(), u) - cdf.begin();
          pick = std::min(pick, classes - 1);
        }
        if (out_dtype_ == DT_INT32) {
          out->data<int32_t>()[b * num_samples + s] =
              static_cast<int32_t>(pick);
        } else {
          out->data<int64_t>()[b * num_samples + s] = pick;
        }
      }
    }
    return absl::OkStatus();
  }

 private:
  MultinomialKernel(DataType out_dtype, uint64_t base)
      : out_dtype_(out_dtype), stream_(base) {}
  const DataType out_dtype_;
  const RandomStream stream_;
};

}  // namespace

REGISTER_KERNEL(OpSpec("RandomUniformInt").Output("output"),
                RandomUniformIntKernel::Create);
REGISTER_KERNEL(
    OpSpec("RandomGamma").Output("output"),
    ParameterizedSampleKernel::Create<ParameterizedSampleKernel::Kind::kGamma>);
REGISTER_KERNEL(OpSpec("RandomPoisson").Output("output"),
                ParameterizedSampleKernel::Create<
                    ParameterizedSampleKernel::Kind::kPoisson>);
REGISTER_KERNEL(OpSpec("RandomPoissonV2").Output("output"),
                ParameterizedSampleKernel::Create<
                    ParameterizedSampleKernel::Kind::kPoisson>);
REGISTER_KERNEL(OpSpec("RandomShuffle").Output("output"),
                RandomShuffleKernel::Create);
REGISTER_KERNEL(OpSpec("Multinomial").Output("output"),
                MultinomialKernel::Create);

}  // namespace model_server
