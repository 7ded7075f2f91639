// How fetched tensors are compared with TensorFlow's in the frozen-graph
// corpus (../shared/frozen/README.md, "How to compare").
#include "tests/corpus/frozen_compare.h"

#include <cmath>
#include <limits>
#include <optional>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace model_server {
namespace {

using ::testing::HasSubstr;

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kInf = std::numeric_limits<double>::infinity();
const Tolerance kDefault{1e-4, 1e-5};

bool Matches(const Tensor& got, const Tensor& want,
             const Tolerance& tolerance = kDefault) {
  return !CompareWithTensorFlow(got, want, tolerance).has_value();
}

TEST(FrozenCompare, AcceptsFloatsWithinAtolPlusRtolTimesWant) {
  // Bound for want 100: 1e-5 + 1e-4 * 100 = 0.01001.
  EXPECT_TRUE(Matches(Tensor::Scalar(100.01), Tensor::Scalar(100.0)));
  EXPECT_FALSE(Matches(Tensor::Scalar(100.0101), Tensor::Scalar(100.0)));
  // Near zero atol dominates.
  EXPECT_TRUE(Matches(Tensor::Scalar(9e-6f), Tensor::Scalar(0.0f)));
  EXPECT_FALSE(Matches(Tensor::Scalar(2e-5f), Tensor::Scalar(0.0f)));
  // The per-graph tolerance is the one used.
  EXPECT_TRUE(Matches(Tensor::Scalar(1.005), Tensor::Scalar(1.0),
                      Tolerance{1e-2, 1e-5}));
}

TEST(FrozenCompare, TreatsNaNAsEqualToNaNOnly) {
  EXPECT_TRUE(Matches(Tensor::Scalar(kNaN), Tensor::Scalar(kNaN)));
  EXPECT_TRUE(Matches(Tensor::Scalar(-kNaN), Tensor::Scalar(kNaN)));
  EXPECT_FALSE(Matches(Tensor::Scalar(0.0), Tensor::Scalar(kNaN)));
  EXPECT_FALSE(Matches(Tensor::Scalar(kNaN), Tensor::Scalar(0.0)));
  EXPECT_FALSE(Matches(Tensor::Scalar(kInf), Tensor::Scalar(kNaN)));
}

TEST(FrozenCompare, RequiresInfinitiesExactly) {
  EXPECT_TRUE(Matches(Tensor::Scalar(kInf), Tensor::Scalar(kInf)));
  EXPECT_TRUE(Matches(Tensor::Scalar(-kInf), Tensor::Scalar(-kInf)));
  EXPECT_FALSE(Matches(Tensor::Scalar(-kInf), Tensor::Scalar(kInf)));
  EXPECT_FALSE(Matches(Tensor::Scalar(1e308), Tensor::Scalar(kInf)));
  EXPECT_FALSE(Matches(Tensor::Scalar(kInf), Tensor::Scalar(1e308)));
}

TEST(FrozenCompare, RequiresIntegersAndBoolsEqual) {
  // 2^62 + 1 and 2^62 are the same double: the comparison must not use one.
  EXPECT_FALSE(Matches(Tensor::Scalar<int64_t>((int64_t{1} << 62) + 1),
                       Tensor::Scalar<int64_t>(int64_t{1} << 62)));
  EXPECT_TRUE(Matches(Tensor::Scalar<uint64_t>(UINT64_MAX),
                      Tensor::Scalar<uint64_t>(UINT64_MAX)));
  EXPECT_FALSE(Matches(Tensor::Scalar<int32_t>(1), Tensor::Scalar<int32_t>(2)));
  EXPECT_FALSE(Matches(Tensor::Scalar(true), Tensor::Scalar(false)));
}

TEST(FrozenCompare, ComparesHalfAndBfloat16WithTheirTolerance) {
  EXPECT_TRUE(Matches(Tensor::Scalar(Eigen::half(1.0f)),
                      Tensor::Scalar(Eigen::half(1.0f))));
  // One bfloat16 ulp at 1 is 2^-7; the corpus gives bfloat16 rtol 1e-2.
  EXPECT_TRUE(Matches(Tensor::Scalar(Eigen::bfloat16(1.0078125f)),
                      Tensor::Scalar(Eigen::bfloat16(1.0f)),
                      Tolerance{1e-2, 1e-5}));
  EXPECT_FALSE(Matches(Tensor::Scalar(Eigen::bfloat16(1.0078125f)),
                       Tensor::Scalar(Eigen::bfloat16(1.0f))));
}

TEST(FrozenCompare, RequiresDtypeAndShapeExactly) {
  std::optional<OutputMismatch> dtype = CompareWithTensorFlow(
      Tensor::Scalar(1.0f), Tensor::Scalar(1.0), kDefault);
  ASSERT_TRUE(dtype.has_value());
  EXPECT_EQ(dtype->kind, OutputMismatch::Kind::kDtypeOrShape);
  EXPECT_EQ(dtype->description, "got float [], want double []");

  std::optional<OutputMismatch> shape =
      CompareWithTensorFlow(Tensor::FromVector<float>({1, 2}, {2, 1}),
                            Tensor::Vector<float>({1, 2}), kDefault);
  ASSERT_TRUE(shape.has_value());
  EXPECT_EQ(shape->kind, OutputMismatch::Kind::kDtypeOrShape);
  EXPECT_EQ(shape->description, "got float [2,1], want float [2]");
}

TEST(FrozenCompare, NamesTheFirstMismatchAndCountsTheRest) {
  std::optional<OutputMismatch> mismatch = CompareWithTensorFlow(
      Tensor::FromVector<float>({1, 2, 3, 4, 5, 6}, {2, 3}),
      Tensor::FromVector<float>({1, 2, 3, 4, 0.5f, 7}, {2, 3}), kDefault);
  ASSERT_TRUE(mismatch.has_value());
  EXPECT_EQ(mismatch->kind, OutputMismatch::Kind::kValue);
  EXPECT_EQ(mismatch->description,
            "element 4 [1,1]: got 5, want 0.5 (2 of 6 elements differ)");
}

TEST(FrozenCompare, ChecksOnlyDtypeAndShapeOfNondeterministicOutputs) {
  EXPECT_FALSE(CompareWithTensorFlow(Tensor::Vector<float>({1, 2}),
                                     Tensor::Vector<float>({3, 4}), kDefault,
                                     /*check_values=*/false)
                   .has_value());
  EXPECT_TRUE(CompareWithTensorFlow(Tensor::Vector<float>({1, 2}),
                                    Tensor::Vector<float>({1, 2, 3}), kDefault,
                                    /*check_values=*/false)
                  .has_value());
}

TEST(FrozenCompare, AcceptsEmptyTensorsOfTheSameShape) {
  absl::StatusOr<Tensor> got = Tensor::Create(DT_FLOAT, TensorShape({0, 3}));
  absl::StatusOr<Tensor> want = Tensor::Create(DT_FLOAT, TensorShape({0, 3}));
  ASSERT_TRUE(got.ok() && want.ok());
  EXPECT_TRUE(Matches(*got, *want));
}

}  // namespace
}  // namespace model_server
