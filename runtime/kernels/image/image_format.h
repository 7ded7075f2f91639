// Which image format a string holds, by its magic bytes, as TensorFlow's
// ClassifyFileFormat: the decode ops choose their decoder by it, not by
// their name.
#ifndef MODEL_SERVER_RUNTIME_KERNELS_IMAGE_IMAGE_FORMAT_H_
#define MODEL_SERVER_RUNTIME_KERNELS_IMAGE_IMAGE_FORMAT_H_

#include "absl/strings/match.h"
#include "absl/strings/string_view.h"

namespace model_server {

enum class ImageFormat { kJpeg, kPng, kGif, kBmp, kUnknown };

inline ImageFormat ClassifyImage(absl::string_view data) {
  if (absl::StartsWith(data, "\xff\xd8\xff")) return ImageFormat::kJpeg;
  if (absl::StartsWith(data, "\x89PNG\r\n\x1a\n")) return ImageFormat::kPng;
  if (absl::StartsWith(data, "GIF8")) return ImageFormat::kGif;
  if (absl::StartsWith(data, "BM")) return ImageFormat::kBmp;
  return ImageFormat::kUnknown;
}

// "JPEG", "PNG", "GIF", "BMP" or "UNKNOWN", as TensorFlow's messages say.
inline absl::string_view FormatName(ImageFormat format) {
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

}  // namespace model_server

#endif  // MODEL_SERVER_RUNTIME_KERNELS_IMAGE_IMAGE_FORMAT_H_
