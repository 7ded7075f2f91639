// Bucketize: input (attr T: int32, int64, float or double) -> output (int32,
// same shape), the index of each value's bucket for the sorted `boundaries`
// attr (list of float): the number of boundaries <= value, so
// boundaries [0, 10] put -1 in bucket 0, 0 and 5 in bucket 1, 10 in 2.
// Integer values are compared with the float boundaries as C++ compares
// them (converted to float), like TensorFlow's kernel. Unsorted boundaries
// fail at load ("Expected sorted boundaries", TensorFlow's text). NaN falls
// in the last bucket.
#include <algorithm>
#include <cstdint>
#include <memory>
#include <type_traits>
#include <vector>

#include "runtime/kernels/broadcast.h"
#include "runtime/kernels/dtype_categories.h"
#include "runtime/kernels/kernel_util.h"
#include "runtime/op_kernel.h"
#include "runtime/op_registry.h"
#include "runtime/status_macros.h"

namespace model_server {
namespace {

template <typename T>
class BucketizeKernel final : public OpKernel {
 public:
  explicit BucketizeKernel(std::vector<float> boundaries)
      : boundaries_(std::move(boundaries)) {}

  absl::Status Compute(OpKernelContext& ctx) const override {
    const Tensor& input = ctx.input(0);
    MS_RETURN_IF_ERROR(CheckInputDtype(input, DataTypeOf<T>::value));
    MS_ASSIGN_OR_RETURN(Tensor * out,
                        ctx.allocate_output(0, DT_INT32, input.shape()));
    const T* in = input.data<T>();
    int32_t* o = out->data<int32_t>();
    using C = std::common_type_t<T, float>;
    ParallelFor(input.NumElements(), sizeof(T) + sizeof(int32_t),
                4 + boundaries_.size() / 8.0, [&](int64_t begin, int64_t end) {
                  for (int64_t i = begin; i < end; ++i) {
                    const C v = static_cast<C>(in[i]);
                    // Boundaries not above v; NaN is above none.
                    const auto it = std::upper_bound(
                        boundaries_.begin(), boundaries_.end(), v,
                        [](C value, float b) { return value < C(b); });
                    o[i] = static_cast<int32_t>(it - boundaries_.begin());
                  }
                });
    return absl::OkStatus();
  }

 private:
  const std::vector<float> boundaries_;
};

absl::StatusOr<std::unique_ptr<OpKernel>> CreateBucketize(
    const KernelConstruction& c) {
  MS_RETURN_IF_ERROR(CheckNumInputs(c, 1));
  DataType dtype;
  std::vector<float> boundaries;
  MS_RETURN_IF_ERROR(c.attrs.Get("T", &dtype));
  MS_RETURN_IF_ERROR(c.attrs.Get("boundaries", &boundaries));
  if (!std::is_sorted(boundaries.begin(), boundaries.end())) {
    return c.attrs.Error("Expected sorted boundaries");
  }
  return MakeTypedKernel(c, dtype, [&](auto tag) -> std::unique_ptr<OpKernel> {
    using T = decltype(tag);
    if constexpr (std::is_same_v<T, int32_t> || std::is_same_v<T, int64_t> ||
                  kIsFloatOrDouble<T>) {
      return std::make_unique<BucketizeKernel<T>>(boundaries);
    }
    return nullptr;
  });
}

}  // namespace

REGISTER_KERNEL(OpSpec("Bucketize").Output("output"), CreateBucketize);

}  // namespace model_server
