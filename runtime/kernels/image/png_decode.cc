#include "runtime/kernels/image/png_decode.h"

#include <png.h>

#include <csetjmp>
#include <cstring>
#include <vector>

#include "absl/strings/str_cat.h"
#include "runtime/status_macros.h"

namespace model_server {
namespace {

// Plain data shared with the setjmp-calling functions through a pointer.
struct PngState {
  png_structp png;
  png_infop info;
  const unsigned char* data;
  size_t left;
  png_uint_32 width, height;
  int bit_depth, color_type;
  int channels;
  int passes;
  bool synthesize_16;
};

void ReadFromMemory(png_structp png, png_bytep out, png_size_t length) {
  auto* s = static_cast<PngState*>(png_get_io_ptr(png));
  if (length > s->left) png_error(png, "PNG data truncated");
  std::memcpy(out, s->data, length);
  s->data += length;
  s->left -= length;
}

[[noreturn]] void ErrorHandler(png_structp png, png_const_charp) {
  png_longjmp(png, 1);
}
void WarningHandler(png_structp, png_const_charp) {}

// Phase 1: header and transformations. False on a libpng error.
bool ReadHeader(PngState* s, int desired_channels, int bits) {
  s->png = png_create_read_struct(PNG_LIBPNG_VER_STRING, nullptr, ErrorHandler,
                                  WarningHandler);
  if (s->png == nullptr) return false;
  if (setjmp(png_jmpbuf(s->png))) return false;
  s->info = png_create_info_struct(s->png);
  if (s->info == nullptr) return false;
  png_set_read_fn(s->png, s, ReadFromMemory);
  png_read_info(s->png, s->info);
  png_get_IHDR(s->png, s->info, &s->width, &s->height, &s->bit_depth,
               &s->color_type, nullptr, nullptr, nullptr);
  if (s->width == 0 || s->height == 0) return false;
  const bool has_trns = png_get_valid(s->png, s->info, PNG_INFO_tRNS) != 0;
  s->channels = desired_channels;
  if (s->channels == 0) {
    s->channels = s->color_type == PNG_COLOR_TYPE_PALETTE
                      ? (has_trns ? 4 : 3)
                      : png_get_channels(s->png, s->info);
  }
  const bool has_alpha = (s->color_type & PNG_COLOR_MASK_ALPHA) != 0;
  if (s->channels % 2 == 0) {
    if (!has_alpha) {
      if (has_trns) {
        png_set_tRNS_to_alpha(s->png);
      } else {
        png_set_add_alpha(s->png, (1u << s->bit_depth) - 1, PNG_FILLER_AFTER);
      }
    }
  } else if (has_alpha || has_trns) {
    png_set_strip_alpha(s->png);
  }
  if (s->bit_depth > 8 && bits == 8) png_set_strip_16(s->png);
  s->synthesize_16 = s->bit_depth <= 8 && bits == 16;
  png_set_packing(s->png);
  s->passes = png_set_interlace_handling(s->png);
  if (bits == 16 && s->bit_depth > 8) {
    const uint16_t probe = 1;
    unsigned char first_byte;
    std::memcpy(&first_byte, &probe, 1);
    if (first_byte == 1) png_set_swap(s->png);  // little-endian host
  }
  if (s->color_type == PNG_COLOR_TYPE_PALETTE) png_set_palette_to_rgb(s->png);
  const bool is_gray = (s->color_type & PNG_COLOR_MASK_COLOR) == 0;
  if (is_gray && s->bit_depth < 8) png_set_expand_gray_1_2_4_to_8(s->png);
  if (s->channels < 3) {
    if (!is_gray) png_set_rgb_to_gray(s->png, 1, 0.299, 0.587);
  } else if (is_gray) {
    png_set_gray_to_rgb(s->png);
  }
  png_read_update_info(s->png, s->info);
  return true;
}

// Phase 2: every row of every interlace pass. False on a libpng error.
bool ReadRows(PngState* s, unsigned char* out, size_t row_bytes) {
  if (setjmp(png_jmpbuf(s->png))) return false;
  for (int pass = 0; pass < s->passes; ++pass) {
    for (png_uint_32 y = 0; y < s->height; ++y) {
      png_read_row(s->png, out + y * row_bytes, nullptr);
    }
  }
  png_read_end(s->png, nullptr);
  return true;
}

}  // namespace

absl::Status DecodePng(absl::string_view data, int channels, int bits,
                       PngAllocator allocate) {
  PngState state;
  std::memset(&state, 0, sizeof(state));
  state.data = reinterpret_cast<const unsigned char*>(data.data());
  state.left = data.size();
  struct Destroy {
    PngState* s;
    ~Destroy() {
      if (s->png != nullptr) {
        png_destroy_read_struct(&s->png, s->info ? &s->info : nullptr, nullptr);
      }
    }
  } destroy{&state};

  if (!ReadHeader(&state, channels, bits)) {
    return absl::InvalidArgumentError(
        "Invalid PNG. Failed to initialize decoder.");
  }
  const int64_t width = state.width, height = state.height;
  if (width >= (int64_t{1} << 27) || height >= (int64_t{1} << 27) ||
      width * height >= (int64_t{1} << 29)) {
    return absl::InvalidArgumentError(
        absl::StrCat("PNG size too large for int: ", width, " by ", height));
  }
  MS_ASSIGN_OR_RETURN(void* out, allocate(height, width, state.channels));
  const size_t samples = static_cast<size_t>(width) * state.channels;
  bool ok;
  if (state.synthesize_16) {
    std::vector<unsigned char> rows8(samples * height);
    ok = ReadRows(&state, rows8.data(), samples);
    auto* out16 = static_cast<uint16_t*>(out);
    for (size_t i = 0; i < rows8.size(); ++i) {
      out16[i] = static_cast<uint16_t>(rows8[i] * 257);
    }
  } else {
    ok = ReadRows(&state, static_cast<unsigned char*>(out),
                  samples * (bits / 8));
  }
  if (!ok) {
    return absl::InvalidArgumentError(
        absl::StrCat("Invalid PNG data, size ", data.size()));
  }
  return absl::OkStatus();
}

}  // namespace model_server
