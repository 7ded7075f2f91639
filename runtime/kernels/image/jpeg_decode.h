// JPEG decoding with libjpeg-turbo, with TensorFlow's DecodeJpeg semantics
// (tensorflow/core/lib/jpeg/jpeg_mem.cc):
// - channels 0 keeps the file's component count, capped at 3; 1 decodes to
//   grayscale, 3 to RGB. CMYK/YCCK files are decoded to CMYK by libjpeg and
//   converted to RGB as TensorFlow does (inverted when an Adobe marker says
//   so).
// - ratio (1, 2, 4, 8) is libjpeg's scale_denom; fancy_upscaling its
//   do_fancy_upsampling; integer_accurate selects JDCT_ISLOW, otherwise
//   JDCT_IFAST (TensorFlow's default for dct_method "" and "INTEGER_FAST").
// - Images whose height * width * file components reach 2^29 are refused
//   before any pixel is decoded (the decompression-bomb bound).
// - Truncated data is an error unless try_recover_truncated: then a fake EOI
//   ends the stream and missing rows repeat the last one. If libjpeg stops
//   early, fewer than acceptable_fraction of the rows is an error; otherwise
//   the missing rows are black.
//
// libjpeg reports fatal errors by calling error_exit, which here longjmps
// back into small functions that hold only trivially destructible locals; no
// C++ object lives across a setjmp, so nothing is skipped by the jump.
#ifndef MODEL_SERVER_RUNTIME_KERNELS_IMAGE_JPEG_DECODE_H_
#define MODEL_SERVER_RUNTIME_KERNELS_IMAGE_JPEG_DECODE_H_

#include <cstdint>

#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace model_server {

struct JpegDecodeOptions {
  int channels = 0;  // 0, 1 or 3
  int ratio = 1;     // 1, 2, 4 or 8
  bool fancy_upscaling = true;
  bool try_recover_truncated = false;
  float acceptable_fraction = 1.0f;
  bool integer_accurate = false;  // JDCT_ISLOW instead of JDCT_IFAST
};

// Called once the output size is known; returns a buffer of
// height * width * channels bytes (row-major HWC) or an error (e.g.
// RESOURCE_EXHAUSTED), which DecodeJpeg returns.
using ImageAllocator = absl::FunctionRef<absl::StatusOr<uint8_t*>(
    int64_t height, int64_t width, int channels)>;

// Decodes `data` into the buffer `allocate` returns. Malformed, truncated or
// oversized data: INVALID_ARGUMENT with TensorFlow's text
// "jpeg::Uncompress failed. Invalid JPEG data or crop window.".
absl::Status DecodeJpeg(absl::string_view data,
                        const JpegDecodeOptions& options,
                        ImageAllocator allocate);

}  // namespace model_server

#endif  // MODEL_SERVER_RUNTIME_KERNELS_IMAGE_JPEG_DECODE_H_
