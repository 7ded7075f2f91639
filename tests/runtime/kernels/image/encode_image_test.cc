// EncodeJpeg, EncodeJpegVariableQuality and EncodePng: round trips through
// the decoders and the header fields the attrs set.
#include <cstdint>
#include <cstdlib>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "runtime/tensor.h"
#include "tests/testing/kernel_harness.h"

namespace model_server {
namespace {

// A smooth gradient (JPEG keeps it within a few levels).
std::vector<uint8_t> Gradient(int rows, int cols, int channels) {
  std::vector<uint8_t> v;
  for (int y = 0; y < rows; ++y)
    for (int x = 0; x < cols; ++x)
      for (int c = 0; c < channels; ++c)
        v.push_back(static_cast<uint8_t>(40 + 4 * x + 3 * y + 20 * c));
  return v;
}

std::string EncodeJpegOp(const Tensor& image, KernelHarness& h) {
  auto out = h.Run({image});
  EXPECT_TRUE(out.ok()) << out.status();
  return out.ok() ? out->at(0).scalar<std::string>() : std::string();
}

Tensor DecodeJpegOp(const std::string& jpeg, int channels = 0) {
  KernelHarness h("DecodeJpeg");
  h.Attr("channels", channels);
  auto out = h.Run({Tensor::Scalar<std::string>(jpeg)});
  EXPECT_TRUE(out.ok()) << out.status();
  return out.ok() ? out->at(0) : Tensor();
}

// Byte offset of the first `marker` (0xFF, marker) in the JPEG, or -1.
int64_t FindMarker(const std::string& jpeg, uint8_t marker) {
  for (size_t i = 0; i + 1 < jpeg.size(); ++i) {
    if (static_cast<uint8_t>(jpeg[i]) == 0xFF &&
        static_cast<uint8_t>(jpeg[i + 1]) == marker) {
      return static_cast<int64_t>(i);
    }
  }
  return -1;
}

TEST(EncodeJpeg, RoundTripsRgbAndWritesTheDensity) {
  const std::vector<uint8_t> pixels = Gradient(16, 24, 3);
  const Tensor image = Tensor::FromVector<uint8_t>(pixels, {16, 24, 3});
  KernelHarness h("EncodeJpeg");
  h.Attr("density_unit", "cm").Attr("x_density", 72).Attr("y_density", 96);
  const std::string jpeg = EncodeJpegOp(image, h);
  ASSERT_GT(jpeg.size(), 20u);
  // JFIF APP0: units at byte 13, X and Y density big-endian after it.
  EXPECT_EQ(jpeg.substr(6, 5), std::string("JFIF\0", 5));
  EXPECT_EQ(jpeg[13], 2);
  EXPECT_EQ(static_cast<uint8_t>(jpeg[15]), 72);
  EXPECT_EQ(static_cast<uint8_t>(jpeg[17]), 96);
  const Tensor decoded = DecodeJpegOp(jpeg);
  ASSERT_EQ(decoded.shape(), (TensorShape{16, 24, 3}));
  const auto values = decoded.flat<uint8_t>();
  for (size_t i = 0; i < pixels.size(); ++i) {
    EXPECT_LE(std::abs(values[i] - pixels[i]), 6) << i;
  }
}

TEST(EncodeJpeg, FormatProgressiveChromaAndXmp) {
  const Tensor rgb = Tensor::FromVector<uint8_t>(Gradient(8, 8, 3), {8, 8, 3});
  KernelHarness plain("EncodeJpeg");
  const std::string baseline = EncodeJpegOp(rgb, plain);
  const int64_t sof0 = FindMarker(baseline, 0xC0);
  ASSERT_GE(sof0, 0);
  EXPECT_EQ(static_cast<uint8_t>(baseline[sof0 + 11]), 0x22);  // 2x2 luma
  EXPECT_LT(FindMarker(baseline, 0xC2), 0);

  KernelHarness full("EncodeJpeg");
  full.Attr("chroma_downsampling", false).Attr("progressive", true);
  full.Attr("xmp_metadata", "<x:xmpmeta/>");
  const std::string jpeg = EncodeJpegOp(rgb, full);
  const int64_t sof2 = FindMarker(jpeg, 0xC2);
  ASSERT_GE(sof2, 0);
  EXPECT_EQ(static_cast<uint8_t>(jpeg[sof2 + 11]), 0x11);
  EXPECT_NE(
      jpeg.find(std::string("http://ns.adobe.com/xap/1.0/\0<x:xmpmeta/>", 41)),
      std::string::npos);

  KernelHarness gray("EncodeJpeg");
  gray.Attr("format", "grayscale");
  const Tensor one = Tensor::FromVector<uint8_t>(Gradient(4, 4, 1), {4, 4, 1});
  EXPECT_EQ(DecodeJpegOp(EncodeJpegOp(one, gray)).shape(),
            (TensorShape{4, 4, 1}));
  auto mismatch = gray.Run({rgb});
  ASSERT_FALSE(mismatch.ok());
  EXPECT_EQ(mismatch.status().code(), absl::StatusCode::kInvalidArgument);
}

TEST(EncodeJpegVariableQuality, LowerQualityGivesSmallerFiles) {
  const Tensor rgb =
      Tensor::FromVector<uint8_t>(Gradient(32, 32, 3), {32, 32, 3});
  KernelHarness h("EncodeJpegVariableQuality");
  auto low = h.Run({rgb, Tensor::Scalar<int32_t>(10)});
  auto high = h.Run({rgb, Tensor::Scalar<int32_t>(100)});
  ASSERT_TRUE(low.ok() && high.ok());
  EXPECT_LT(low->at(0).scalar<std::string>().size(),
            high->at(0).scalar<std::string>().size());
  auto bad = h.Run({rgb, Tensor::Scalar<int32_t>(101)});
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().code(), absl::StatusCode::kInvalidArgument);
}

TEST(EncodeJpeg, RejectsBadImages) {
  KernelHarness h("EncodeJpeg");
  for (const Tensor& image :
       {Tensor::FromVector<uint8_t>({1, 2}, {2, 1}),
        Tensor::FromVector<uint8_t>({1, 2, 3, 4}, {1, 2, 2}),
        Tensor::FromVector<uint8_t>({}, {0, 3, 3})}) {
    auto out = h.Run({image});
    ASSERT_FALSE(out.ok());
    EXPECT_EQ(out.status().code(), absl::StatusCode::kInvalidArgument);
  }
  KernelHarness bad_quality("EncodeJpeg");
  bad_quality.Attr("quality", 101);
  EXPECT_FALSE(
      bad_quality.Run({Tensor::FromVector<uint8_t>({1}, {1, 1, 1})}).ok());
}

TEST(EncodePng, RoundTripsEveryChannelCountExactly) {
  for (int channels = 1; channels <= 4; ++channels) {
    const std::vector<uint8_t> pixels = Gradient(5, 7, channels);
    KernelHarness encode("EncodePng");
    encode.Attr("compression", 9);
    auto png =
        encode.Run({Tensor::FromVector<uint8_t>(pixels, {5, 7, channels})});
    ASSERT_TRUE(png.ok()) << png.status();
    KernelHarness decode("DecodePng");
    auto back = decode.Run({png->at(0)});
    ASSERT_TRUE(back.ok()) << back.status();
    EXPECT_TENSOR_EQ(back->at(0),
                     Tensor::FromVector<uint8_t>(pixels, {5, 7, channels}));
  }
}

TEST(EncodePng, Uint16KeepsAllSixteenBits) {
  std::vector<uint16_t> pixels = {0, 1, 256, 65535, 12345, 54321};
  KernelHarness encode("EncodePng");
  encode.Attr("T", DT_UINT16);
  auto png = encode.Run({Tensor::FromVector<uint16_t>(pixels, {1, 2, 3})});
  ASSERT_TRUE(png.ok()) << png.status();
  KernelHarness decode("DecodePng");
  decode.Attr("dtype", DT_UINT16);
  auto back = decode.Run({png->at(0)});
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_TENSOR_EQ(back->at(0),
                   Tensor::FromVector<uint16_t>(pixels, {1, 2, 3}));
}

TEST(EncodePng, RejectsBadImagesAndAttrs) {
  KernelHarness h("EncodePng");
  for (const Tensor& image :
       {Tensor::FromVector<uint8_t>({1, 2}, {2, 1}),
        Tensor::FromVector<uint8_t>(std::vector<uint8_t>(5), {1, 1, 5})}) {
    auto out = h.Run({image});
    ASSERT_FALSE(out.ok());
    EXPECT_EQ(out.status().code(), absl::StatusCode::kInvalidArgument);
  }
  KernelHarness bad("EncodePng");
  bad.Attr("compression", 10);
  EXPECT_FALSE(bad.Run({Tensor::FromVector<uint8_t>({1}, {1, 1, 1})}).ok());
}

}  // namespace
}  // namespace model_server
