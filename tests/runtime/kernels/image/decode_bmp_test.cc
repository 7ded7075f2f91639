// DecodeBmp and DecodeImage on BMP files this test writes byte by byte, and
// DecodeImage's dtype conversions.
#include <cstdint>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "runtime/tensor.h"
#include "tests/testing/jpeg_encode.h"
#include "tests/testing/kernel_harness.h"

namespace model_server {
namespace {

void PutLe(std::string* s, int64_t v, int bytes) {
  for (int i = 0; i < bytes; ++i) s->push_back(static_cast<char>(v >> (8 * i)));
}

// A BMP file: 54-byte headers, then `rows` (each `file_channels` bytes per
// pixel in B, G, R(, A) order, padded to 4 bytes) as stored.
std::string MakeBmp(int width, int height, int file_channels,
                    const std::vector<std::vector<uint8_t>>& rows) {
  std::string body;
  for (const auto& row : rows) {
    std::string r(row.begin(), row.end());
    while (r.size() % 4 != 0) r.push_back('\0');
    body += r;
  }
  std::string bmp = "BM";
  PutLe(&bmp, 54 + body.size(), 4);
  PutLe(&bmp, 0, 4);
  PutLe(&bmp, 54, 4);  // pixel offset
  PutLe(&bmp, 40, 4);  // BITMAPINFOHEADER
  PutLe(&bmp, width, 4);
  PutLe(&bmp, height, 4);
  PutLe(&bmp, 1, 2);
  PutLe(&bmp, file_channels * 8, 2);
  PutLe(&bmp, 0, 4);
  PutLe(&bmp, body.size(), 4);
  PutLe(&bmp, 2835, 4);
  PutLe(&bmp, 2835, 4);
  PutLe(&bmp, 0, 4);
  PutLe(&bmp, 0, 4);
  return bmp + body;
}

absl::StatusOr<std::vector<Tensor>> Decode(const std::string& op,
                                           const std::string& data,
                                           int channels = 0,
                                           DataType dtype = DT_UINT8) {
  KernelHarness h(op);
  h.Attr("channels", channels);
  if (op == "DecodeImage") h.Attr("dtype", dtype);
  return h.Run({Tensor::Scalar<std::string>(data)});
}

// 2 x 3 BGR image stored bottom up: the last stored row is the top one.
const std::string kBgr = MakeBmp(
    3, 2, 3,
    {{1, 2, 3, 4, 5, 6, 7, 8, 9}, {10, 11, 12, 13, 14, 15, 16, 17, 18}});

TEST(DecodeBmp, FlipsBottomUpRowsAndSwapsBgrToRgb) {
  auto out = Decode("DecodeBmp", kBgr);
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_EQ(out->at(0),
                   Tensor::FromVector<uint8_t>({12, 11, 10, 15, 14, 13, 18, 17,
                                                16, 3, 2, 1, 6, 5, 4, 9, 8, 7},
                                               {2, 3, 3}));
}

TEST(DecodeBmp, TopDownRowsAndAddedAlpha) {
  const std::string top_down = MakeBmp(1, -2, 3, {{1, 2, 3}, {4, 5, 6}});
  auto out = Decode("DecodeBmp", top_down, 4);
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_EQ(out->at(0), Tensor::FromVector<uint8_t>(
                                   {3, 2, 1, 255, 6, 5, 4, 255}, {2, 1, 4}));
}

TEST(DecodeBmp, GrayAndBgraFiles) {
  const std::string gray = MakeBmp(2, 1, 1, {{7, 9}});
  auto one = Decode("DecodeBmp", gray);
  ASSERT_TRUE(one.ok()) << one.status();
  EXPECT_TENSOR_EQ(one->at(0), Tensor::FromVector<uint8_t>({7, 9}, {1, 2, 1}));
  auto rgb = Decode("DecodeBmp", gray, 3);
  ASSERT_TRUE(rgb.ok()) << rgb.status();
  EXPECT_TENSOR_EQ(rgb->at(0),
                   Tensor::FromVector<uint8_t>({7, 7, 7, 9, 9, 9}, {1, 2, 3}));
  const std::string bgra = MakeBmp(1, 1, 4, {{1, 2, 3, 4}});
  auto rgba = Decode("DecodeBmp", bgra);
  ASSERT_TRUE(rgba.ok()) << rgba.status();
  EXPECT_TENSOR_EQ(rgba->at(0),
                   Tensor::FromVector<uint8_t>({3, 2, 1, 4}, {1, 1, 4}));
  auto dropped = Decode("DecodeBmp", bgra, 3);
  ASSERT_TRUE(dropped.ok()) << dropped.status();
  EXPECT_TENSOR_EQ(dropped->at(0),
                   Tensor::FromVector<uint8_t>({3, 2, 1}, {1, 1, 3}));
}

TEST(DecodeBmp, MalformedFilesAreInvalidArgument) {
  std::string truncated = kBgr.substr(0, kBgr.size() - 1);
  std::string bad_bpp = kBgr;
  bad_bpp[28] = 16;
  std::string zero_height = kBgr;
  for (int i = 22; i < 26; ++i) zero_height[i] = 0;
  std::string huge = kBgr;
  huge[21] = 0x7f;  // width about 2^30
  std::string bad_offset = kBgr;
  bad_offset[13] = static_cast<char>(0x80);  // negative header size
  for (const std::string& data :
       {truncated, bad_bpp, zero_height, huge, bad_offset,
        std::string("BM\0\0", 4), kBgr + "x"}) {
    auto out = Decode("DecodeBmp", data);
    ASSERT_FALSE(out.ok());
    EXPECT_EQ(out.status().code(), absl::StatusCode::kInvalidArgument)
        << out.status();
  }
  auto one_channel = Decode("DecodeBmp", kBgr, 1);
  ASSERT_FALSE(one_channel.ok());
  EXPECT_EQ(one_channel.status().code(), absl::StatusCode::kInvalidArgument);
}

TEST(DecodeBmp, OnlyDecodeBmpAndDecodeImageReadBmp) {
  auto jpeg_op = Decode("DecodeJpeg", kBgr);
  ASSERT_FALSE(jpeg_op.ok());
  EXPECT_NE(jpeg_op.status().message().find("Op used: DecodeJpeg"),
            std::string::npos)
      << jpeg_op.status();
  const std::string jpeg =
      testing::EncodeJpeg(std::vector<uint8_t>(4 * 4 * 3, 100), 4, 4, 3);
  auto bmp_op = Decode("DecodeBmp", jpeg);
  ASSERT_FALSE(bmp_op.ok());
  EXPECT_NE(bmp_op.status().message().find("Use `decode_jpeg`"),
            std::string::npos)
      << bmp_op.status();
  auto image = Decode("DecodeImage", kBgr);
  ASSERT_TRUE(image.ok()) << image.status();
  EXPECT_EQ(image->at(0).shape(), (TensorShape{2, 3, 3}));
}

TEST(DecodeImage, ConvertsToUint16AndFloat) {
  auto wide = Decode("DecodeImage", kBgr, 0, DT_UINT16);
  ASSERT_TRUE(wide.ok()) << wide.status();
  EXPECT_EQ(wide->at(0).flat<uint16_t>()[0], 12 * 256);
  auto unit = Decode("DecodeImage", kBgr, 0, DT_FLOAT);
  ASSERT_TRUE(unit.ok()) << unit.status();
  EXPECT_FLOAT_EQ(unit->at(0).flat<float>()[0], 12 * (1.f / 255));
  // JPEG: the uint8 decode times 1/255.
  const std::string jpeg =
      testing::EncodeJpeg(std::vector<uint8_t>(4 * 4 * 3, 200), 4, 4, 3);
  auto bytes = Decode("DecodeImage", jpeg, 3, DT_UINT8);
  auto from_jpeg = Decode("DecodeImage", jpeg, 3, DT_FLOAT);
  ASSERT_TRUE(bytes.ok() && from_jpeg.ok());
  ASSERT_EQ(from_jpeg->at(0).shape(), (TensorShape{4, 4, 3}));
  for (int64_t i = 0; i < 48; ++i) {
    EXPECT_FLOAT_EQ(from_jpeg->at(0).flat<float>()[i],
                    bytes->at(0).flat<uint8_t>()[i] * (1.f / 255));
  }
}

TEST(DecodeImage, RejectsOtherDtypes) {
  auto out = Decode("DecodeImage", kBgr, 0, DT_INT32);
  ASSERT_FALSE(out.ok());
}

}  // namespace
}  // namespace model_server
