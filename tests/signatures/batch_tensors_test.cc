// Joining requests' inputs into one batch and cutting outputs back apart.
#include "signatures/batch_tensors.h"

#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace model_server {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

std::vector<float> Values(const Tensor& t) {
  return std::vector<float>(t.flat<float>().begin(), t.flat<float>().end());
}

std::vector<int64_t> Dims(const Tensor& t) {
  return std::vector<int64_t>(t.shape().dims().begin(), t.shape().dims().end());
}

TEST(BatchRows, IsTheSharedZerothDimension) {
  Tensor a = Tensor::FromVector<float>({1, 2, 3, 4}, TensorShape{2, 2});
  Tensor b = Tensor::FromVector<int32_t>({5, 6}, TensorShape{2});
  const Tensor* inputs[] = {&a, &b};
  absl::StatusOr<int64_t> rows = BatchRows(inputs);
  ASSERT_TRUE(rows.ok()) << rows.status();
  EXPECT_EQ(*rows, 2);
}

TEST(BatchRows, RejectsScalarsAndUnequalRows) {
  Tensor scalar = Tensor::Scalar<float>(1);
  const Tensor* scalar_input[] = {&scalar};
  EXPECT_THAT(std::string(BatchRows(scalar_input).status().message()),
              HasSubstr("must have at least one dimension"));
  Tensor a = Tensor::Vector<float>({1});
  Tensor b = Tensor::Vector<float>({5, 7});
  const Tensor* unequal[] = {&a, &b};
  EXPECT_EQ(BatchRows(unequal).status().message(),
            "Batching Run() input tensors must have equal 0th-dimension size");
}

TEST(CanShareBatch, NeedsEqualInnerDimensionsUnlessPadding) {
  Tensor a = Tensor::FromVector<float>({1, 2}, TensorShape{1, 2});
  Tensor b = Tensor::FromVector<float>({1, 2, 3}, TensorShape{1, 3});
  Tensor c = Tensor::FromVector<float>({1, 2, 3, 4}, TensorShape{2, 2});
  const Tensor* ra[] = {&a};
  const Tensor* rb[] = {&b};
  const Tensor* rc[] = {&c};
  EXPECT_TRUE(CanShareBatch(ra, rc, /*pad_variable_length=*/false));
  EXPECT_FALSE(CanShareBatch(ra, rb, /*pad_variable_length=*/false));
  EXPECT_TRUE(CanShareBatch(ra, rb, /*pad_variable_length=*/true));
}

TEST(MergeBatchInputs, ConcatenatesAlongDimensionZero) {
  Tensor a = Tensor::FromVector<float>({1, 2}, TensorShape{1, 2});
  Tensor b = Tensor::FromVector<float>({3, 4, 5, 6}, TensorShape{2, 2});
  const Tensor* ra[] = {&a};
  const Tensor* rb[] = {&b};
  std::vector<Tensor> merged;
  ASSERT_TRUE(MergeBatchInputs({ra, rb}, 3, false, &merged).ok());
  ASSERT_EQ(merged.size(), 1u);
  EXPECT_THAT(Dims(merged[0]), ElementsAre(3, 2));
  EXPECT_THAT(Values(merged[0]), ElementsAre(1, 2, 3, 4, 5, 6));
}

TEST(MergeBatchInputs, PadsWithTheLastRequestsFirstRow) {
  Tensor a = Tensor::FromVector<float>({1, 2}, TensorShape{1, 2});
  Tensor b = Tensor::FromVector<float>({3, 4, 5, 6}, TensorShape{2, 2});
  const Tensor* ra[] = {&a};
  const Tensor* rb[] = {&b};
  std::vector<Tensor> merged;
  ASSERT_TRUE(MergeBatchInputs({ra, rb}, 5, false, &merged).ok());
  EXPECT_THAT(Dims(merged[0]), ElementsAre(5, 2));
  EXPECT_THAT(Values(merged[0]), ElementsAre(1, 2, 3, 4, 5, 6, 3, 4, 3, 4));
}

TEST(MergeBatchInputs, PadsVariableLengthWithEachTensorsFirstElement) {
  Tensor a = Tensor::FromVector<float>({7}, TensorShape{1, 1});
  Tensor b = Tensor::FromVector<float>({1, 2, 3, 4, 5, 6}, TensorShape{2, 3});
  const Tensor* ra[] = {&a};
  const Tensor* rb[] = {&b};
  std::vector<Tensor> merged;
  ASSERT_TRUE(MergeBatchInputs({ra, rb}, 3, true, &merged).ok());
  EXPECT_THAT(Dims(merged[0]), ElementsAre(3, 3));
  EXPECT_THAT(Values(merged[0]), ElementsAre(7, 7, 7, 1, 2, 3, 4, 5, 6));
}

TEST(MergeBatchInputs, PadsRankThreeInEveryInnerDimension) {
  // a: [1,1,2] = {{1,2}}; b: [1,2,1] = {{3},{4}}. Both padded to [.,2,2].
  Tensor a = Tensor::FromVector<int32_t>({1, 2}, TensorShape{1, 1, 2});
  Tensor b = Tensor::FromVector<int32_t>({3, 4}, TensorShape{1, 2, 1});
  const Tensor* ra[] = {&a};
  const Tensor* rb[] = {&b};
  std::vector<Tensor> merged;
  ASSERT_TRUE(MergeBatchInputs({ra, rb}, 2, true, &merged).ok());
  EXPECT_THAT(Dims(merged[0]), ElementsAre(2, 2, 2));
  const auto v = merged[0].flat<int32_t>();
  EXPECT_THAT(std::vector<int32_t>(v.begin(), v.end()),
              ElementsAre(1, 2, 1, 1, 3, 3, 4, 3));
}

TEST(MergeBatchInputs, JoinsStrings) {
  Tensor a = Tensor::Vector<std::string>({"a"});
  Tensor b = Tensor::Vector<std::string>({"b", "c"});
  const Tensor* ra[] = {&a};
  const Tensor* rb[] = {&b};
  std::vector<Tensor> merged;
  ASSERT_TRUE(MergeBatchInputs({ra, rb}, 4, false, &merged).ok());
  const auto v = merged[0].flat<std::string>();
  EXPECT_THAT(std::vector<std::string>(v.begin(), v.end()),
              ElementsAre("a", "b", "c", "b"));
}

TEST(SplitBatchOutput, CutsRowsAndDropsPadding) {
  Tensor out =
      Tensor::FromVector<float>({1, 2, 3, 4, 5, 6, 7, 8}, TensorShape{4, 2});
  const int64_t rows[] = {1, 2};
  std::vector<Tensor> pieces;
  ASSERT_TRUE(SplitBatchOutput(out, 4, rows, &pieces).ok());
  ASSERT_EQ(pieces.size(), 2u);
  EXPECT_THAT(Dims(pieces[0]), ElementsAre(1, 2));
  EXPECT_THAT(Values(pieces[0]), ElementsAre(1, 2));
  EXPECT_THAT(Dims(pieces[1]), ElementsAre(2, 2));
  EXPECT_THAT(Values(pieces[1]), ElementsAre(3, 4, 5, 6));
}

TEST(SplitBatchOutput, RejectsOutputsWithoutTheBatchDimension) {
  const int64_t rows[] = {1, 1};
  std::vector<Tensor> pieces;
  absl::Status scalar =
      SplitBatchOutput(Tensor::Scalar<float>(1), 2, rows, &pieces);
  EXPECT_EQ(scalar.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(scalar.message(), "Batched output tensor has 0 dimensions");
  absl::Status wrong =
      SplitBatchOutput(Tensor::Vector<float>({1, 2, 3}), 2, rows, &pieces);
  EXPECT_EQ(wrong.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(std::string(wrong.message()),
              HasSubstr("0th dimension does not equal the sum"));
}

}  // namespace
}  // namespace model_server
