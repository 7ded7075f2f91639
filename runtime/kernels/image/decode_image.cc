// DecodeJpeg and DecodePng: a scalar string -> an image [height, width,
// channels]. As in TensorFlow's DecodeImageV2Op, both ops look at the
// content's magic bytes, so DecodeJpeg also decodes PNG and DecodePng also
// decodes JPEG; GIF and BMP content is not supported yet (UNIMPLEMENTED).
//
// DecodeJpeg attrs: channels (0, 1, 3; 4 only for PNG content), ratio (1, 2,
// 4, 8), fancy_upscaling, try_recover_truncated, acceptable_fraction,
// dct_method ("" and "INTEGER_FAST" -> JDCT_IFAST, "INTEGER_ACCURATE" ->
// JDCT_ISLOW). Output uint8.
// DecodePng attrs: channels (0, 1, 3, 4), dtype (uint8 or uint16). JPEG
// content decoded by DecodePng uses TensorFlow's JPEG defaults (JDCT_IFAST,
// fancy upscaling) and for uint16 scales each sample by 256, as TensorFlow.
// Decoding itself: jpeg_decode.h, png_decode.h.
#include <cstdint>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "runtime/kernels/image/jpeg_decode.h"
#include "runtime/kernels/image/png_decode.h"
#include "runtime/kernels/kernel_util.h"
#include "runtime/op_kernel.h"
#include "runtime/op_registry.h"
#include "runtime/status_macros.h"

namespace model_server {
namespace {

enum class ImageFormat { kJpeg, kPng, kGif, kBmp, kUnknown };

ImageFormat ClassifyImage(absl::string_view data) {
  if (absl::StartsWith(data, "\xff\xd8\xff")) return ImageFormat::kJpeg;
  if (absl::StartsWith(data, "\x89PNG\r\n\x1a\n")) return ImageFormat::kPng;
  if (absl::StartsWith(data, "GIF8")) return ImageFormat::kGif;
  if (absl::StartsWith(data, "BM")) return ImageFormat::kBmp;
  return ImageFormat::kUnknown;
}

class DecodeImageKernel : public OpKernel {
 public:
  DecodeImageKernel(int channels, DataType dtype, JpegDecodeOptions jpeg)
      : channels_(channels), dtype_(dtype), jpeg_(jpeg) {}

  absl::Status Compute(OpKernelContext& ctx) const override {
    const Tensor& contents = ctx.input(0);
    MS_RETURN_IF_ERROR(CheckInputDtype(contents, DT_STRING));
    if (contents.rank() != 0) {
      return absl::InvalidArgumentError(
          absl::StrCat("`contents` must be scalar but got shape",
                       contents.shape().DebugString()));
    }
    const std::string& data = contents.scalar<std::string>();
    if (data.empty()) return absl::InvalidArgumentError("Input is empty.");
    switch (ClassifyImage(data)) {
      case ImageFormat::kJpeg:
        return DecodeJpegContent(ctx, data);
      case ImageFormat::kPng:
        return DecodePngContent(ctx, data);
      case ImageFormat::kGif:
        return absl::UnimplementedError("GIF decoding is not supported yet");
      case ImageFormat::kBmp:
        return absl::UnimplementedError("BMP decoding is not supported yet");
      case ImageFormat::kUnknown:
        break;
    }
    return absl::InvalidArgumentError(
        "Unknown image file format. One of JPEG, PNG, GIF, BMP required.");
  }

 private:
  absl::Status DecodeJpegContent(OpKernelContext& ctx,
                                 const std::string& data) const {
    if (channels_ == 4) {
      return absl::InvalidArgumentError("JPEG does not support 4 channels");
    }
    JpegDecodeOptions options = jpeg_;
    options.channels = channels_;
    if (dtype_ == DT_UINT8) {
      return DecodeJpeg(
          data, options,
          [&](int64_t h, int64_t w, int c) -> absl::StatusOr<uint8_t*> {
            MS_ASSIGN_OR_RETURN(
                Tensor * out,
                ctx.allocate_output(0, DT_UINT8, TensorShape{h, w, c}));
            return out->data<uint8_t>();
          });
    }
    // uint16: decode to bytes, then scale by 256 as TensorFlow does.
    Tensor* out = nullptr;
    std::vector<uint8_t> bytes;
    MS_RETURN_IF_ERROR(DecodeJpeg(
        data, options,
        [&](int64_t h, int64_t w, int c) -> absl::StatusOr<uint8_t*> {
          MS_ASSIGN_OR_RETURN(
              out, ctx.allocate_output(0, DT_UINT16, TensorShape{h, w, c}));
          bytes.resize(static_cast<size_t>(out->NumElements()));
          return bytes.data();
        }));
    uint16_t* samples = out->data<uint16_t>();
    for (size_t i = 0; i < bytes.size(); ++i) {
      samples[i] = static_cast<uint16_t>(bytes[i] * 256);
    }
    return absl::OkStatus();
  }

  absl::Status DecodePngContent(OpKernelContext& ctx,
                                const std::string& data) const {
    return DecodePng(data, channels_, dtype_ == DT_UINT16 ? 16 : 8,
                     [&](int64_t h, int64_t w, int c) -> absl::StatusOr<void*> {
                       MS_ASSIGN_OR_RETURN(
                           Tensor * out, ctx.allocate_output(
                                             0, dtype_, TensorShape{h, w, c}));
                       return out->raw_data();
                     });
  }

  const int channels_;
  const DataType dtype_;
  const JpegDecodeOptions jpeg_;
};

absl::Status ReadChannels(const KernelConstruction& c, int* channels) {
  int64_t value;
  MS_RETURN_IF_ERROR(c.attrs.GetOr("channels", int64_t{0}, &value));
  if (value != 0 && value != 1 && value != 3 && value != 4) {
    return c.attrs.Error(
        absl::StrCat("`channels` must be 0, 1, 3 or 4 but got ", value));
  }
  *channels = static_cast<int>(value);
  return absl::OkStatus();
}

absl::StatusOr<std::unique_ptr<OpKernel>> CreateDecodeJpeg(
    const KernelConstruction& c) {
  MS_RETURN_IF_ERROR(CheckNumInputs(c, 1));
  int channels;
  MS_RETURN_IF_ERROR(ReadChannels(c, &channels));
  JpegDecodeOptions options;
  int64_t ratio;
  MS_RETURN_IF_ERROR(c.attrs.GetOr("ratio", int64_t{1}, &ratio));
  if (ratio != 1 && ratio != 2 && ratio != 4 && ratio != 8) {
    return c.attrs.Error(
        absl::StrCat("ratio must be 1, 2, 4, or 8, got ", ratio));
  }
  options.ratio = static_cast<int>(ratio);
  MS_RETURN_IF_ERROR(
      c.attrs.GetOr("fancy_upscaling", true, &options.fancy_upscaling));
  MS_RETURN_IF_ERROR(c.attrs.GetOr("try_recover_truncated", false,
                                   &options.try_recover_truncated));
  MS_RETURN_IF_ERROR(
      c.attrs.GetOr("acceptable_fraction", 1.0f, &options.acceptable_fraction));
  std::string dct_method;
  MS_RETURN_IF_ERROR(c.attrs.GetOr("dct_method", std::string(), &dct_method));
  if (dct_method != "" && dct_method != "INTEGER_FAST" &&
      dct_method != "INTEGER_ACCURATE") {
    return c.attrs.Error(
        "dct_method must be one of {'', 'INTEGER_FAST', 'INTEGER_ACCURATE'}");
  }
  options.integer_accurate = dct_method == "INTEGER_ACCURATE";
  return std::make_unique<DecodeImageKernel>(channels, DT_UINT8, options);
}

absl::StatusOr<std::unique_ptr<OpKernel>> CreateDecodePng(
    const KernelConstruction& c) {
  MS_RETURN_IF_ERROR(CheckNumInputs(c, 1));
  int channels;
  MS_RETURN_IF_ERROR(ReadChannels(c, &channels));
  DataType dtype;
  MS_RETURN_IF_ERROR(c.attrs.GetOr("dtype", DT_UINT8, &dtype));
  if (dtype != DT_UINT8 && dtype != DT_UINT16) {
    return c.attrs.Error(
        absl::StrCat("`dtype` for `DecodePng` must be unit8, unit16 but got: ",
                     DataTypeName(dtype)));
  }
  return std::make_unique<DecodeImageKernel>(channels, dtype,
                                             JpegDecodeOptions());
}

}  // namespace

REGISTER_KERNEL(OpSpec("DecodeJpeg").Output("image"), CreateDecodeJpeg);
REGISTER_KERNEL(OpSpec("DecodePng").Output("image"), CreateDecodePng);

}  // namespace model_server
