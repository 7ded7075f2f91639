#include <vector>

#include "gtest/gtest.h"
#include "runtime/tensor.h"
#include "tests/testing/kernel_harness.h"

namespace model_server {
namespace {

Tensor Zeros(int64_t h, int64_t w, int64_t depth) {
  return Tensor::FromVector<float>(std::vector<float>(h * w * depth, 0),
                                   {1, h, w, depth});
}

TEST(DrawBoundingBoxes, DrawsTheOutlineInTheDefaultColour) {
  // Rows and columns 0.25 * 4 = 1 to 0.75 * 4 = 3; depth 1 draws with 1.
  KernelHarness h("DrawBoundingBoxes");
  h.Attr("T", DT_FLOAT);
  auto out = h.Run({Zeros(5, 5, 1), Tensor::FromVector<float>(
                                        {0.25, 0.25, 0.75, 0.75}, {1, 1, 4})});
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_EQ(out->at(0), Tensor::FromVector<float>({0, 0, 0, 0, 0,  //
                                                          0, 1, 1, 1, 0,  //
                                                          0, 1, 0, 1, 0,  //
                                                          0, 1, 1, 1, 0,  //
                                                          0, 0, 0, 0, 0},
                                                         {1, 5, 5, 1}));
}

TEST(DrawBoundingBoxes, ClipsEdgesOutsideTheImageAndSkipsInvertedBoxes) {
  // Rows -2..2, columns 2..6: only the bottom and left edges are inside.
  KernelHarness h("DrawBoundingBoxesV2");
  h.Attr("T", DT_FLOAT);
  auto out = h.Run({Zeros(5, 5, 1),
                    Tensor::FromVector<float>(
                        {-0.5, 0.5, 0.5, 1.5, 0.9, 0.9, 0.1, 0.1}, {1, 2, 4}),
                    Tensor::FromVector<float>({0.5, 9, 0.25, 9}, {2, 2})});
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_EQ(out->at(0),
                   Tensor::FromVector<float>({0, 0, 0.5, 0,   0,    //
                                              0, 0, 0.5, 0,   0,    //
                                              0, 0, 0.5, 0.5, 0.5,  //
                                              0, 0, 0,   0,   0,    //
                                              0, 0, 0,   0,   0},
                                             {1, 5, 5, 1}));
}

TEST(DrawBoundingBoxes, CyclesColoursAndKeepsThePixelsOutsideBoxes) {
  // 3 channels; box 0 yellow (1, 1, 0), box 1 blue (0, 0, 1); half images.
  std::vector<Eigen::half> pixels(2 * 2 * 3, Eigen::half(0.5));
  KernelHarness h("DrawBoundingBoxesV2");
  h.Attr("T", DT_HALF);
  auto out =
      h.Run({Tensor::FromVector<Eigen::half>(pixels, {1, 2, 2, 3}),
             Tensor::FromVector<float>({0, 0, 0, 0, 1, 1, 1, 1}, {1, 2, 4}),
             Tensor::FromVector<float>({}, {0, 4})});
  ASSERT_TRUE(out.ok()) << out.status();
  const auto v = out->at(0).flat<Eigen::half>();
  EXPECT_EQ(float(v[0]), 1);  // (0, 0) yellow
  EXPECT_EQ(float(v[2]), 0);
  EXPECT_EQ(float(v[3]), 0.5);  // (0, 1) untouched
  EXPECT_EQ(float(v[9]), 0);    // (1, 1) blue
  EXPECT_EQ(float(v[11]), 1);
}

TEST(DrawBoundingBoxes, RejectsBadShapes) {
  KernelHarness h("DrawBoundingBoxes");
  h.Attr("T", DT_FLOAT);
  const Tensor box = Tensor::FromVector<float>({0, 0, 1, 1}, {1, 1, 4});
  for (const auto& [images, boxes] : std::vector<std::pair<Tensor, Tensor>>{
           {Tensor::FromVector<float>({0}, {1, 1, 1}), box},
           {Zeros(2, 2, 2), box},
           {Zeros(2, 2, 1), Tensor::FromVector<float>({0, 0, 1}, {1, 1, 3})},
           {Zeros(2, 2, 1), Tensor::FromVector<float>({0, 0, 1, 1}, {1, 4})},
           {Zeros(2, 2, 1),
            Tensor::FromVector<float>({0, 0, 1, 1, 0, 0, 1, 1}, {2, 1, 4})}}) {
    auto out = h.Run({images, boxes});
    ASSERT_FALSE(out.ok());
    EXPECT_EQ(out.status().code(), absl::StatusCode::kInvalidArgument);
  }
  KernelHarness v2("DrawBoundingBoxesV2");
  v2.Attr("T", DT_FLOAT);
  auto narrow =
      v2.Run({Zeros(2, 2, 3), box, Tensor::FromVector<float>({1, 1}, {1, 2})});
  ASSERT_FALSE(narrow.ok());
  EXPECT_EQ(narrow.status().code(), absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace model_server
