#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "tests/testing/kernel_harness.h"

namespace model_server {
namespace {

absl::StatusOr<std::vector<Tensor>> Unique(DataType dtype, DataType out_idx,
                                           const Tensor& x) {
  KernelHarness k("Unique");
  k.Attr("T", dtype).Attr("out_idx", out_idx);
  return k.Run({x});
}

TEST(Unique, KeepsOrderOfFirstOccurrence) {
  auto out = Unique(DT_INT64, DT_INT32,
                    Tensor::Vector<int64_t>({1, 1, 2, 4, 4, 4, 7, 8, 8}));
  ASSERT_TRUE(out.ok()) << out.status();
  ASSERT_EQ(out->size(), 2u);
  EXPECT_TENSOR_EQ(out->at(0), Tensor::Vector<int64_t>({1, 2, 4, 7, 8}));
  EXPECT_TENSOR_EQ(out->at(1),
                   Tensor::Vector<int32_t>({0, 0, 1, 2, 2, 2, 3, 4, 4}));
  out = Unique(DT_INT32, DT_INT64, Tensor::Vector<int32_t>({5, 3, 5, 1}));
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_EQ(out->at(0), Tensor::Vector<int32_t>({5, 3, 1}));
  EXPECT_TENSOR_EQ(out->at(1), Tensor::Vector<int64_t>({0, 1, 0, 2}));
}

TEST(Unique, HandlesStrings) {
  auto out = Unique(DT_STRING, DT_INT32,
                    Tensor::Vector<std::string>({"b", "a", "b", "", "a"}));
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_EQ(out->at(0), Tensor::Vector<std::string>({"b", "a", ""}));
  EXPECT_TENSOR_EQ(out->at(1), Tensor::Vector<int32_t>({0, 1, 0, 2, 1}));
}

TEST(Unique, TreatsSignedZerosAsOneValueAndEachNanAsItsOwn) {
  const float nan = std::numeric_limits<float>::quiet_NaN();
  auto out = Unique(DT_FLOAT, DT_INT32,
                    Tensor::Vector<float>({0.0f, -0.0f, nan, 1.5f, nan}));
  ASSERT_TRUE(out.ok()) << out.status();
  ASSERT_EQ(out->at(0).NumElements(), 4);
  EXPECT_EQ(out->at(0).data<float>()[0], 0.0f);
  EXPECT_TRUE(std::isnan(out->at(0).data<float>()[1]));
  EXPECT_EQ(out->at(0).data<float>()[2], 1.5f);
  EXPECT_TRUE(std::isnan(out->at(0).data<float>()[3]));
  EXPECT_TENSOR_EQ(out->at(1), Tensor::Vector<int32_t>({0, 0, 1, 2, 3}));
}

TEST(Unique, HandlesEmptyInput) {
  auto out = Unique(DT_INT64, DT_INT32, Tensor::Vector<int64_t>({}));
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_EQ(out->at(0), Tensor::Vector<int64_t>({}));
  EXPECT_TENSOR_EQ(out->at(1), Tensor::Vector<int32_t>({}));
}

TEST(Unique, DefaultsOutIdxToInt32) {
  KernelHarness k("Unique");
  k.Attr("T", DT_BOOL);
  auto out = k.Run({Tensor::Vector<bool>({true, true, false})});
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_EQ(out->at(0), Tensor::Vector<bool>({true, false}));
  EXPECT_TENSOR_EQ(out->at(1), Tensor::Vector<int32_t>({0, 0, 1}));
}

TEST(Unique, RejectsNonVectors) {
  auto out =
      Unique(DT_INT64, DT_INT32,
             Tensor::FromVector<int64_t>({1, 2, 3, 4}, TensorShape{2, 2}));
  ASSERT_FALSE(out.ok());
  EXPECT_NE(out.status().message().find("unique expects a 1D vector."),
            std::string::npos);
  out = Unique(DT_INT64, DT_INT32, Tensor::Scalar<int64_t>(1));
  ASSERT_FALSE(out.ok());
}

TEST(Unique, RejectsBadAttrsAndDtypes) {
  auto out = Unique(DT_INT64, DT_FLOAT, Tensor::Vector<int64_t>({1}));
  ASSERT_FALSE(out.ok());
  out = Unique(DT_INT64, DT_INT32, Tensor::Vector<int32_t>({1}));
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.status().code(), absl::StatusCode::kInvalidArgument);
}

TEST(UniqueWithCounts, CountsEachValue) {
  KernelHarness k("UniqueWithCounts");
  k.Attr("T", DT_INT64).Attr("out_idx", DT_INT64);
  auto out = k.Run({Tensor::Vector<int64_t>({1, 1, 2, 4, 4, 4, 7, 8, 8})});
  ASSERT_TRUE(out.ok()) << out.status();
  ASSERT_EQ(out->size(), 3u);
  EXPECT_TENSOR_EQ(out->at(0), Tensor::Vector<int64_t>({1, 2, 4, 7, 8}));
  EXPECT_TENSOR_EQ(out->at(1),
                   Tensor::Vector<int64_t>({0, 0, 1, 2, 2, 2, 3, 4, 4}));
  EXPECT_TENSOR_EQ(out->at(2), Tensor::Vector<int64_t>({2, 1, 3, 1, 2}));
}

}  // namespace
}  // namespace model_server
