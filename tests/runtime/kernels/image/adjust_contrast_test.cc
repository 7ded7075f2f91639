#include <cstdint>
#include <vector>

#include "gtest/gtest.h"
#include "runtime/tensor.h"
#include "tests/testing/kernel_harness.h"

namespace model_server {
namespace {

TEST(AdjustContrastv2, ScalesAroundThePerChannelMeanOfEachImage) {
  // Two 2x1 images with 2 channels: channel means (1, 10) and (5, 0).
  Tensor images = Tensor::FromVector<float>({0, 8, 2, 12, 4, -1, 6, 1},
                                            TensorShape{2, 2, 1, 2});
  KernelHarness h("AdjustContrastv2");
  h.Attr("T", DT_FLOAT);
  auto out = h.Run({images, Tensor::Scalar<float>(2.0f)});
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_NEAR(out->at(0),
                     Tensor::FromVector<float>({-1, 6, 3, 14, 3, -2, 7, 2},
                                               TensorShape{2, 2, 1, 2}),
                     1e-6, 1e-6);
}

TEST(AdjustContrastv2, Rank3HalfIsComputedInFloat) {
  Tensor images = Tensor::FromVector<Eigen::half>(
      {Eigen::half(1), Eigen::half(3)}, TensorShape{1, 2, 1});
  KernelHarness h("AdjustContrastv2");
  h.Attr("T", DT_HALF);
  auto out = h.Run({images, Tensor::Scalar<float>(0.5f)});
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_EQ(out->at(0), Tensor::FromVector<Eigen::half>(
                                   {Eigen::half(1.5), Eigen::half(2.5)},
                                   TensorShape{1, 2, 1}));
}

TEST(AdjustContrastv2, EmptyImagesGiveEmptyOutput) {
  KernelHarness h("AdjustContrastv2");
  h.Attr("T", DT_FLOAT);
  auto out = h.Run({Tensor::FromVector<float>({}, TensorShape{0, 4, 3}),
                    Tensor::Scalar<float>(2.0f)});
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_EQ(out->at(0).shape(), (TensorShape{0, 4, 3}));
}

TEST(AdjustContrastv2, RejectsLowRankImagesAndNonScalarFactor) {
  KernelHarness h("AdjustContrastv2");
  h.Attr("T", DT_FLOAT);
  auto low = h.Run({Tensor::FromVector<float>({1, 2}, TensorShape{1, 2}),
                    Tensor::Scalar<float>(2.0f)});
  ASSERT_FALSE(low.ok());
  EXPECT_EQ(low.status().code(), absl::StatusCode::kInvalidArgument);
  auto vec = h.Run({Tensor::FromVector<float>({1, 2}, TensorShape{1, 2, 1}),
                    Tensor::Vector<float>({2.0f, 1.0f})});
  ASSERT_FALSE(vec.ok());
  EXPECT_EQ(vec.status().code(), absl::StatusCode::kInvalidArgument);
}

TEST(AdjustContrastv2, UnsupportedDtypeFailsAtLoad) {
  KernelHarness h("AdjustContrastv2");
  h.Attr("T", DT_INT32);
  auto out = h.Run({Tensor::FromVector<int32_t>({1, 2}, TensorShape{1, 2, 1}),
                    Tensor::Scalar<float>(2.0f)});
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.status().code(), absl::StatusCode::kUnimplemented);
}

}  // namespace
}  // namespace model_server
