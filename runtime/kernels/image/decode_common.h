// What the image decode ops share: their attrs, read and checked as
// TensorFlow's DecodeImageV2Op constructor does, and their `contents` input.
#ifndef MODEL_SERVER_RUNTIME_KERNELS_IMAGE_DECODE_COMMON_H_
#define MODEL_SERVER_RUNTIME_KERNELS_IMAGE_DECODE_COMMON_H_

#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "runtime/kernels/image/jpeg_decode.h"
#include "runtime/op_kernel.h"
#include "runtime/tensor.h"

namespace model_server {

// The encoded image: `contents` must be a non-empty scalar string
// (INVALID_ARGUMENT with TensorFlow's texts otherwise).
absl::StatusOr<const std::string*> ImageContents(const Tensor& contents);

// `channels` (default 0): 0, 1, 3 or 4.
absl::Status ReadDecodeChannels(const KernelConstruction& c, int* channels);

// DecodeJpeg's and DecodeAndCropJpeg's ratio (1, 2, 4, 8), fancy_upscaling,
// try_recover_truncated, acceptable_fraction and dct_method ("",
// "INTEGER_FAST", "INTEGER_ACCURATE"); channels is left to the caller.
absl::Status ReadJpegDecodeAttrs(const KernelConstruction& c,
                                 JpegDecodeOptions* options);

}  // namespace model_server

#endif  // MODEL_SERVER_RUNTIME_KERNELS_IMAGE_DECODE_COMMON_H_
