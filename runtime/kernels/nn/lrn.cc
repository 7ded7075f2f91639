// LRN: local response normalization over the depth of an NHWC tensor,
//   out = in / (bias + alpha * sum(in[d-r..d+r]^2)) ^ beta
// (attrs depth_radius r, bias, alpha, beta) for float, half and bfloat16
// (computed in float).
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <memory>
#include <type_traits>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "runtime/eigen_device.h"
#include "runtime/kernels/dtype_categories.h"
#include "runtime/kernels/kernel_util.h"
#include "runtime/op_kernel.h"
#include "runtime/op_registry.h"
#include "runtime/status_macros.h"

namespace model_server {
namespace {

class LrnKernel : public OpKernel {
 public:
  static absl::StatusOr<std::unique_ptr<OpKernel>> Create(
      const KernelConstruction& c) {
    const NodeAttrs& attrs = c.attrs;
    auto k = std::unique_ptr<LrnKernel>(new LrnKernel());
    MS_RETURN_IF_ERROR(attrs.GetOr("T", DT_FLOAT, &k->dtype_));
    if (k->dtype_ != DT_FLOAT && k->dtype_ != DT_HALF &&
        k->dtype_ != DT_BFLOAT16) {
      return UnsupportedDtypeError(c, k->dtype_);
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
    MS_RETURN_IF_ERROR(CheckInputDtype(in, dtype_));
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

REGISTER_KERNEL(OpSpec("LRN").Output("output"), LrnKernel::Create);

}  // namespace model_server
