// EncodeJpeg, EncodeJpegVariableQuality and EncodePng: an image [height,
// width, channels] -> a scalar string holding the encoded file, written with
// libjpeg-turbo and libpng the way TensorFlow's jpeg::Compress and
// png::WriteImageToBuffer set them up.
//
// EncodeJpeg: uint8 image with 1 or 3 channels; attrs format ("" picks
// grayscale or rgb from the channels, otherwise it must match them),
// quality 0..100 (default 95; an input of EncodeJpegVariableQuality),
// progressive, optimize_size, chroma_downsampling (false: no 2x2 chroma
// subsampling), density_unit ("in" or "cm"), x_density, y_density (JFIF
// header), xmp_metadata (an APP1 "http://ns.adobe.com/xap/1.0/" marker
// when non-empty).
// EncodePng: uint8 or uint16 image (attr T) with 1 to 4 channels (gray,
// gray + alpha, RGB, RGBA); attr compression -1 (zlib's default) to 9.
// Errors as TensorFlow: "image must be 3-dimensional", "image must have 1 or
// 3 channels", "format <f> expects N channels", "quality must be in
// [0,100]", "compression should be in [-1,9]", "image must have 1, 2, 3, or
// 4 channels".
//
// libjpeg and libpng report fatal errors by longjmp; the functions that
// call setjmp hold only trivially destructible locals, and the output
// string is filled only after encoding finished.
#include <csetjmp>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <memory>
#include <string>

// jpeglib.h needs size_t and FILE first.
// clang-format off
#include <jpeglib.h>
// clang-format on
#include <png.h>

#include "absl/strings/str_cat.h"
#include "runtime/kernels/kernel_util.h"
#include "runtime/op_kernel.h"
#include "runtime/op_registry.h"
#include "runtime/status_macros.h"

namespace model_server {
namespace {

struct JpegSettings {
  int quality = 95;
  bool progressive = false;
  bool optimize_size = false;
  bool chroma_downsampling = true;
  int density_unit = 1;  // 1: dots per inch, 2: per centimetre
  int x_density = 300;
  int y_density = 300;
  std::string xmp_metadata;
};

struct JpegErrorJump {
  jpeg_error_mgr manager;
  jmp_buf jump;
};

void JpegErrorExit(j_common_ptr cinfo) {
  longjmp(reinterpret_cast<JpegErrorJump*>(cinfo->err)->jump, 1);
}

void JpegSilence(j_common_ptr, int) {}

// Encodes into a malloc'ed buffer (*out, *size); false on a libjpeg error.
bool CompressJpeg(const uint8_t* pixels, int height, int width, int channels,
                  const JpegSettings& s, unsigned char** out,
                  unsigned long* size) {  // NOLINT: libjpeg's type
  jpeg_compress_struct cinfo;
  JpegErrorJump error;
  cinfo.err = jpeg_std_error(&error.manager);
  error.manager.error_exit = JpegErrorExit;
  error.manager.emit_message = JpegSilence;
  if (setjmp(error.jump)) {
    jpeg_destroy_compress(&cinfo);
    return false;
  }
  jpeg_create_compress(&cinfo);
  jpeg_mem_dest(&cinfo, out, size);
  cinfo.image_width = width;
  cinfo.image_height = height;
  cinfo.input_components = channels;
  cinfo.in_color_space = channels == 1 ? JCS_GRAYSCALE : JCS_RGB;
  jpeg_set_defaults(&cinfo);
  cinfo.density_unit = s.density_unit;
  cinfo.X_density = s.x_density;
  cinfo.Y_density = s.y_density;
  jpeg_set_quality(&cinfo, s.quality, TRUE);
  if (s.progressive) jpeg_simple_progression(&cinfo);
  if (!s.chroma_downsampling) {
    cinfo.comp_info[0].h_samp_factor = 1;
    cinfo.comp_info[0].v_samp_factor = 1;
  }
  cinfo.optimize_coding = s.optimize_size ? TRUE : FALSE;
  jpeg_start_compress(&cinfo, TRUE);
  if (!s.xmp_metadata.empty()) {
    static const char kXmpHeader[] = "http://ns.adobe.com/xap/1.0/";
    const size_t header = sizeof(kXmpHeader);  // with its NUL
    unsigned char* marker = static_cast<unsigned char*>(
        std::malloc(header + s.xmp_metadata.size()));
    if (marker != nullptr) {
      std::memcpy(marker, kXmpHeader, header);
      std::memcpy(marker + header, s.xmp_metadata.data(),
                  s.xmp_metadata.size());
      jpeg_write_marker(&cinfo, JPEG_APP0 + 1, marker,
                        header + s.xmp_metadata.size());
      std::free(marker);
    }
  }
  while (cinfo.next_scanline < cinfo.image_height) {
    JSAMPROW row = const_cast<JSAMPROW>(
        pixels + static_cast<size_t>(cinfo.next_scanline) * width * channels);
    jpeg_write_scanlines(&cinfo, &row, 1);
  }
  jpeg_finish_compress(&cinfo);
  jpeg_destroy_compress(&cinfo);
  return true;
}

// "image must be 3-dimensional" and the int32 bounds TensorFlow keeps.
absl::Status CheckImageShape(const Tensor& image) {
  if (image.rank() != 3) {
    return absl::InvalidArgumentError(absl::StrCat(
        "image must be 3-dimensional", image.shape().DebugString()));
  }
  if (image.NumElements() >= std::numeric_limits<int32_t>::max()) {
    return absl::InvalidArgumentError(
        "Cannot encode images with >= max int32 elements");
  }
  return absl::OkStatus();
}

absl::Status CheckQuality(int64_t quality) {
  if (quality < 0 || quality > 100) {
    return absl::InvalidArgumentError(
        absl::StrCat("quality must be in [0,100], got ", quality));
  }
  return absl::OkStatus();
}

class EncodeJpegKernel : public OpKernel {
 public:
  EncodeJpegKernel(int format_channels, std::string format,
                   JpegSettings settings, bool variable_quality)
      : format_channels_(format_channels),
        format_(std::move(format)),
        settings_(std::move(settings)),
        variable_quality_(variable_quality) {}

  absl::Status Compute(OpKernelContext& ctx) const override {
    const Tensor& image = ctx.input(0);
    MS_RETURN_IF_ERROR(CheckInputDtype(image, DT_UINT8));
    MS_RETURN_IF_ERROR(CheckImageShape(image));
    JpegSettings settings = settings_;
    if (variable_quality_) {
      const Tensor& quality = ctx.input(1);
      if (quality.rank() != 0 || quality.dtype() != DT_INT32) {
        return absl::InvalidArgumentError(absl::StrCat(
            "quality must be an int32 scalar, got ",
            DataTypeName(quality.dtype()), " ", quality.shape().DebugString()));
      }
      settings.quality = quality.data<int32_t>()[0];
      MS_RETURN_IF_ERROR(CheckQuality(settings.quality));
    }
    const int64_t channels = image.dim(2);
    if (format_channels_ == 0 && channels != 1 && channels != 3) {
      return absl::InvalidArgumentError(
          absl::StrCat("image must have 1 or 3 channels, got ",
                       image.shape().DebugString()));
    }
    if (format_channels_ != 0 && channels != format_channels_) {
      return absl::InvalidArgumentError(
          absl::StrCat("format ", format_, " expects ", format_channels_,
                       " channels, got ", image.shape().DebugString()));
    }
    if (image.dim(0) > JPEG_MAX_DIMENSION ||
        image.dim(1) > JPEG_MAX_DIMENSION || image.dim(0) == 0 ||
        image.dim(1) == 0) {
      return absl::InvalidArgumentError(
          absl::StrCat("JPEG can encode 1 to ", JPEG_MAX_DIMENSION,
                       " rows and columns, got ", image.shape().DebugString()));
    }
    unsigned char* buffer = nullptr;
    unsigned long size = 0;  // NOLINT: libjpeg's type
    const bool ok =
        CompressJpeg(image.data<uint8_t>(), static_cast<int>(image.dim(0)),
                     static_cast<int>(image.dim(1)), static_cast<int>(channels),
                     settings, &buffer, &size);
    std::unique_ptr<unsigned char, decltype(&std::free)> owned(buffer,
                                                               &std::free);
    if (!ok) return absl::InternalError("JPEG encoding failed");
    MS_ASSIGN_OR_RETURN(Tensor * out,
                        ctx.allocate_output(0, DT_STRING, TensorShape{}));
    out->data<std::string>()[0].assign(reinterpret_cast<char*>(buffer), size);
    return absl::OkStatus();
  }

 private:
  const int format_channels_;  // 0: from the image
  const std::string format_;
  const JpegSettings settings_;
  const bool variable_quality_;
};

absl::StatusOr<std::unique_ptr<OpKernel>> CreateEncodeJpeg(
    const KernelConstruction& c, bool variable_quality) {
  MS_RETURN_IF_ERROR(CheckNumInputs(c, variable_quality ? 2 : 1));
  std::string format;
  MS_RETURN_IF_ERROR(c.attrs.GetOr("format", std::string(), &format));
  int format_channels = 0;
  if (format == "grayscale") {
    format_channels = 1;
  } else if (format == "rgb") {
    format_channels = 3;
  } else if (!format.empty()) {
    return c.attrs.Error(
        absl::StrCat("format must be '', 'grayscale' or 'rgb', got ", format));
  }
  JpegSettings s;
  if (!variable_quality) {
    int64_t quality;
    MS_RETURN_IF_ERROR(c.attrs.GetOr("quality", int64_t{95}, &quality));
    if (quality < 0 || quality > 100) {
      return c.attrs.Error(
          absl::StrCat("quality must be in [0,100], got ", quality));
    }
    s.quality = static_cast<int>(quality);
  }
  MS_RETURN_IF_ERROR(c.attrs.GetOr("progressive", false, &s.progressive));
  MS_RETURN_IF_ERROR(c.attrs.GetOr("optimize_size", false, &s.optimize_size));
  MS_RETURN_IF_ERROR(
      c.attrs.GetOr("chroma_downsampling", true, &s.chroma_downsampling));
  std::string unit;
  MS_RETURN_IF_ERROR(c.attrs.GetOr("density_unit", std::string("in"), &unit));
  if (unit != "in" && unit != "cm") {
    return c.attrs.Error(
        absl::StrCat("density_unit must be 'in' or 'cm', got ", unit));
  }
  s.density_unit = unit == "in" ? 1 : 2;
  int64_t x_density, y_density;
  MS_RETURN_IF_ERROR(c.attrs.GetOr("x_density", int64_t{300}, &x_density));
  MS_RETURN_IF_ERROR(c.attrs.GetOr("y_density", int64_t{300}, &y_density));
  if (x_density < 0 || x_density > 65535 || y_density < 0 ||
      y_density > 65535) {
    return c.attrs.Error(
        absl::StrCat("x_density and y_density must be in [0, 65535], got ",
                     x_density, " and ", y_density));
  }
  s.x_density = static_cast<int>(x_density);
  s.y_density = static_cast<int>(y_density);
  MS_RETURN_IF_ERROR(
      c.attrs.GetOr("xmp_metadata", std::string(), &s.xmp_metadata));
  if (s.xmp_metadata.size() > 65000) {
    return c.attrs.Error("xmp_metadata must fit one JPEG marker (65000 bytes)");
  }
  return std::make_unique<EncodeJpegKernel>(format_channels, format,
                                            std::move(s), variable_quality);
}

// libpng writes through this into a std::string.
void AppendPngData(png_structp png, png_bytep data, png_size_t length) {
  auto* out = static_cast<std::string*>(png_get_io_ptr(png));
  out->append(reinterpret_cast<const char*>(data), length);
}

void FlushPngData(png_structp) {}

void PngErrorJump(png_structp png, png_const_charp) { png_longjmp(png, 1); }

void PngWarning(png_structp, png_const_charp) {}

// Rows of `pixels` (height x width x channels samples of bit_depth / 8
// bytes, native-endian) as a PNG appended to *out; false on a libpng error.
bool WritePng(const uint8_t* pixels, int height, int width, int channels,
              int bit_depth, int compression, std::string* out) {
  png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, nullptr,
                                            PngErrorJump, PngWarning);
  if (png == nullptr) return false;
  png_infop info = png_create_info_struct(png);
  if (info == nullptr) {
    png_destroy_write_struct(&png, nullptr);
    return false;
  }
  if (setjmp(png_jmpbuf(png))) {
    png_destroy_write_struct(&png, &info);
    return false;
  }
  static const int kColorTypes[] = {PNG_COLOR_TYPE_GRAY,
                                    PNG_COLOR_TYPE_GRAY_ALPHA,
                                    PNG_COLOR_TYPE_RGB, PNG_COLOR_TYPE_RGBA};
  png_set_write_fn(png, out, AppendPngData, FlushPngData);
  png_set_IHDR(png, info, width, height, bit_depth, kColorTypes[channels - 1],
               PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT,
               PNG_FILTER_TYPE_DEFAULT);
  png_set_compression_level(png, compression);
  png_write_info(png, info);
  if (bit_depth == 16) png_set_swap(png);  // PNG is big-endian; we are not
  const size_t row_bytes =
      static_cast<size_t>(width) * channels * (bit_depth / 8);
  for (int y = 0; y < height; ++y) {
    png_write_row(png, const_cast<png_bytep>(pixels + y * row_bytes));
  }
  png_write_end(png, nullptr);
  png_destroy_write_struct(&png, &info);
  return true;
}

class EncodePngKernel : public OpKernel {
 public:
  EncodePngKernel(DataType dtype, int compression)
      : dtype_(dtype), compression_(compression) {}

  absl::Status Compute(OpKernelContext& ctx) const override {
    const Tensor& image = ctx.input(0);
    MS_RETURN_IF_ERROR(CheckInputDtype(image, dtype_));
    MS_RETURN_IF_ERROR(CheckImageShape(image));
    const int64_t channels = image.dim(2);
    if (channels < 1 || channels > 4) {
      return absl::InvalidArgumentError(absl::StrCat(
          "image must have 1, 2, 3, or 4 channels, got ", channels));
    }
    if (image.dim(0) == 0 || image.dim(1) == 0) {
      return absl::InvalidArgumentError(
          absl::StrCat("PNG needs at least one row and column, got ",
                       image.shape().DebugString()));
    }
    std::string png;
    if (!WritePng(static_cast<const uint8_t*>(image.raw_data()),
                  static_cast<int>(image.dim(0)),
                  static_cast<int>(image.dim(1)), static_cast<int>(channels),
                  dtype_ == DT_UINT16 ? 16 : 8, compression_, &png)) {
      return absl::InternalError("PNG encoding failed");
    }
    MS_ASSIGN_OR_RETURN(Tensor * out,
                        ctx.allocate_output(0, DT_STRING, TensorShape{}));
    out->data<std::string>()[0] = std::move(png);
    return absl::OkStatus();
  }

 private:
  const DataType dtype_;
  const int compression_;
};

absl::StatusOr<std::unique_ptr<OpKernel>> CreateEncodePng(
    const KernelConstruction& c) {
  MS_RETURN_IF_ERROR(CheckNumInputs(c, 1));
  DataType dtype;
  MS_RETURN_IF_ERROR(c.attrs.GetOr("T", DT_UINT8, &dtype));
  if (dtype != DT_UINT8 && dtype != DT_UINT16) {
    return UnsupportedDtypeError(c, dtype);
  }
  int64_t compression;
  MS_RETURN_IF_ERROR(c.attrs.GetOr("compression", int64_t{-1}, &compression));
  if (compression < -1 || compression > 9) {
    return c.attrs.Error(
        absl::StrCat("compression should be in [-1,9], got ", compression));
  }
  return std::make_unique<EncodePngKernel>(dtype,
                                           static_cast<int>(compression));
}

}  // namespace

REGISTER_KERNEL(OpSpec("EncodeJpeg").Output("contents"),
                [](const KernelConstruction& c) {
                  return CreateEncodeJpeg(c, /*variable_quality=*/false);
                });
REGISTER_KERNEL(OpSpec("EncodeJpegVariableQuality").Output("contents"),
                [](const KernelConstruction& c) {
                  return CreateEncodeJpeg(c, /*variable_quality=*/true);
                });
REGISTER_KERNEL(OpSpec("EncodePng").Output("contents"), CreateEncodePng);

}  // namespace model_server
