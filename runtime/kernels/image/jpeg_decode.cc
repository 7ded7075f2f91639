#include "runtime/kernels/image/jpeg_decode.h"

#include <csetjmp>
#include <cstddef>
#include <cstdio>
#include <cstring>
#include <vector>

// jpeglib.h needs size_t and FILE first; jerror.h (the message codes) needs
// jpeglib.h.
// clang-format off
#include <jpeglib.h>
#include <jerror.h>
// clang-format on

#include "runtime/status_macros.h"

namespace model_server {
namespace {

constexpr char kInvalidJpeg[] =
    "jpeg::Uncompress failed. Invalid JPEG data or crop window.";
// TensorFlow refuses height * width * file components >= 2^29.
constexpr int64_t kMaxDecodedSamples = int64_t{1} << 29;

// Everything one decode needs, plain data only: the functions that call
// setjmp work on it through a pointer and own no C++ objects.
struct DecodeState {
  jpeg_decompress_struct cinfo;
  struct ErrorManager {
    jpeg_error_mgr pub;
    std::jmp_buf jump;
  } err;
  struct Source {
    jpeg_source_mgr pub;
    const JOCTET* data;
    size_t size;
    bool try_recover_truncated;
    bool inserted_eoi;
  } src;
  bool created;
  int components;   // output channels
  int height_read;  // rows libjpeg delivered (or filled by recovery)
};

const JOCTET kFakeEoi[2] = {0xFF, JPEG_EOI};

[[noreturn]] void ErrorExit(j_common_ptr cinfo) {
  auto* err = reinterpret_cast<DecodeState::ErrorManager*>(cinfo->err);
  std::longjmp(err->jump, 1);
}

void SilentMessage(j_common_ptr) {}

void InitSource(j_decompress_ptr) {}
void TermSource(j_decompress_ptr) {}

// The whole input is in memory, so running out means the data is
// truncated: an error, or with try_recover_truncated a fake EOI once.
boolean FillInputBuffer(j_decompress_ptr cinfo) {
  auto* src = reinterpret_cast<DecodeState::Source*>(cinfo->src);
  if (src->try_recover_truncated && !src->inserted_eoi) {
    cinfo->err->msg_code = JWRN_JPEG_EOF;
    cinfo->err->emit_message(reinterpret_cast<j_common_ptr>(cinfo), -1);
    src->inserted_eoi = true;
    src->pub.next_input_byte = kFakeEoi;
    src->pub.bytes_in_buffer = 2;
    return TRUE;
  }
  cinfo->err->msg_code = JERR_FILE_READ;
  cinfo->err->error_exit(reinterpret_cast<j_common_ptr>(cinfo));
  return FALSE;
}

void SkipInputData(j_decompress_ptr cinfo, long num_bytes) {  // NOLINT
  auto* src = reinterpret_cast<DecodeState::Source*>(cinfo->src);
  if (num_bytes <= 0) return;
  size_t skip = static_cast<size_t>(num_bytes);
  while (skip > src->pub.bytes_in_buffer) {
    skip -= src->pub.bytes_in_buffer;
    src->pub.bytes_in_buffer = 0;
    FillInputBuffer(cinfo);  // error-exits unless it inserts the fake EOI
  }
  src->pub.next_input_byte += skip;
  src->pub.bytes_in_buffer -= skip;
}

// Phase 1: header and decompression parameters. False on a libjpeg error.
bool ReadHeader(DecodeState* s, absl::string_view data,
                const JpegDecodeOptions& options) {
  s->cinfo.err = jpeg_std_error(&s->err.pub);
  s->err.pub.error_exit = ErrorExit;
  s->err.pub.output_message = SilentMessage;
  if (setjmp(s->err.jump)) return false;
  jpeg_create_decompress(&s->cinfo);
  s->created = true;
  s->src.pub.init_source = InitSource;
  s->src.pub.fill_input_buffer = FillInputBuffer;
  s->src.pub.skip_input_data = SkipInputData;
  s->src.pub.resync_to_restart = jpeg_resync_to_restart;
  s->src.pub.term_source = TermSource;
  s->src.pub.next_input_byte = reinterpret_cast<const JOCTET*>(data.data());
  s->src.pub.bytes_in_buffer = data.size();
  s->src.data = s->src.pub.next_input_byte;
  s->src.size = data.size();
  s->src.try_recover_truncated = options.try_recover_truncated;
  s->src.inserted_eoi = false;
  s->cinfo.src = &s->src.pub;
  jpeg_read_header(&s->cinfo, TRUE);

  s->components =
      options.channels == 0
          ? (s->cinfo.num_components < 3 ? s->cinfo.num_components : 3)
          : options.channels;
  if (s->components == 1) {
    s->cinfo.out_color_space = JCS_GRAYSCALE;
  } else if (s->components == 3) {
    s->cinfo.out_color_space = (s->cinfo.jpeg_color_space == JCS_CMYK ||
                                s->cinfo.jpeg_color_space == JCS_YCCK)
                                   ? JCS_CMYK
                                   : JCS_RGB;
  } else {
    return false;
  }
  s->cinfo.do_fancy_upsampling = options.fancy_upscaling ? TRUE : FALSE;
  s->cinfo.scale_num = 1;
  s->cinfo.scale_denom = options.ratio;
  s->cinfo.dct_method = options.integer_accurate ? JDCT_ISLOW : JDCT_IFAST;
  jpeg_calc_output_dimensions(&s->cinfo);
  return true;
}

void CmykRowToRgb(const JSAMPLE* cmyk, JDIMENSION width, bool adobe,
                  uint8_t* rgb) {
  for (JDIMENSION i = 0; i < width; ++i) {
    const int c = cmyk[4 * i], m = cmyk[4 * i + 1], y = cmyk[4 * i + 2],
              k = cmyk[4 * i + 3];
    if (adobe) {
      rgb[3 * i] = static_cast<uint8_t>(k * c / 255);
      rgb[3 * i + 1] = static_cast<uint8_t>(k * m / 255);
      rgb[3 * i + 2] = static_cast<uint8_t>(k * y / 255);
    } else {
      rgb[3 * i] = static_cast<uint8_t>((255 - k) * (255 - c) / 255);
      rgb[3 * i + 1] = static_cast<uint8_t>((255 - k) * (255 - m) / 255);
      rgb[3 * i + 2] = static_cast<uint8_t>((255 - k) * (255 - y) / 255);
    }
  }
}

// Phase 2: decodes every row into `out` (rows of `stride` bytes).
// `cmyk_row` holds one CMYK row when the output colour space is CMYK.
// False on a libjpeg error.
bool ReadRows(DecodeState* s, uint8_t* out, size_t stride, JSAMPLE* cmyk_row) {
  if (setjmp(s->err.jump)) return false;
  jpeg_start_decompress(&s->cinfo);
  const JDIMENSION height = s->cinfo.output_height;
  const bool cmyk = s->cinfo.out_color_space == JCS_CMYK;
  s->height_read = static_cast<int>(height);
  bool stopped_early = false;
  while (s->cinfo.output_scanline < height) {
    uint8_t* row = out + s->cinfo.output_scanline * stride;
    JSAMPROW target = cmyk ? cmyk_row : row;
    const JDIMENSION line = s->cinfo.output_scanline;
    if (jpeg_read_scanlines(&s->cinfo, &target, 1) == 0) {
      if (!s->src.try_recover_truncated) {
        s->height_read = static_cast<int>(line);
        stopped_early = true;
      } else {
        for (JDIMENSION y = line; y < height; ++y) {
          uint8_t* fill = out + y * stride;
          if (y == 0) {
            std::memset(fill, 0, stride);
          } else {
            std::memcpy(fill, fill - stride, stride);
          }
        }
        s->cinfo.output_scanline = height;
      }
      break;
    }
    if (cmyk) {
      CmykRowToRgb(cmyk_row, s->cinfo.output_width, s->cinfo.saw_Adobe_marker,
                   row);
    }
  }
  const int expected_components = cmyk ? 4 : s->components;
  if (stopped_early || s->cinfo.output_components != expected_components) {
    jpeg_abort(reinterpret_cast<j_common_ptr>(&s->cinfo));
  } else {
    jpeg_finish_decompress(&s->cinfo);
  }
  return true;
}

}  // namespace

absl::Status DecodeJpeg(absl::string_view data,
                        const JpegDecodeOptions& options,
                        ImageAllocator allocate) {
  if (data.empty()) return absl::InvalidArgumentError(kInvalidJpeg);
  DecodeState state;
  std::memset(&state, 0, sizeof(state));
  struct Destroy {
    DecodeState* s;
    ~Destroy() {
      if (s->created) jpeg_destroy_decompress(&s->cinfo);
    }
  } destroy{&state};

  if (!ReadHeader(&state, data, options)) {
    return absl::InvalidArgumentError(kInvalidJpeg);
  }
  const int64_t height = state.cinfo.output_height;
  const int64_t width = state.cinfo.output_width;
  if (height <= 0 || width <= 0 ||
      height * width * state.cinfo.num_components >= kMaxDecodedSamples) {
    return absl::InvalidArgumentError(kInvalidJpeg);
  }
  MS_ASSIGN_OR_RETURN(uint8_t * out, allocate(height, width, state.components));
  const size_t stride = static_cast<size_t>(width) * state.components;
  std::vector<JSAMPLE> cmyk_row;
  if (state.cinfo.out_color_space == JCS_CMYK) {
    cmyk_row.resize(static_cast<size_t>(width) * 4);
  }
  if (!ReadRows(&state, out, stride, cmyk_row.data())) {
    return absl::InvalidArgumentError(kInvalidJpeg);
  }
  const float fraction_read =
      static_cast<float>(state.height_read) / static_cast<float>(height);
  const float required =
      options.acceptable_fraction < 1.0f ? options.acceptable_fraction : 1.0f;
  if (fraction_read < required) {
    return absl::InvalidArgumentError(kInvalidJpeg);
  }
  if (state.height_read < height) {  // rows libjpeg never delivered: black
    std::memset(out + state.height_read * stride, 0,
                (height - state.height_read) * stride);
  }
  return absl::OkStatus();
}

}  // namespace model_server
