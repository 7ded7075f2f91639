#include <cstdint>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "runtime/tensor.h"
#include "tests/testing/kernel_harness.h"

namespace model_server {
namespace {

absl::StatusOr<std::vector<Tensor>> Patches(const Tensor& input,
                                            std::vector<int64_t> ksizes,
                                            std::vector<int64_t> strides,
                                            std::vector<int64_t> rates,
                                            const std::string& padding) {
  KernelHarness h("ExtractImagePatches");
  h.Attr("T", input.dtype()).Attr("padding", padding);
  h.Attr("ksizes", ksizes).Attr("strides", strides).Attr("rates", rates);
  return h.Run({input});
}

Tensor Image3x3() {
  return Tensor::FromVector<float>({1, 2, 3, 4, 5, 6, 7, 8, 9},
                                   TensorShape{1, 3, 3, 1});
}

TEST(ExtractImagePatches, HandComputedValidTwoByTwo) {
  auto out =
      Patches(Image3x3(), {1, 2, 2, 1}, {1, 1, 1, 1}, {1, 1, 1, 1}, "VALID");
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_EQ(out->at(0),
                   Tensor::FromVector<float>(
                       {1, 2, 4, 5, 2, 3, 5, 6, 4, 5, 7, 8, 5, 6, 8, 9},
                       TensorShape{1, 2, 2, 4}));
}

TEST(ExtractImagePatches, RatesDilateAndSamePadsWithZeros) {
  // 2x2 taps 2 apart cover 3x3; SAME with stride 2 pads one row/column
  // before and after, so only the centre pixel is ever inside.
  auto out =
      Patches(Image3x3(), {1, 2, 2, 1}, {1, 2, 2, 1}, {1, 2, 2, 1}, "SAME");
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_EQ(out->at(0),
                   Tensor::FromVector<float>(
                       {0, 0, 0, 5, 0, 0, 5, 0, 0, 5, 0, 0, 5, 0, 0, 0},
                       TensorShape{1, 2, 2, 4}));
}

TEST(ExtractImagePatches, ChannelsStayInnermostForAnyDtype) {
  Tensor input =
      Tensor::FromVector<int8_t>({1, -1, 2, -2}, TensorShape{1, 1, 2, 2});
  auto out = Patches(input, {1, 1, 2, 1}, {1, 1, 1, 1}, {1, 1, 1, 1}, "VALID");
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_EQ(out->at(0), Tensor::FromVector<int8_t>(
                                   {1, -1, 2, -2}, TensorShape{1, 1, 1, 4}));
}

TEST(ExtractImagePatches, EmptyAndBadInputs) {
  auto empty = Patches(Tensor::FromVector<float>({}, TensorShape{0, 3, 3, 2}),
                       {1, 2, 2, 1}, {1, 1, 1, 1}, {1, 1, 1, 1}, "VALID");
  ASSERT_TRUE(empty.ok()) << empty.status();
  EXPECT_EQ(empty->at(0).shape(), (TensorShape{0, 2, 2, 8}));
  auto batch =
      Patches(Image3x3(), {2, 2, 2, 1}, {1, 1, 1, 1}, {1, 1, 1, 1}, "VALID");
  ASSERT_FALSE(batch.ok());
  EXPECT_EQ(batch.status().code(), absl::StatusCode::kUnimplemented);
  auto rank = Patches(Tensor::FromVector<float>({1, 2}, TensorShape{1, 2}),
                      {1, 1, 1, 1}, {1, 1, 1, 1}, {1, 1, 1, 1}, "VALID");
  ASSERT_FALSE(rank.ok());
  EXPECT_EQ(rank.status().code(), absl::StatusCode::kInvalidArgument);
}

TEST(ExtractVolumePatches, HandComputedWholeCube) {
  KernelHarness h("ExtractVolumePatches");
  h.Attr("T", DT_FLOAT).Attr("padding", "VALID");
  h.Attr("ksizes", std::vector<int64_t>{1, 2, 2, 2, 1});
  h.Attr("strides", std::vector<int64_t>{1, 1, 1, 1, 1});
  auto out = h.Run({Tensor::FromVector<float>({1, 2, 3, 4, 5, 6, 7, 8},
                                              TensorShape{1, 2, 2, 2, 1})});
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_EQ(out->at(0),
                   Tensor::FromVector<float>({1, 2, 3, 4, 5, 6, 7, 8},
                                             TensorShape{1, 1, 1, 1, 8}));
}

}  // namespace
}  // namespace model_server
