// DecodeJpeg, DecodePng, DecodeBmp and DecodeImage: a scalar string -> an
// image [height, width, channels]. As in TensorFlow's DecodeImageV2Op, the
// ops look at the content's magic bytes, so DecodeJpeg also decodes PNG and
// DecodePng also decodes JPEG; BMP content is decoded only by DecodeBmp and
// DecodeImage, and DecodeBmp decodes nothing else. GIF content is not
// supported yet (UNIMPLEMENTED, by every op including DecodeGif).
//
// DecodeJpeg attrs: channels (0, 1, 3; 4 only for PNG content), ratio (1, 2,
// 4, 8), fancy_upscaling, try_recover_truncated, acceptable_fraction,
// dct_method ("" and "INTEGER_FAST" -> JDCT_IFAST, "INTEGER_ACCURATE" ->
// JDCT_ISLOW). Output uint8.
// DecodePng attrs: channels (0, 1, 3, 4), dtype (uint8 or uint16). JPEG
// content decoded by DecodePng uses TensorFlow's JPEG defaults (JDCT_IFAST,
// fancy upscaling) and for uint16 scales each sample by 256, as TensorFlow.
// DecodeBmp attrs: channels (0, 3, 4). Output uint8.
// DecodeGif: no attrs; decodes JPEG and PNG content to [1, height, width,
// 3] (TensorFlow's frame axis), so TensorFlow 1.x graphs of
// tf.image.decode_image, which hold a DecodeGif branch, load and run for
// every format but GIF itself.
// DecodeImage attrs: channels, dtype (uint8, uint16 or float: 8-bit
// samples scaled by 256 or 1/255, PNG decoded at 16 bits and scaled by
// 1/65535 for float), expand_animations (matters for GIF only).
// Decoding itself: jpeg_decode.h, png_decode.h, bmp_decode.h.
#include <cstdint>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "runtime/kernels/image/bmp_decode.h"
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

absl::string_view FormatName(ImageFormat format) {
  switch (format) {
    case ImageFormat::kJpeg:
      return "JPEG";
    case ImageFormat::kPng:
      return "PNG";
    case ImageFormat::kGif:
      return "GIF";
    case ImageFormat::kBmp:
      return "BMP";
    case ImageFormat::kUnknown:
      break;
  }
  return "UNKNOWN";
}

// Which op a DecodeImageKernel runs for (their format rules differ).
enum class DecodeOp { kJpeg, kPng, kBmp, kGif, kImage };

const char* OpName(DecodeOp op) {
  switch (op) {
    case DecodeOp::kJpeg:
      return "DecodeJpeg";
    case DecodeOp::kPng:
      return "DecodePng";
    case DecodeOp::kBmp:
      return "DecodeBmp";
    case DecodeOp::kGif:
      return "DecodeGif";
    case DecodeOp::kImage:
      break;
  }
  return "DecodeImage";
}

class DecodeImageKernel : public OpKernel {
 public:
  DecodeImageKernel(DecodeOp op, int channels, DataType dtype,
                    JpegDecodeOptions jpeg)
      : op_(op), channels_(channels), dtype_(dtype), jpeg_(jpeg) {}

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
    const ImageFormat format = ClassifyImage(data);
    if (op_ == DecodeOp::kBmp && format != ImageFormat::kBmp &&
        format != ImageFormat::kUnknown) {
      const absl::string_view name = FormatName(format);
      return absl::InvalidArgumentError(absl::StrCat(
          "Trying to decode ", name, " format using DecodeBmp op. Use `decode_",
          absl::AsciiStrToLower(name), "` or `decode_image` instead."));
    }
    switch (format) {
      case ImageFormat::kJpeg:
        return DecodeJpegContent(ctx, data);
      case ImageFormat::kPng:
        return DecodePngContent(ctx, data);
      case ImageFormat::kGif:
        return absl::UnimplementedError("GIF decoding is not supported yet");
      case ImageFormat::kBmp:
        if (op_ != DecodeOp::kBmp && op_ != DecodeOp::kImage) {
          return absl::InvalidArgumentError(
              absl::StrCat("Trying to decode BMP format using a wrong op. Use "
                           "`decode_bmp` or `decode_image` instead. Op used: ",
                           OpName(op_)));
        }
        return DecodeBytes(ctx, [&](ImageAllocator allocate) {
          return DecodeBmp(data, channels_, allocate);
        });
      case ImageFormat::kUnknown:
        break;
    }
    return absl::InvalidArgumentError(
        "Unknown image file format. One of JPEG, PNG, GIF, BMP required.");
  }

 private:
  // [h, w, c], or [1, h, w, c] for DecodeGif (one frame).
  TensorShape ImageShape(int64_t h, int64_t w, int c) const {
    return op_ == DecodeOp::kGif ? TensorShape{1, h, w, c}
                                 : TensorShape{h, w, c};
  }

  absl::Status DecodeJpegContent(OpKernelContext& ctx,
                                 const std::string& data) const {
    if (channels_ == 4) {
      return absl::InvalidArgumentError("JPEG does not support 4 channels");
    }
    JpegDecodeOptions options = jpeg_;
    options.channels = channels_;
    return DecodeBytes(ctx, [&](ImageAllocator allocate) {
      return DecodeJpeg(data, options, allocate);
    });
  }

  // Runs an 8-bit decoder; for uint16 and float outputs, decodes into a
  // scratch buffer and scales by 256 or 1/255 as TensorFlow does.
  template <typename Decode>
  absl::Status DecodeBytes(OpKernelContext& ctx, const Decode& decode) const {
    Tensor* out = nullptr;
    std::vector<uint8_t> bytes;
    MS_RETURN_IF_ERROR(
        decode([&](int64_t h, int64_t w, int c) -> absl::StatusOr<uint8_t*> {
          MS_ASSIGN_OR_RETURN(
              out, ctx.allocate_output(0, dtype_, ImageShape(h, w, c)));
          if (dtype_ == DT_UINT8) return out->data<uint8_t>();
          bytes.resize(static_cast<size_t>(out->NumElements()));
          return bytes.data();
        }));
    if (dtype_ == DT_UINT16) {
      uint16_t* samples = out->data<uint16_t>();
      for (size_t i = 0; i < bytes.size(); ++i) {
        samples[i] = static_cast<uint16_t>(bytes[i] * 256);
      }
    } else if (dtype_ == DT_FLOAT) {
      const float scale = 1. / 255;
      float* samples = out->data<float>();
      for (size_t i = 0; i < bytes.size(); ++i) samples[i] = bytes[i] * scale;
    }
    return absl::OkStatus();
  }

  absl::Status DecodePngContent(OpKernelContext& ctx,
                                const std::string& data) const {
    if (dtype_ != DT_FLOAT) {
      return DecodePng(
          data, channels_, dtype_ == DT_UINT16 ? 16 : 8,
          [&](int64_t h, int64_t w, int c) -> absl::StatusOr<void*> {
            MS_ASSIGN_OR_RETURN(
                Tensor * out,
                ctx.allocate_output(0, dtype_, ImageShape(h, w, c)));
            return out->raw_data();
          });
    }
    // float: decode losslessly at 16 bits, then scale by 1/65535.
    Tensor* out = nullptr;
    std::vector<uint16_t> samples;
    MS_RETURN_IF_ERROR(DecodePng(
        data, channels_, 16,
        [&](int64_t h, int64_t w, int c) -> absl::StatusOr<void*> {
          MS_ASSIGN_OR_RETURN(
              out, ctx.allocate_output(0, DT_FLOAT, ImageShape(h, w, c)));
          samples.resize(static_cast<size_t>(out->NumElements()));
          return samples.data();
        }));
    const float scale = 1. / 65535;
    float* values = out->data<float>();
    for (size_t i = 0; i < samples.size(); ++i) values[i] = samples[i] * scale;
    return absl::OkStatus();
  }

  const DecodeOp op_;
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
  return std::make_unique<DecodeImageKernel>(DecodeOp::kJpeg, channels,
                                             DT_UINT8, options);
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
  return std::make_unique<DecodeImageKernel>(DecodeOp::kPng, channels, dtype,
                                             JpegDecodeOptions());
}

absl::StatusOr<std::unique_ptr<OpKernel>> CreateDecodeBmp(
    const KernelConstruction& c) {
  MS_RETURN_IF_ERROR(CheckNumInputs(c, 1));
  int channels;
  MS_RETURN_IF_ERROR(ReadChannels(c, &channels));
  return std::make_unique<DecodeImageKernel>(DecodeOp::kBmp, channels, DT_UINT8,
                                             JpegDecodeOptions());
}

// DecodeGif has no attrs; it decodes RGB (TensorFlow's channels 3).
absl::StatusOr<std::unique_ptr<OpKernel>> CreateDecodeGif(
    const KernelConstruction& c) {
  MS_RETURN_IF_ERROR(CheckNumInputs(c, 1));
  return std::make_unique<DecodeImageKernel>(DecodeOp::kGif, 3, DT_UINT8,
                                             JpegDecodeOptions());
}

absl::StatusOr<std::unique_ptr<OpKernel>> CreateDecodeImage(
    const KernelConstruction& c) {
  MS_RETURN_IF_ERROR(CheckNumInputs(c, 1));
  int channels;
  MS_RETURN_IF_ERROR(ReadChannels(c, &channels));
  DataType dtype;
  MS_RETURN_IF_ERROR(c.attrs.GetOr("dtype", DT_UINT8, &dtype));
  if (dtype != DT_UINT8 && dtype != DT_UINT16 && dtype != DT_FLOAT) {
    return c.attrs.Error(absl::StrCat(
        "`dtype` for `DecodeImage` must be unit8, unit16, float but got: ",
        DataTypeName(dtype)));
  }
  bool expand_animations;
  MS_RETURN_IF_ERROR(
      c.attrs.GetOr("expand_animations", true, &expand_animations));
  return std::make_unique<DecodeImageKernel>(DecodeOp::kImage, channels, dtype,
                                             JpegDecodeOptions());
}

}  // namespace

REGISTER_KERNEL(OpSpec("DecodeJpeg").Output("image"), CreateDecodeJpeg);
REGISTER_KERNEL(OpSpec("DecodePng").Output("image"), CreateDecodePng);
REGISTER_KERNEL(OpSpec("DecodeBmp").Output("image"), CreateDecodeBmp);
REGISTER_KERNEL(OpSpec("DecodeImage").Output("image"), CreateDecodeImage);
REGISTER_KERNEL(OpSpec("DecodeGif").Output("image"), CreateDecodeGif);

}  // namespace model_server
