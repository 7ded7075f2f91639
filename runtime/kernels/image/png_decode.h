// PNG decoding with libpng, with TensorFlow's DecodePng semantics
// (tensorflow/core/lib/png/png_io.cc, CommonInitDecode):
// - channels 0 keeps the file's channels (a palette becomes RGB, or RGBA
//   with a tRNS chunk); 1 and 2 convert colour to gray with
//   png_set_rgb_to_gray(0.299, 0.587); 3 and 4 expand gray to RGB. An even
//   channel count adds alpha (from tRNS, or opaque); an odd one strips it.
// - bits 8 strips 16-bit samples to their high byte; bits 16 from an 8-bit
//   file repeats each byte (v * 257). 16-bit samples come out native-endian.
// - Width or height >= 2^27, or width * height >= 2^29, is refused before
//   any pixel is decoded: "PNG size too large for int: W by H".
// libpng reports errors by longjmp to png_jmpbuf; only functions holding
// trivially destructible locals call setjmp (as in jpeg_decode.h).
#ifndef MODEL_SERVER_RUNTIME_KERNELS_IMAGE_PNG_DECODE_H_
#define MODEL_SERVER_RUNTIME_KERNELS_IMAGE_PNG_DECODE_H_

#include <cstdint>

#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace model_server {

// Called once the output size is known; returns a buffer of
// height * width * channels samples of bits / 8 bytes each.
using PngAllocator = absl::FunctionRef<absl::StatusOr<void*>(
    int64_t height, int64_t width, int channels)>;

// channels: 0..4; bits: 8 or 16. Malformed or truncated data:
// INVALID_ARGUMENT ("Invalid PNG. Failed to initialize decoder." for a bad
// header, "Invalid PNG data, size N" for bad image data).
absl::Status DecodePng(absl::string_view data, int channels, int bits,
                       PngAllocator allocate);

}  // namespace model_server

#endif  // MODEL_SERVER_RUNTIME_KERNELS_IMAGE_PNG_DECODE_H_
