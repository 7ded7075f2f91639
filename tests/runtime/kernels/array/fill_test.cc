#include <algorithm>
#include <complex>
#include <numeric>
#include <random>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/runtime/kernels/array/array_test_tensors.h"
#include "tests/testing/kernel_harness.h"

namespace model_server {
namespace {

using ::testing::HasSubstr;

TEST(Fill, FillsShapeWithValue) {
  KernelHarness k("Fill");
  k.Attr("T", DT_FLOAT).Attr("index_type", DT_INT64);
  auto out = k.Run({Tensor::Vector<int64_t>({2, 2}), Tensor::Scalar(9.f)});
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_EQ(out->at(0),
                   Tensor::FromVector<float>({9, 9, 9, 9}, TensorShape{2, 2}));
  KernelHarness s("Fill");
  s.Attr("T", DT_STRING);
  out = s.Run({Tensor::Vector<int32_t>({3}), Tensor::Scalar<std::string>("q")});
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_EQ(out->at(0), Tensor::Vector<std::string>({"q", "q", "q"}));
}

TEST(Fill, RejectsNegativeDimsAndNonScalarValue) {
  KernelHarness k("Fill");
  k.Attr("T", DT_FLOAT);
  auto out = k.Run({Tensor::Vector<int32_t>({-1}), Tensor::Scalar(1.f)});
  ASSERT_FALSE(out.ok());
  out = k.Run({Tensor::Vector<int32_t>({2}), Tensor::Vector<float>({1, 2})});
  ASSERT_FALSE(out.ok());
  EXPECT_THAT(out.status().message(),
              HasSubstr("value must be a scalar, got shape [2]"));
}

TEST(ZerosLike, ZerosOfEveryKind) {
  KernelHarness k("ZerosLike");
  k.Attr("T", DT_INT32);
  auto out = k.Run({Tensor::Vector<int32_t>({5, 6})});
  ASSERT_TRUE(out.ok());
  EXPECT_TENSOR_EQ(out->at(0), Tensor::Vector<int32_t>({0, 0}));
  KernelHarness s("ZerosLike");
  s.Attr("T", DT_STRING);
  out = s.Run({Tensor::Vector<std::string>({"a"})});
  ASSERT_TRUE(out.ok());
  EXPECT_TENSOR_EQ(out->at(0), Tensor::Vector<std::string>({""}));
}

TEST(OnesLike, OnesOfNumbersAndBools) {
  KernelHarness k("OnesLike");
  k.Attr("T", DT_DOUBLE);
  auto out = k.Run({Tensor::Vector<double>({5, 6})});
  ASSERT_TRUE(out.ok());
  EXPECT_TENSOR_EQ(out->at(0), Tensor::Vector<double>({1, 1}));
  KernelHarness b("OnesLike");
  b.Attr("T", DT_BOOL);
  out = b.Run({Tensor::Vector<bool>({false})});
  ASSERT_TRUE(out.ok());
  EXPECT_TENSOR_EQ(out->at(0), Tensor::Vector<bool>({true}));
  KernelHarness s("OnesLike");
  s.Attr("T", DT_STRING);
  EXPECT_FALSE(s.Run({Tensor::Vector<std::string>({"a"})}).ok());
}

TEST(Empty, MakesAZeroFilledTensorOfTheShape) {
  KernelHarness k("Empty");
  k.Attr("dtype", DT_DOUBLE).Attr("init", true);
  auto out = k.Run({Tensor::Vector<int32_t>({2, 3})});
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_EQ(out->at(0), Tensor::FromVector<double>({0, 0, 0, 0, 0, 0},
                                                          TensorShape{2, 3}));
  KernelHarness s("Empty");
  s.Attr("dtype", DT_STRING);
  out = s.Run({Tensor::Vector<int32_t>({0, 4})});
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_EQ(out->at(0).shape(), (TensorShape{0, 4}));
}

TEST(Empty, RejectsBadShapes) {
  KernelHarness k("Empty");
  k.Attr("dtype", DT_FLOAT);
  auto out = k.Run({Tensor::Vector<int32_t>({2, -1})});
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(out.status().message(),
              ::testing::HasSubstr("Dimension -1 must be >= 0"));
  out = k.Run({Tensor::Scalar<int32_t>(2)});
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.status().code(), absl::StatusCode::kInvalidArgument);
  out = k.Run({Tensor::Vector<int32_t>({1 << 20, 1 << 20})});
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.status().code(), absl::StatusCode::kResourceExhausted);
}

}  // namespace
}  // namespace model_server
