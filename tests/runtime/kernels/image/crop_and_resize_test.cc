#include <cstdint>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "runtime/tensor.h"
#include "tests/testing/kernel_harness.h"

namespace model_server {
namespace {

absl::StatusOr<std::vector<Tensor>> Crop(const Tensor& image,
                                         const Tensor& boxes,
                                         const Tensor& box_ind, int32_t h,
                                         int32_t w,
                                         const std::string& method = "bilinear",
                                         float extrapolation = 0) {
  KernelHarness k("CropAndResize");
  k.Attr("T", image.dtype()).Attr("method", method);
  k.Attr("extrapolation_value", extrapolation);
  return k.Run({image, boxes, box_ind, Tensor::Vector<int32_t>({h, w})});
}

const Tensor kImage = Tensor::FromVector<float>({1, 2, 3, 4}, {1, 2, 2, 1});

Tensor Boxes(std::vector<float> v) {
  const int64_t n = static_cast<int64_t>(v.size()) / 4;
  return Tensor::FromVector<float>(v, {n, 4});
}

TEST(CropAndResize, BilinearSamplesTheBox) {
  auto out =
      Crop(kImage, Boxes({0, 0, 1, 1}), Tensor::Vector<int32_t>({0}), 3, 3);
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_EQ(out->at(0),
                   Tensor::FromVector<float>({1, 1.5, 2, 2, 2.5, 3, 3, 3.5, 4},
                                             {1, 3, 3, 1}));
}

TEST(CropAndResize, OnePixelCropTakesTheCentreAndFlippedBoxesMirror) {
  auto out = Crop(kImage, Boxes({0, 0, 1, 1, 1, 1, 0, 0}),
                  Tensor::Vector<int32_t>({0, 0}), 1, 1);
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_EQ(out->at(0),
                   Tensor::FromVector<float>({2.5, 2.5}, {2, 1, 1, 1}));
  auto flipped =
      Crop(kImage, Boxes({1, 1, 0, 0}), Tensor::Vector<int32_t>({0}), 2, 2);
  ASSERT_TRUE(flipped.ok()) << flipped.status();
  EXPECT_TENSOR_EQ(flipped->at(0),
                   Tensor::FromVector<float>({4, 3, 2, 1}, {1, 2, 2, 1}));
}

TEST(CropAndResize, OutsideSamplesTakeTheExtrapolationValue) {
  auto out = Crop(kImage, Boxes({0, 0, 2, 2}), Tensor::Vector<int32_t>({0}), 3,
                  3, "bilinear", -1);
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_EQ(out->at(0),
                   Tensor::FromVector<float>({1, 2, -1, 3, 4, -1, -1, -1, -1},
                                             {1, 3, 3, 1}));
}

TEST(CropAndResize, NearestRoundsHalfAwayFromZeroOnIntegerImages) {
  // Two images; the box picks the second.
  Tensor image =
      Tensor::FromVector<uint8_t>({0, 0, 0, 0, 1, 2, 3, 4}, {2, 2, 2, 1});
  auto out = Crop(image, Boxes({0, 0, 1, 1}), Tensor::Vector<int32_t>({1}), 3,
                  3, "nearest");
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_EQ(out->at(0), Tensor::FromVector<float>(
                                   {1, 2, 2, 3, 4, 4, 3, 4, 4}, {1, 3, 3, 1}));
}

TEST(CropAndResize, NoBoxesGiveAnEmptyBatch) {
  auto out = Crop(kImage, Tensor::FromVector<float>({}, {0, 4}),
                  Tensor::FromVector<int32_t>({}, {0}), 3, 2);
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_EQ(out->at(0).shape(), (TensorShape{0, 3, 2, 1}));
}

TEST(CropAndResize, RejectsBadInputs) {
  const Tensor one = Tensor::Vector<int32_t>({0});
  auto bad_index =
      Crop(kImage, Boxes({0, 0, 1, 1}), Tensor::Vector<int32_t>({1}), 2, 2);
  ASSERT_FALSE(bad_index.ok());
  EXPECT_EQ(bad_index.status().code(), absl::StatusCode::kOutOfRange);
  auto negative =
      Crop(kImage, Boxes({0, 0, 1, 1}), Tensor::Vector<int32_t>({-1}), 2, 2);
  ASSERT_FALSE(negative.ok());
  EXPECT_EQ(negative.status().code(), absl::StatusCode::kOutOfRange);
  for (auto status :
       {Crop(kImage, Boxes({0, 0, 1, 1}), one, 0, 2).status(),
        Crop(kImage, Tensor::FromVector<float>({0, 0, 1}, {1, 3}), one, 2, 2)
            .status(),
        Crop(kImage, Boxes({0, 0, 1, 1}), Tensor::Vector<int32_t>({0, 0}), 2, 2)
            .status(),
        Crop(Tensor::FromVector<float>({1}, {1, 1, 1}), Boxes({0, 0, 1, 1}),
             one, 2, 2)
            .status()}) {
    EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument) << status;
  }
  auto method = Crop(kImage, Boxes({0, 0, 1, 1}), one, 2, 2, "bicubic");
  EXPECT_FALSE(method.ok());
  auto huge = Crop(kImage, Boxes({0, 0, 1, 1}), one, 1 << 30, 1 << 30);
  ASSERT_FALSE(huge.ok());
  EXPECT_EQ(huge.status().code(), absl::StatusCode::kResourceExhausted);
  // Non-finite boxes extrapolate instead of reading out of bounds.
  auto nan = Crop(kImage, Boxes({NAN, 0, 1, 1}), one, 2, 2, "bilinear", 7);
  ASSERT_TRUE(nan.ok()) << nan.status();
  EXPECT_TENSOR_EQ(nan->at(0),
                   Tensor::FromVector<float>({7, 7, 7, 7}, {1, 2, 2, 1}));
}

}  // namespace
}  // namespace model_server
