#include <cmath>
#include <complex>
#include <cstdint>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "runtime/tensor.h"
#include "tests/testing/kernel_harness.h"

namespace model_server {
namespace {

absl::StatusOr<std::vector<Tensor>> Scan(const std::string& op, const Tensor& x,
                                         const Tensor& axis,
                                         bool exclusive = false,
                                         bool reverse = false) {
  KernelHarness h(op);
  h.Attr("T", x.dtype()).Attr("Tidx", axis.dtype());
  h.Attr("exclusive", exclusive).Attr("reverse", reverse);
  return h.Run({x, axis});
}

TEST(Cumsum, HandComputedFlagsAlongEachAxis) {
  Tensor x = Tensor::FromVector<float>({1, 2, 3, 4, 5, 6}, TensorShape{2, 3});
  struct Case {
    int axis;
    bool exclusive, reverse;
    std::vector<float> want;
  };
  const std::vector<Case> cases = {
      {1, false, false, {1, 3, 6, 4, 9, 15}},
      {1, true, false, {0, 1, 3, 0, 4, 9}},
      {1, false, true, {6, 5, 3, 15, 11, 6}},
      {1, true, true, {5, 3, 0, 11, 6, 0}},
      {0, false, false, {1, 2, 3, 5, 7, 9}},
      {-2, true, true, {4, 5, 6, 0, 0, 0}},
      {-1, false, false, {1, 3, 6, 4, 9, 15}},
  };
  for (const Case& c : cases) {
    auto out = Scan("Cumsum", x, Tensor::Scalar<int32_t>(c.axis), c.exclusive,
                    c.reverse);
    ASSERT_TRUE(out.ok()) << out.status();
    EXPECT_TENSOR_EQ(out->at(0), Tensor::FromVector(c.want, TensorShape{2, 3}))
        << "axis " << c.axis << " exclusive " << c.exclusive << " reverse "
        << c.reverse;
  }
}

TEST(Cumprod, HandComputedIntegersAndInt64Axis) {
  Tensor x = Tensor::Vector<int32_t>({2, 3, 4});
  auto out = Scan("Cumprod", x, Tensor::Scalar<int64_t>(0));
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_EQ(out->at(0), Tensor::Vector<int32_t>({2, 6, 24}));
  auto excl = Scan("Cumprod", x, Tensor::Scalar<int64_t>(0), true, true);
  ASSERT_TRUE(excl.ok()) << excl.status();
  EXPECT_TENSOR_EQ(excl->at(0), Tensor::Vector<int32_t>({12, 4, 1}));
  // Wraps instead of overflowing.
  auto wrap = Scan("Cumprod", Tensor::Vector<uint8_t>({16, 16, 3}),
                   Tensor::Scalar<int32_t>(0));
  ASSERT_TRUE(wrap.ok()) << wrap.status();
  EXPECT_TENSOR_EQ(wrap->at(0), Tensor::Vector<uint8_t>({16, 0, 0}));
}

// Cumsum/Cumprod of a [2,3,4] tensor along every axis against a naive loop.
template <typename T>
void CheckAgainstNaive(const std::string& op) {
  std::mt19937 rng(9);
  std::uniform_int_distribution<int> dist(-3, 3);
  const int64_t dims[3] = {2, 3, 4};
  std::vector<T> v(24);
  for (T& e : v) e = static_cast<T>(dist(rng));
  Tensor x = Tensor::FromVector(v, TensorShape{2, 3, 4});
  for (int axis = 0; axis < 3; ++axis) {
    for (bool exclusive : {false, true}) {
      for (bool reverse : {false, true}) {
        std::vector<T> want(24);
        for (int64_t i = 0; i < 24; ++i) {
          int64_t idx[3] = {i / 12, (i / 4) % 3, i % 4};
          T acc = op == "Cumsum" ? T(0) : T(1);
          for (int64_t k = 0; k < dims[axis]; ++k) {
            const bool included =
                reverse ? (exclusive ? k > idx[axis] : k >= idx[axis])
                        : (exclusive ? k < idx[axis] : k <= idx[axis]);
            if (!included) continue;
            int64_t j[3] = {idx[0], idx[1], idx[2]};
            j[axis] = k;
            const T e = v[j[0] * 12 + j[1] * 4 + j[2]];
            acc = op == "Cumsum" ? static_cast<T>(acc + e)
                                 : static_cast<T>(acc * e);
          }
          want[i] = acc;
        }
        auto out =
            Scan(op, x, Tensor::Scalar<int32_t>(axis), exclusive, reverse);
        ASSERT_TRUE(out.ok()) << out.status();
        EXPECT_TENSOR_EQ(out->at(0),
                         Tensor::FromVector(want, TensorShape{2, 3, 4}))
            << op << " axis " << axis << " exclusive " << exclusive
            << " reverse " << reverse;
      }
    }
  }
}

TEST(Cumsum, EveryAxisAndFlagAgainstNaiveReference) {
  CheckAgainstNaive<float>("Cumsum");
  CheckAgainstNaive<double>("Cumsum");
  CheckAgainstNaive<int64_t>("Cumsum");
  CheckAgainstNaive<int8_t>("Cumsum");
  CheckAgainstNaive<Eigen::half>("Cumsum");
  CheckAgainstNaive<uint16_t>("Cumsum");
}

TEST(Cumprod, EveryAxisAndFlagAgainstNaiveReference) {
  CheckAgainstNaive<float>("Cumprod");
  CheckAgainstNaive<int32_t>("Cumprod");
  CheckAgainstNaive<Eigen::bfloat16>("Cumprod");
  CheckAgainstNaive<std::complex<float>>("Cumprod");
}

TEST(CumulativeLogsumexp, MatchesLogOfCumsumOfExp) {
  Tensor x = Tensor::Vector<double>({0.5, -1, 2, 700, 700});
  auto out = Scan("CumulativeLogsumexp", x, Tensor::Scalar<int32_t>(0));
  ASSERT_TRUE(out.ok()) << out.status();
  double acc = 0;
  std::vector<double> want;
  for (double v : {0.5, -1.0, 2.0}) {
    acc += std::exp(v);
    want.push_back(std::log(acc));
  }
  want.push_back(700 + std::log1p(std::exp(want[2] - 700)));
  want.push_back(700 + std::log(2.0) + std::log1p(std::exp(want[2] - 700) / 2));
  EXPECT_TENSOR_NEAR(out->at(0), Tensor::Vector<double>(want), 1e-12, 1e-12);
  const double inf = std::numeric_limits<double>::infinity();
  auto excl = Scan("CumulativeLogsumexp", Tensor::Vector<float>({1, -INFINITY}),
                   Tensor::Scalar<int32_t>(0), true, false);
  ASSERT_TRUE(excl.ok()) << excl.status();
  EXPECT_TENSOR_EQ(excl->at(0), Tensor::Vector<float>({float(-inf), 1}));
  auto ints = Scan("CumulativeLogsumexp", Tensor::Vector<int32_t>({1}),
                   Tensor::Scalar<int32_t>(0));
  EXPECT_EQ(ints.status().code(), absl::StatusCode::kUnimplemented);
}

TEST(Cumsum, EmptyTensorsAndScalarRank) {
  auto out = Scan("Cumsum", Tensor::FromVector<float>({}, TensorShape{0, 3}),
                  Tensor::Scalar<int32_t>(1));
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_EQ(out->at(0).shape(), (TensorShape{0, 3}));
  auto scalar =
      Scan("Cumsum", Tensor::Scalar<float>(1), Tensor::Scalar<int32_t>(0));
  EXPECT_EQ(scalar.status().code(), absl::StatusCode::kInvalidArgument);
}

TEST(Cumsum, RejectsBadAxis) {
  Tensor x = Tensor::Vector<float>({1, 2});
  auto out = Scan("Cumsum", x, Tensor::Scalar<int32_t>(1));
  ASSERT_FALSE(out.ok());
  EXPECT_NE(out.status().message().find(
                "ScanOp: Expected scan axis in the range [-1, 1), but got 1"),
            std::string::npos)
      << out.status();
  auto vec = Scan("Cumsum", x, Tensor::Vector<int32_t>({0}));
  EXPECT_NE(vec.status().message().find("ScanOp: axis must be a scalar"),
            std::string::npos);
  auto low = Scan("Cumprod", x, Tensor::Scalar<int64_t>(-2));
  EXPECT_EQ(low.status().code(), absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace model_server
