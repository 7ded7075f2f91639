#include "runtime/kernels/image/bmp_decode.h"

#include <cstdint>
#include <cstdlib>
#include <limits>

#include "absl/strings/str_cat.h"
#include "runtime/status_macros.h"

namespace model_server {
namespace {

// Little-endian fields of the BMP headers.
int32_t Int32At(absl::string_view data, size_t offset) {
  const auto* p = reinterpret_cast<const uint8_t*>(data.data()) + offset;
  return static_cast<int32_t>(
      static_cast<uint32_t>(p[0]) | static_cast<uint32_t>(p[1]) << 8 |
      static_cast<uint32_t>(p[2]) << 16 | static_cast<uint32_t>(p[3]) << 24);
}

int16_t Int16At(absl::string_view data, size_t offset) {
  const auto* p = reinterpret_cast<const uint8_t*>(data.data()) + offset;
  return static_cast<int16_t>(static_cast<uint16_t>(p[0]) |
                              static_cast<uint16_t>(p[1]) << 8);
}

}  // namespace

absl::Status DecodeBmp(absl::string_view data, int channels,
                       ImageAllocator allocate) {
  if (channels == 1) {
    return absl::InvalidArgumentError(
        "`channels` must be 0, 3 or 4 for BMP, but got 1");
  }
  if (data.size() < 32) {
    return absl::InvalidArgumentError(absl::StrCat(
        "Incomplete bmp content, requires at least 32 bytes to find the "
        "header size, width, height, and bpp, got ",
        data.size(), " bytes"));
  }
  const int32_t header_size = Int32At(data, 10);
  const int32_t width = Int32At(data, 18);
  const int32_t height = Int32At(data, 22);
  const int file_channels = Int16At(data, 28) / 8;
  if (file_channels != 1 && file_channels != 3 && file_channels != 4) {
    return absl::InvalidArgumentError(absl::StrCat(
        "Number of channels inherent in the image must be 1, 3 or 4, was ",
        file_channels));
  }
  const int out_channels = channels != 0 ? channels : file_channels;
  if (width <= 0) return absl::InvalidArgumentError("Width must be positive");
  if (height == 0) {
    return absl::InvalidArgumentError("Height must be nonzero");
  }
  if (header_size < 0) {
    return absl::InvalidArgumentError("header size must be nonnegative");
  }
  const int64_t rows = std::abs(static_cast<int64_t>(height));
  if (int64_t{width} * rows >= std::numeric_limits<int32_t>::max() / 8) {
    return absl::InvalidArgumentError(
        "Total possible pixel bytes must be less than 2^30");
  }
  const int64_t row_size = (int64_t{file_channels} * width + 3) / 4 * 4;
  const int64_t size_diff =
      static_cast<int64_t>(data.size()) - header_size - row_size * rows;
  if (size_diff != 0) {
    return absl::InvalidArgumentError(absl::StrCat(
        "Input size should match (header_size + row_size * abs_height) but "
        "they differ by ",
        size_diff));
  }
  MS_ASSIGN_OR_RETURN(uint8_t * out, allocate(rows, width, out_channels));
  const auto* pixels =
      reinterpret_cast<const uint8_t*>(data.data()) + header_size;
  const bool top_down = height < 0;
  for (int64_t y = 0; y < rows; ++y) {
    const uint8_t* src = pixels + (top_down ? y : rows - 1 - y) * row_size;
    uint8_t* dst = out + y * width * out_channels;
    for (int64_t x = 0; x < width;
         ++x, src += file_channels, dst += out_channels) {
      if (file_channels == 1) {
        for (int c = 0; c < out_channels && c < 3; ++c) dst[c] = src[0];
      } else {
        dst[0] = src[2];
        dst[1] = src[1];
        dst[2] = src[0];
      }
      if (out_channels == 4) dst[3] = file_channels == 4 ? src[3] : 255;
    }
  }
  return absl::OkStatus();
}

}  // namespace model_server
