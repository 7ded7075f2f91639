// DecodeAndCropJpeg equals DecodeJpeg followed by a crop (TensorFlow's own
// tests compare the two), for windows at the corners and inside, with ratio
// scaling; invalid windows and non-JPEG content get TensorFlow's errors.
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

std::string TestJpeg(int rows, int cols) {
  std::vector<uint8_t> pixels;
  for (int r = 0; r < rows; ++r) {
    for (int c = 0; c < cols; ++c) {
      pixels.push_back(static_cast<uint8_t>(7 * r + 3 * c));
      pixels.push_back(static_cast<uint8_t>(255 - 5 * r));
      pixels.push_back(static_cast<uint8_t>(11 * c));
    }
  }
  return testing::EncodeJpeg(pixels, rows, cols, 3);
}

absl::StatusOr<std::vector<Tensor>> DecodeAndCrop(const std::string& data,
                                                  const Tensor& window,
                                                  int ratio = 1) {
  KernelHarness h("DecodeAndCropJpeg");
  h.Attr("channels", 3).Attr("ratio", ratio);
  return h.Run({Tensor::Scalar<std::string>(data), window});
}

// The [y, x, h, w] window of a decoded [rows, cols, 3] image.
std::vector<uint8_t> Crop(const Tensor& image, int y, int x, int h, int w) {
  const int64_t cols = image.shape().dim(1);
  const uint8_t* pixels = image.data<uint8_t>();
  std::vector<uint8_t> out;
  for (int r = y; r < y + h; ++r) {
    for (int c = x; c < x + w; ++c) {
      for (int k = 0; k < 3; ++k) out.push_back(pixels[(r * cols + c) * 3 + k]);
    }
  }
  return out;
}

TEST(DecodeAndCropJpeg, EqualsDecodeThenCrop) {
  const std::string jpeg = TestJpeg(24, 40);
  for (int ratio : {1, 2}) {
    KernelHarness decode("DecodeJpeg");
    decode.Attr("channels", 3).Attr("ratio", ratio);
    auto full = decode.Run({Tensor::Scalar<std::string>(jpeg)});
    ASSERT_TRUE(full.ok()) << full.status();
    const int rows = static_cast<int>(full->at(0).shape().dim(0));
    const int cols = static_cast<int>(full->at(0).shape().dim(1));
    const std::vector<std::vector<int>> windows = {{0, 0, rows, cols},
                                                   {0, 0, 1, 1},
                                                   {3, 5, 7, 9},
                                                   {rows - 2, cols - 3, 2, 3}};
    for (const auto& w : windows) {
      auto out = DecodeAndCrop(
          jpeg, Tensor::FromVector<int32_t>({w[0], w[1], w[2], w[3]}, {4}),
          ratio);
      ASSERT_TRUE(out.ok()) << out.status();
      ASSERT_EQ(out->at(0).shape(), (TensorShape{w[2], w[3], 3}));
      const std::vector<uint8_t> got(out->at(0).flat<uint8_t>().begin(),
                                     out->at(0).flat<uint8_t>().end());
      EXPECT_EQ(got, Crop(full->at(0), w[0], w[1], w[2], w[3]))
          << "ratio " << ratio << " window " << w[0] << "," << w[1] << ","
          << w[2] << "," << w[3];
    }
  }
}

TEST(DecodeAndCropJpeg, WindowsOutsideTheImageAreRefused) {
  const std::string jpeg = TestJpeg(8, 10);
  for (const std::vector<int32_t>& w :
       std::vector<std::vector<int32_t>>{{0, 0, 9, 10},
                                         {0, 0, 8, 11},
                                         {-1, 0, 2, 2},
                                         {0, 0, 0, 4},
                                         {7, 0, 2147483647, 1}}) {
    auto out = DecodeAndCrop(jpeg, Tensor::FromVector<int32_t>(w, {4}));
    ASSERT_FALSE(out.ok());
    ExpectMessageStartsWith(
        out.status(),
        "jpeg::Uncompress failed. Invalid JPEG data or crop window.");
  }
}

TEST(DecodeAndCropJpeg, BadWindowShapesAndOtherFormatsAreRefused) {
  const std::string jpeg = TestJpeg(8, 10);
  auto matrix =
      DecodeAndCrop(jpeg, Tensor::FromVector<int32_t>({0, 0, 1, 1}, {2, 2}));
  ASSERT_FALSE(matrix.ok());
  ExpectMessageStartsWith(matrix.status(),
                          "crop_window must be 1-D, got shape [2,2]");
  auto three = DecodeAndCrop(jpeg, Tensor::FromVector<int32_t>({0, 0, 1}, {3}));
  ASSERT_FALSE(three.ok());
  ExpectMessageStartsWith(three.status(),
                          "crop_size must have four elements [3]");
  auto png = DecodeAndCrop(std::string("\x89PNG\r\n\x1a\n", 8) + "rest",
                           Tensor::FromVector<int32_t>({0, 0, 1, 1}, {4}));
  ASSERT_FALSE(png.ok());
  ExpectMessageStartsWith(
      png.status(),
      "DecodeAndCropJpeg operation can run on JPEG only, but detected "
      "PNG.");
}

}  // namespace
}  // namespace model_server
