#include <cstdint>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "runtime/tensor.h"
#include "tests/testing/kernel_harness.h"

namespace model_server {
namespace {

std::vector<float> Iota(int n, float first = 1) {
  std::vector<float> v(n);
  for (int i = 0; i < n; ++i) v[i] = first + static_cast<float>(i);
  return v;
}

absl::StatusOr<std::vector<Tensor>> RunND(const std::string& op,
                                          const Tensor& input,
                                          const Tensor& block,
                                          const Tensor& pads) {
  KernelHarness h(op);
  h.Attr("T", input.dtype());
  return h.Run({input, block, pads});
}

Tensor Pads(std::vector<int32_t> values) {
  const int64_t m = static_cast<int64_t>(values.size()) / 2;
  return Tensor::FromVector(values, TensorShape{m, 2});
}

TEST(SpaceToBatchND, HandComputedFourByFourImage) {
  // TensorFlow's documented example: a 4x4 image in 2x2 blocks.
  auto out = RunND("SpaceToBatchND",
                   Tensor::FromVector(Iota(16), TensorShape{1, 4, 4, 1}),
                   Tensor::Vector<int32_t>({2, 2}), Pads({0, 0, 0, 0}));
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_EQ(out->at(0),
                   Tensor::FromVector<float>(
                       {1, 3, 9, 11, 2, 4, 10, 12, 5, 7, 13, 15, 6, 8, 14, 16},
                       TensorShape{4, 2, 2, 1}));
}

TEST(SpaceToBatchND, HandComputedBlockOffsetsComeBeforeTheBatch) {
  // Documented example with batch 2: output batch index = offset * 2 + b.
  auto out = RunND(
      "SpaceToBatchND", Tensor::FromVector(Iota(16), TensorShape{2, 2, 4, 1}),
      Tensor::Vector<int64_t>({2, 2}),
      Tensor::FromVector<int64_t>({0, 0, 0, 0}, TensorShape{2, 2}));
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_EQ(out->at(0),
                   Tensor::FromVector<float>(
                       {1, 3, 9, 11, 2, 4, 10, 12, 5, 7, 13, 15, 6, 8, 14, 16},
                       TensorShape{8, 1, 2, 1}));
}

TEST(SpaceToBatchND, PadsWithZeros) {
  auto out = RunND("SpaceToBatchND",
                   Tensor::FromVector(Iota(4), TensorShape{1, 2, 2, 1}),
                   Tensor::Vector<int32_t>({2, 2}), Pads({1, 1, 1, 1}));
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_EQ(out->at(0),
                   Tensor::FromVector<float>(
                       {0, 0, 0, 4, 0, 0, 3, 0, 0, 2, 0, 0, 1, 0, 0, 0},
                       TensorShape{4, 2, 2, 1}));
}

TEST(BatchToSpaceND, HandComputedInverseOfTheDocumentedExample) {
  auto out = RunND("BatchToSpaceND",
                   Tensor::FromVector<float>(
                       {1, 3, 9, 11, 2, 4, 10, 12, 5, 7, 13, 15, 6, 8, 14, 16},
                       TensorShape{4, 2, 2, 1}),
                   Tensor::Vector<int32_t>({2, 2}), Pads({0, 0, 0, 0}));
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_EQ(out->at(0),
                   Tensor::FromVector(Iota(16), TensorShape{1, 4, 4, 1}));
}

TEST(BatchToSpaceND, CropsUndoPadding) {
  auto out = RunND("BatchToSpaceND",
                   Tensor::FromVector<float>(
                       {0, 0, 0, 4, 0, 0, 3, 0, 0, 2, 0, 0, 1, 0, 0, 0},
                       TensorShape{4, 2, 2, 1}),
                   Tensor::Vector<int32_t>({2, 2}), Pads({1, 1, 1, 1}));
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_EQ(out->at(0),
                   Tensor::FromVector(Iota(4), TensorShape{1, 2, 2, 1}));
}

TEST(SpaceToBatchND, RoundTripsThreeBlockDimsWithInnerDimsAndAnyDtype) {
  // [2, 3, 4, 2, 2, 3] with blocks [3, 2, 4] over dims 1..3: padding makes
  // every dimension divisible; BatchToSpaceND with the same crops undoes it.
  std::vector<int64_t> values(2 * 3 * 4 * 2 * 2 * 3);
  for (size_t i = 0; i < values.size(); ++i) values[i] = 100 + i;
  Tensor input = Tensor::FromVector(values, TensorShape{2, 3, 4, 2, 2, 3});
  Tensor block = Tensor::Vector<int32_t>({3, 2, 4});
  Tensor pads = Pads({1, 2, 0, 0, 1, 1});
  auto batched = RunND("SpaceToBatchND", input, block, pads);
  ASSERT_TRUE(batched.ok()) << batched.status();
  EXPECT_EQ(batched->at(0).shape(), (TensorShape{48, 2, 2, 1, 2, 3}));
  auto back = RunND("BatchToSpaceND", batched->at(0), block, pads);
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_TENSOR_EQ(back->at(0), input);

  std::vector<std::string> words = {"a", "b", "c", "d"};
  auto strings =
      RunND("SpaceToBatchND", Tensor::FromVector(words, TensorShape{1, 4, 1}),
            Tensor::Vector<int32_t>({2}), Pads({0, 0}));
  ASSERT_TRUE(strings.ok()) << strings.status();
  EXPECT_TENSOR_EQ(strings->at(0),
                   Tensor::FromVector<std::string>({"a", "c", "b", "d"},
                                                   TensorShape{2, 2, 1}));
}

TEST(SpaceToBatchND, EmptyInputs) {
  auto batch = RunND("SpaceToBatchND",
                     Tensor::FromVector<float>({}, TensorShape{0, 4, 4, 1}),
                     Tensor::Vector<int32_t>({2, 2}), Pads({0, 0, 0, 0}));
  ASSERT_TRUE(batch.ok()) << batch.status();
  EXPECT_EQ(batch->at(0).shape(), (TensorShape{0, 2, 2, 1}));
  auto no_blocks =
      RunND("SpaceToBatchND", Tensor::FromVector(Iota(6), TensorShape{2, 3}),
            Tensor::FromVector<int32_t>({}, TensorShape{0}),
            Tensor::FromVector<int32_t>({}, TensorShape{0, 2}));
  ASSERT_TRUE(no_blocks.ok()) << no_blocks.status();
  EXPECT_TENSOR_EQ(no_blocks->at(0),
                   Tensor::FromVector(Iota(6), TensorShape{2, 3}));
  auto space = RunND("BatchToSpaceND",
                     Tensor::FromVector<float>({}, TensorShape{4, 0, 2, 1}),
                     Tensor::Vector<int32_t>({2, 2}), Pads({0, 0, 0, 0}));
  ASSERT_TRUE(space.ok()) << space.status();
  EXPECT_EQ(space->at(0).shape(), (TensorShape{1, 0, 4, 1}));
}

TEST(SpaceToBatchND, RejectsBadBlocksAndPaddings) {
  auto expect_invalid = [](const std::string& op, const Tensor& input,
                           const Tensor& block, const Tensor& pads,
                           const std::string& text) {
    auto out = RunND(op, input, block, pads);
    ASSERT_FALSE(out.ok()) << text;
    EXPECT_EQ(out.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_NE(out.status().message().find(text), std::string::npos)
        << out.status();
  };
  Tensor image = Tensor::FromVector(Iota(16), TensorShape{1, 4, 4, 1});
  expect_invalid("SpaceToBatchND", image, Tensor::Vector<int32_t>({2, 0}),
                 Pads({0, 0, 0, 0}), "must be positive");
  expect_invalid("SpaceToBatchND", image, Tensor::Vector<int32_t>({3, 2}),
                 Pads({0, 0, 0, 0}),
                 "padded_shape[0]=4 is not divisible by block_shape[0]=3");
  expect_invalid("SpaceToBatchND", image, Tensor::Vector<int32_t>({2, 2}),
                 Pads({-1, 1, 0, 0}), "must be non-negative");
  expect_invalid("SpaceToBatchND", image, Tensor::Vector<int32_t>({2, 2}),
                 Pads({0, 0}), "paddings should have shape [2, 2]");
  expect_invalid("SpaceToBatchND", Tensor::FromVector(Iota(4), TensorShape{4}),
                 Tensor::Vector<int32_t>({2, 2}), Pads({0, 0, 0, 0}),
                 "input rank should be >= 3");
  expect_invalid("BatchToSpaceND", image, Tensor::Vector<int32_t>({2, 2}),
                 Pads({0, 0, 0, 0}), "is not divisible by product of block");
  expect_invalid("BatchToSpaceND",
                 Tensor::FromVector(Iota(16), TensorShape{4, 2, 2, 1}),
                 Tensor::Vector<int32_t>({2, 2}), Pads({3, 2, 0, 0}),
                 "Negative output dimension");
}

TEST(SpaceToBatch, BlockSizeAttrAppliesToBothSpatialDims) {
  KernelHarness s2b("SpaceToBatch");
  s2b.Attr("T", DT_FLOAT).Attr("block_size", 2);
  auto out = s2b.Run({Tensor::FromVector(Iota(16), TensorShape{1, 4, 4, 1}),
                      Pads({0, 0, 0, 0})});
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_EQ(out->at(0),
                   Tensor::FromVector<float>(
                       {1, 3, 9, 11, 2, 4, 10, 12, 5, 7, 13, 15, 6, 8, 14, 16},
                       TensorShape{4, 2, 2, 1}));
  KernelHarness b2s("BatchToSpace");
  b2s.Attr("T", DT_FLOAT).Attr("block_size", 2);
  auto back = b2s.Run({out->at(0), Pads({0, 0, 0, 0})});
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_TENSOR_EQ(back->at(0),
                   Tensor::FromVector(Iota(16), TensorShape{1, 4, 4, 1}));
  KernelHarness bad("SpaceToBatch");
  bad.Attr("T", DT_FLOAT).Attr("block_size", 1);
  auto refused = bad.Run({Tensor::FromVector(Iota(16), TensorShape{1, 4, 4, 1}),
                          Pads({0, 0, 0, 0})});
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.status().message().find("Block size should be > 1"),
            std::string::npos)
      << refused.status();
}

}  // namespace
}  // namespace model_server
