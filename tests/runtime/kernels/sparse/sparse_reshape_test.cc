#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "tests/testing/kernel_harness.h"

namespace model_server {
namespace {

Tensor Indices(std::vector<int64_t> flat, int64_t rank) {
  const int64_t n = rank == 0 ? 0 : static_cast<int64_t>(flat.size()) / rank;
  return Tensor::FromVector(std::move(flat), TensorShape{n, rank});
}

absl::StatusOr<std::vector<Tensor>> Reshape(const Tensor& indices,
                                            std::vector<int64_t> shape,
                                            std::vector<int64_t> new_shape) {
  KernelHarness k("SparseReshape");
  return k.Run({indices, Tensor::Vector<int64_t>(std::move(shape)),
                Tensor::Vector<int64_t>(std::move(new_shape))});
}

std::string ErrorOf(const absl::StatusOr<std::vector<Tensor>>& out) {
  return out.ok() ? "" : std::string(out.status().message());
}

TEST(SparseReshape, KeepsRowMajorPositions) {
  // [2,3,6] -> [9,4]: TensorFlow's documented example.
  auto out = Reshape(Indices({0, 0, 0, 0, 0, 1, 0, 1, 0, 1, 0, 0, 1, 2, 3}, 3),
                     {2, 3, 6}, {9, -1});
  ASSERT_TRUE(out.ok()) << out.status();
  ASSERT_EQ(out->size(), 2u);
  EXPECT_TENSOR_EQ(out->at(0), Indices({0, 0, 0, 1, 1, 2, 4, 2, 8, 1}, 2));
  EXPECT_TENSOR_EQ(out->at(1), Tensor::Vector<int64_t>({9, 4}));
}

TEST(SparseReshape, FlattensAndAddsDimensions) {
  auto out = Reshape(Indices({0, 0, 1, 0, 1, 1}, 2), {2, 2}, {-1});
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_EQ(out->at(0), Indices({0, 2, 3}, 1));
  EXPECT_TENSOR_EQ(out->at(1), Tensor::Vector<int64_t>({4}));
  out = Reshape(Indices({0, 3, 5}, 1), {6}, {2, 1, 3});
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_EQ(out->at(0), Indices({0, 0, 0, 1, 0, 0, 1, 0, 2}, 3));
  EXPECT_TENSOR_EQ(out->at(1), Tensor::Vector<int64_t>({2, 1, 3}));
}

TEST(SparseReshape, ForwardsInputForTheSameShape) {
  const Tensor indices = Indices({0, 1, 1, 0}, 2);
  auto out = Reshape(indices, {2, 2}, {2, -1});
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_EQ(out->at(0), indices);
  EXPECT_TENSOR_EQ(out->at(1), Tensor::Vector<int64_t>({2, 2}));
}

TEST(SparseReshape, HandlesEmptyTensors) {
  auto out = Reshape(Indices({}, 2), {0, 4}, {2, 0});
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_EQ(out->at(0), Indices({}, 2));
  EXPECT_TENSOR_EQ(out->at(1), Tensor::Vector<int64_t>({2, 0}));
  out = Reshape(Indices({}, 2), {3, 4}, {6, 2});
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_EQ(out->at(0).shape(), (TensorShape{0, 2}));
}

TEST(SparseReshape, RejectsBadTargetShapesWithTensorFlowTexts) {
  const Tensor indices = Indices({0, 0}, 2);
  EXPECT_NE(ErrorOf(Reshape(indices, {2, 3}, {-1, -1}))
                .find("only one output dimension may be -1, not both 0 and 1"),
            std::string::npos);
  EXPECT_NE(ErrorOf(Reshape(indices, {2, 3}, {-2, 3}))
                .find("size 0 must be non-negative, not -2"),
            std::string::npos);
  EXPECT_NE(ErrorOf(Reshape(indices, {2, 3}, {4, -1}))
                .find("Input to reshape is a SparseTensor with 6 dense values, "
                      "but the requested shape requires a multiple of 4. "
                      "input_shape=[2,3] output_shape=[4,1]"),
            std::string::npos)
      << ErrorOf(Reshape(indices, {2, 3}, {4, -1}));
  EXPECT_NE(ErrorOf(Reshape(indices, {2, 3}, {7}))
                .find("Input to reshape is a tensor with 6 dense values, but "
                      "the requested shape has 7. input_shape=[2,3] "
                      "output_shape=[7]"),
            std::string::npos);
  EXPECT_NE(ErrorOf(Reshape(Indices({}, 2), {0, 3}, {0, -1}))
                .find("reshape cannot infer the missing input size for an "
                      "empty tensor unless all specified input sizes are "
                      "non-zero"),
            std::string::npos);
  EXPECT_NE(
      ErrorOf(Reshape(indices, {2, 3}, {int64_t{1} << 40, int64_t{1} << 40})),
      "");
}

TEST(SparseReshape, RejectsMalformedInputs) {
  EXPECT_NE(ErrorOf(Reshape(Tensor::Vector<int64_t>({0}), {2}, {2}))
                .find("Input must be a matrix."),
            std::string::npos);
  EXPECT_NE(ErrorOf(Reshape(Indices({0, 0}, 2), {2, 3, 1}, {6}))
                .find("Input tensor rank must match input shape length."),
            std::string::npos);
  EXPECT_NE(ErrorOf(Reshape(Indices({0, 0}, 2), {2, -3}, {6})), "");
  KernelHarness k("SparseReshape");
  auto out = k.Run({Indices({0, 0}, 2), Tensor::Vector<int64_t>({2, 3}),
                    Tensor::Scalar<int64_t>(6)});
  EXPECT_NE(ErrorOf(out).find("Target shape should be a vector"),
            std::string::npos);
  KernelHarness k32("SparseReshape");
  out = k32.Run({Indices({0, 0}, 2), Tensor::Vector<int32_t>({2, 3}),
                 Tensor::Vector<int64_t>({6})});
  EXPECT_FALSE(out.ok());
}

TEST(SparseReshape, RejectsIndicesOutsideTheInputShape) {
  auto out = Reshape(Indices({0, 0, 1, 3}, 2), {2, 3}, {6});
  EXPECT_NE(ErrorOf(out).find("input_indices[1, 1] = 3 is out of bounds"),
            std::string::npos)
      << ErrorOf(out);
  out = Reshape(Indices({-1, 0}, 2), {2, 3}, {6});
  EXPECT_FALSE(out.ok());
  out = Reshape(Indices({0, 0}, 2), {2, 0}, {0});
  EXPECT_NE(ErrorOf(out).find("Input tensor has 1 non zero elements"),
            std::string::npos)
      << ErrorOf(out);
}

}  // namespace
}  // namespace model_server
