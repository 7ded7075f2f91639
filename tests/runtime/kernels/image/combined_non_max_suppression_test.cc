#include <cstdint>
#include <vector>

#include "gtest/gtest.h"
#include "runtime/tensor.h"
#include "tests/testing/kernel_harness.h"

namespace model_server {
namespace {

// One image, 3 boxes shared by 2 classes: box 1 overlaps box 0 (IoU 0.82),
// box 2 reaches past the image (y2 = 1.2).
const Tensor kBoxes = Tensor::FromVector<float>(
    {0, 0, 0.5, 0.5, 0, 0.05, 0.5, 0.55, 0.6, 0.6, 1.2, 0.9}, {1, 3, 1, 4});
const Tensor kScores =
    Tensor::FromVector<float>({0.9, 0.2, 0.8, 0.7, 0.1, 0.6}, {1, 3, 2});

absl::StatusOr<std::vector<Tensor>> RunCombined(
    const Tensor& boxes, const Tensor& scores, int32_t per_class, int32_t total,
    float iou = 0.5, bool pad_per_class = false, bool clip_boxes = true) {
  KernelHarness h("CombinedNonMaxSuppression");
  h.Attr("pad_per_class", pad_per_class).Attr("clip_boxes", clip_boxes);
  return h.Run({boxes, scores, Tensor::Scalar<int32_t>(per_class),
                Tensor::Scalar<int32_t>(total), Tensor::Scalar<float>(iou),
                Tensor::Scalar<float>(0.15)});
}

TEST(CombinedNonMaxSuppression, KeepsPerClassWinnersSortedByScore) {
  // Class 0 keeps box 0 (box 1 is suppressed, box 2 scores below 0.15);
  // class 1 keeps boxes 1 and 2 (its limit of 2 leaves box 0 out).
  auto out = RunCombined(kBoxes, kScores, 2, 4);
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_EQ(
      out->at(0), Tensor::FromVector<float>({0, 0, 0.5, 0.5, 0, 0.05, 0.5, 0.55,
                                             0.6, 0.6, 1.0, 0.9, 0, 0, 0, 0},
                                            {1, 4, 4}));
  EXPECT_TENSOR_EQ(out->at(1),
                   Tensor::FromVector<float>({0.9, 0.7, 0.6, 0}, {1, 4}));
  EXPECT_TENSOR_EQ(out->at(2), Tensor::FromVector<float>({0, 1, 1, 0}, {1, 4}));
  EXPECT_TENSOR_EQ(out->at(3), Tensor::Vector<int32_t>({3}));
}

TEST(CombinedNonMaxSuppression, TotalSizeCutsAndPadPerClassShrinksTheOutput) {
  auto cut = RunCombined(kBoxes, kScores, 2, 2);
  ASSERT_TRUE(cut.ok()) << cut.status();
  EXPECT_TENSOR_EQ(cut->at(1), Tensor::FromVector<float>({0.9, 0.7}, {1, 2}));
  EXPECT_TENSOR_EQ(cut->at(3), Tensor::Vector<int32_t>({2}));
  auto wide = RunCombined(kBoxes, kScores, 2, 10);
  ASSERT_TRUE(wide.ok()) << wide.status();
  EXPECT_EQ(wide->at(1).shape(), (TensorShape{1, 10}));
  auto padded =
      RunCombined(kBoxes, kScores, 2, 10, 0.5, /*pad_per_class=*/true);
  ASSERT_TRUE(padded.ok()) << padded.status();
  EXPECT_EQ(padded->at(1).shape(), (TensorShape{1, 4}));  // 2 per class x 2
}

TEST(CombinedNonMaxSuppression, UnclippedBoxesAndBoxesPerClass) {
  auto unclipped =
      RunCombined(kBoxes, kScores, 2, 4, 0.5, false, /*clip=*/false);
  ASSERT_TRUE(unclipped.ok()) << unclipped.status();
  EXPECT_FLOAT_EQ(unclipped->at(0).flat<float>()[10], 1.2f);
  // q = 2: class 1 has its own boxes; its box 0 sits away from box 1.
  Tensor per_class_boxes = Tensor::FromVector<float>(
      {0,   0,    0.5, 0.5,  0.5, 0.5,  0.9, 0.9,   // box 0: class 0, class 1
       0,   0.05, 0.5, 0.55, 0,   0.05, 0.5, 0.55,  // box 1
       0.6, 0.6,  1,   0.9,  0.6, 0.6,  1,   0.9},  // box 2
      {1, 3, 2, 4});
  Tensor scores =
      Tensor::FromVector<float>({0.9, 0.8, 0.8, 0.7, 0.1, 0.3}, {1, 3, 2});
  auto out = RunCombined(per_class_boxes, scores, 3, 6);
  ASSERT_TRUE(out.ok()) << out.status();
  // Class 0: box 0 (box 1 suppressed). Class 1: box 0, box 1 (IoU 0 with
  // box 0), box 2 (IoU 0.47 with box 0).
  EXPECT_TENSOR_EQ(out->at(1), Tensor::FromVector<float>(
                                   {0.9, 0.8, 0.7, 0.3, 0, 0}, {1, 6}));
  EXPECT_TENSOR_EQ(out->at(2),
                   Tensor::FromVector<float>({0, 1, 1, 1, 0, 0}, {1, 6}));
}

TEST(CombinedNonMaxSuppression, EmptyBatchAndNoBoxes) {
  auto empty = RunCombined(Tensor::FromVector<float>({}, {0, 3, 1, 4}),
                           Tensor::FromVector<float>({}, {0, 3, 2}), 2, 4);
  ASSERT_TRUE(empty.ok()) << empty.status();
  EXPECT_EQ(empty->at(0).shape(), (TensorShape{0, 4, 4}));
  auto none = RunCombined(Tensor::FromVector<float>({}, {1, 0, 1, 4}),
                          Tensor::FromVector<float>({}, {1, 0, 2}), 2, 3);
  ASSERT_TRUE(none.ok()) << none.status();
  EXPECT_TENSOR_EQ(none->at(3), Tensor::Vector<int32_t>({0}));
  EXPECT_TENSOR_EQ(none->at(1), Tensor::FromVector<float>({0, 0, 0}, {1, 3}));
}

TEST(CombinedNonMaxSuppression, RejectsBadInputs) {
  // 3 classes with q = 1 is fine; q = 3 with 2 classes is not.
  EXPECT_TRUE(
      RunCombined(kBoxes,
                  Tensor::FromVector<float>(std::vector<float>(9), {1, 3, 3}),
                  2, 4)
          .ok());
  for (auto status :
       {RunCombined(
            Tensor::FromVector<float>(std::vector<float>(36), {1, 3, 3, 4}),
            kScores, 2, 4)
            .status(),
        RunCombined(kBoxes, kScores, 0, 4).status(),
        RunCombined(kBoxes, kScores, 2, 0).status(),
        RunCombined(kBoxes, kScores, 2, 4, 1.5).status(),
        RunCombined(
            Tensor::FromVector<float>(std::vector<float>(9), {1, 3, 1, 3}),
            kScores, 2, 4)
            .status(),
        RunCombined(kBoxes,
                    Tensor::FromVector<float>(std::vector<float>(4), {1, 2, 2}),
                    2, 4)
            .status()}) {
    EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument) << status;
  }
  auto huge = RunCombined(kBoxes, kScores, 2, 2147483647);
  ASSERT_FALSE(huge.ok());
  EXPECT_EQ(huge.status().code(), absl::StatusCode::kResourceExhausted);
}

}  // namespace
}  // namespace model_server
