// GIF decoding with giflib, with TensorFlow's DecodeGif semantics
// (tensorflow/core/lib/gif/gif_io.cc):
// - Every frame is drawn onto a canvas as wide and as high as the largest
//   frame (not the logical screen), 3 channels (RGB). Frame k starts as a
//   copy of frame k - 1; frame 0 starts black. A frame's pixels are placed
//   at its Left/Top offset, clipped to the canvas; a pixel whose index is the
//   frame's transparent colour (from the Graphics Control Extension before
//   it) keeps the canvas value (black in frame 0). The frame's local colour
//   table is used, else the global one; neither is an error, and so is an
//   index past the table's end.
// - Interlaced frames are de-interlaced.
// - all_frames false decodes every frame but returns only the first.
// Differences from TensorFlow, for safety: frames whose pixel counts sum to
// 2^29 or more are refused before any pixel is decoded (TensorFlow would try
// to allocate them); a frame whose pixel data is corrupt or cut short is an
// error (TensorFlow may return it with unset pixels). As in TensorFlow, an
// error after the last complete frame (no trailer, junk records) keeps the
// frames decoded so far, except when the data simply ends too soon.
#ifndef MODEL_SERVER_RUNTIME_KERNELS_IMAGE_GIF_DECODE_H_
#define MODEL_SERVER_RUNTIME_KERNELS_IMAGE_GIF_DECODE_H_

#include <cstdint>

#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace model_server {

// Called once with the output size (frames is 1 when all_frames is false);
// returns a buffer of frames * height * width * channels bytes, row-major,
// or an error, which DecodeGif returns unchanged.
using GifAllocator = absl::FunctionRef<absl::StatusOr<uint8_t*>(
    int64_t frames, int64_t height, int64_t width, int channels)>;

// Malformed data: INVALID_ARGUMENT "Invalid GIF data (size N), <reason>",
// with TensorFlow's reasons ("failed to open gif file: ...", "found color
// index 3 outside of color map range 2", ...).
absl::Status DecodeGif(absl::string_view data, bool all_frames,
                       GifAllocator allocate);

}  // namespace model_server

#endif  // MODEL_SERVER_RUNTIME_KERNELS_IMAGE_GIF_DECODE_H_
