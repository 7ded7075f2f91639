// DecodeAndCropJpeg: a JPEG scalar string and crop_window [y, x, height,
// width] (int32) -> the window of the decoded image, [height, width,
// channels] uint8. Same attrs as DecodeJpeg (decode_common.h); the window is
// in the coordinates of the image after `ratio` scaling, and must be
// non-empty and lie inside it, else TensorFlow's "jpeg::Uncompress failed.
// Invalid JPEG data or crop window.". TensorFlow asks libjpeg-turbo to skip
// the rows and columns outside the window; the result equals decoding the
// whole image and cropping it (TensorFlow's own tests compare the two), which
// is what this kernel does. Content that is not JPEG is refused.
#include <cstdint>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "runtime/kernels/image/decode_common.h"
#include "runtime/kernels/image/image_format.h"
#include "runtime/kernels/image/jpeg_decode.h"
#include "runtime/kernels/kernel_util.h"
#include "runtime/op_kernel.h"
#include "runtime/op_registry.h"
#include "runtime/status_macros.h"

namespace model_server {
namespace {

struct CropWindow {
  int64_t y, x, height, width;
};

class DecodeAndCropJpegKernel : public OpKernel {
 public:
  DecodeAndCropJpegKernel(int channels, JpegDecodeOptions options)
      : channels_(channels), options_(options) {
    options_.channels = channels;
  }

  absl::Status Compute(OpKernelContext& ctx) const override {
    MS_ASSIGN_OR_RETURN(const std::string* contents,
                        ImageContents(ctx.input(0)));
    const std::string& data = *contents;
    const ImageFormat format = ClassifyImage(data);
    if (format == ImageFormat::kUnknown) {
      return absl::InvalidArgumentError(
          "Unknown image file format. One of JPEG, PNG, GIF, BMP required.");
    }
    if (format != ImageFormat::kJpeg) {
      return absl::InvalidArgumentError(
          absl::StrCat("DecodeAndCropJpeg operation can run on JPEG only, but "
                       "detected ",
                       FormatName(format), "."));
    }
    if (channels_ == 4) {
      return absl::InvalidArgumentError("JPEG does not support 4 channels");
    }
    MS_ASSIGN_OR_RETURN(const CropWindow window, ReadWindow(ctx.input(1)));

    std::vector<uint8_t> image;
    int64_t height = 0, width = 0;
    int channels = 0;
    MS_RETURN_IF_ERROR(DecodeJpeg(
        data, options_,
        [&](int64_t h, int64_t w, int c) -> absl::StatusOr<uint8_t*> {
          height = h;
          width = w;
          channels = c;
          image.resize(static_cast<size_t>(h * w * c));
          return image.data();
        }));
    if (window.height <= 0 || window.width <= 0 || window.y < 0 ||
        window.x < 0 || window.y + window.height > height ||
        window.x + window.width > width) {
      return absl::InvalidArgumentError(
          "jpeg::Uncompress failed. Invalid JPEG data or crop window.");
    }
    MS_ASSIGN_OR_RETURN(
        Tensor * out,
        ctx.allocate_output(
            0, DT_UINT8, TensorShape{window.height, window.width, channels}));
    const size_t row_bytes = static_cast<size_t>(window.width * channels);
    uint8_t* dst = out->data<uint8_t>();
    for (int64_t row = 0; row < window.height; ++row) {
      const uint8_t* src =
          image.data() + ((window.y + row) * width + window.x) * channels;
      std::memcpy(dst + row * row_bytes, src, row_bytes);
    }
    return absl::OkStatus();
  }

 private:
  static absl::StatusOr<CropWindow> ReadWindow(const Tensor& crop_window) {
    MS_RETURN_IF_ERROR(CheckInputDtype(crop_window, DT_INT32));
    if (crop_window.rank() != 1) {
      return absl::InvalidArgumentError(
          absl::StrCat("crop_window must be 1-D, got shape ",
                       crop_window.shape().DebugString()));
    }
    if (crop_window.NumElements() != 4) {
      return absl::InvalidArgumentError(
          absl::StrCat("crop_size must have four elements ",
                       crop_window.shape().DebugString()));
    }
    const int32_t* v = crop_window.data<int32_t>();
    return CropWindow{v[0], v[1], v[2], v[3]};
  }

  const int channels_;
  JpegDecodeOptions options_;
};

absl::StatusOr<std::unique_ptr<OpKernel>> CreateDecodeAndCropJpeg(
    const KernelConstruction& c) {
  MS_RETURN_IF_ERROR(CheckNumInputs(c, 2));
  int channels;
  MS_RETURN_IF_ERROR(ReadDecodeChannels(c, &channels));
  JpegDecodeOptions options;
  MS_RETURN_IF_ERROR(ReadJpegDecodeAttrs(c, &options));
  return std::make_unique<DecodeAndCropJpegKernel>(channels, options);
}

}  // namespace

REGISTER_KERNEL(OpSpec("DecodeAndCropJpeg").Output("image"),
                CreateDecodeAndCropJpeg);

}  // namespace model_server
