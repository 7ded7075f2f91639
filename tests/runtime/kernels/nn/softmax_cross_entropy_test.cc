#include <cmath>
#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "runtime/tensor.h"
#include "tests/testing/kernel_harness.h"

namespace model_server {
namespace {

absl::StatusOr<std::vector<Tensor>> Dense(const Tensor& features,
                                          const Tensor& labels) {
  KernelHarness h("SoftmaxCrossEntropyWithLogits");
  h.Attr("T", features.dtype());
  return h.Run({features, labels});
}

absl::StatusOr<std::vector<Tensor>> Sparse(const Tensor& features,
                                           const Tensor& labels) {
  KernelHarness h("SparseSoftmaxCrossEntropyWithLogits");
  h.Attr("T", features.dtype()).Attr("Tlabels", labels.dtype());
  return h.Run({features, labels});
}

TEST(SoftmaxCrossEntropyWithLogits, HandComputedUniformLogits) {
  auto out = Dense(Tensor::FromVector<float>({0, 0}, TensorShape{1, 2}),
                   Tensor::FromVector<float>({1, 0}, TensorShape{1, 2}));
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_NEAR(out->at(0), Tensor::Vector<float>({std::log(2.f)}), 1e-6,
                     1e-7);
  EXPECT_TENSOR_NEAR(out->at(1),
                     Tensor::FromVector<float>({-0.5, 0.5}, TensorShape{1, 2}),
                     1e-6, 1e-7);
}

TEST(SoftmaxCrossEntropyWithLogits, MatchesNaiveReferenceWithBroadcastLabels) {
  std::mt19937 rng(31);
  std::uniform_real_distribution<double> dist(-5, 5);
  const int64_t batch = 3, classes = 4;
  std::vector<double> x(batch * classes), label = {0.1, 0.2, 0.3, 0.4};
  for (double& v : x) v = dist(rng);
  std::vector<double> loss(batch), backprop(batch * classes);
  for (int64_t r = 0; r < batch; ++r) {
    double sum = 0;
    for (int64_t j = 0; j < classes; ++j) sum += std::exp(x[r * classes + j]);
    for (int64_t j = 0; j < classes; ++j) {
      loss[r] -= label[j] * (x[r * classes + j] - std::log(sum));
      backprop[r * classes + j] = std::exp(x[r * classes + j]) / sum - label[j];
    }
  }
  auto out = Dense(Tensor::FromVector(x, TensorShape{batch, classes}),
                   Tensor::FromVector(label, TensorShape{1, classes}));
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_NEAR(out->at(0), Tensor::Vector(loss), 1e-12, 1e-12);
  EXPECT_TENSOR_NEAR(out->at(1),
                     Tensor::FromVector(backprop, TensorShape{batch, classes}),
                     1e-12, 1e-12);
}

TEST(SoftmaxCrossEntropyWithLogits, LargeLogitsStayFiniteAndEmptyBatchWorks) {
  auto out = Dense(Tensor::FromVector<float>({1000, 0}, TensorShape{1, 2}),
                   Tensor::FromVector<float>({0, 1}, TensorShape{1, 2}));
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_NEAR(out->at(0), Tensor::Vector<float>({1000}), 1e-6, 1e-6);
  auto empty = Dense(Tensor::FromVector<float>({}, TensorShape{0, 3}),
                     Tensor::FromVector<float>({}, TensorShape{0, 3}));
  ASSERT_TRUE(empty.ok()) << empty.status();
  EXPECT_EQ(empty->at(0).shape(), (TensorShape{0}));
  EXPECT_EQ(empty->at(1).shape(), (TensorShape{0, 3}));
  auto bad = Dense(Tensor::FromVector<float>({1, 2, 3}, TensorShape{1, 3}),
                   Tensor::FromVector<float>({1, 0}, TensorShape{1, 2}));
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("must be broadcastable"),
            std::string::npos)
      << bad.status();
}

TEST(SparseSoftmaxCrossEntropyWithLogits, HandComputedAndHalf) {
  const double sum = std::exp(1.0) + std::exp(2.0) + std::exp(3.0);
  auto out =
      Sparse(Tensor::FromVector<float>({1, 2, 3, 1, 2, 3}, TensorShape{2, 3}),
             Tensor::Vector<int64_t>({2, 0}));
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_NEAR(
      out->at(0),
      Tensor::Vector<float>({static_cast<float>(std::log(sum) - 3),
                             static_cast<float>(std::log(sum) - 1)}),
      1e-6, 1e-6);
  const float p1 = static_cast<float>(std::exp(1.0) / sum);
  const float p2 = static_cast<float>(std::exp(2.0) / sum);
  const float p3 = static_cast<float>(std::exp(3.0) / sum);
  EXPECT_TENSOR_NEAR(out->at(1),
                     Tensor::FromVector<float>({p1, p2, p3 - 1, p1 - 1, p2, p3},
                                               TensorShape{2, 3}),
                     1e-6, 1e-6);
  auto half = Sparse(Tensor::FromVector<Eigen::half>(
                         {Eigen::half(0), Eigen::half(0)}, TensorShape{1, 2}),
                     Tensor::Vector<int32_t>({1}));
  ASSERT_TRUE(half.ok()) << half.status();
  EXPECT_TENSOR_NEAR(half->at(0),
                     Tensor::Vector<Eigen::half>({Eigen::half(std::log(2.f))}),
                     1e-3, 1e-3);
}

TEST(SparseSoftmaxCrossEntropyWithLogits, RejectsLabelsOutOfRange) {
  auto out = Sparse(Tensor::FromVector<float>({1, 2, 3}, TensorShape{1, 3}),
                    Tensor::Vector<int32_t>({3}));
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(out.status().message().find(
                "Received a label value of 3 which is outside the valid range "
                "of [0, 3)"),
            std::string::npos)
      << out.status();
  auto negative = Sparse(Tensor::FromVector<float>({1, 2}, TensorShape{1, 2}),
                         Tensor::Vector<int64_t>({-1}));
  ASSERT_FALSE(negative.ok());
  auto no_class = Sparse(Tensor::FromVector<float>({}, TensorShape{2, 0}),
                         Tensor::Vector<int64_t>({0, 0}));
  ASSERT_FALSE(no_class.ok());
  EXPECT_NE(no_class.status().message().find("at least one class"),
            std::string::npos);
  auto empty = Sparse(Tensor::FromVector<float>({}, TensorShape{0, 3}),
                      Tensor::FromVector<int64_t>({}, TensorShape{0}));
  ASSERT_TRUE(empty.ok()) << empty.status();
  EXPECT_EQ(empty->at(1).shape(), (TensorShape{0, 3}));
}

}  // namespace
}  // namespace model_server
