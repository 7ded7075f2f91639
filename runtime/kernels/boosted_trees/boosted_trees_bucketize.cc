// BoostedTreesBucketize: bucket ids of float features given per-feature
// boundaries (tf.Transform's apply_buckets uses it).
//
// Inputs: num_features float vectors (float_values), then num_features
// float vectors of ascending boundaries (bucket_boundaries). Outputs
// num_features int32 vectors ("buckets"): for each value, the index of the
// first boundary >= the value, clamped to the last boundary; 0 when a
// feature has no boundaries. Matches TensorFlow's kernel.
#include <algorithm>
#include <cstdint>
#include <memory>

#include "absl/strings/str_cat.h"
#include "runtime/op_kernel.h"
#include "runtime/op_registry.h"
#include "runtime/status_macros.h"

namespace model_server {
namespace {

class BoostedTreesBucketizeKernel final : public OpKernel {
 public:
  static absl::StatusOr<std::unique_ptr<OpKernel>> Create(
      const KernelConstruction& c) {
    int64_t num_features;
    MS_RETURN_IF_ERROR(c.attrs.Get("num_features", &num_features));
    if (num_features < 0 || c.num_inputs != 2 * num_features) {
      return c.attrs.Error(absl::StrCat("expects 2 * num_features (",
                                        num_features, ") inputs, got ",
                                        c.num_inputs));
    }
    return std::unique_ptr<OpKernel>(
        new BoostedTreesBucketizeKernel(static_cast<int>(num_features)));
  }

  absl::Status Compute(OpKernelContext& ctx) const override {
    for (int f = 0; f < num_features_; ++f) {
      const Tensor& values = ctx.input(f);
      const Tensor& boundaries = ctx.input(num_features_ + f);
      if (values.dtype() != DT_FLOAT || boundaries.dtype() != DT_FLOAT) {
        return ctx.InvalidArgument(
            absl::StrCat("feature ", f,
                         ": float_values and bucket_boundaries must be "
                         "float, got ",
                         DataTypeName(values.dtype()), " and ",
                         DataTypeName(boundaries.dtype())));
      }
      if (boundaries.rank() != 1) {
        return ctx.InvalidArgument("Buckets should be flat vectors.");
      }
      if (values.rank() != 1) {
        return ctx.InvalidArgument(absl::StrCat(
            "feature ", f, ": float_values must be a vector, got shape ",
            values.shape().DebugString()));
      }
      const int64_t n = values.dim(0);
      MS_ASSIGN_OR_RETURN(Tensor * out,
                          ctx.allocate_output(f, DT_INT32, TensorShape{n}));
      const float* begin = boundaries.data<float>();
      const float* end = begin + boundaries.NumElements();
      const float* in = values.data<float>();
      int32_t* buckets = out->data<int32_t>();
      for (int64_t i = 0; i < n; ++i) {
        if (begin == end) {
          buckets[i] = 0;
          continue;
        }
        const float* it = std::lower_bound(begin, end, in[i]);
        if (it == end) --it;
        buckets[i] = static_cast<int32_t>(it - begin);
      }
    }
    return absl::OkStatus();
  }

 private:
  explicit BoostedTreesBucketizeKernel(int num_features)
      : num_features_(num_features) {}
  const int num_features_;
};

}  // namespace

REGISTER_KERNEL(
    OpSpec("BoostedTreesBucketize").Output("buckets", "num_features"),
    BoostedTreesBucketizeKernel::Create);

}  // namespace model_server
