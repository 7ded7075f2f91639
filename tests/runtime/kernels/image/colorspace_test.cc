#include <cstdint>
#include <random>
#include <vector>

#include "gtest/gtest.h"
#include "runtime/tensor.h"
#include "tests/testing/kernel_harness.h"

namespace model_server {
namespace {

absl::StatusOr<std::vector<Tensor>> RunColorOp(const char* op,
                                               const Tensor& x) {
  KernelHarness h(op);
  h.Attr("T", x.dtype());
  return h.Run({x});
}

TEST(RGBToHSV, ConvertsPrimaryAndGrayColours) {
  // red, green, blue, gray, black, a mixed colour.
  Tensor rgb = Tensor::FromVector<float>(
      {1, 0, 0, 0, 1, 0, 0, 0, 1, 0.5, 0.5, 0.5, 0, 0, 0, 0.2, 0.4, 0.8},
      TensorShape{2, 3, 3});
  auto out = RunColorOp("RGBToHSV", rgb);
  ASSERT_TRUE(out.ok()) << out.status();
  // mixed: max 0.8 (blue), range 0.6, hue = (0.2 - 0.4) / 3.6 + 4/6.
  EXPECT_TENSOR_NEAR(out->at(0),
                     Tensor::FromVector<float>(
                         {0, 1, 1, 1.f / 3, 1, 1, 2.f / 3, 1, 1, 0, 0, 0.5, 0,
                          0, 0, -0.2f / 3.6f + 4.f / 6, 0.75, 0.8},
                         TensorShape{2, 3, 3}),
                     1e-6, 1e-6);
}

TEST(HSVToRGB, InvertsRGBToHSVOnRandomColours) {
  std::mt19937 rng(7);
  std::uniform_real_distribution<double> u(0, 1);
  std::vector<double> values(3 * 50);
  for (double& v : values) v = u(rng);
  Tensor rgb = Tensor::FromVector<double>(values, TensorShape{50, 3});
  auto hsv = RunColorOp("RGBToHSV", rgb);
  ASSERT_TRUE(hsv.ok()) << hsv.status();
  auto back = RunColorOp("HSVToRGB", hsv->at(0));
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_TENSOR_NEAR(back->at(0), rgb, 1e-9, 1e-9);
}

TEST(HSVToRGB, HalfAndEmptyInputs) {
  Tensor hsv = Tensor::FromVector<Eigen::half>(
      {Eigen::half(0), Eigen::half(1), Eigen::half(1)}, TensorShape{3});
  auto out = RunColorOp("HSVToRGB", hsv);
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_EQ(
      out->at(0),
      Tensor::FromVector<Eigen::half>(
          {Eigen::half(1), Eigen::half(0), Eigen::half(0)}, TensorShape{3}));
  auto empty =
      RunColorOp("HSVToRGB", Tensor::FromVector<float>({}, TensorShape{0, 3}));
  ASSERT_TRUE(empty.ok()) << empty.status();
  EXPECT_EQ(empty->at(0).shape(), (TensorShape{0, 3}));
}

TEST(HSVToRGB, HuesOutsideUnitIntervalClampToRed) {
  // TensorFlow's ramps clamp: hue 1, 1.5 and -0.5 all give red with
  // saturation 0.5 and value 0.8 -> (0.8, 0.4, 0.4); hue 0.5 is cyan.
  Tensor hsv = Tensor::FromVector<float>(
      {1, 0.5, 0.8, 1.5, 0.5, 0.8, -0.5, 0.5, 0.8, 0.5, 0.5, 0.8},
      TensorShape{4, 3});
  auto out = RunColorOp("HSVToRGB", hsv);
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_NEAR(out->at(0),
                     Tensor::FromVector<float>({0.8, 0.4, 0.4, 0.8, 0.4, 0.4,
                                                0.8, 0.4, 0.4, 0.4, 0.8, 0.8},
                                               TensorShape{4, 3}),
                     1e-6, 1e-6);
}

TEST(RGBToHSV, RequiresThreeChannels) {
  auto out = RunColorOp("RGBToHSV",
                        Tensor::FromVector<float>({1, 2}, TensorShape{1, 2}));
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.status().code(), absl::StatusCode::kInvalidArgument);
  auto scalar = RunColorOp("HSVToRGB", Tensor::Scalar<float>(1));
  ASSERT_FALSE(scalar.ok());
  EXPECT_EQ(scalar.status().code(), absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace model_server
