// AdjustContrastv2: images [..., height, width, channels], contrast_factor
// (float scalar) -> (x - mean) * contrast_factor + mean, where mean is taken
// per image and channel over height and width. T: half, float (TensorFlow's
// CPU registrations; tf.image.adjust_contrast converts other dtypes to
// float first). half is computed in float and rounded once. Errors as
// TensorFlow: "input must be at least 3-D, got shape ...", "contrast_factor
// must be scalar: ...".
#include <algorithm>
#include <cstdint>
#include <memory>
#include <type_traits>
#include <vector>

#include "absl/strings/str_cat.h"
#include "runtime/kernels/dtype_categories.h"
#include "runtime/kernels/kernel_util.h"
#include "runtime/op_kernel.h"
#include "runtime/op_registry.h"
#include "runtime/status_macros.h"

namespace model_server {
namespace {

template <typename T>
class AdjustContrastV2Kernel : public OpKernel {
 public:
  absl::Status Compute(OpKernelContext& ctx) const override {
    const Tensor& images = ctx.input(0);
    const Tensor& factor = ctx.input(1);
    MS_RETURN_IF_ERROR(CheckInputDtype(images, DataTypeOf<T>::value));
    MS_RETURN_IF_ERROR(CheckInputDtype(factor, DT_FLOAT));
    if (images.rank() < 3) {
      return absl::InvalidArgumentError(
          absl::StrCat("input must be at least 3-D, got shape",
                       images.shape().DebugString()));
    }
    if (factor.rank() != 0) {
      return absl::InvalidArgumentError(absl::StrCat(
          "contrast_factor must be scalar: ", factor.shape().DebugString()));
    }
    MS_ASSIGN_OR_RETURN(Tensor * out,
                        ctx.allocate_output(0, images.dtype(), images.shape()));
    if (images.NumElements() == 0) return absl::OkStatus();
    const int r = images.rank();
    const int64_t channels = images.dim(r - 1);
    const int64_t pixels = images.dim(r - 2) * images.dim(r - 3);
    const int64_t batch = images.NumElements() / (pixels * channels);
    const float f = factor.scalar<float>();
    const T* in = images.data<T>();
    T* y = out->data<T>();
    std::vector<double> sums(static_cast<size_t>(channels));
    for (int64_t b = 0; b < batch; ++b) {
      const T* image = in + b * pixels * channels;
      T* result = y + b * pixels * channels;
      std::fill(sums.begin(), sums.end(), 0.0);
      for (int64_t p = 0; p < pixels; ++p)
        for (int64_t c = 0; c < channels; ++c)
          sums[c] += static_cast<float>(image[p * channels + c]);
      for (int64_t c = 0; c < channels; ++c) {
        const float mean =
            static_cast<float>(sums[c] / static_cast<double>(pixels));
        for (int64_t p = 0; p < pixels; ++p) {
          const float x = static_cast<float>(image[p * channels + c]);
          result[p * channels + c] = static_cast<T>((x - mean) * f + mean);
        }
      }
    }
    return absl::OkStatus();
  }
};

absl::StatusOr<std::unique_ptr<OpKernel>> CreateAdjustContrastV2(
    const KernelConstruction& c) {
  MS_RETURN_IF_ERROR(CheckNumInputs(c, 2));
  DataType dtype;
  MS_RETURN_IF_ERROR(c.attrs.GetOr("T", DT_FLOAT, &dtype));
  return MakeTypedKernel(c, dtype, [](auto tag) -> std::unique_ptr<OpKernel> {
    using T = decltype(tag);
    if constexpr (std::is_same_v<T, float> || std::is_same_v<T, Eigen::half>) {
      return std::make_unique<AdjustContrastV2Kernel<T>>();
    }
    return nullptr;
  });
}

}  // namespace

REGISTER_KERNEL(OpSpec("AdjustContrastv2").Output("output"),
                CreateAdjustContrastV2);

}  // namespace model_server
