#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "runtime/tensor.h"
#include "tests/testing/kernel_harness.h"

namespace model_server {
namespace {

absl::StatusOr<std::vector<Tensor>> Adjust(const std::string& op,
                                           const Tensor& images,
                                           const Tensor& factor) {
  KernelHarness h(op);
  h.Attr("T", images.dtype());
  return h.Run({images, factor});
}

TEST(AdjustHue, RotatesHueAndKeepsTheValueRange) {
  // red + 1/3 turn = green; (0.2, 0.4, 0.8) has hue 3 + 2/3 sectors, minus
  // 3 sectors = 2/3 of sector 0: (max, min + 2/3 * range, min); gray stays.
  Tensor rgb = Tensor::FromVector<float>(
      {1, 0, 0, 0.2, 0.4, 0.8, 0.5, 0.5, 0.5}, {1, 3, 3});
  auto green = Adjust("AdjustHue", rgb, Tensor::Scalar<float>(1.f / 3));
  ASSERT_TRUE(green.ok()) << green.status();
  EXPECT_TENSOR_NEAR(green->at(0),
                     Tensor::FromVector<float>(
                         {0, 1, 0, 0.8, 0.2, 0.4, 0.5, 0.5, 0.5}, {1, 3, 3}),
                     1e-5, 1e-6);
  auto out = Adjust("AdjustHue", rgb, Tensor::Scalar<float>(-0.5));
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_NEAR(out->at(0),
                     Tensor::FromVector<float>(
                         {0, 1, 1, 0.8, 0.6, 0.2, 0.5, 0.5, 0.5}, {1, 3, 3}),
                     1e-5, 1e-6);
}

TEST(AdjustHue, WrapsLargeDeltasAndAcceptsHalf) {
  Tensor rgb = Tensor::FromVector<Eigen::half>(
      {Eigen::half(1), Eigen::half(0), Eigen::half(0)}, {1, 1, 3});
  auto out = Adjust("AdjustHue", rgb, Tensor::Scalar<float>(2 + 1.f / 3));
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_NEAR(
      out->at(0),
      Tensor::FromVector<Eigen::half>(
          {Eigen::half(0), Eigen::half(1), Eigen::half(0)}, {1, 1, 3}),
      1e-3, 1e-3);
}

TEST(AdjustSaturation, ScalesSaturationAndClampsToOne) {
  Tensor rgb = Tensor::FromVector<float>({0.2, 0.4, 0.8}, {1, 1, 3});
  auto half_sat = Adjust("AdjustSaturation", rgb, Tensor::Scalar<float>(0.5));
  ASSERT_TRUE(half_sat.ok()) << half_sat.status();
  EXPECT_TENSOR_NEAR(half_sat->at(0),
                     Tensor::FromVector<float>({0.5, 0.6, 0.8}, {1, 1, 3}),
                     1e-5, 1e-6);
  auto full = Adjust("AdjustSaturation", rgb, Tensor::Scalar<float>(2));
  ASSERT_TRUE(full.ok()) << full.status();
  EXPECT_TENSOR_NEAR(full->at(0),
                     Tensor::FromVector<float>({0, 0.8f / 3, 0.8}, {1, 1, 3}),
                     1e-5, 1e-6);
}

TEST(AdjustHueAndSaturation, EmptyImagesAndBadInputs) {
  for (const char* op : {"AdjustHue", "AdjustSaturation"}) {
    auto empty = Adjust(op, Tensor::FromVector<float>({}, {0, 2, 3}),
                        Tensor::Scalar<float>(0.1));
    ASSERT_TRUE(empty.ok()) << op << empty.status();
    EXPECT_EQ(empty->at(0).shape(), (TensorShape{0, 2, 3}));
    for (const auto& [images, factor] : std::vector<std::pair<Tensor, Tensor>>{
             {Tensor::FromVector<float>({1, 2, 3}, {1, 3}),
              Tensor::Scalar<float>(0.1)},
             {Tensor::FromVector<float>({1, 2, 3, 4}, {1, 1, 4}),
              Tensor::Scalar<float>(0.1)},
             {Tensor::FromVector<float>({1, 2, 3}, {1, 1, 3}),
              Tensor::Vector<float>({0.1})}}) {
      auto bad = Adjust(op, images, factor);
      ASSERT_FALSE(bad.ok()) << op;
      EXPECT_EQ(bad.status().code(), absl::StatusCode::kInvalidArgument);
    }
  }
}

}  // namespace
}  // namespace model_server
