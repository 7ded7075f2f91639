#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/testing/kernel_harness.h"

namespace model_server {
namespace {

absl::StatusOr<std::vector<Tensor>> Range(const Tensor& starts,
                                          const Tensor& limits,
                                          const Tensor& deltas,
                                          DataType splits = DT_INT64) {
  KernelHarness k("RaggedRange");
  k.Attr("T", starts.dtype()).Attr("Tsplits", splits);
  return k.Run({starts, limits, deltas});
}

TEST(RaggedRange, BuildsOneRangePerRow) {
  auto out =
      Range(Tensor::Vector<int32_t>({2, 5, 8}),
            Tensor::Vector<int32_t>({3, 5, 12}), Tensor::Scalar<int32_t>(1));
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_EQ(out->at(0), Tensor::Vector<int64_t>({0, 1, 1, 5}));
  EXPECT_TENSOR_EQ(out->at(1), Tensor::Vector<int32_t>({2, 8, 9, 10, 11}));
}

TEST(RaggedRange, HandlesNegativeAndFractionalDeltas) {
  auto out = Range(Tensor::Scalar<float>(0), Tensor::Vector<float>({1, -1}),
                   Tensor::Vector<float>({0.4f, -0.5f}), DT_INT32);
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_EQ(out->at(0), Tensor::Vector<int32_t>({0, 3, 5}));
  EXPECT_TENSOR_NEAR(
      out->at(1), Tensor::Vector<float>({0, 0.4f, 0.8f, 0, -0.5f}), 1e-6, 1e-6);
  out = Range(Tensor::Scalar<int64_t>(10), Tensor::Scalar<int64_t>(0),
              Tensor::Scalar<int64_t>(3));
  ASSERT_TRUE(out.ok());
  EXPECT_TENSOR_EQ(out->at(0), Tensor::Vector<int64_t>({0, 0}));
}

TEST(RaggedRange, RejectsZeroDeltasAndMismatchedShapes) {
  auto out = Range(Tensor::Scalar<int32_t>(0), Tensor::Scalar<int32_t>(1),
                   Tensor::Scalar<int32_t>(0));
  EXPECT_EQ(out.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(out.status().message()),
              ::testing::HasSubstr("Requires delta != 0"));
  out = Range(Tensor::Vector<int32_t>({0, 1}), Tensor::Vector<int32_t>({1}),
              Tensor::Scalar<int32_t>(1));
  EXPECT_EQ(out.status().code(), absl::StatusCode::kInvalidArgument);
  out = Range(Tensor::Scalar<int64_t>(0),
              Tensor::Scalar<int64_t>(int64_t{1} << 40),
              Tensor::Scalar<int64_t>(1), DT_INT32);
  EXPECT_EQ(out.status().code(), absl::StatusCode::kInvalidArgument);
  out = Range(Tensor::Scalar<int64_t>(0),
              Tensor::Scalar<int64_t>(int64_t{1} << 40),
              Tensor::Scalar<int64_t>(1));
  EXPECT_EQ(out.status().code(), absl::StatusCode::kResourceExhausted);
}

}  // namespace
}  // namespace model_server
