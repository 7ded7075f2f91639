// The kernel tests' comparison helper (tests/testing/kernel_harness.h).
#include "tests/testing/kernel_harness.h"

#include <limits>

#include "gtest/gtest.h"

namespace model_server {
namespace {

constexpr float kInf = std::numeric_limits<float>::infinity();
constexpr float kNaN = std::numeric_limits<float>::quiet_NaN();

TEST(CompareTensors, MatchesInfinitiesOnlyWithThemselves) {
  EXPECT_EQ(CompareTensors(Tensor::Scalar(kInf), Tensor::Scalar(kInf)), "");
  EXPECT_EQ(CompareTensors(Tensor::Scalar(-kInf), Tensor::Scalar(-kInf)), "");
  EXPECT_NE(CompareTensors(Tensor::Scalar(3e38f), Tensor::Scalar(kInf)), "");
  EXPECT_NE(CompareTensors(Tensor::Scalar(-kInf), Tensor::Scalar(kInf)), "");
  EXPECT_NE(CompareTensors(Tensor::Scalar(kInf), Tensor::Scalar(3e38f)), "");
}

TEST(CompareTensors, MatchesNaNOnlyWithNaN) {
  EXPECT_EQ(CompareTensors(Tensor::Scalar(kNaN), Tensor::Scalar(kNaN)), "");
  EXPECT_NE(CompareTensors(Tensor::Scalar(0.0f), Tensor::Scalar(kNaN)), "");
  EXPECT_NE(CompareTensors(Tensor::Scalar(kNaN), Tensor::Scalar(0.0f)), "");
}

TEST(CompareTensors, AppliesTheRelativeAndAbsoluteTolerance) {
  EXPECT_EQ(CompareTensors(Tensor::Scalar(100.0005f), Tensor::Scalar(100.0f),
                           1e-5, 1e-6),
            "");
  EXPECT_NE(CompareTensors(Tensor::Scalar(100.01f), Tensor::Scalar(100.0f),
                           1e-5, 1e-6),
            "");
}

}  // namespace
}  // namespace model_server
