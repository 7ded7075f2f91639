#include <cmath>
#include <cstdint>
#include <limits>
#include <vector>

#include "gtest/gtest.h"
#include "runtime/tensor.h"
#include "tests/testing/kernel_harness.h"

namespace model_server {
namespace {

TEST(ApproximateEqual, StrictlyWithinTheTolerance) {
  KernelHarness h("ApproximateEqual");
  h.Attr("T", DT_FLOAT).Attr("tolerance", 0.5f);
  auto out = h.Run({Tensor::Vector<float>({1, 1, 1, NAN, 2}),
                    Tensor::Vector<float>({1.25f, 1.5f, 0.75f, NAN, -2})});
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_EQ(out->at(0),
                   Tensor::Vector<bool>({true, false, true, false, false}));
}

TEST(ApproximateEqual, DefaultToleranceAndIntegerTruncation) {
  KernelHarness d("ApproximateEqual");
  d.Attr("T", DT_DOUBLE);
  auto close = d.Run({Tensor::Vector<double>({1, 1}),
                      Tensor::Vector<double>({1 + 1e-6, 1 + 1e-4})});
  ASSERT_TRUE(close.ok()) << close.status();
  EXPECT_TENSOR_EQ(close->at(0), Tensor::Vector<bool>({true, false}));
  // The tolerance 2.5 becomes 2 for integers.
  KernelHarness i("ApproximateEqual");
  i.Attr("T", DT_INT32).Attr("tolerance", 2.5f);
  auto ints = i.Run(
      {Tensor::Vector<int32_t>({5, 5, 5}), Tensor::Vector<int32_t>({6, 7, 3})});
  ASSERT_TRUE(ints.ok()) << ints.status();
  EXPECT_TENSOR_EQ(ints->at(0), Tensor::Vector<bool>({true, false, false}));
}

TEST(ApproximateEqual, RequiresEqualShapes) {
  KernelHarness h("ApproximateEqual");
  h.Attr("T", DT_FLOAT);
  auto out = h.Run({Tensor::Vector<float>({1, 2}), Tensor::Scalar<float>(1)});
  ASSERT_FALSE(out.ok());
  EXPECT_NE(out.status().message().find("x and y must be of the same shape"),
            std::string::npos);
  auto empty = h.Run({Tensor::FromVector<float>({}, TensorShape{0, 2}),
                      Tensor::FromVector<float>({}, TensorShape{0, 2})});
  ASSERT_TRUE(empty.ok()) << empty.status();
  EXPECT_EQ(empty->at(0).shape(), (TensorShape{0, 2}));
}

TEST(NextAfter, StepsOneUlpTowardTheTarget) {
  KernelHarness h("NextAfter");
  h.Attr("T", DT_FLOAT);
  auto out = h.Run({Tensor::Vector<float>({1, 1, 0, 2}),
                    Tensor::Vector<float>({2, 0, 1, 2})});
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_EQ(out->at(0),
                   Tensor::Vector<float>(
                       {std::nextafter(1.0f, 2.0f), std::nextafter(1.0f, 0.0f),
                        std::numeric_limits<float>::denorm_min(), 2}));
  KernelHarness half("NextAfter");
  half.Attr("T", DT_HALF);
  auto bad = half.Run({Tensor::Vector<Eigen::half>({Eigen::half(1.0f)}),
                       Tensor::Vector<Eigen::half>({Eigen::half(1.0f)})});
  EXPECT_EQ(bad.status().code(), absl::StatusCode::kUnimplemented);
}

}  // namespace
}  // namespace model_server
