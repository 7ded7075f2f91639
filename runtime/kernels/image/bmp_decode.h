// BMP decoding with TensorFlow's DecodeBmp semantics (decode_image_op.cc,
// DecodeBmpV2): uncompressed 8-, 24- or 32-bit pixels at the offset the file
// header gives (bytes 10..13), width at 18, height at 22 (negative: rows
// stored top down), bits per pixel at 28, rows padded to 4 bytes; BGR(A)
// becomes RGB(A).
// - channels 0 keeps the file's channel count (1, 3 or 4); 3 and 4 expand a
//   1-channel file (gray repeated, alpha 255) and 4 adds alpha 255 to a
//   3-channel one; 3 drops a 4-channel file's alpha; 1 is refused.
// - The file must be exactly header + rows long, width * |height| below
//   2^31 / 8; INVALID_ARGUMENT with TensorFlow's texts otherwise.
#ifndef MODEL_SERVER_RUNTIME_KERNELS_IMAGE_BMP_DECODE_H_
#define MODEL_SERVER_RUNTIME_KERNELS_IMAGE_BMP_DECODE_H_

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "runtime/kernels/image/jpeg_decode.h"

namespace model_server {

// `allocate` is called once with the output size; it may fail (e.g.
// RESOURCE_EXHAUSTED), which DecodeBmp returns.
absl::Status DecodeBmp(absl::string_view data, int channels,
                       ImageAllocator allocate);

}  // namespace model_server

#endif  // MODEL_SERVER_RUNTIME_KERNELS_IMAGE_BMP_DECODE_H_
