#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/testing/kernel_harness.h"

namespace model_server {
namespace {

using ::testing::HasSubstr;

absl::StatusOr<Tensor> ToTensor(const std::vector<std::string>& types,
                                const Tensor& shape, const Tensor& values,
                                const Tensor& default_value,
                                const std::vector<Tensor>& partitions) {
  KernelHarness k("RaggedTensorToTensor");
  k.Attr("T", values.dtype())
      .Attr("Tindex", partitions[0].dtype())
      .Attr("Tshape", shape.dtype())
      .Attr("num_row_partition_tensors", static_cast<int64_t>(types.size()))
      .Attr("row_partition_types", types);
  std::vector<Tensor> inputs = {shape, values, default_value};
  inputs.insert(inputs.end(), partitions.begin(), partitions.end());
  auto out = k.Run(inputs);
  if (!out.ok()) return out.status();
  return out->at(0);
}

const Tensor kUnknown = Tensor::Scalar<int64_t>(-1);

TEST(RaggedTensorToTensor, PadsRowSplitsWithTheDefault) {
  // [[1, 2], [], [3, 4, 5]]
  auto out = ToTensor(
      {"ROW_SPLITS"}, kUnknown, Tensor::Vector<int32_t>({1, 2, 3, 4, 5}),
      Tensor::Scalar<int32_t>(0), {Tensor::Vector<int64_t>({0, 2, 2, 5})});
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_EQ(
      *out, Tensor::FromVector<int32_t>({1, 2, 0, 0, 0, 0, 3, 4, 5}, {3, 3}));
}

TEST(RaggedTensorToTensor, ReadsFirstDimSizeAndValueRowids) {
  // What RaggedTensor.to_tensor emits after from_value_rowids: 4 rows, the
  // last one empty.
  auto out = ToTensor(
      {"FIRST_DIM_SIZE", "VALUE_ROWIDS"}, kUnknown,
      Tensor::Vector<std::string>({"a", "b", "c"}),
      Tensor::Scalar<std::string>(""),
      {Tensor::Scalar<int64_t>(4), Tensor::Vector<int64_t>({0, 0, 2})});
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_EQ(*out, Tensor::FromVector<std::string>(
                             {"a", "b", "", "", "c", "", "", ""}, {4, 2}));
}

TEST(RaggedTensorToTensor, TruncatesAndPadsToAGivenShape) {
  auto out = ToTensor({"ROW_SPLITS"}, Tensor::Vector<int64_t>({2, 4}),
                      Tensor::Vector<float>({1, 2, 3, 4, 5, 6}),
                      Tensor::Scalar<float>(-1),
                      {Tensor::Vector<int32_t>({0, 1, 6, 6})});
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_EQ(
      *out, Tensor::FromVector<float>({1, -1, -1, -1, 2, 3, 4, 5}, {2, 4}));
  out = ToTensor({"ROW_SPLITS"}, Tensor::Vector<int32_t>({-1, 1}),
                 Tensor::Vector<float>({1, 2, 3}), Tensor::Scalar<float>(0),
                 {Tensor::Vector<int32_t>({0, 2, 3})});
  ASSERT_TRUE(out.ok());
  EXPECT_TENSOR_EQ(*out, Tensor::FromVector<float>({1, 3}, {2, 1}));
}

TEST(RaggedTensorToTensor, BroadcastsADefaultOverInnerDimensions) {
  // Values of shape [3, 2]; default [2] per inner row.
  auto out = ToTensor({"ROW_SPLITS"}, kUnknown,
                      Tensor::FromVector<int64_t>({1, 2, 3, 4, 5, 6}, {3, 2}),
                      Tensor::Vector<int64_t>({8, 9}),
                      {Tensor::Vector<int64_t>({0, 1, 3})});
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_EQ(
      *out, Tensor::FromVector<int64_t>({1, 2, 8, 9, 3, 4, 5, 6}, {2, 2, 2}));
}

TEST(RaggedTensorToTensor, HandlesTwoRaggedLevels) {
  // [[[1], [2, 3]], [], [[4]]]
  auto out = ToTensor({"ROW_SPLITS", "ROW_SPLITS"}, kUnknown,
                      Tensor::Vector<int32_t>({1, 2, 3, 4}),
                      Tensor::Scalar<int32_t>(0),
                      {Tensor::Vector<int64_t>({0, 2, 2, 3}),
                       Tensor::Vector<int64_t>({0, 1, 3, 4})});
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_EQ(*out, Tensor::FromVector<int32_t>(
                             {1, 0, 2, 3, 0, 0, 0, 0, 4, 0, 0, 0}, {3, 2, 2}));
}

TEST(RaggedTensorToTensor, HandlesEmptyInput) {
  auto out =
      ToTensor({"ROW_SPLITS"}, kUnknown, Tensor::Vector<float>({}),
               Tensor::Scalar<float>(0), {Tensor::Vector<int64_t>({0, 0, 0})});
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_EQ(out->shape(), (TensorShape{2, 0}));
  out = ToTensor({"FIRST_DIM_SIZE", "VALUE_ROWIDS"}, kUnknown,
                 Tensor::Vector<float>({}), Tensor::Scalar<float>(0),
                 {Tensor::Scalar<int64_t>(0), Tensor::Vector<int64_t>({})});
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_EQ(out->shape(), (TensorShape{0, 0}));
}

TEST(RaggedTensorToTensor, RejectsBadPartitions) {
  const Tensor values = Tensor::Vector<float>({1, 2});
  const Tensor zero = Tensor::Scalar<float>(0);
  for (const Tensor& splits :
       {Tensor::Vector<int64_t>({1, 2}), Tensor::Vector<int64_t>({0, 3}),
        Tensor::Vector<int64_t>({0, 2, 1, 2}), Tensor::Vector<int64_t>({})}) {
    auto out = ToTensor({"ROW_SPLITS"}, kUnknown, values, zero, {splits});
    EXPECT_EQ(out.status().code(), absl::StatusCode::kInvalidArgument)
        << splits.DebugString();
  }
  auto out =
      ToTensor({"FIRST_DIM_SIZE", "VALUE_ROWIDS"}, kUnknown, values, zero,
               {Tensor::Scalar<int64_t>(1), Tensor::Vector<int64_t>({0, 1})});
  EXPECT_THAT(std::string(out.status().message()),
              HasSubstr("is not in [0, 1)"));
  out = ToTensor({"FIRST_DIM_SIZE", "VALUE_ROWIDS"}, kUnknown, values, zero,
                 {Tensor::Scalar<int64_t>(2), Tensor::Vector<int64_t>({1, 0})});
  EXPECT_THAT(std::string(out.status().message()), HasSubstr("sorted"));
  out =
      ToTensor({"ROW_SPLITS"}, kUnknown, values, Tensor::Vector<float>({0, 0}),
               {Tensor::Vector<int64_t>({0, 2})});
  EXPECT_EQ(out.status().code(), absl::StatusCode::kInvalidArgument);
  out = ToTensor({"ROW_SPLITS"}, Tensor::Vector<int64_t>({1 << 30, 1 << 30}),
                 values, zero, {Tensor::Vector<int64_t>({0, 2})});
  EXPECT_EQ(out.status().code(), absl::StatusCode::kResourceExhausted);
}

TEST(RaggedTensorToTensor, RejectsBadPartitionTypesAtLoad) {
  auto out = ToTensor({"VALUE_ROWIDS"}, kUnknown, Tensor::Vector<float>({1}),
                      Tensor::Scalar<float>(0), {Tensor::Vector<int64_t>({0})});
  EXPECT_EQ(out.status().code(), absl::StatusCode::kInvalidArgument);
  out = ToTensor({"ROW_SPLITS", "FIRST_DIM_SIZE"}, kUnknown,
                 Tensor::Vector<float>({1}), Tensor::Scalar<float>(0),
                 {Tensor::Vector<int64_t>({0, 1}), Tensor::Scalar<int64_t>(1)});
  EXPECT_EQ(out.status().code(), absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace model_server
