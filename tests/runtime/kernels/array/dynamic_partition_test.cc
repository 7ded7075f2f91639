#include <cstdint>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/runtime/kernels/array/array_test_tensors.h"
#include "tests/testing/kernel_harness.h"

namespace model_server {
namespace {

using ::testing::HasSubstr;
using testing_tensors::Iota;

TEST(DynamicPartition, SplitsRowsByPartitionInOrder) {
  KernelHarness k("DynamicPartition");
  k.Attr("T", DT_FLOAT).Attr("num_partitions", 3);
  auto out =
      k.Run({Iota(TensorShape{4, 2}), Tensor::Vector<int32_t>({2, 0, 2, 2})});
  ASSERT_TRUE(out.ok()) << out.status();
  ASSERT_EQ(out->size(), 3u);
  EXPECT_TENSOR_EQ(out->at(0),
                   Tensor::FromVector<float>({2, 3}, TensorShape{1, 2}));
  EXPECT_EQ(out->at(1).shape(), (TensorShape{0, 2}));
  EXPECT_TENSOR_EQ(out->at(2), Tensor::FromVector<float>({0, 1, 4, 5, 6, 7},
                                                         TensorShape{3, 2}));
}

TEST(DynamicPartition, TakesMatrixPartitionsAndStrings) {
  KernelHarness k("DynamicPartition");
  k.Attr("T", DT_STRING).Attr("num_partitions", 2);
  auto out = k.Run(
      {Tensor::FromVector<std::string>({"a", "b", "c", "d"}, TensorShape{2, 2}),
       Tensor::FromVector<int32_t>({1, 0, 0, 1}, TensorShape{2, 2})});
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_EQ(out->at(0), Tensor::Vector<std::string>({"b", "c"}));
  EXPECT_TENSOR_EQ(out->at(1), Tensor::Vector<std::string>({"a", "d"}));
}

TEST(DynamicPartition, RejectsPartitionsOutOfRange) {
  KernelHarness k("DynamicPartition");
  k.Attr("T", DT_FLOAT).Attr("num_partitions", 2);
  auto out = k.Run({Iota(TensorShape{3}), Tensor::Vector<int32_t>({0, 2, 1})});
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(out.status().message(),
              HasSubstr("partitions[1] = 2 is not in [0, 2)"));
  out = k.Run({Iota(TensorShape{3}), Tensor::Vector<int32_t>({0, 1})});
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.status().code(), absl::StatusCode::kInvalidArgument);
}

TEST(DynamicStitch, MergesSlicesByIndexLaterInputsWinning) {
  KernelHarness k("DynamicStitch");
  k.Attr("T", DT_FLOAT).Attr("N", 2);
  auto out =
      k.Run({Tensor::Vector<int32_t>({0, 2}),
             Tensor::FromVector<int32_t>({2, 4}, TensorShape{2, 1}),
             Tensor::FromVector<float>({1, 2, 3, 4}, TensorShape{2, 2}),
             Tensor::FromVector<float>({5, 6, 7, 8}, TensorShape{2, 1, 2})});
  ASSERT_TRUE(out.ok()) << out.status();
  // Index 2 comes from the second input; 1 and 3 stay zero.
  EXPECT_TENSOR_EQ(out->at(0),
                   Tensor::FromVector<float>({1, 2, 0, 0, 5, 6, 0, 0, 7, 8},
                                             TensorShape{5, 2}));
}

TEST(DynamicStitch, InvertsDynamicPartition) {
  KernelHarness k("ParallelDynamicStitch");
  k.Attr("T", DT_INT64).Attr("N", 2);
  auto out = k.Run(
      {Tensor::Vector<int32_t>({1, 3}), Tensor::Vector<int32_t>({0, 2}),
       Tensor::Vector<int64_t>({10, 30}), Tensor::Vector<int64_t>({0, 20})});
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_EQ(out->at(0), Tensor::Vector<int64_t>({0, 10, 20, 30}));
  out = k.Run({Tensor::Vector<int32_t>({}), Tensor::Vector<int32_t>({}),
               Tensor::Vector<int64_t>({}), Tensor::Vector<int64_t>({})});
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_EQ(out->at(0).shape(), (TensorShape{0}));
}

TEST(DynamicStitch, RejectsNegativeIndicesAndMismatchedShapes) {
  KernelHarness k("DynamicStitch");
  k.Attr("T", DT_FLOAT).Attr("N", 1);
  auto out =
      k.Run({Tensor::Vector<int32_t>({0, -1}), Tensor::Vector<float>({1, 2})});
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.status().code(), absl::StatusCode::kInvalidArgument);
  out = k.Run(
      {Tensor::Vector<int32_t>({0, 1}), Tensor::Vector<float>({1, 2, 3})});
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.status().code(), absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace model_server
