// DecodeGif: registered so that TensorFlow 1.x tf.image.decode_image graphs
// (a cond over DecodeJpeg/DecodePng/DecodeGif/DecodeBmp) load; it decodes
// JPEG and PNG content with a leading frame axis, GIF content itself is not
// supported yet.
#include <cstdint>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "runtime/tensor.h"
#include "tests/testing/jpeg_encode.h"
#include "tests/testing/kernel_harness.h"

namespace model_server {
namespace {

absl::StatusOr<std::vector<Tensor>> DecodeGif(const std::string& data) {
  KernelHarness h("DecodeGif");
  return h.Run({Tensor::Scalar<std::string>(data)});
}

TEST(DecodeGif, DecodesJpegContentAsOneRgbFrame) {
  std::vector<uint8_t> pixels;
  for (int i = 0; i < 5 * 6; ++i) pixels.push_back(static_cast<uint8_t>(8 * i));
  const std::string jpeg = testing::EncodeJpeg(pixels, 5, 6, 1);
  auto gif = DecodeGif(jpeg);
  ASSERT_TRUE(gif.ok()) << gif.status();
  KernelHarness jpeg_op("DecodeJpeg");
  jpeg_op.Attr("channels", 3);
  auto rgb = jpeg_op.Run({Tensor::Scalar<std::string>(jpeg)});
  ASSERT_TRUE(rgb.ok()) << rgb.status();
  ASSERT_EQ(gif->at(0).shape(), (TensorShape{1, 5, 6, 3}));
  EXPECT_TENSOR_EQ(gif->at(0),
                   Tensor::FromVector<uint8_t>(
                       std::vector<uint8_t>(rgb->at(0).flat<uint8_t>().begin(),
                                            rgb->at(0).flat<uint8_t>().end()),
                       {1, 5, 6, 3}));
}

TEST(DecodeGif, GifContentIsUnimplementedAndBmpIsRefused) {
  auto gif = DecodeGif(std::string("GIF89a\x01\x00\x01\x00\x00\x00\x00;", 14));
  ASSERT_FALSE(gif.ok());
  EXPECT_EQ(gif.status().code(), absl::StatusCode::kUnimplemented);
  auto bmp = DecodeGif(std::string("BM") + std::string(60, '\0'));
  ASSERT_FALSE(bmp.ok());
  EXPECT_EQ(bmp.status().code(), absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace model_server
