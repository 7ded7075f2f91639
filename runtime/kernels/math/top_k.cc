// Small neural-network ops: TopKV2/TopK, L2Loss and LRN.
//
// TopKV2 (k as a scalar input) and TopK (k as an attribute): the k largest
// entries of each row (last dimension) and their indices, largest first;
// equal values keep the lower index first, as TensorFlow's stable ordering.
// `sorted=false` allows any order; we always return sorted rows, which is
// one of the allowed answers. Real number types; index_type int32 (default)
// or int64.
//
// L2Loss: sum(t^2) / 2 as a scalar (float types; half/bfloat16 summed in
// float).
//
// LRN (local response normalization over the depth of an NHWC tensor):
//   out = in / (bias + alpha * sum(in[d-r..d+r]^2)) ^ beta
// for float, half and bfloat16 (computed in float).
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <memory>
#include <numeric>
#include <type_traits>
#include <vector>

#include "absl/strings/str_cat.h"
#include "runtime/eigen_device.h"
#include "runtime/op_kernel.h"
#include "runtime/op_registry.h"
#include "runtime/status_macros.h"

namespace model_server {
namespace {

template <typename T>
constexpr bool kIsNarrowFloat =
    std::is_same_v<T, Eigen::half> || std::is_same_v<T, Eigen::bfloat16>;

template <typename T>
constexpr bool kIsRealNumber =
    (std::is_arithmetic_v<T> && !std::is_same_v<T, bool>) || kIsNarrowFloat<T>;

template <typename T>
auto Key(T v) {
  if constexpr (kIsNarrowFloat<T>) {
    return static_cast<float>(v);
  } else {
    return v;
  }
}

// ---------------------------------------------------------------- TopK

template <typename T, typename Index>
void TopKRows(const T* in, int64_t rows, int64_t n, int64_t k, T* values,
              Index* indices) {
  auto run = [&](int64_t first, int64_t last) {
    std::vector<int64_t> order;
    for (int64_t r = first; r < last; ++r) {
      const T* row = in + r * n;
      T* vout = values + r * k;
      Index* iout = indices + r * k;
      if (k == 1) {
        int64_t best = 0;
        for (int64_t i = 1; i < n; ++i) {
          if (Key(row[i]) > Key(row[best])) best = i;
        }
        vout[0] = row[best];
        iout[0] = static_cast<Index>(best);
        continue;
      }
      order.resize(n);
      std::iota(order.begin(), order.end(), int64_t{0});
      auto greater = [row](int64_t a, int64_t b) {
        const auto va = Key(row[a]), vb = Key(row[b]);
        return va > vb || (!(vb > va) && a < b);
      };
      if (k < n) {
        std::partial_sort(order.begin(), order.begin() + k, order.end(),
                          greater);
      } else {
        std::sort(order.begin(), order.end(), greater);
      }
      for (int64_t i = 0; i < k; ++i) {
        vout[i] = row[order[i]];
        iout[i] = static_cast<Index>(order[i]);
      }
    }
  };
  const double log_k = std::log2(static_cast<double>(std::max<int64_t>(k, 2)));
  const Eigen::TensorOpCost cost(n * sizeof(T), k * (sizeof(T) + sizeof(Index)),
                                 n * log_k * 4);
  EigenDevice().parallelFor(rows, cost,
                            [&](Eigen::Index a, Eigen::Index b) { run(a, b); });
}

class TopKKernel : public OpKernel {
 public:
  static absl::StatusOr<std::unique_ptr<OpKernel>> Create(
      bool v2, const KernelConstruction& c) {
    const NodeAttrs& attrs = c.attrs;
    auto k = std::unique_ptr<TopKKernel>(new TopKKernel(v2));
    MS_RETURN_IF_ERROR(attrs.GetOr("T", DT_FLOAT, &k->dtype_));
    MS_RETURN_IF_ERROR(attrs.GetOr("index_type", DT_INT32, &k->index_type_));
    bool supported = false;
    SwitchOnDataType(
        k->dtype_, [&](auto tag) { supported = kIsRealNumber<decltype(tag)>; });
    if (!supported) {
      return absl::UnimplementedError(
          absl::StrCat(attrs.op(), " node '", attrs.node_name(),
                       "': unsupported type ", DataTypeName(k->dtype_)));
    }
    if (k->index_type_ != DT_INT32 && k->index_type_ != DT_INT64) {
      return absl::UnimplementedError(
          absl::StrCat(attrs.op(), " node '", attrs.node_name(),
                       "': index_type must be int32 or int64, got ",
                       DataTypeName(k->index_type_)));
    }
    if (!v2) {
      MS_RETURN_IF_ERROR(attrs.Get("k", &k->k_attr_));
      if (k->k_attr_ < 0) {
        return attrs.Error(absl::StrCat("Need k >= 0, got ", k->k_attr_));
      }
    }
    const int want_inputs = v2 ? 2 : 1;
    if (c.num_inputs != want_inputs) {
      return attrs.Error(
          absl::StrCat("expects ", want_inputs, " inputs, got ", c.num_inputs));
    }
    return std::unique_ptr<OpKernel>(std::move(k));
  }

  absl::Status Compute(OpKernelContext& ctx) const override {
    const Tensor& input = ctx.input(0);
    if (input.dtype() != dtype_) {
      return ctx.InvalidArgument(absl::StrCat("expected input of type ",
                                              DataTypeName(dtype_), ", got ",
                                              DataTypeName(input.dtype())));
    }
    int64_t k = k_attr_;
    if (v2_) {
      const Tensor& k_in = ctx.input(1);
      if (k_in.rank() != 0) {
        return ctx.InvalidArgument(absl::StrCat("k must be 0-D, got shape ",
                                                k_in.shape().DebugString()));
      }
      if (k_in.dtype() == DT_INT32) {
        k = k_in.scalar<int32_t>();
      } else if (k_in.dtype() == DT_INT64) {
        k = k_in.scalar<int64_t>();
      } else if (k_in.dtype() == DT_INT16) {
        k = k_in.scalar<int16_t>();
      } else {
        return ctx.InvalidArgument(absl::StrCat("k must be an integer, got ",
                                                DataTypeName(k_in.dtype())));
      }
      if (k < 0) {
        return ctx.InvalidArgument(absl::StrCat("Need k >= 0, got ", k));
      }
    }
    if (input.rank() < 1) {
      return ctx.InvalidArgument(absl::StrCat(
          "input must be >= 1-D, got shape ", input.shape().DebugString()));
    }
    const int64_t n = input.dim(input.rank() - 1);
    if (n < k) {
      return ctx.InvalidArgument(absl::StrCat(
          "input must have at least k columns. Had ", n, ", needed ", k));
    }
    TensorShape out_shape = input.shape();
    MS_RETURN_IF_ERROR(out_shape.SetDim(input.rank() - 1, k));
    MS_ASSIGN_OR_RETURN(Tensor * values,
                        ctx.allocate_output(0, dtype_, out_shape));
    MS_ASSIGN_OR_RETURN(Tensor * indices,
                        ctx.allocate_output(1, index_type_, out_shape));
    if (values->NumElements() == 0) return absl::OkStatus();
    const int64_t rows = input.NumElements() / n;
    SwitchOnDataType(dtype_, [&](auto tag) {
      using T = decltype(tag);
      if constexpr (kIsRealNumber<T>) {
        if (index_type_ == DT_INT32) {
          TopKRows(input.data<T>(), rows, n, k, values->data<T>(),
                   indices->data<int32_t>());
        } else {
          TopKRows(input.data<T>(), rows, n, k, values->data<T>(),
                   indices->data<int64_t>());
        }
      }
    });
    return absl::OkStatus();
  }

 private:
  explicit TopKKernel(bool v2) : v2_(v2) {}

  const bool v2_;
  DataType dtype_ = DT_FLOAT;
  DataType index_type_ = DT_INT32;
  int64_t k_attr_ = 0;
};

template <bool kV2>
absl::StatusOr<std::unique_ptr<OpKernel>> MakeTopK(
    const KernelConstruction& c) {
  return TopKKernel::Create(kV2, c);
}

// -------------------------------------------------------------- L2Loss

bool IsFloatType(DataType t) {
  return t == DT_FLOAT || t == DT_DOUBLE || t == DT_HALF || t == DT_BFLOAT16;
}

class L2LossKernel : public OpKernel {
 public:
  static absl::StatusOr<std::unique_ptr<OpKernel>> Create(
      const KernelConstruction& c) {
    auto k = std::unique_ptr<L2LossKernel>(new L2LossKernel());
    MS_RETURN_IF_ERROR(c.attrs.GetOr("T", DT_FLOAT, &k->dtype_));
    if (!IsFloatType(k->dtype_)) {
      return absl::UnimplementedError(
          absl::StrCat("L2Loss node '", c.attrs.node_name(),
                       "': unsupported type ", DataTypeName(k->dtype_)));
    }
    return std::unique_ptr<OpKernel>(std::move(k));
  }

  absl::Status Compute(OpKernelContext& ctx) const override {
    const Tensor& t = ctx.input(0);
    if (t.dtype() != dtype_) {
      return ctx.InvalidArgument(absl::StrCat("expected input of type ",
                                              DataTypeName(dtype_), ", got ",
                                              DataTypeName(t.dtype())));
    }
    MS_ASSIGN_OR_RETURN(Tensor * out,
                        ctx.allocate_output(0, dtype_, TensorShape()));
    SwitchOnDataType(dtype_, [&](auto tag) {
      using T = decltype(tag);
      if constexpr (std::is_floating_point_v<T> || kIsNarrowFloat<T>) {
        using Acc =
            std::conditional_t<std::is_same_v<T, double>, double, float>;
        Eigen::Map<const Eigen::Array<T, Eigen::Dynamic, 1>> x(t.data<T>(),
                                                               t.NumElements());
        const Acc sum = t.NumElements() == 0
                            ? Acc(0)
                            : x.template cast<Acc>().square().sum();
        out->data<T>()[0] = static_cast<T>(sum / Acc(2));
      }
    });
    return absl::OkStatus();
  }

 private:
  L2LossKernel() = default;
  DataType dtype_ = DT_FLOAT;
};

// ----------------------------------------------------------------- LRN

class LrnKernel : public OpKernel {
 public:
  static absl::StatusOr<std::unique_ptr<OpKernel>> Create(
      const KernelConstruction& c) {
    const NodeAttrs& attrs = c.attrs;
    auto k = std::unique_ptr<LrnKernel>(new LrnKernel());
    MS_RETURN_IF_ERROR(attrs.GetOr("T", DT_FLOAT, &k->dtype_));
    if (k->dtype_ != DT_FLOAT && k->dtype_ != DT_HALF &&
        k->dtype_ != DT_BFLOAT16) {
      return absl::UnimplementedError(
          absl::StrCat("LRN node '", attrs.node_name(), "': unsupported type ",
                       DataTypeName(k->dtype_)));
    }
    int64_t radius;
    MS_RETURN_IF_ERROR(attrs.GetOr("depth_radius", int64_t{5}, &radius));
    if (radius < 0 || radius > std::numeric_limits<int32_t>::max()) {
      return attrs.Error(
          absl::StrCat("depth_radius = ", radius, " is out of range"));
    }
    k->radius_ = radius;
    MS_RETURN_IF_ERROR(attrs.GetOr("bias", 1.0f, &k->bias_));
    MS_RETURN_IF_ERROR(attrs.GetOr("alpha", 1.0f, &k->alpha_));
    MS_RETURN_IF_ERROR(attrs.GetOr("beta", 0.5f, &k->beta_));
    return std::unique_ptr<OpKernel>(std::move(k));
  }

  absl::Status Compute(OpKernelContext& ctx) const override {
    const Tensor& in = ctx.input(0);
    if (in.dtype() != dtype_) {
      return ctx.InvalidArgument(absl::StrCat("expected input of type ",
                                              DataTypeName(dtype_), ", got ",
                                              DataTypeName(in.dtype())));
    }
    if (in.rank() != 4) {
      return ctx.InvalidArgument(absl::StrCat("in must be 4-dimensional, got ",
                                              in.shape().DebugString()));
    }
    MS_ASSIGN_OR_RETURN(Tensor * out,
                        ctx.allocate_output(0, dtype_, in.shape()));
    const int64_t depth = in.dim(3);
    if (in.NumElements() == 0) return absl::OkStatus();
    const int64_t pixels = in.NumElements() / depth;
    SwitchOnDataType(dtype_, [&](auto tag) {
      using T = decltype(tag);
      if constexpr (std::is_same_v<T, float> || kIsNarrowFloat<T>) {
        Normalize(in.data<T>(), pixels, depth, out->data<T>());
      }
    });
    return absl::OkStatus();
  }

 private:
  LrnKernel() = default;

  template <typename T>
  void Normalize(const T* in, int64_t pixels, int64_t depth, T* out) const {
    auto run = [&](int64_t first, int64_t last) {
      std::vector<double> prefix(depth + 1);
      for (int64_t p = first; p < last; ++p) {
        const T* x = in + p * depth;
        prefix[0] = 0;
        for (int64_t d = 0; d < depth; ++d) {
          const double v = static_cast<float>(x[d]);
          prefix[d + 1] = prefix[d] + v * v;
        }
        for (int64_t d = 0; d < depth; ++d) {
          const int64_t lo = std::max<int64_t>(0, d - radius_);
          const int64_t hi = std::min<int64_t>(depth - 1, d + radius_);
          const float sqr_sum = static_cast<float>(prefix[hi + 1] - prefix[lo]);
          const float v = static_cast<float>(x[d]);
          out[p * depth + d] =
              static_cast<T>(v / std::pow(bias_ + alpha_ * sqr_sum, beta_));
        }
      }
    };
    const Eigen::TensorOpCost cost(depth * sizeof(T), depth * sizeof(T),
                                   depth * 30);
    EigenDevice().parallelFor(
        pixels, cost, [&](Eigen::Index a, Eigen::Index b) { run(a, b); });
  }

  DataType dtype_ = DT_FLOAT;
  int64_t radius_ = 5;
  float bias_ = 1, alpha_ = 1, beta_ = 0.5f;
};

}  // namespace

REGISTER_KERNEL(OpSpec("TopKV2").Output("values").Output("indices"),
                MakeTopK<true>);
REGISTER_KERNEL(OpSpec("TopK").Output("values").Output("indices"),
                MakeTopK<false>);
REGISTER_KERNEL(OpSpec("L2Loss").Output("output"), L2LossKernel::Create);
REGISTER_KERNEL(OpSpec("LRN").Output("output"), LrnKernel::Create);

}  // namespace model_server
