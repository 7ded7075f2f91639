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

absl::StatusOr<std::vector<Tensor>> RunSoftmax(const std::string& op,
                                               const Tensor& logits) {
  KernelHarness h(op);
  h.Attr("T", logits.dtype());
  return h.Run({logits});
}

TEST(Softmax, HandComputedRows) {
  Tensor logits = Tensor::FromVector<float>({0, 0, std::log(2.f), 1, 1, 1},
                                            TensorShape{2, 3});
  auto out = RunSoftmax("Softmax", logits);
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_NEAR(
      out->at(0),
      Tensor::FromVector<float>({0.25f, 0.25f, 0.5f, 1 / 3.f, 1 / 3.f, 1 / 3.f},
                                TensorShape{2, 3}),
      1e-6, 1e-7);
}

TEST(Softmax, IsStableForHugeLogits) {
  Tensor logits = Tensor::Vector<float>({1000, 1000, -1000});
  auto out = RunSoftmax("Softmax", logits);
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_NEAR(out->at(0), Tensor::Vector<float>({0.5f, 0.5f, 0}), 1e-6,
                     1e-7);
  auto log = RunSoftmax("LogSoftmax", logits);
  ASSERT_TRUE(log.ok()) << log.status();
  EXPECT_TENSOR_NEAR(log->at(0),
                     Tensor::Vector<float>({-std::log(2.f), -std::log(2.f),
                                            -2000 - std::log(2.f)}),
                     1e-6, 1e-5);
}

TEST(LogSoftmax, MatchesNaiveOnRandomInput) {
  std::mt19937 rng(51);
  std::uniform_real_distribution<float> dist(-5.f, 5.f);
  for (int64_t depth : {1, 7, 1000}) {
    const int64_t rows = 37;
    std::vector<float> v(rows * depth), sm(v.size()), lsm(v.size());
    for (float& x : v) x = dist(rng);
    for (int64_t r = 0; r < rows; ++r) {
      double mx = -1e30, sum = 0;
      for (int64_t i = 0; i < depth; ++i)
        mx = std::max<double>(mx, v[r * depth + i]);
      for (int64_t i = 0; i < depth; ++i)
        sum += std::exp(v[r * depth + i] - mx);
      for (int64_t i = 0; i < depth; ++i) {
        sm[r * depth + i] =
            static_cast<float>(std::exp(v[r * depth + i] - mx) / sum);
        lsm[r * depth + i] =
            static_cast<float>(v[r * depth + i] - mx - std::log(sum));
      }
    }
    Tensor logits = Tensor::FromVector(v, TensorShape{rows, depth});
    auto a = RunSoftmax("Softmax", logits);
    auto b = RunSoftmax("LogSoftmax", logits);
    ASSERT_TRUE(a.ok() && b.ok());
    EXPECT_TENSOR_NEAR(a->at(0), Tensor::FromVector(sm, logits.shape()), 1e-4,
                       1e-6);
    EXPECT_TENSOR_NEAR(b->at(0), Tensor::FromVector(lsm, logits.shape()), 1e-4,
                       1e-5);
  }
}

TEST(Softmax, SupportsDoubleHalfAndHigherRank) {
  auto d = RunSoftmax("Softmax", Tensor::FromVector<double>(
                                     {0, 0, 0, 0}, TensorShape{2, 1, 2}));
  ASSERT_TRUE(d.ok()) << d.status();
  EXPECT_TENSOR_EQ(d->at(0), Tensor::FromVector<double>({0.5, 0.5, 0.5, 0.5},
                                                        TensorShape{2, 1, 2}));
  using H = Eigen::half;
  auto h = RunSoftmax("Softmax", Tensor::Vector<H>({H(1), H(1)}));
  ASSERT_TRUE(h.ok()) << h.status();
  EXPECT_TENSOR_EQ(h->at(0), Tensor::Vector<H>({H(0.5f), H(0.5f)}));
}

TEST(Softmax, EmptyInputGivesEmptyOutput) {
  auto out =
      RunSoftmax("Softmax", Tensor::FromVector<float>({}, TensorShape{0, 3}));
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_EQ(out->at(0).shape(), (TensorShape{0, 3}));
}

TEST(Softmax, RejectsScalarLogits) {
  auto out = RunSoftmax("Softmax", Tensor::Scalar<float>(1));
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(
      out.status().message().find("logits must have >= 1 dimension, got []"),
      std::string::npos)
      << out.status();
}

}  // namespace
}  // namespace model_server
