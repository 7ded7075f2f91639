#include "runtime/kernels/image/gif_decode.h"

#include <gif_lib.h>

#include <algorithm>
#include <cstring>
#include <memory>
#include <vector>

#include "absl/strings/str_cat.h"
#include "runtime/status_macros.h"

namespace model_server {
namespace {

constexpr int64_t kMaxDecodedPixels = int64_t{1} << 29;
constexpr int kChannels = 3;

// giflib pulls its input through a callback; this is the unread rest.
struct UnreadInput {
  const GifByteType* next;
  size_t left;
};

int ReadInput(GifFileType* gif, GifByteType* out, int size) {
  auto* input = static_cast<UnreadInput*>(gif->UserData);
  if (size <= 0) return 0;
  const size_t n = std::min(static_cast<size_t>(size), input->left);
  std::memcpy(out, input->next, n);
  input->next += n;
  input->left -= n;
  return static_cast<int>(n);
}

const char* GifErrorText(int code) {
  const char* text = GifErrorString(code);
  return text != nullptr ? text : "Unknown error";
}

struct GifCloser {
  void operator()(GifFileType* gif) const {
    int error = D_GIF_SUCCEEDED;
    DGifCloseFile(gif, &error);
  }
};

absl::Status InvalidGif(absl::string_view data, absl::string_view reason) {
  return absl::InvalidArgumentError(
      absl::StrCat("Invalid GIF data (size ", data.size(), "), ", reason));
}

// One frame as stored: its place on the canvas, its colour table (empty when
// neither a local nor a global one exists), its transparent colour index and
// its pixels' colour indices, de-interlaced.
struct Frame {
  int left = 0;
  int top = 0;
  int width = 0;
  int height = 0;
  std::vector<GifColorType> palette;
  int transparent = NO_TRANSPARENT_COLOR;
  std::vector<GifPixelType> indices;
};

// Reads the pixel data that follows the image descriptor just read.
bool ReadIndices(GifFileType* gif, Frame* frame) {
  frame->indices.resize(static_cast<size_t>(frame->width) * frame->height);
  if (!gif->Image.Interlace) {
    return DGifGetLine(gif, frame->indices.data(),
                       static_cast<int>(frame->indices.size())) == GIF_OK;
  }
  // Interlaced rows come in four passes: every 8th row from row 0, every 8th
  // from row 4, every 4th from row 2, every 2nd from row 1.
  constexpr int kFirstRow[] = {0, 4, 2, 1};
  constexpr int kRowStep[] = {8, 8, 4, 2};
  for (int pass = 0; pass < 4; ++pass) {
    for (int row = kFirstRow[pass]; row < frame->height;
         row += kRowStep[pass]) {
      GifPixelType* line =
          frame->indices.data() + static_cast<size_t>(row) * frame->width;
      if (DGifGetLine(gif, line, frame->width) != GIF_OK) return false;
    }
  }
  return true;
}

// The first Graphics Control Extension since the previous frame decides the
// next frame's transparent colour (giflib's DGifSavedExtensionToGCB).
struct PendingControl {
  bool seen = false;
  int transparent = NO_TRANSPARENT_COLOR;

  void Read(const GifByteType* block) {
    if (seen) return;
    seen = true;
    // block[0] is the length; a well-formed block is 4 bytes: flags, delay
    // (2 bytes), transparent index; bit 0 of flags says it is used.
    if (block[0] == 4 && (block[1] & 0x01) != 0) transparent = block[4];
  }
};

// Reads every record up to the trailer. A failure inside a frame's pixel
// data is an error; one between frames keeps the frames read so far (as
// TensorFlow, whose DGifSlurp failure keeps complete frames), unless the
// data ended too soon or no frame was read.
absl::StatusOr<std::vector<Frame>> ReadFrames(GifFileType* gif,
                                              absl::string_view data) {
  std::vector<Frame> frames;
  int64_t pixels = 0;
  PendingControl control;
  auto slurp_error = [&] {
    return InvalidGif(data, absl::StrCat("failed to slurp gif file: ",
                                         GifErrorText(gif->Error)));
  };
  auto stop_between_frames = [&]() -> absl::StatusOr<std::vector<Frame>> {
    if (frames.empty() || gif->Error == D_GIF_ERR_EOF_TOO_SOON) {
      return slurp_error();
    }
    return std::move(frames);
  };
  GifRecordType type = UNDEFINED_RECORD_TYPE;
  do {
    if (DGifGetRecordType(gif, &type) != GIF_OK) return stop_between_frames();
    if (type == IMAGE_DESC_RECORD_TYPE) {
      if (DGifGetImageDesc(gif) != GIF_OK) return stop_between_frames();
      const GifImageDesc& desc = gif->Image;
      if (desc.Width <= 0 || desc.Height <= 0) {
        return InvalidGif(data, absl::StrCat("failed to slurp gif file: frame ",
                                             frames.size(), " is ", desc.Width,
                                             " by ", desc.Height, " pixels"));
      }
      pixels += int64_t{desc.Width} * desc.Height;
      if (pixels >= kMaxDecodedPixels) {
        return InvalidGif(data, absl::StrCat("its frames hold ", pixels,
                                             " pixels or more; the limit is ",
                                             kMaxDecodedPixels));
      }
      Frame frame;
      frame.left = desc.Left;
      frame.top = desc.Top;
      frame.width = desc.Width;
      frame.height = desc.Height;
      const ColorMapObject* map =
          desc.ColorMap != nullptr ? desc.ColorMap : gif->SColorMap;
      if (map != nullptr) {
        frame.palette.assign(map->Colors, map->Colors + map->ColorCount);
      }
      frame.transparent = control.transparent;
      control = PendingControl();
      if (!ReadIndices(gif, &frame)) return slurp_error();
      frames.push_back(std::move(frame));
    } else if (type == EXTENSION_RECORD_TYPE) {
      int code = 0;
      GifByteType* block = nullptr;
      if (DGifGetExtension(gif, &code, &block) != GIF_OK) {
        return stop_between_frames();
      }
      if (code == GRAPHICS_EXT_FUNC_CODE && block != nullptr) {
        control.Read(block);
      }
      while (block != nullptr) {
        if (DGifGetExtensionNext(gif, &block) != GIF_OK) {
          return stop_between_frames();
        }
      }
    }
  } while (type != TERMINATE_RECORD_TYPE);
  return frames;
}

// Draws `count` frames onto consecutive canvases of height x width x 3.
absl::Status DrawFrames(absl::string_view data,
                        const std::vector<Frame>& frames, int64_t count,
                        int64_t height, int64_t width, uint8_t* out) {
  const int64_t canvas_bytes = height * width * kChannels;
  for (int64_t k = 0; k < count; ++k) {
    uint8_t* canvas = out + k * canvas_bytes;
    if (k == 0) {
      std::memset(canvas, 0, static_cast<size_t>(canvas_bytes));
    } else {
      std::memcpy(canvas, canvas - canvas_bytes,
                  static_cast<size_t>(canvas_bytes));
    }
    const Frame& frame = frames[static_cast<size_t>(k)];
    if (frame.palette.empty()) {
      return InvalidGif(data, absl::StrCat("missing color map for frame ", k));
    }
    const int64_t bottom = std::min<int64_t>(frame.top + frame.height, height);
    const int64_t right = std::min<int64_t>(frame.left + frame.width, width);
    for (int64_t i = frame.top; i < bottom; ++i) {
      const GifPixelType* indices =
          frame.indices.data() + (i - frame.top) * frame.width;
      uint8_t* row = canvas + i * width * kChannels;
      for (int64_t j = frame.left; j < right; ++j) {
        const int index = indices[j - frame.left];
        if (index == frame.transparent) continue;
        if (static_cast<size_t>(index) >= frame.palette.size()) {
          return InvalidGif(data, absl::StrCat("found color index ", index,
                                               " outside of color map range ",
                                               frame.palette.size()));
        }
        const GifColorType& color = frame.palette[static_cast<size_t>(index)];
        row[j * kChannels + 0] = color.Red;
        row[j * kChannels + 1] = color.Green;
        row[j * kChannels + 2] = color.Blue;
      }
    }
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status DecodeGif(absl::string_view data, bool all_frames,
                       GifAllocator allocate) {
  UnreadInput input{reinterpret_cast<const GifByteType*>(data.data()),
                    data.size()};
  int error = D_GIF_SUCCEEDED;
  std::unique_ptr<GifFileType, GifCloser> gif(
      DGifOpen(&input, &ReadInput, &error));
  if (gif == nullptr) {
    return InvalidGif(
        data, absl::StrCat("failed to open gif file: ", GifErrorText(error)));
  }
  MS_ASSIGN_OR_RETURN(std::vector<Frame> frames, ReadFrames(gif.get(), data));
  if (frames.empty()) {
    return InvalidGif(data, "gif file does not contain any image");
  }
  int64_t height = 0;
  int64_t width = 0;
  for (const Frame& frame : frames) {
    height = std::max<int64_t>(height, frame.height);
    width = std::max<int64_t>(width, frame.width);
  }
  const int64_t count = all_frames ? static_cast<int64_t>(frames.size()) : 1;
  MS_ASSIGN_OR_RETURN(uint8_t * out, allocate(count, height, width, kChannels));
  return DrawFrames(data, frames, count, height, width, out);
}

}  // namespace model_server
