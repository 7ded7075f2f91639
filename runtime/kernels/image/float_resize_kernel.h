// The kernel shell of the Resize* ops that always output float (ResizeArea,
// ResizeBicubic): attrs T (any real number type), align_corners and, when
// the op has it, half_pixel_centers; images [N,H,W,C] and size int32 [2]
// validated as TensorFlow's ImageResizerState; output float [N,h,w,C].
//
// `Resampler` supplies the arithmetic:
//   static constexpr bool kHasHalfPixelCenters;
//   template <typename T>
//   static void Run(const ResizeDims& d, const T* in, bool half_pixel_centers,
//                   float* out);   // out is non-empty
#ifndef MODEL_SERVER_RUNTIME_KERNELS_IMAGE_FLOAT_RESIZE_KERNEL_H_
#define MODEL_SERVER_RUNTIME_KERNELS_IMAGE_FLOAT_RESIZE_KERNEL_H_

#include <memory>

#include "absl/strings/str_cat.h"
#include "runtime/kernels/dtype_categories.h"
#include "runtime/kernels/image/resize_geometry.h"
#include "runtime/kernels/kernel_util.h"
#include "runtime/op_kernel.h"
#include "runtime/status_macros.h"

namespace model_server {

template <typename Resampler>
class FloatResizeKernel : public OpKernel {
 public:
  static absl::StatusOr<std::unique_ptr<OpKernel>> Create(
      const KernelConstruction& c) {
    auto k = std::unique_ptr<FloatResizeKernel>(new FloatResizeKernel());
    MS_RETURN_IF_ERROR(c.attrs.GetOr("T", DT_FLOAT, &k->dtype_));
    MS_RETURN_IF_ERROR(
        c.attrs.GetOr("align_corners", false, &k->align_corners_));
    if constexpr (Resampler::kHasHalfPixelCenters) {
      MS_RETURN_IF_ERROR(
          c.attrs.GetOr("half_pixel_centers", false, &k->half_pixel_centers_));
    }
    if (!DtypeIs(k->dtype_,
                 [](auto tag) { return kIsRealNumber<decltype(tag)>; })) {
      return UnsupportedDtypeError(c, k->dtype_);
    }
    MS_RETURN_IF_ERROR(CheckNumInputs(c, 2));
    return std::unique_ptr<OpKernel>(std::move(k));
  }

  absl::Status Compute(OpKernelContext& ctx) const override {
    const Tensor& images = ctx.input(0);
    MS_RETURN_IF_ERROR(CheckInputDtype(images, dtype_));
    ResizeDims d;
    MS_RETURN_IF_ERROR(ValidateResize(images, ctx.input(1), align_corners_,
                                      half_pixel_centers_, &d));
    MS_ASSIGN_OR_RETURN(TensorShape out_shape,
                        TensorShape::FromDims(
                            {d.batch, d.out_height, d.out_width, d.channels}));
    MS_ASSIGN_OR_RETURN(Tensor * out,
                        ctx.allocate_output(0, DT_FLOAT, out_shape));
    if (out->NumElements() == 0) return absl::OkStatus();
    SwitchOnDataType(dtype_, [&](auto tag) {
      using T = decltype(tag);
      if constexpr (kIsRealNumber<T>) {
        Resampler::template Run<T>(d, images.data<T>(), half_pixel_centers_,
                                   out->data<float>());
      }
    });
    return absl::OkStatus();
  }

 private:
  FloatResizeKernel() = default;

  DataType dtype_ = DT_FLOAT;
  bool align_corners_ = false;
  bool half_pixel_centers_ = false;
};

}  // namespace model_server

#endif  // MODEL_SERVER_RUNTIME_KERNELS_IMAGE_FLOAT_RESIZE_KERNEL_H_
