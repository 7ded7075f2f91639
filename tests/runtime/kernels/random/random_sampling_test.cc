// Random samplers: shapes, dtypes, ranges and coarse moments (the values
// are not TensorFlow's stream; see random_source.h).
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <set>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/testing/kernel_harness.h"

namespace model_server {
namespace {

using ::testing::HasSubstr;

TEST(RandomUniformInt, DrawsFromTheHalfOpenRange) {
  KernelHarness k("RandomUniformInt");
  k.Attr("Tout", DT_INT64).Attr("T", DT_INT32).Attr("seed", 3);
  auto out = k.Run({Tensor::Vector<int32_t>({100, 10}),
                    Tensor::Scalar<int64_t>(-3), Tensor::Scalar<int64_t>(4)});
  ASSERT_TRUE(out.ok()) << out.status();
  const Tensor& t = out->at(0);
  EXPECT_EQ(t.shape(), (TensorShape{100, 10}));
  std::set<int64_t> seen;
  for (int64_t i = 0; i < t.NumElements(); ++i)
    seen.insert(t.data<int64_t>()[i]);
  EXPECT_EQ(seen, (std::set<int64_t>{-3, -2, -1, 0, 1, 2, 3}));
}

TEST(RandomUniformInt, RejectsAnEmptyRangeUnlessTheOutputIsEmpty) {
  KernelHarness k("RandomUniformInt");
  k.Attr("Tout", DT_INT32);
  auto out = k.Run({Tensor::Vector<int32_t>({2}), Tensor::Scalar<int32_t>(5),
                    Tensor::Scalar<int32_t>(5)});
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(out.status().message(),
              HasSubstr("Need minval < maxval: 5 >= 5"));
  out = k.Run({Tensor::Vector<int32_t>({0}), Tensor::Scalar<int32_t>(5),
               Tensor::Scalar<int32_t>(5)});
  ASSERT_TRUE(out.ok()) << out.status();
  out = k.Run({Tensor::Vector<int32_t>({2}), Tensor::Vector<int32_t>({0}),
               Tensor::Scalar<int32_t>(5)});
  ASSERT_FALSE(out.ok());
  EXPECT_THAT(out.status().message(), HasSubstr("minval must be 0-D"));
}

TEST(RandomGamma, SamplesOnePerAlphaWithTheRightMean) {
  KernelHarness k("RandomGamma");
  k.Attr("T", DT_DOUBLE).Attr("S", DT_INT32).Attr("seed", 1).Attr("seed2", 2);
  auto out = k.Run(
      {Tensor::Vector<int32_t>({20000}), Tensor::Vector<double>({0.5, 4.0})});
  ASSERT_TRUE(out.ok()) << out.status();
  const Tensor& t = out->at(0);
  ASSERT_EQ(t.shape(), (TensorShape{20000, 2}));
  double mean0 = 0, mean1 = 0;
  for (int64_t i = 0; i < 20000; ++i) {
    ASSERT_GE(t.data<double>()[2 * i], 0);
    mean0 += t.data<double>()[2 * i];
    mean1 += t.data<double>()[2 * i + 1];
  }
  EXPECT_NEAR(mean0 / 20000, 0.5, 0.05);
  EXPECT_NEAR(mean1 / 20000, 4.0, 0.1);
}

TEST(RandomGamma, TakesHalfAndGivesNanForNonPositiveAlpha) {
  KernelHarness k("RandomGamma");
  k.Attr("T", DT_HALF);
  auto out =
      k.Run({Tensor::Vector<int32_t>({3}),
             Tensor::Vector<Eigen::half>({Eigen::half(2), Eigen::half(0)})});
  ASSERT_TRUE(out.ok()) << out.status();
  ASSERT_EQ(out->at(0).shape(), (TensorShape{3, 2}));
  EXPECT_TRUE(
      std::isnan(static_cast<float>(out->at(0).data<Eigen::half>()[1])));
  KernelHarness i("RandomGamma");
  i.Attr("T", DT_INT32);
  EXPECT_EQ(i.Run({Tensor::Vector<int32_t>({3}), Tensor::Vector<int32_t>({1})})
                .status()
                .code(),
            absl::StatusCode::kUnimplemented);
}

TEST(RandomPoissonV2, ConvertsBetweenRateAndOutputTypes) {
  KernelHarness k("RandomPoissonV2");
  k.Attr("S", DT_INT32).Attr("R", DT_FLOAT).Attr("dtype", DT_INT64);
  auto out = k.Run(
      {Tensor::Vector<int32_t>({10000}), Tensor::Vector<float>({3.0f, 0.0f})});
  ASSERT_TRUE(out.ok()) << out.status();
  const Tensor& t = out->at(0);
  ASSERT_EQ(t.shape(), (TensorShape{10000, 2}));
  ASSERT_EQ(t.dtype(), DT_INT64);
  double mean = 0;
  for (int64_t i = 0; i < 10000; ++i) {
    mean += static_cast<double>(t.data<int64_t>()[2 * i]);
    EXPECT_EQ(t.data<int64_t>()[2 * i + 1], 0);
  }
  EXPECT_NEAR(mean / 10000, 3.0, 0.1);
}

TEST(RandomPoisson, OutputsTheRateType) {
  KernelHarness k("RandomPoisson");
  k.Attr("dtype", DT_HALF);
  auto out = k.Run({Tensor::Vector<int32_t>({4, 0}),
                    Tensor::Vector<Eigen::half>({Eigen::half(1)})});
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_EQ(out->at(0).shape(), (TensorShape{4, 0, 1}));
  EXPECT_EQ(out->at(0).dtype(), DT_HALF);
}

TEST(RandomShuffle, PermutesRows) {
  KernelHarness k("RandomShuffle");
  k.Attr("T", DT_INT32).Attr("seed", 5);
  std::vector<int32_t> v(200);
  for (int32_t i = 0; i < 200; ++i) v[i] = i;
  auto out = k.Run({Tensor::FromVector(v, TensorShape{100, 2})});
  ASSERT_TRUE(out.ok()) << out.status();
  const Tensor& t = out->at(0);
  ASSERT_EQ(t.shape(), (TensorShape{100, 2}));
  std::vector<int32_t> firsts;
  for (int64_t r = 0; r < 100; ++r) {
    // Rows move whole.
    EXPECT_EQ(t.data<int32_t>()[2 * r] + 1, t.data<int32_t>()[2 * r + 1]);
    firsts.push_back(t.data<int32_t>()[2 * r]);
  }
  std::vector<int32_t> sorted = firsts;
  std::sort(sorted.begin(), sorted.end());
  for (int32_t r = 0; r < 100; ++r) EXPECT_EQ(sorted[r], 2 * r);
  EXPECT_NE(firsts, std::vector<int32_t>(sorted));
}

TEST(RandomShuffle, PassesScalarsAndEmptyTensorsThrough) {
  KernelHarness k("RandomShuffle");
  k.Attr("T", DT_STRING);
  auto out = k.Run({Tensor::Scalar<std::string>("x")});
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_EQ(out->at(0), Tensor::Scalar<std::string>("x"));
  out = k.Run({Tensor::FromVector<std::string>({}, TensorShape{0, 3})});
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_EQ(out->at(0).shape(), (TensorShape{0, 3}));
}

TEST(Multinomial, DrawsClassesInProportionToSoftmax) {
  KernelHarness k("Multinomial");
  k.Attr("T", DT_FLOAT).Attr("seed", 9);
  // Row 0: class 1 only (the others -inf); row 1: classes 0 and 2 at 1:3.
  const float ninf = -std::numeric_limits<float>::infinity();
  auto out =
      k.Run({Tensor::FromVector<float>({ninf, 0, ninf, 0, ninf, std::log(3.0f)},
                                       TensorShape{2, 3}),
             Tensor::Scalar<int32_t>(4000)});
  ASSERT_TRUE(out.ok()) << out.status();
  const Tensor& t = out->at(0);
  ASSERT_EQ(t.shape(), (TensorShape{2, 4000}));
  ASSERT_EQ(t.dtype(), DT_INT64);
  int64_t twos = 0;
  for (int64_t s = 0; s < 4000; ++s) {
    EXPECT_EQ(t.data<int64_t>()[s], 1);
    const int64_t c = t.data<int64_t>()[4000 + s];
    EXPECT_TRUE(c == 0 || c == 2);
    twos += c == 2;
  }
  EXPECT_NEAR(static_cast<double>(twos) / 4000, 0.75, 0.03);
}

TEST(Multinomial, RejectsBadArguments) {
  KernelHarness k("Multinomial");
  k.Attr("T", DT_FLOAT).Attr("output_dtype", DT_INT32);
  auto out = k.Run({Tensor::Vector<float>({1, 2}), Tensor::Scalar<int32_t>(1)});
  ASSERT_FALSE(out.ok());
  EXPECT_THAT(out.status().message(), HasSubstr("logits should be a matrix"));
  out = k.Run({Tensor::FromVector<float>({1, 2}, TensorShape{1, 2}),
               Tensor::Scalar<int32_t>(-1)});
  ASSERT_FALSE(out.ok());
  EXPECT_THAT(out.status().message(),
              HasSubstr("num_samples should be nonnegative, got -1"));
  out = k.Run({Tensor::FromVector<float>({}, TensorShape{0, 2}),
               Tensor::Scalar<int32_t>(3)});
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_EQ(out->at(0).shape(), (TensorShape{0, 3}));
  EXPECT_EQ(out->at(0).dtype(), DT_INT32);
}

}  // namespace
}  // namespace model_server
