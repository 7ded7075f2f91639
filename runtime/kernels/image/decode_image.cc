// DecodeJpeg, DecodePng, DecodeGif, DecodeBmp and DecodeImage: a scalar
// string -> an image [height, width, channels] (DecodeGif: [frames, height,
// width, 3]). As in TensorFlow's DecodeImageV2Op, the ops look at the
// content's magic bytes, so DecodeJpeg also decodes PNG and GIF and DecodeGif
// also decodes JPEG and PNG (as one frame); BMP content is decoded only by
// DecodeBmp and DecodeImage, and DecodeBmp decodes nothing else.
//
// DecodeJpeg attrs: channels (0, 1, 3; 4 only for PNG content), ratio (1, 2,
// 4, 8), fancy_upscaling, try_recover_truncated, acceptable_fraction,
// dct_method ("" and "INTEGER_FAST" -> JDCT_IFAST, "INTEGER_ACCURATE" ->
// JDCT_ISLOW). Output uint8.
// DecodePng attrs: channels (0, 1, 3, 4), dtype (uint8 or uint16). JPEG
// content decoded by DecodePng uses TensorFlow's JPEG defaults (JDCT_IFAST,
// fancy upscaling) and for uint16 scales each sample by 256, as TensorFlow.
// DecodeBmp attrs: channels (0, 3, 4). Output uint8.
// DecodeGif: no attrs; RGB. GIF content given to DecodeJpeg or DecodePng
// must hold one frame (then [height, width, 3]); channels must be 0 or 3.
// DecodeImage attrs: channels, dtype (uint8, uint16 or float: 8-bit
// samples scaled by 256 or 1/255, PNG decoded at 16 bits and scaled by
// 1/65535 for float), expand_animations (GIF: all frames as [frames, height,
// width, 3], or only the first as [height, width, 3]).
// Decoding itself: jpeg_decode.h, png_decode.h, gif_decode.h, bmp_decode.h.
#include <cstdint>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "runtime/kernels/image/bmp_decode.h"
#include "runtime/kernels/image/decode_common.h"
#include "runtime/kernels/image/gif_decode.h"
#include "runtime/kernels/image/image_format.h"
#include "runtime/kernels/image/jpeg_decode.h"
#include "runtime/kernels/image/png_decode.h"
#include "runtime/kernels/kernel_util.h"
#include "runtime/op_kernel.h"
#include "runtime/op_registry.h"
#include "runtime/status_macros.h"

namespace model_server {
namespace {

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
                    JpegDecodeOptions jpeg, bool expand_animations = true)
      : op_(op),
        channels_(channels),
        dtype_(dtype),
        jpeg_(jpeg),
        expand_animations_(expand_animations) {}

  absl::Status Compute(OpKernelContext& ctx) const override {
    MS_ASSIGN_OR_RETURN(const std::string* contents,
                        ImageContents(ctx.input(0)));
    const std::string& data = *contents;
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
        return DecodeGifContent(ctx, data);
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

  // Allocates the output of `shape`; returns where an 8-bit decoder writes:
  // the output itself for uint8, otherwise `bytes`, which ConvertBytes then
  // scales into the output.
  absl::StatusOr<uint8_t*> AllocateBytes(OpKernelContext& ctx,
                                         const TensorShape& shape, Tensor** out,
                                         std::vector<uint8_t>* bytes) const {
    MS_ASSIGN_OR_RETURN(*out, ctx.allocate_output(0, dtype_, shape));
    if (dtype_ == DT_UINT8) return (*out)->data<uint8_t>();
    bytes->resize(static_cast<size_t>((*out)->NumElements()));
    return bytes->data();
  }

  // uint16 and float outputs: 8-bit samples scaled by 256 or 1/255, as
  // TensorFlow does.
  void ConvertBytes(const std::vector<uint8_t>& bytes, Tensor* out) const {
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
  }

  // Runs an 8-bit single-image decoder.
  template <typename Decode>
  absl::Status DecodeBytes(OpKernelContext& ctx, const Decode& decode) const {
    Tensor* out = nullptr;
    std::vector<uint8_t> bytes;
    MS_RETURN_IF_ERROR(
        decode([&](int64_t h, int64_t w, int c) -> absl::StatusOr<uint8_t*> {
          return AllocateBytes(ctx, ImageShape(h, w, c), &out, &bytes);
        }));
    ConvertBytes(bytes, out);
    return absl::OkStatus();
  }

  absl::Status DecodeGifContent(OpKernelContext& ctx,
                                const std::string& data) const {
    if (channels_ != 0 && channels_ != 3) {
      return absl::InvalidArgumentError(
          absl::StrCat("channels must be 0 or 3 for GIF, got ", channels_));
    }
    const bool first_frame_only =
        op_ == DecodeOp::kImage && !expand_animations_;
    Tensor* out = nullptr;
    std::vector<uint8_t> bytes;
    MS_RETURN_IF_ERROR(DecodeGif(
        data, !first_frame_only,
        [&](int64_t frames, int64_t h, int64_t w,
            int c) -> absl::StatusOr<uint8_t*> {
          TensorShape shape{frames, h, w, c};
          if (op_ == DecodeOp::kJpeg || op_ == DecodeOp::kPng) {
            if (frames != 1) {
              return absl::InvalidArgumentError(absl::StrCat(
                  "Got ", frames,
                  " frames, but animated gifs can only be "
                  "decoded by tf.io.decode_gif or tf.io.decode_image"));
            }
            shape = TensorShape{h, w, c};
          } else if (first_frame_only) {
            shape = TensorShape{h, w, c};
          }
          return AllocateBytes(ctx, shape, &out, &bytes);
        }));
    ConvertBytes(bytes, out);
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
  const bool expand_animations_;
};

absl::StatusOr<std::unique_ptr<OpKernel>> CreateDecodeJpeg(
    const KernelConstruction& c) {
  MS_RETURN_IF_ERROR(CheckNumInputs(c, 1));
  int channels;
  MS_RETURN_IF_ERROR(ReadDecodeChannels(c, &channels));
  JpegDecodeOptions options;
  MS_RETURN_IF_ERROR(ReadJpegDecodeAttrs(c, &options));
  return std::make_unique<DecodeImageKernel>(DecodeOp::kJpeg, channels,
                                             DT_UINT8, options);
}

absl::StatusOr<std::unique_ptr<OpKernel>> CreateDecodePng(
    const KernelConstruction& c) {
  MS_RETURN_IF_ERROR(CheckNumInputs(c, 1));
  int channels;
  MS_RETURN_IF_ERROR(ReadDecodeChannels(c, &channels));
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
  MS_RETURN_IF_ERROR(ReadDecodeChannels(c, &channels));
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
  MS_RETURN_IF_ERROR(ReadDecodeChannels(c, &channels));
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
                                             JpegDecodeOptions(),
                                             expand_animations);
}

}  // namespace

REGISTER_KERNEL(OpSpec("DecodeJpeg").Output("image"), CreateDecodeJpeg);
REGISTER_KERNEL(OpSpec("DecodePng").Output("image"), CreateDecodePng);
REGISTER_KERNEL(OpSpec("DecodeBmp").Output("image"), CreateDecodeBmp);
REGISTER_KERNEL(OpSpec("DecodeImage").Output("image"), CreateDecodeImage);
REGISTER_KERNEL(OpSpec("DecodeGif").Output("image"), CreateDecodeGif);

}  // namespace model_server
