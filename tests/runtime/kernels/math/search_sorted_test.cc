#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/testing/kernel_harness.h"

namespace model_server {
namespace {

using ::testing::HasSubstr;

absl::StatusOr<std::vector<Tensor>> Search(const std::string& op,
                                           const Tensor& sorted,
                                           const Tensor& values,
                                           DataType out_type = DT_INT32) {
  KernelHarness k(op);
  k.Attr("T", sorted.dtype()).Attr("out_type", out_type);
  return k.Run({sorted, values});
}

TEST(UpperBound, CountsElementsNotGreaterPerRow) {
  const Tensor sorted =
      Tensor::FromVector<float>({1, 2, 2, 5, 0, 10, 20, 30}, TensorShape{2, 4});
  const Tensor values =
      Tensor::FromVector<float>({2, 0, 6, -1, 30, 15}, TensorShape{2, 3});
  auto out = Search("UpperBound", sorted, values);
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_EQ(out->at(0), Tensor::FromVector<int32_t>({3, 0, 4, 0, 4, 2},
                                                           TensorShape{2, 3}));
}

TEST(LowerBound, CountsElementsLessPerRow) {
  const Tensor sorted =
      Tensor::FromVector<int64_t>({1, 2, 2, 5}, TensorShape{1, 4});
  const Tensor values = Tensor::FromVector<int64_t>({2, 6}, TensorShape{1, 2});
  auto out = Search("LowerBound", sorted, values, DT_INT64);
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_EQ(out->at(0),
                   Tensor::FromVector<int64_t>({1, 4}, TensorShape{1, 2}));
}

TEST(UpperBound, HandlesEmptySortedRows) {
  auto out =
      Search("UpperBound", Tensor::FromVector<float>({}, TensorShape{2, 0}),
             Tensor::FromVector<float>({1, 2}, TensorShape{2, 1}));
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_EQ(out->at(0),
                   Tensor::FromVector<int32_t>({0, 0}, TensorShape{2, 1}));
}

TEST(UpperBound, RejectsBadShapes) {
  auto out = Search("UpperBound", Tensor::Vector<float>({1, 2}),
                    Tensor::Vector<float>({1}));
  ASSERT_FALSE(out.ok());
  EXPECT_THAT(std::string(out.status().message()), HasSubstr("matrices"));
  out =
      Search("UpperBound", Tensor::FromVector<float>({1, 2}, TensorShape{2, 1}),
             Tensor::FromVector<float>({1}, TensorShape{1, 1}));
  ASSERT_FALSE(out.ok());
  EXPECT_THAT(std::string(out.status().message()),
              HasSubstr("Leading dim_size of both tensors must match."));
}

TEST(UpperBound, RejectsBadAttrs) {
  KernelHarness k("UpperBound");
  k.Attr("T", DT_STRING);
  EXPECT_FALSE(
      k.Run({Tensor::FromVector<std::string>({"a"}, TensorShape{1, 1}),
             Tensor::FromVector<std::string>({"a"}, TensorShape{1, 1})})
          .ok());
  KernelHarness bad_out("UpperBound");
  bad_out.Attr("T", DT_FLOAT).Attr("out_type", DT_FLOAT);
  EXPECT_FALSE(bad_out
                   .Run({Tensor::FromVector<float>({1}, TensorShape{1, 1}),
                         Tensor::FromVector<float>({1}, TensorShape{1, 1})})
                   .ok());
}

}  // namespace
}  // namespace model_server
