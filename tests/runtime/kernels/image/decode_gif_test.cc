// DecodeGif and GIF content through DecodeImage/DecodeJpeg/DecodePng, on GIFs
// this test writes with giflib's encoder (and a few written byte by byte):
// frames composed on a canvas as TensorFlow's gif_io.cc does.
#include <gif_lib.h>

#include <cstdint>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "gtest/gtest.h"
#include "runtime/tensor.h"
#include "tests/testing/jpeg_encode.h"
#include "tests/testing/kernel_harness.h"

namespace model_server {
namespace {

// The executor appends the node's name to a kernel's message.
void ExpectMessageStartsWith(const absl::Status& status,
                             absl::string_view expected) {
  EXPECT_TRUE(absl::StartsWith(status.message(), expected))
      << "message: " << status.message() << "\nexpected start: " << expected;
}

// Palette index -> colour: 0 black, 1 red, 2 green, 3 blue.
const GifColorType kColors[4] = {
    {0, 0, 0}, {255, 0, 0}, {0, 255, 0}, {0, 0, 255}};
// A local palette for one frame: 0 white, 1 gray.
const GifColorType kLocalColors[2] = {{255, 255, 255}, {128, 128, 128}};

struct GifFrame {
  int left, top, width, height;
  std::vector<uint8_t> indices;  // row-major, height x width
  int transparent = -1;          // -1: no Graphics Control Extension
  bool local_palette = false;
  bool interlaced = false;
};

int AppendToString(GifFileType* gif, const GifByteType* bytes, int size) {
  static_cast<std::string*>(gif->UserData)
      ->append(reinterpret_cast<const char*>(bytes), size);
  return size;
}

// Writes a GIF89a with the 4-colour global palette.
std::string WriteGif(int screen_width, int screen_height,
                     const std::vector<GifFrame>& frames) {
  std::string out;
  int error = 0;
  GifFileType* gif = EGifOpen(&out, &AppendToString, &error);
  EXPECT_NE(gif, nullptr);
  EGifSetGifVersion(gif, true);
  ColorMapObject* global = GifMakeMapObject(4, kColors);
  ColorMapObject* local = GifMakeMapObject(2, kLocalColors);
  EXPECT_EQ(EGifPutScreenDesc(gif, screen_width, screen_height, 8, 0, global),
            GIF_OK);
  for (const GifFrame& f : frames) {
    if (f.transparent >= 0) {
      const uint8_t control[4] = {0x01, 0, 0,
                                  static_cast<uint8_t>(f.transparent)};
      EXPECT_EQ(EGifPutExtension(gif, GRAPHICS_EXT_FUNC_CODE, 4, control),
                GIF_OK);
    }
    EXPECT_EQ(EGifPutImageDesc(gif, f.left, f.top, f.width, f.height,
                               f.interlaced, f.local_palette ? local : nullptr),
              GIF_OK);
    std::vector<int> rows;
    if (f.interlaced) {
      for (int start : {0, 4, 2, 1}) {
        for (int r = start; r < f.height; r += start == 0 ? 8 : start * 2) {
          rows.push_back(r);
        }
      }
    } else {
      for (int r = 0; r < f.height; ++r) rows.push_back(r);
    }
    for (int r : rows) {
      std::vector<GifPixelType> line(f.indices.begin() + r * f.width,
                                     f.indices.begin() + (r + 1) * f.width);
      EXPECT_EQ(EGifPutLine(gif, line.data(), f.width), GIF_OK);
    }
  }
  EXPECT_EQ(EGifCloseFile(gif, &error), GIF_OK);
  GifFreeMapObject(global);
  GifFreeMapObject(local);
  return out;
}

absl::StatusOr<std::vector<Tensor>> Decode(const std::string& op,
                                           const std::string& data) {
  KernelHarness h(op);
  if (op != "DecodeGif") h.Attr("channels", 0);
  return h.Run({Tensor::Scalar<std::string>(data)});
}

std::vector<uint8_t> Flat(const Tensor& t) {
  return std::vector<uint8_t>(t.flat<uint8_t>().begin(),
                              t.flat<uint8_t>().end());
}

// Frame 0 fills a 3 x 2 canvas; frame 1 repaints one pixel black; frame 2
// (transparent index 1) paints blue over one pixel and keeps the other.
const std::string kAnimation =
    WriteGif(3, 2,
             {{0, 0, 3, 2, {1, 2, 3, 3, 2, 1}},
              {2, 1, 1, 1, {0}},
              {0, 0, 2, 1, {1, 3}, /*transparent=*/1}});

TEST(DecodeGif, ComposesEachFrameOnThePreviousOne) {
  auto out = Decode("DecodeGif", kAnimation);
  ASSERT_TRUE(out.ok()) << out.status();
  ASSERT_EQ(out->at(0).shape(), (TensorShape{3, 2, 3, 3}));
  const std::vector<uint8_t> frame0 = {255, 0, 0,   0, 255, 0, 0,   0, 255,
                                       0,   0, 255, 0, 255, 0, 255, 0, 0};
  std::vector<uint8_t> frame1 = frame0;
  frame1[15] = frame1[16] = frame1[17] = 0;  // row 1, column 2
  std::vector<uint8_t> frame2 = frame1;
  frame2[3] = 0, frame2[4] = 0, frame2[5] = 255;  // row 0, column 1: blue
  std::vector<uint8_t> expected = frame0;
  expected.insert(expected.end(), frame1.begin(), frame1.end());
  expected.insert(expected.end(), frame2.begin(), frame2.end());
  EXPECT_EQ(Flat(out->at(0)), expected);
}

TEST(DecodeGif, DecodeImageExpandsAnimationsOrKeepsTheFirstFrame) {
  KernelHarness all("DecodeImage");
  all.Attr("channels", 3).Attr("dtype", DT_UINT8);
  auto frames = all.Run({Tensor::Scalar<std::string>(kAnimation)});
  ASSERT_TRUE(frames.ok()) << frames.status();
  EXPECT_EQ(frames->at(0).shape(), (TensorShape{3, 2, 3, 3}));

  KernelHarness first("DecodeImage");
  first.Attr("expand_animations", false).Attr("dtype", DT_FLOAT);
  auto image = first.Run({Tensor::Scalar<std::string>(kAnimation)});
  ASSERT_TRUE(image.ok()) << image.status();
  ASSERT_EQ(image->at(0).shape(), (TensorShape{2, 3, 3}));
  EXPECT_FLOAT_EQ(image->at(0).flat<float>()[0], 1.0f);
  EXPECT_FLOAT_EQ(image->at(0).flat<float>()[1], 0.0f);
}

TEST(DecodeGif, FirstFrameSmallerThanTheCanvasStartsBlack) {
  // The canvas is the largest frame (2 x 2), not the logical screen (5 x 5).
  // Frame 0 is 1 x 1 at (1, 1); its transparent pixel stays black.
  const std::string gif = WriteGif(
      5, 5, {{1, 1, 1, 1, {2}}, {0, 0, 2, 2, {0, 1, 1, 1}, /*transparent=*/1}});
  auto out = Decode("DecodeGif", gif);
  ASSERT_TRUE(out.ok()) << out.status();
  ASSERT_EQ(out->at(0).shape(), (TensorShape{2, 2, 2, 3}));
  EXPECT_EQ(Flat(out->at(0)),
            std::vector<uint8_t>({0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 255, 0,  //
                                  0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 255, 0}));
}

TEST(DecodeGif, LocalPaletteAndInterlacedRows) {
  GifFrame frame{0, 0, 1, 5, {0, 1, 0, 1, 1}};
  frame.local_palette = true;
  frame.interlaced = true;
  auto out = Decode("DecodeGif", WriteGif(1, 5, {frame}));
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_EQ(Flat(out->at(0)),
            std::vector<uint8_t>({255, 255, 255, 128, 128, 128, 255, 255, 255,
                                  128, 128, 128, 128, 128, 128}));
}

TEST(DecodeGif, SingleFrameGifThroughDecodeJpegAndDecodePng) {
  const std::string gif = WriteGif(2, 1, {{0, 0, 2, 1, {3, 1}}});
  for (const char* op : {"DecodeJpeg", "DecodePng"}) {
    auto out = Decode(op, gif);
    ASSERT_TRUE(out.ok()) << op << ": " << out.status();
    EXPECT_TENSOR_EQ(out->at(0), Tensor::FromVector<uint8_t>(
                                     {0, 0, 255, 255, 0, 0}, {1, 2, 3}));
  }
  auto animated = Decode("DecodeJpeg", kAnimation);
  ASSERT_FALSE(animated.ok());
  ExpectMessageStartsWith(
      animated.status(),
      "Got 3 frames, but animated gifs can only be decoded by "
      "tf.io.decode_gif or tf.io.decode_image");
}

TEST(DecodeGif, DecodesJpegContentAsOneRgbFrame) {
  std::vector<uint8_t> pixels;
  for (int i = 0; i < 5 * 6; ++i) pixels.push_back(static_cast<uint8_t>(8 * i));
  const std::string jpeg = testing::EncodeJpeg(pixels, 5, 6, 1);
  auto gif = Decode("DecodeGif", jpeg);
  ASSERT_TRUE(gif.ok()) << gif.status();
  KernelHarness jpeg_op("DecodeJpeg");
  jpeg_op.Attr("channels", 3);
  auto rgb = jpeg_op.Run({Tensor::Scalar<std::string>(jpeg)});
  ASSERT_TRUE(rgb.ok()) << rgb.status();
  ASSERT_EQ(gif->at(0).shape(), (TensorShape{1, 5, 6, 3}));
  EXPECT_EQ(Flat(gif->at(0)), Flat(rgb->at(0)));
}

TEST(DecodeGif, MissingTrailerKeepsTheCompleteFrames) {
  std::string gif = kAnimation;
  ASSERT_EQ(gif.back(), ';');
  gif.pop_back();
  auto out = Decode("DecodeGif", gif);
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_EQ(out->at(0).shape(), (TensorShape{3, 2, 3, 3}));
}

void ExpectInvalid(const std::string& op, const std::string& data,
                   const std::string& message_part) {
  auto out = Decode(op, data);
  ASSERT_FALSE(out.ok()) << op;
  EXPECT_EQ(out.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(absl::StrContains(out.status().message(), message_part))
      << out.status();
}

// A 1 x 1 GIF written byte by byte: `screen_packed` 0x80 gives a global
// palette of two colours, 0x00 none; the one pixel has colour index 3
// (LZW, 2-bit minimum code size: clear, 3, end).
std::string OnePixelGif(char screen_packed) {
  std::string gif("GIF89a\x01\x00\x01\x00", 10);
  gif += screen_packed;
  gif += std::string("\x00\x00", 2);
  if (screen_packed != 0) gif += std::string("\x00\x00\x00\xff\xff\xff", 6);
  gif += std::string("\x2c\x00\x00\x00\x00\x01\x00\x01\x00\x00", 10);
  gif += std::string("\x02\x02\x5c\x01\x00;", 6);
  return gif;
}

TEST(DecodeGif, BadDataIsInvalidArgumentWithTensorFlowsReasons) {
  ExpectInvalid("DecodeGif", OnePixelGif('\x80'),
                "found color index 3 outside of color map range 2");
  ExpectInvalid("DecodeGif", OnePixelGif('\x00'),
                "missing color map for frame 0");
  ExpectInvalid("DecodeGif",
                std::string("GIF89a\x01\x00\x01\x00\x00\x00\x00;", 14),
                "gif file does not contain any image");
  ExpectInvalid("DecodeGif", "GIF8 and then nothing", "Invalid GIF data (size");
  // Cut inside the first frame's pixel data.
  ExpectInvalid("DecodeGif", kAnimation.substr(0, 38),
                "Invalid GIF data (size 38)");
}

TEST(DecodeGif, ChannelsOtherThanThreeAndDecodeBmpAreRefused) {
  KernelHarness gray("DecodeImage");
  gray.Attr("channels", 1);
  auto out = gray.Run({Tensor::Scalar<std::string>(kAnimation)});
  ASSERT_FALSE(out.ok());
  ExpectMessageStartsWith(out.status(),
                          "channels must be 0 or 3 for GIF, got 1");
  ExpectInvalid("DecodeBmp", kAnimation,
                "Trying to decode GIF format using DecodeBmp op");
}

TEST(DecodeGif, HugeDeclaredFramesAreRefusedBeforeDecoding) {
  // One 65535 x 65535 frame (4.3 G pixels) declared in a 40-byte file.
  std::string gif("GIF89a\x01\x00\x01\x00\x80\x00\x00", 13);
  gif += std::string("\x00\x00\x00\xff\xff\xff", 6);
  gif += std::string("\x2c\x00\x00\x00\x00\xff\xff\xff\xff\x00", 10);
  gif += std::string("\x02\x02\x5c\x01\x00;", 6);
  ExpectInvalid("DecodeGif", gif, "pixels or more; the limit is 536870912");
}

}  // namespace
}  // namespace model_server
