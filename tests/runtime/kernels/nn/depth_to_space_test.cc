#include <cstdint>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "runtime/tensor.h"
#include "tests/testing/kernel_harness.h"

namespace model_server {
namespace {

absl::StatusOr<std::vector<Tensor>> RunOp(const std::string& op,
                                        const Tensor& input, int block,
                                        const std::string& format = "NHWC") {
  KernelHarness h(op);
  h.Attr("T", input.dtype())
      .Attr("block_size", block)
      .Attr("data_format", format);
  return h.Run({input});
}

TEST(DepthToSpace, HandComputedDocumentedExample) {
  // [1, 1, 1, 4] -> [1, 2, 2, 1].
  auto out =
      RunOp("DepthToSpace",
          Tensor::FromVector<float>({1, 2, 3, 4}, TensorShape{1, 1, 1, 4}), 2);
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_EQ(out->at(0), Tensor::FromVector<float>(
                                   {1, 2, 3, 4}, TensorShape{1, 2, 2, 1}));
}

TEST(DepthToSpace, HandComputedTwoByTwoPixelsOfDepthFour) {
  // TensorFlow's example: [1, 2, 2, 4] -> [1, 4, 4, 1].
  std::vector<int32_t> v(16);
  for (int i = 0; i < 16; ++i) v[i] = i + 1;
  auto out =
      RunOp("DepthToSpace", Tensor::FromVector(v, TensorShape{1, 2, 2, 4}), 2);
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_EQ(out->at(0),
                   Tensor::FromVector<int32_t>(
                       {1, 2, 5, 6, 3, 4, 7, 8, 9, 10, 13, 14, 11, 12, 15, 16},
                       TensorShape{1, 4, 4, 1}));
  auto back = RunOp("SpaceToDepth", out->at(0), 2);
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_TENSOR_EQ(back->at(0), Tensor::FromVector(v, TensorShape{1, 2, 2, 4}));
}

TEST(SpaceToDepth, ChannelsFirstMovesTheSameElements) {
  // NCHW [1, 1, 2, 2] -> [1, 4, 1, 1]: the four pixels become channels.
  auto out =
      RunOp("SpaceToDepth",
          Tensor::FromVector<float>({1, 2, 3, 4}, TensorShape{1, 1, 2, 2}), 2,
          "NCHW");
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_EQ(out->at(0), Tensor::FromVector<float>(
                                   {1, 2, 3, 4}, TensorShape{1, 4, 1, 1}));
  auto back = RunOp("DepthToSpace", out->at(0), 2, "NCHW");
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_TENSOR_EQ(back->at(0), Tensor::FromVector<float>(
                                    {1, 2, 3, 4}, TensorShape{1, 1, 2, 2}));
}

TEST(DepthToSpace, EmptyAndBadInputs) {
  auto empty = RunOp("DepthToSpace",
                   Tensor::FromVector<float>({}, TensorShape{0, 2, 2, 4}), 2);
  ASSERT_TRUE(empty.ok()) << empty.status();
  EXPECT_EQ(empty->at(0).shape(), (TensorShape{0, 4, 4, 1}));
  auto depth =
      RunOp("DepthToSpace",
          Tensor::FromVector<float>({1, 2, 3}, TensorShape{1, 1, 1, 3}), 2);
  ASSERT_FALSE(depth.ok());
  EXPECT_NE(depth.status().message().find("should be divisible by: 4"),
            std::string::npos)
      << depth.status();
  auto odd =
      RunOp("SpaceToDepth",
          Tensor::FromVector<float>({1, 2, 3}, TensorShape{1, 1, 3, 1}), 2);
  ASSERT_FALSE(odd.ok());
  EXPECT_EQ(odd.status().code(), absl::StatusCode::kInvalidArgument);
  auto block = RunOp("SpaceToDepth",
                   Tensor::FromVector<float>({1}, TensorShape{1, 1, 1, 1}), 1);
  ASSERT_FALSE(block.ok());
  EXPECT_NE(block.status().message().find("Block size should be > 1"),
            std::string::npos);
}

}  // namespace
}  // namespace model_server
