#include <cmath>
#include <cstdint>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "runtime/tensor.h"
#include "tests/testing/kernel_harness.h"

namespace model_server {
namespace {

std::unique_ptr<KernelHarness> MakeBatchNorm(const std::string& op,
                                             bool training,
                                             const std::string& format = "NHWC",
                                             DataType t = DT_FLOAT) {
  auto h = std::make_unique<KernelHarness>(op);
  h->Attr("T", t).Attr("epsilon", 0.001f).Attr("is_training", training);
  h->Attr("data_format", format);
  if (op != "FusedBatchNorm") h->Attr("U", DT_FLOAT);
  return h;
}

TEST(FusedBatchNorm, InferenceNormalizesPerChannelNhwc) {
  // 1x1x2x2: channel 0 values {1, 3}, channel 1 values {2, 4}.
  Tensor x = Tensor::FromVector<float>({1, 2, 3, 4}, TensorShape{1, 1, 2, 2});
  Tensor scale = Tensor::Vector<float>({2, 1});
  Tensor offset = Tensor::Vector<float>({0.5f, -1});
  Tensor mean = Tensor::Vector<float>({1, 2});
  Tensor var = Tensor::Vector<float>({4 - 0.001f, 1 - 0.001f});
  auto out = MakeBatchNorm("FusedBatchNormV3", false)
                 ->Run({x, scale, offset, mean, var});
  ASSERT_TRUE(out.ok()) << out.status();
  ASSERT_EQ(out->size(), 6u);
  // ch0: (x-1)/2*2+0.5 -> 0.5, 2.5; ch1: (x-2)/1*1-1 -> -1, 1.
  EXPECT_TENSOR_NEAR(
      out->at(0),
      Tensor::FromVector<float>({0.5f, -1, 2.5f, 1}, TensorShape{1, 1, 2, 2}),
      1e-5, 1e-5);
  EXPECT_TENSOR_EQ(out->at(1), mean);
  EXPECT_TENSOR_EQ(out->at(2), var);
  EXPECT_TENSOR_EQ(out->at(3), mean);
  EXPECT_TENSOR_EQ(out->at(4), var);
  EXPECT_EQ(out->at(5).shape(), TensorShape());
}

TEST(FusedBatchNorm, InferenceSupportsNchwAndFiveDimensions) {
  // NCHW 1x2x1x2: channel 0 = {1, 3}, channel 1 = {2, 4}.
  Tensor x = Tensor::FromVector<float>({1, 3, 2, 4}, TensorShape{1, 2, 1, 2});
  Tensor scale = Tensor::Vector<float>({1, 1});
  Tensor offset = Tensor::Vector<float>({0, 10});
  Tensor mean = Tensor::Vector<float>({2, 3});
  Tensor var = Tensor::Vector<float>({1 - 0.001f, 1 - 0.001f});
  auto out = MakeBatchNorm("FusedBatchNormV2", false, "NCHW")
                 ->Run({x, scale, offset, mean, var});
  ASSERT_TRUE(out.ok()) << out.status();
  ASSERT_EQ(out->size(), 5u);
  EXPECT_TENSOR_NEAR(
      out->at(0),
      Tensor::FromVector<float>({-1, 1, 9, 11}, TensorShape{1, 2, 1, 2}), 1e-5,
      1e-5);
  Tensor x5 =
      Tensor::FromVector<float>({1, 3, 2, 4}, TensorShape{1, 1, 1, 2, 2});
  auto out5 = MakeBatchNorm("FusedBatchNormV3", false, "NDHWC")
                  ->Run({x5, scale, offset, mean, var});
  ASSERT_TRUE(out5.ok()) << out5.status();
  EXPECT_TENSOR_NEAR(
      out5->at(0),
      Tensor::FromVector<float>({-1, 10, 0, 11}, TensorShape{1, 1, 1, 2, 2}),
      1e-5, 1e-5);
}

TEST(FusedBatchNorm, TrainingUsesBatchStatisticsAndBesselCorrection) {
  std::mt19937 rng(41);
  std::uniform_real_distribution<float> dist(-2.f, 2.f);
  const int64_t rest = 3 * 4 * 5, C = 3;
  std::vector<float> xv(rest * C);
  for (float& v : xv) v = dist(rng);
  Tensor x = Tensor::FromVector(xv, TensorShape{3, 4, 5, C});
  Tensor scale = Tensor::Vector<float>({1, 2, 0.5f});
  Tensor offset = Tensor::Vector<float>({0, 1, -1});
  Tensor empty = Tensor::FromVector<float>({}, TensorShape{0});
  auto out = MakeBatchNorm("FusedBatchNorm", true)
                 ->Run({x, scale, offset, empty, empty});
  ASSERT_TRUE(out.ok()) << out.status();
  std::vector<float> y(xv.size()), mean(C), var(C), unbiased(C);
  for (int64_t c = 0; c < C; ++c) {
    double s = 0, sq = 0;
    for (int64_t r = 0; r < rest; ++r) s += xv[r * C + c];
    const double m = s / rest;
    for (int64_t r = 0; r < rest; ++r) {
      sq += (xv[r * C + c] - m) * (xv[r * C + c] - m);
    }
    mean[c] = static_cast<float>(m);
    var[c] = static_cast<float>(sq / rest);
    unbiased[c] = static_cast<float>(sq / (rest - 1));
    for (int64_t r = 0; r < rest; ++r) {
      y[r * C + c] =
          static_cast<float>((xv[r * C + c] - m) / std::sqrt(var[c] + 0.001) *
                                 scale.data<float>()[c] +
                             offset.data<float>()[c]);
    }
  }
  EXPECT_TENSOR_NEAR(out->at(0), Tensor::FromVector(y, x.shape()), 1e-4, 1e-4);
  EXPECT_TENSOR_NEAR(out->at(1), Tensor::Vector<float>(mean), 1e-5, 1e-6);
  EXPECT_TENSOR_NEAR(out->at(2), Tensor::Vector<float>(unbiased), 1e-5, 1e-6);
  EXPECT_TENSOR_NEAR(out->at(3), Tensor::Vector<float>(mean), 1e-5, 1e-6);
  EXPECT_TENSOR_NEAR(out->at(4), Tensor::Vector<float>(var), 1e-5, 1e-6);
}

TEST(FusedBatchNorm, TrainingBlendsRunningStatisticsWithAverageFactor) {
  Tensor x = Tensor::FromVector<float>({1, 3}, TensorShape{2, 1, 1, 1});
  auto h = MakeBatchNorm("FusedBatchNormV3", true);
  h->Attr("exponential_avg_factor", 0.5f);
  auto out = h->Run({x, Tensor::Vector<float>({1}), Tensor::Vector<float>({0}),
                     Tensor::Vector<float>({10}), Tensor::Vector<float>({4})});
  ASSERT_TRUE(out.ok()) << out.status();
  // batch mean 2, biased var 1, unbiased 2.
  EXPECT_TENSOR_NEAR(out->at(1), Tensor::Vector<float>({6}), 1e-6, 1e-6);
  EXPECT_TENSOR_NEAR(out->at(2), Tensor::Vector<float>({3}), 1e-6, 1e-6);
  EXPECT_TENSOR_NEAR(out->at(3), Tensor::Vector<float>({2}), 1e-6, 1e-6);
  EXPECT_TENSOR_NEAR(out->at(4), Tensor::Vector<float>({1}), 1e-6, 1e-6);
}

TEST(FusedBatchNorm, HalfInputComputesInFloat) {
  using H = Eigen::half;
  Tensor x = Tensor::FromVector<H>({H(1), H(3)}, TensorShape{1, 1, 2, 1});
  auto out = MakeBatchNorm("FusedBatchNormV3", false, "NHWC", DT_HALF)
                 ->Run({x, Tensor::Vector<float>({1}),
                        Tensor::Vector<float>({0}), Tensor::Vector<float>({2}),
                        Tensor::Vector<float>({1 - 0.001f})});
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_EQ(out->at(0), Tensor::FromVector<H>({H(-1), H(1)},
                                                     TensorShape{1, 1, 2, 1}));
}

TEST(FusedBatchNorm, EmptyInputGivesNanStatistics) {
  Tensor x = Tensor::FromVector<float>({}, TensorShape{0, 2, 2, 1});
  auto out =
      MakeBatchNorm("FusedBatchNormV3", false)
          ->Run({x, Tensor::Vector<float>({1}), Tensor::Vector<float>({0}),
                 Tensor::Vector<float>({0}), Tensor::Vector<float>({1})});
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_EQ(out->at(0).shape(), x.shape());
  EXPECT_TRUE(std::isnan(out->at(1).data<float>()[0]));
}

TEST(FusedBatchNorm, RejectsBadShapes) {
  Tensor one = Tensor::Vector<float>({1});
  auto rank = MakeBatchNorm("FusedBatchNormV3", false)
                  ->Run({Tensor::FromVector<float>({1, 2}, TensorShape{1, 2}),
                         one, one, one, one});
  ASSERT_FALSE(rank.ok());
  EXPECT_NE(rank.status().message().find("input must be 4 or 5-dimensional"),
            std::string::npos);
  Tensor x = Tensor::FromVector<float>({1, 2}, TensorShape{1, 1, 1, 2});
  auto scale =
      MakeBatchNorm("FusedBatchNormV3", false)
          ->Run({x, one, Tensor::Vector<float>({0, 0}),
                 Tensor::Vector<float>({0, 0}), Tensor::Vector<float>({1, 1})});
  ASSERT_FALSE(scale.ok());
  EXPECT_NE(scale.status().message().find(
                "scale must have the same number of elements as the channels "
                "of x, got 1 and 2"),
            std::string::npos)
      << scale.status();
  Tensor two = Tensor::Vector<float>({1, 1});
  auto mean =
      MakeBatchNorm("FusedBatchNormV3", false)->Run({x, two, two, one, two});
  ASSERT_FALSE(mean.ok());
  EXPECT_NE(mean.status().message().find("When is_training=false, mean"),
            std::string::npos)
      << mean.status();
}

}  // namespace
}  // namespace model_server
