#include <vector>

#include "gtest/gtest.h"
#include "tests/testing/kernel_harness.h"

namespace model_server {
namespace {

absl::StatusOr<std::vector<Tensor>> ToSparse(const std::vector<Tensor>& splits,
                                             const Tensor& values) {
  KernelHarness k("RaggedTensorToSparse");
  k.Attr("RAGGED_RANK", static_cast<int64_t>(splits.size()))
      .Attr("T", values.dtype())
      .Attr("Tsplits", splits[0].dtype());
  std::vector<Tensor> inputs = splits;
  inputs.push_back(values);
  return k.Run(inputs);
}

TEST(RaggedTensorToSparse, ListsEveryValueWithItsCoordinates) {
  // [[a, b], [], [c]]
  auto out = ToSparse({Tensor::Vector<int64_t>({0, 2, 2, 3})},
                      Tensor::Vector<std::string>({"a", "b", "c"}));
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_EQ(out->at(0),
                   Tensor::FromVector<int64_t>({0, 0, 0, 1, 2, 0}, {3, 2}));
  EXPECT_TENSOR_EQ(out->at(1), Tensor::Vector<std::string>({"a", "b", "c"}));
  EXPECT_TENSOR_EQ(out->at(2), Tensor::Vector<int64_t>({3, 2}));
}

TEST(RaggedTensorToSparse, AddsInnerDimensionsAndNestedLevels) {
  // [[[1, 2]], [[3, 4], [5, 6]]] with two ragged levels over [3, 2] values:
  // rows [[x0], [x1, x2]] -> level 2 splits [0, 1, 2, 3].
  auto out = ToSparse(
      {Tensor::Vector<int32_t>({0, 1, 2}), Tensor::Vector<int32_t>({0, 1, 3})},
      Tensor::FromVector<float>({1, 2, 3, 4, 5, 6}, {3, 2}));
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_EQ(out->at(2), Tensor::Vector<int64_t>({2, 1, 2, 2}));
  EXPECT_TENSOR_EQ(out->at(0), Tensor::FromVector<int64_t>(
                                   {0, 0, 0, 0, 0, 0, 0, 1, 1, 0, 0, 0,
                                    1, 0, 0, 1, 1, 0, 1, 0, 1, 0, 1, 1},
                                   {6, 4}));
  EXPECT_TENSOR_EQ(out->at(1), Tensor::Vector<float>({1, 2, 3, 4, 5, 6}));
}

TEST(RaggedTensorToSparse, HandlesEmptyValuesAndRejectsBadSplits) {
  auto out =
      ToSparse({Tensor::Vector<int64_t>({0, 0})}, Tensor::Vector<float>({}));
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_EQ(out->at(0).shape(), (TensorShape{0, 2}));
  EXPECT_TENSOR_EQ(out->at(2), Tensor::Vector<int64_t>({1, 0}));
  out = ToSparse({Tensor::Vector<int64_t>({0, 3})}, Tensor::Vector<float>({1}));
  EXPECT_EQ(out.status().code(), absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace model_server
