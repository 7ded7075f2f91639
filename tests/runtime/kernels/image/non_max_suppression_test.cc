#include <cstdint>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "runtime/tensor.h"
#include "tests/testing/kernel_harness.h"

namespace model_server {
namespace {

// Three clusters: boxes 0-2 overlap heavily (IoU(0,1) = 9/11), 3-4 overlap,
// 5 stands alone.
Tensor ClusterBoxes() {
  return Tensor::FromVector<float>(
      {0, 0,  1, 1,  0, 0.1,  1, 1.1,  0, -0.1, 1, 0.9,
       0, 10, 1, 11, 0, 10.1, 1, 11.1, 0, 100,  1, 101},
      TensorShape{6, 4});
}
Tensor ClusterScores() {
  return Tensor::Vector<float>({0.9, 0.75, 0.6, 0.95, 0.5, 0.3});
}

template <typename T>
Tensor ToType(const Tensor& f) {
  std::vector<T> v;
  for (float x : f.flat<float>()) v.push_back(static_cast<T>(x));
  return Tensor::FromVector<T>(v, f.shape());
}

TEST(NonMaxSuppression, V1KeepsOneBoxPerCluster) {
  KernelHarness h("NonMaxSuppression");
  h.Attr("iou_threshold", 0.5f);
  auto out =
      h.Run({ClusterBoxes(), ClusterScores(), Tensor::Scalar<int32_t>(3)});
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_EQ(out->at(0), Tensor::Vector<int32_t>({3, 0, 5}));
}

TEST(NonMaxSuppression, V1DefaultThresholdAndOutputLimit) {
  KernelHarness h("NonMaxSuppression");
  auto out =
      h.Run({ClusterBoxes(), ClusterScores(), Tensor::Scalar<int32_t>(2)});
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_EQ(out->at(0), Tensor::Vector<int32_t>({3, 0}));
}

TEST(NonMaxSuppression, FlippedCornersGiveTheSameBoxes) {
  Tensor boxes = Tensor::FromVector<float>(
      {1, 1,  0, 0,  0, 0.1,  1, 1.1,  0, 0.9, 1, -0.1,
       0, 10, 1, 11, 1, 10.1, 0, 11.1, 1, 101, 0, 100},
      TensorShape{6, 4});
  KernelHarness h("NonMaxSuppressionV2");
  h.Attr("T", DT_FLOAT);
  auto out = h.Run({boxes, ClusterScores(), Tensor::Scalar<int32_t>(3),
                    Tensor::Scalar<float>(0.5)});
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_EQ(out->at(0), Tensor::Vector<int32_t>({3, 0, 5}));
}

TEST(NonMaxSuppression, V3ScoreThresholdDropsLowScores) {
  KernelHarness h("NonMaxSuppressionV3");
  h.Attr("T", DT_FLOAT);
  auto out = h.Run({ClusterBoxes(), ClusterScores(), Tensor::Scalar<int32_t>(6),
                    Tensor::Scalar<float>(0.5), Tensor::Scalar<float>(0.4)});
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_EQ(out->at(0), Tensor::Vector<int32_t>({3, 0}));
}

TEST(NonMaxSuppression, V3HalfBoxesWithFloatThresholds) {
  KernelHarness h("NonMaxSuppressionV3");
  h.Attr("T", DT_HALF).Attr("T_threshold", DT_FLOAT);
  auto out =
      h.Run({ToType<Eigen::half>(ClusterBoxes()),
             ToType<Eigen::half>(ClusterScores()), Tensor::Scalar<int32_t>(6),
             Tensor::Scalar<float>(0.5), Tensor::Scalar<float>(0.0)});
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_EQ(out->at(0), Tensor::Vector<int32_t>({3, 0, 5}));
}

TEST(NonMaxSuppression, EqualScoresPreferTheLowerIndex) {
  Tensor boxes = Tensor::FromVector<float>({0, 0, 1, 1, 0, 0, 1, 1, 5, 5, 6, 6},
                                           TensorShape{3, 4});
  KernelHarness h("NonMaxSuppressionV3");
  h.Attr("T", DT_FLOAT);
  auto out = h.Run({boxes, Tensor::Vector<float>({0.5, 0.5, 0.5}),
                    Tensor::Scalar<int32_t>(3), Tensor::Scalar<float>(0.5),
                    Tensor::Scalar<float>(0)});
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_EQ(out->at(0), Tensor::Vector<int32_t>({0, 2}));
}

TEST(NonMaxSuppression, V4PadsToMaxOutputSize) {
  KernelHarness h("NonMaxSuppressionV4");
  h.Attr("T", DT_FLOAT).Attr("pad_to_max_output_size", true);
  auto out = h.Run({ClusterBoxes(), ClusterScores(), Tensor::Scalar<int32_t>(5),
                    Tensor::Scalar<float>(0.5), Tensor::Scalar<float>(0.4)});
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_EQ(out->at(0), Tensor::Vector<int32_t>({3, 0, 0, 0, 0}));
  EXPECT_TENSOR_EQ(out->at(1), Tensor::Scalar<int32_t>(2));

  KernelHarness unpadded("NonMaxSuppressionV4");
  unpadded.Attr("T", DT_FLOAT);
  out =
      unpadded.Run({ClusterBoxes(), ClusterScores(), Tensor::Scalar<int32_t>(5),
                    Tensor::Scalar<float>(0.5), Tensor::Scalar<float>(0.4)});
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_EQ(out->at(0), Tensor::Vector<int32_t>({3, 0}));
  EXPECT_TENSOR_EQ(out->at(1), Tensor::Scalar<int32_t>(2));
}

TEST(NonMaxSuppression, V5SoftNmsDecaysOverlappingScores) {
  // sigma 0.5: each overlap multiplies the score by exp(-iou^2); box 1
  // (IoU 9/11 with box 0) keeps 0.75 * exp(-(9/11)^2) = 0.384.
  KernelHarness h("NonMaxSuppressionV5");
  h.Attr("T", DT_FLOAT);
  auto out = h.Run({ClusterBoxes(), ClusterScores(), Tensor::Scalar<int32_t>(6),
                    Tensor::Scalar<float>(1.0), Tensor::Scalar<float>(0.0),
                    Tensor::Scalar<float>(0.5)});
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_EQ(out->at(0), Tensor::Vector<int32_t>({3, 0, 1, 5, 4, 2}));
  EXPECT_TENSOR_NEAR(out->at(1),
                     Tensor::Vector<float>({0.95, 0.9, 0.384003520, 0.3,
                                            0.256002347, 0.196972421}),
                     1e-5, 1e-6);
  EXPECT_TENSOR_EQ(out->at(2), Tensor::Scalar<int32_t>(6));
}

TEST(NonMaxSuppression, V5HardNmsInHalfWithPaddedScores) {
  KernelHarness h("NonMaxSuppressionV5");
  h.Attr("T", DT_HALF).Attr("pad_to_max_output_size", true);
  auto out =
      h.Run({ToType<Eigen::half>(ClusterBoxes()),
             ToType<Eigen::half>(ClusterScores()), Tensor::Scalar<int32_t>(4),
             Tensor::Scalar<Eigen::half>(Eigen::half(0.5)),
             Tensor::Scalar<Eigen::half>(Eigen::half(0)),
             Tensor::Scalar<Eigen::half>(Eigen::half(0))});
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_EQ(out->at(0), Tensor::Vector<int32_t>({3, 0, 5, 0}));
  EXPECT_TENSOR_EQ(out->at(1), ToType<Eigen::half>(
                                   Tensor::Vector<float>({0.95, 0.9, 0.3, 0})));
  EXPECT_TENSOR_EQ(out->at(2), Tensor::Scalar<int32_t>(3));
}

TEST(NonMaxSuppression, EmptyBoxesAndZeroOutputSize) {
  KernelHarness h("NonMaxSuppressionV4");
  h.Attr("T", DT_FLOAT).Attr("pad_to_max_output_size", true);
  auto out = h.Run({Tensor::FromVector<float>({}, TensorShape{0, 4}),
                    Tensor::FromVector<float>({}, TensorShape{0}),
                    Tensor::Scalar<int32_t>(2), Tensor::Scalar<float>(0.5),
                    Tensor::Scalar<float>(0)});
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_EQ(out->at(0), Tensor::Vector<int32_t>({0, 0}));
  EXPECT_TENSOR_EQ(out->at(1), Tensor::Scalar<int32_t>(0));

  KernelHarness v3("NonMaxSuppressionV3");
  out = v3.Run({ClusterBoxes(), ClusterScores(), Tensor::Scalar<int32_t>(0),
                Tensor::Scalar<float>(0.5), Tensor::Scalar<float>(0)});
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_EQ(out->at(0).shape(), TensorShape{0});
}

TEST(NonMaxSuppressionWithOverlaps, SuppressesByTheGivenOverlaps) {
  // Box 1 overlaps box 0 by 0.8, box 2 overlaps nothing.
  Tensor overlaps = Tensor::FromVector<float>(
      {1, 0.8, 0, 0.8, 1, 0.1, 0, 0.1, 1}, TensorShape{3, 3});
  KernelHarness h("NonMaxSuppressionWithOverlaps");
  auto out = h.Run({overlaps, Tensor::Vector<float>({0.9, 0.95, 0.2}),
                    Tensor::Scalar<int32_t>(3), Tensor::Scalar<float>(0.5),
                    Tensor::Scalar<float>(0.3)});
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_EQ(out->at(0), Tensor::Vector<int32_t>({1}));
}

void ExpectInvalid(const std::string& op, const std::vector<Tensor>& inputs,
                   const std::string& message) {
  KernelHarness h(op);
  auto out = h.Run(inputs);
  ASSERT_FALSE(out.ok()) << op;
  EXPECT_EQ(out.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(out.status().message().find(message), std::string::npos)
      << out.status();
}

TEST(NonMaxSuppression, RejectsBadShapesAndThresholds) {
  const Tensor n = Tensor::Scalar<int32_t>(3);
  const Tensor half = Tensor::Scalar<float>(0.5);
  const Tensor zero = Tensor::Scalar<float>(0);
  ExpectInvalid(
      "NonMaxSuppressionV3",
      {Tensor::Vector<float>({0, 0, 1, 1}), ClusterScores(), n, half, zero},
      "boxes must be 2-D");
  ExpectInvalid("NonMaxSuppressionV3",
                {Tensor::FromVector<float>({0, 0, 1}, TensorShape{1, 3}),
                 Tensor::Vector<float>({1}), n, half, zero},
                "boxes must have 4 columns");
  ExpectInvalid("NonMaxSuppressionV3",
                {ClusterBoxes(), Tensor::Vector<float>({1, 2}), n, half, zero},
                "scores has incompatible shape");
  ExpectInvalid("NonMaxSuppressionV3",
                {ClusterBoxes(), ClusterScores(), Tensor::Vector<int32_t>({3}),
                 half, zero},
                "max_output_size must be 0-D");
  ExpectInvalid(
      "NonMaxSuppressionV4",
      {ClusterBoxes(), ClusterScores(), n, Tensor::Scalar<float>(1.5), zero},
      "iou_threshold must be in [0, 1]");
  ExpectInvalid("NonMaxSuppressionV3",
                {ClusterBoxes(), ClusterScores(), Tensor::Scalar<int32_t>(-1),
                 half, zero},
                "output size must be non-negative");
  ExpectInvalid("NonMaxSuppressionV5",
                {ClusterBoxes(), ClusterScores(), n, half, zero,
                 Tensor::Scalar<float>(-1)},
                "soft_nms_sigma_val must be >= 0");
  ExpectInvalid("NonMaxSuppressionWithOverlaps",
                {Tensor::FromVector<float>({1, 0}, TensorShape{1, 2}),
                 Tensor::Vector<float>({1}), n, half, zero},
                "overlaps must be square");
}

TEST(NonMaxSuppression, V3AcceptsAnyIouThresholdLikeTensorFlow1) {
  // A negative threshold suppresses every box overlapping a selected one
  // at all (IoU > -1 holds even for disjoint boxes).
  KernelHarness h("NonMaxSuppressionV3");
  auto out = h.Run({ClusterBoxes(), ClusterScores(), Tensor::Scalar<int32_t>(6),
                    Tensor::Scalar<float>(-1), Tensor::Scalar<float>(0)});
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_EQ(out->at(0), Tensor::Vector<int32_t>({3}));
}

TEST(NonMaxSuppression, HugePaddedOutputIsResourceExhausted) {
  KernelHarness h("NonMaxSuppressionV4");
  h.Attr("T", DT_FLOAT).Attr("pad_to_max_output_size", true);
  auto out = h.Run({ClusterBoxes(), ClusterScores(),
                    Tensor::Scalar<int32_t>(2147483647),
                    Tensor::Scalar<float>(0.5), Tensor::Scalar<float>(0)});
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.status().code(), absl::StatusCode::kResourceExhausted);
}

}  // namespace
}  // namespace model_server
