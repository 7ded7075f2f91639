// DecodeJpeg and DecodePng against libjpeg-turbo's and libpng's own output
// for images this test encodes itself.
#include <png.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

// jpeglib.h needs size_t and FILE first.
// clang-format off
#include <jpeglib.h>
// clang-format on

#include "gtest/gtest.h"
#include "runtime/tensor.h"
#include "tests/testing/jpeg_encode.h"
#include "tests/testing/kernel_harness.h"

namespace model_server {
namespace {

// A smooth colour pattern with some edges, rows x cols x channels.
std::vector<uint8_t> TestPattern(int rows, int cols, int channels) {
  std::vector<uint8_t> pixels(static_cast<size_t>(rows) * cols * channels);
  for (int y = 0; y < rows; ++y)
    for (int x = 0; x < cols; ++x)
      for (int c = 0; c < channels; ++c)
        pixels[(static_cast<size_t>(y) * cols + x) * channels + c] =
            static_cast<uint8_t>((x * 7 + y * 11 + c * 80 + (x / 5) * 30) %
                                 256);
  return pixels;
}

using testing::EncodeJpeg;

struct Decoded {
  int rows, cols, channels;
  std::vector<uint8_t> pixels;
};

// libjpeg-turbo's plain decode of valid data with the given settings.
Decoded ReferenceDecode(const std::string& jpeg, J_COLOR_SPACE space,
                        J_DCT_METHOD dct, bool fancy, int ratio) {
  jpeg_decompress_struct cinfo;
  jpeg_error_mgr jerr;
  cinfo.err = jpeg_std_error(&jerr);
  jpeg_create_decompress(&cinfo);
  jpeg_mem_src(&cinfo, reinterpret_cast<const unsigned char*>(jpeg.data()),
               jpeg.size());
  jpeg_read_header(&cinfo, TRUE);
  cinfo.out_color_space = space;
  cinfo.dct_method = dct;
  cinfo.do_fancy_upsampling = fancy ? TRUE : FALSE;
  cinfo.scale_num = 1;
  cinfo.scale_denom = ratio;
  jpeg_start_decompress(&cinfo);
  Decoded d{static_cast<int>(cinfo.output_height),
            static_cast<int>(cinfo.output_width),
            cinfo.output_components,
            {}};
  d.pixels.resize(static_cast<size_t>(d.rows) * d.cols * d.channels);
  while (cinfo.output_scanline < cinfo.output_height) {
    JSAMPROW row = &d.pixels[static_cast<size_t>(cinfo.output_scanline) *
                             d.cols * d.channels];
    jpeg_read_scanlines(&cinfo, &row, 1);
  }
  jpeg_finish_decompress(&cinfo);
  jpeg_destroy_decompress(&cinfo);
  return d;
}

std::vector<uint8_t> Bytes(const Tensor& t) {
  const uint8_t* p = t.data<uint8_t>();
  return std::vector<uint8_t>(p, p + t.NumElements());
}

absl::StatusOr<std::vector<Tensor>> RunDecodeJpeg(
    const std::string& data, int channels = 0, int ratio = 1, bool fancy = true,
    const std::string& dct = "", bool recover = false, float fraction = 1.0f) {
  KernelHarness h("DecodeJpeg");
  h.Attr("channels", channels).Attr("ratio", ratio);
  h.Attr("fancy_upscaling", fancy).Attr("dct_method", dct);
  h.Attr("try_recover_truncated", recover);
  h.Attr("acceptable_fraction", fraction);
  return h.Run({Tensor::Scalar<std::string>(data)});
}

TEST(DecodeJpeg, MatchesLibjpegTurboDecodeExactly) {
  const int rows = 37, cols = 29;
  const std::string jpeg =
      EncodeJpeg(TestPattern(rows, cols, 3), rows, cols, 3);
  for (const std::string dct : {"", "INTEGER_FAST", "INTEGER_ACCURATE"}) {
    const J_DCT_METHOD method =
        dct == "INTEGER_ACCURATE" ? JDCT_ISLOW : JDCT_IFAST;
    for (bool fancy : {true, false}) {
      for (int ratio : {1, 2, 4, 8}) {
        for (int channels : {0, 1, 3}) {
          SCOPED_TRACE(dct + " fancy=" + std::to_string(fancy) +
                       " ratio=" + std::to_string(ratio) +
                       " channels=" + std::to_string(channels));
          auto out = RunDecodeJpeg(jpeg, channels, ratio, fancy, dct);
          ASSERT_TRUE(out.ok()) << out.status();
          const Decoded ref =
              ReferenceDecode(jpeg, channels == 1 ? JCS_GRAYSCALE : JCS_RGB,
                              method, fancy, ratio);
          const Tensor& image = out->at(0);
          ASSERT_EQ(image.dtype(), DT_UINT8);
          ASSERT_EQ(image.shape(),
                    (TensorShape{ref.rows, ref.cols, ref.channels}));
          EXPECT_EQ(Bytes(image), ref.pixels);
        }
      }
    }
  }
}

TEST(DecodeJpeg, DctMethodsDifferAndDefaultIsIntegerFast) {
  const std::string jpeg = EncodeJpeg(TestPattern(40, 40, 3), 40, 40, 3);
  auto fast = RunDecodeJpeg(jpeg, 3, 1, true, "INTEGER_FAST");
  auto accurate = RunDecodeJpeg(jpeg, 3, 1, true, "INTEGER_ACCURATE");
  auto dflt = RunDecodeJpeg(jpeg, 3);
  ASSERT_TRUE(fast.ok() && accurate.ok() && dflt.ok());
  EXPECT_EQ(Bytes(dflt->at(0)), Bytes(fast->at(0)));
  EXPECT_NE(Bytes(fast->at(0)), Bytes(accurate->at(0)));
}

TEST(DecodeJpeg, GrayscaleFileKeepsOneChannelOrExpandsToRgb) {
  const std::string jpeg = EncodeJpeg(TestPattern(9, 13, 1), 9, 13, 1);
  auto gray = RunDecodeJpeg(jpeg, 0);
  ASSERT_TRUE(gray.ok()) << gray.status();
  EXPECT_EQ(gray->at(0).shape(), (TensorShape{9, 13, 1}));
  auto rgb = RunDecodeJpeg(jpeg, 3);
  ASSERT_TRUE(rgb.ok()) << rgb.status();
  ASSERT_EQ(rgb->at(0).shape(), (TensorShape{9, 13, 3}));
  const std::vector<uint8_t> g = Bytes(gray->at(0)), c = Bytes(rgb->at(0));
  for (size_t i = 0; i < g.size(); ++i) {
    EXPECT_EQ(c[3 * i], g[i]);
    EXPECT_EQ(c[3 * i + 2], g[i]);
  }
}

void ExpectInvalidJpeg(const absl::StatusOr<std::vector<Tensor>>& out) {
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(out.status().message().find("Invalid JPEG data"), std::string::npos)
      << out.status();
}

TEST(DecodeJpeg, TruncatedDataIsInvalidUnlessRecoveryIsAsked) {
  const std::string jpeg = EncodeJpeg(TestPattern(64, 48, 3), 64, 48, 3);
  const std::string truncated = jpeg.substr(0, jpeg.size() / 2);
  ExpectInvalidJpeg(RunDecodeJpeg(truncated, 3));
  auto recovered = RunDecodeJpeg(truncated, 3, 1, true, "", true);
  ASSERT_TRUE(recovered.ok()) << recovered.status();
  EXPECT_EQ(recovered->at(0).shape(), (TensorShape{64, 48, 3}));
  // Only the header: nothing to recover from is still an image of the size
  // the header gives, or an error, never a crash.
  for (size_t cut : {size_t{3}, size_t{20}, size_t{200}}) {
    auto out = RunDecodeJpeg(jpeg.substr(0, cut), 3, 1, true, "", true);
    if (!out.ok()) {
      EXPECT_EQ(out.status().code(), absl::StatusCode::kInvalidArgument);
    }
  }
}

TEST(DecodeJpeg, GarbageAfterTheMagicBytesIsInvalidArgument) {
  std::string garbage = "\xff\xd8\xff";
  for (int i = 0; i < 500; ++i) garbage.push_back(static_cast<char>(i * 37));
  ExpectInvalidJpeg(RunDecodeJpeg(garbage));
  // Corrupt every byte position of a real file in turn (a sample of them):
  // each decode either succeeds or fails cleanly.
  const std::string jpeg = EncodeJpeg(TestPattern(16, 16, 3), 16, 16, 3);
  for (size_t i = 3; i < jpeg.size(); i += 7) {
    std::string bad = jpeg;
    bad[i] = static_cast<char>(bad[i] ^ 0x5A);
    auto out = RunDecodeJpeg(bad, 3);
    if (!out.ok()) {
      EXPECT_EQ(out.status().code(), absl::StatusCode::kInvalidArgument);
    }
  }
}

TEST(DecodeJpeg, HugeDeclaredSizeIsRefusedBeforeDecoding) {
  std::string jpeg = EncodeJpeg(TestPattern(8, 8, 3), 8, 8, 3);
  // SOF0 marker: FF C0, length (2), precision (1), height (2), width (2).
  const size_t sof = jpeg.find("\xff\xc0");
  ASSERT_NE(sof, std::string::npos);
  jpeg[sof + 5] = jpeg[sof + 7] = static_cast<char>(0xEA);  // 60000
  jpeg[sof + 6] = jpeg[sof + 8] = static_cast<char>(0x60);
  ExpectInvalidJpeg(RunDecodeJpeg(jpeg, 3));
}

TEST(DecodeJpeg, EmptyOrNonScalarContentsAreInvalid) {
  auto empty = RunDecodeJpeg("");
  ASSERT_FALSE(empty.ok());
  EXPECT_NE(empty.status().message().find("Input is empty."),
            std::string::npos);
  KernelHarness h("DecodeJpeg");
  auto vec = h.Run({Tensor::Vector<std::string>({"a", "b"})});
  ASSERT_FALSE(vec.ok());
  EXPECT_EQ(vec.status().code(), absl::StatusCode::kInvalidArgument);
  auto unknown = RunDecodeJpeg("not an image");
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.status().code(), absl::StatusCode::kInvalidArgument);
}

TEST(DecodeJpeg, InvalidAttrsFailAtLoad) {
  const std::string jpeg = EncodeJpeg(TestPattern(8, 8, 3), 8, 8, 3);
  for (auto out : {RunDecodeJpeg(jpeg, 2), RunDecodeJpeg(jpeg, 0, 3),
                   RunDecodeJpeg(jpeg, 0, 1, true, "FLOAT")}) {
    ASSERT_FALSE(out.ok());
    EXPECT_EQ(out.status().code(), absl::StatusCode::kInvalidArgument);
  }
  auto four = RunDecodeJpeg(jpeg, 4);
  ASSERT_FALSE(four.ok());
  EXPECT_NE(four.status().message().find("JPEG does not support 4 channels"),
            std::string::npos);
}

// PNG: encoded with libpng's simplified API, lossless, so expected values
// are the pattern itself.
std::string EncodePng(const std::vector<uint8_t>& pixels, int rows, int cols,
                      uint32_t format) {
  png_image image;
  std::memset(&image, 0, sizeof(image));
  image.version = PNG_IMAGE_VERSION;
  image.width = cols;
  image.height = rows;
  image.format = format;
  png_alloc_size_t size = 0;
  EXPECT_TRUE(png_image_write_to_memory(&image, nullptr, &size, 0,
                                        pixels.data(), 0, nullptr));
  std::string out(size, '\0');
  EXPECT_TRUE(png_image_write_to_memory(&image, out.data(), &size, 0,
                                        pixels.data(), 0, nullptr));
  out.resize(size);
  return out;
}

absl::StatusOr<std::vector<Tensor>> RunDecodePng(const std::string& data,
                                                 int channels,
                                                 DataType dtype = DT_UINT8) {
  KernelHarness h("DecodePng");
  h.Attr("channels", channels).Attr("dtype", dtype);
  return h.Run({Tensor::Scalar<std::string>(data)});
}

TEST(DecodePng, DecodesRgbaExactlyAndConvertsChannels) {
  const int rows = 11, cols = 7;
  const std::vector<uint8_t> rgba = TestPattern(rows, cols, 4);
  const std::string png = EncodePng(rgba, rows, cols, PNG_FORMAT_RGBA);
  auto all = RunDecodePng(png, 0);
  ASSERT_TRUE(all.ok()) << all.status();
  EXPECT_EQ(all->at(0).shape(), (TensorShape{rows, cols, 4}));
  EXPECT_EQ(Bytes(all->at(0)), rgba);

  auto rgb = RunDecodePng(png, 3);
  ASSERT_TRUE(rgb.ok()) << rgb.status();
  ASSERT_EQ(rgb->at(0).shape(), (TensorShape{rows, cols, 3}));
  const std::vector<uint8_t> got = Bytes(rgb->at(0));
  for (int i = 0; i < rows * cols; ++i)
    for (int c = 0; c < 3; ++c) ASSERT_EQ(got[3 * i + c], rgba[4 * i + c]);

  auto wide = RunDecodePng(png, 4, DT_UINT16);
  ASSERT_TRUE(wide.ok()) << wide.status();
  ASSERT_EQ(wide->at(0).dtype(), DT_UINT16);
  const uint16_t* w = wide->at(0).data<uint16_t>();
  for (size_t i = 0; i < rgba.size(); ++i) ASSERT_EQ(w[i], rgba[i] * 257);
}

TEST(DecodePng, GrayExpandsToRgbWithOpaqueAlpha) {
  const std::vector<uint8_t> gray = TestPattern(5, 6, 1);
  const std::string png = EncodePng(gray, 5, 6, PNG_FORMAT_GRAY);
  auto rgba = RunDecodePng(png, 4);
  ASSERT_TRUE(rgba.ok()) << rgba.status();
  ASSERT_EQ(rgba->at(0).shape(), (TensorShape{5, 6, 4}));
  const std::vector<uint8_t> got = Bytes(rgba->at(0));
  for (size_t i = 0; i < gray.size(); ++i) {
    EXPECT_EQ(got[4 * i], gray[i]);
    EXPECT_EQ(got[4 * i + 2], gray[i]);
    EXPECT_EQ(got[4 * i + 3], 255);
  }
  auto one = RunDecodePng(png, 0);
  ASSERT_TRUE(one.ok()) << one.status();
  EXPECT_EQ(Bytes(one->at(0)), gray);
}

TEST(DecodePng, TruncatedOrCorruptDataIsInvalidArgument) {
  const std::string png =
      EncodePng(TestPattern(32, 32, 3), 32, 32, PNG_FORMAT_RGB);
  for (size_t cut : {size_t{8}, size_t{30}, png.size() / 2, png.size() - 13}) {
    auto out = RunDecodePng(png.substr(0, cut), 3);
    ASSERT_FALSE(out.ok()) << cut;
    EXPECT_EQ(out.status().code(), absl::StatusCode::kInvalidArgument);
  }
  for (size_t i = 8; i < png.size(); i += 5) {
    std::string bad = png;
    bad[i] = static_cast<char>(bad[i] ^ 0x33);
    auto out = RunDecodePng(bad, 0);
    if (!out.ok()) {
      EXPECT_EQ(out.status().code(), absl::StatusCode::kInvalidArgument);
    }
  }
}

TEST(DecodePng, DtypeMustBeUint8OrUint16) {
  const std::string png = EncodePng(TestPattern(2, 2, 3), 2, 2, PNG_FORMAT_RGB);
  auto out = RunDecodePng(png, 0, DT_FLOAT);
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.status().code(), absl::StatusCode::kInvalidArgument);
}

TEST(DecodeImageContent, EachOpDecodesTheOtherFormatLikeTensorFlow) {
  const std::vector<uint8_t> rgb = TestPattern(6, 5, 3);
  auto from_png = RunDecodeJpeg(EncodePng(rgb, 6, 5, PNG_FORMAT_RGB), 3);
  ASSERT_TRUE(from_png.ok()) << from_png.status();
  EXPECT_EQ(Bytes(from_png->at(0)), rgb);

  const std::string jpeg = EncodeJpeg(TestPattern(12, 10, 3), 12, 10, 3);
  auto wide = RunDecodePng(jpeg, 3, DT_UINT16);
  ASSERT_TRUE(wide.ok()) << wide.status();
  const Decoded ref = ReferenceDecode(jpeg, JCS_RGB, JDCT_IFAST, true, 1);
  const uint16_t* w = wide->at(0).data<uint16_t>();
  for (size_t i = 0; i < ref.pixels.size(); ++i) {
    ASSERT_EQ(w[i], ref.pixels[i] * 256);
  }
}

}  // namespace
}  // namespace model_server
