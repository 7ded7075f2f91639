#include <vector>

#include "gtest/gtest.h"
#include "tests/testing/kernel_harness.h"

namespace model_server {
namespace {

absl::StatusOr<std::vector<Tensor>> Gather(const std::vector<Tensor>& splits,
                                           const Tensor& values,
                                           const Tensor& indices) {
  KernelHarness k("RaggedGather");
  const int64_t params_rank = static_cast<int64_t>(splits.size());
  k.Attr("PARAMS_RAGGED_RANK", params_rank)
      .Attr("OUTPUT_RAGGED_RANK", params_rank + indices.rank() - 1)
      .Attr("Tvalues", values.dtype())
      .Attr("Tindices", indices.dtype())
      .Attr("Tsplits", splits[0].dtype());
  std::vector<Tensor> inputs = splits;
  inputs.push_back(values);
  inputs.push_back(indices);
  return k.Run(inputs);
}

// [[a, b], [], [c, d, e]]
const Tensor kSplits = Tensor::Vector<int64_t>({0, 2, 2, 5});
const Tensor kValues = Tensor::Vector<std::string>({"a", "b", "c", "d", "e"});

TEST(RaggedGather, GathersRowsInIndexOrder) {
  auto out = Gather({kSplits}, kValues, Tensor::Vector<int32_t>({2, 0, 2, 1}));
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_EQ(out->at(0), Tensor::Vector<int64_t>({0, 3, 5, 8, 8}));
  EXPECT_TENSOR_EQ(out->at(1), Tensor::Vector<std::string>(
                                   {"c", "d", "e", "a", "b", "c", "d", "e"}));
}

TEST(RaggedGather, AddsUniformSplitsForMatrixIndices) {
  auto out = Gather({kSplits}, kValues,
                    Tensor::FromVector<int64_t>({0, 2, 1, 0}, {2, 2}));
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_EQ(out->at(0), Tensor::Vector<int64_t>({0, 2, 4}));
  EXPECT_TENSOR_EQ(out->at(1), Tensor::Vector<int64_t>({0, 2, 5, 5, 7}));
  EXPECT_TENSOR_EQ(out->at(2), Tensor::Vector<std::string>(
                                   {"a", "b", "c", "d", "e", "a", "b"}));
}

TEST(RaggedGather, GathersNestedLevelsAndInnerDimensions) {
  // [[[1, 2], [3]], [[4, 5, 6]]] over values [6, 1].
  auto out = Gather({Tensor::Vector<int32_t>({0, 2, 3}),
                     Tensor::Vector<int32_t>({0, 2, 3, 6})},
                    Tensor::FromVector<float>({1, 2, 3, 4, 5, 6}, {6, 1}),
                    Tensor::Vector<int32_t>({1, 0}));
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_EQ(out->at(0), Tensor::Vector<int32_t>({0, 1, 3}));
  EXPECT_TENSOR_EQ(out->at(1), Tensor::Vector<int32_t>({0, 3, 5, 6}));
  EXPECT_TENSOR_EQ(out->at(2),
                   Tensor::FromVector<float>({4, 5, 6, 1, 2, 3}, {6, 1}));
}

TEST(RaggedGather, ScalarIndexGivesOneRow) {
  auto out = Gather({kSplits}, kValues, Tensor::Scalar<int64_t>(2));
  ASSERT_TRUE(out.ok()) << out.status();
  ASSERT_EQ(out->size(), 1u);
  EXPECT_TENSOR_EQ(out->at(0), Tensor::Vector<std::string>({"c", "d", "e"}));
}

TEST(RaggedGather, HandlesEmptyIndicesAndRejectsBadOnes) {
  auto out = Gather({kSplits}, kValues, Tensor::Vector<int32_t>({}));
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_EQ(out->at(0), Tensor::Vector<int64_t>({0}));
  EXPECT_EQ(out->at(1).NumElements(), 0);
  out = Gather({kSplits}, kValues, Tensor::Vector<int32_t>({3}));
  EXPECT_EQ(out.status().code(), absl::StatusCode::kInvalidArgument);
  out = Gather({Tensor::Vector<int64_t>({0, 9})}, kValues,
               Tensor::Vector<int32_t>({0}));
  EXPECT_EQ(out.status().code(), absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace model_server
