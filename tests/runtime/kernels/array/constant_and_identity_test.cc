#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/testing/kernel_harness.h"

namespace model_server {
namespace {

using ::testing::HasSubstr;

TEST(Const, OutputsItsValueEveryRun) {
  KernelHarness k("Const");
  Tensor value = Tensor::FromVector<float>({1, 2, 3, 4}, TensorShape{2, 2});
  k.Attr("value", value).Attr("dtype", DT_FLOAT);
  for (int run = 0; run < 2; ++run) {
    auto out = k.Run({});
    ASSERT_TRUE(out.ok()) << out.status();
    EXPECT_TENSOR_EQ(out->at(0), value);
  }
}

TEST(Const, HoldsStrings) {
  KernelHarness k("Const");
  Tensor value = Tensor::Vector<std::string>({"a", "bc"});
  k.Attr("value", value).Attr("dtype", DT_STRING);
  auto out = k.Run({});
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_EQ(out->at(0), value);
}

TEST(Const, RejectsDtypeMismatchAtLoad) {
  KernelHarness k("Const");
  k.Attr("value", Tensor::Scalar<int32_t>(1)).Attr("dtype", DT_FLOAT);
  auto out = k.Run({});
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(out.status().message(),
              HasSubstr("Type mismatch between value (int32) and dtype "
                        "(float)"));
}

TEST(Const, RejectsMissingValue) {
  KernelHarness k("Const");
  k.Attr("dtype", DT_FLOAT);
  EXPECT_FALSE(k.Run({}).ok());
}

TEST(Identity, ForwardsInputSharingTheBuffer) {
  for (const char* op :
       {"Identity", "StopGradient", "PreventGradient", "Snapshot"}) {
    KernelHarness k(op);
    k.Attr("T", DT_INT64);
    Tensor in = Tensor::Vector<int64_t>({5, 6, 7});
    auto out = k.Run({in});
    ASSERT_TRUE(out.ok()) << op << ": " << out.status();
    EXPECT_TENSOR_EQ(out->at(0), in);
    EXPECT_TRUE(out->at(0).SharesBufferWith(in)) << op;
  }
}

TEST(Identity, ForwardsStrings) {
  KernelHarness k("Identity");
  k.Attr("T", DT_STRING);
  Tensor in = Tensor::Vector<std::string>({"x", "yz"});
  auto out = k.Run({in});
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_EQ(out->at(0), in);
}

TEST(IdentityN, ForwardsEveryInput) {
  KernelHarness k("IdentityN");
  k.Attr("T", std::vector<DataType>{DT_FLOAT, DT_STRING, DT_INT32});
  Tensor a = Tensor::Scalar(1.5f);
  Tensor b = Tensor::Vector<std::string>({"s"});
  Tensor c = Tensor::Vector<int32_t>({1, 2});
  auto out = k.Run({a, b, c});
  ASSERT_TRUE(out.ok()) << out.status();
  ASSERT_EQ(out->size(), 3u);
  EXPECT_TENSOR_EQ(out->at(0), a);
  EXPECT_TENSOR_EQ(out->at(1), b);
  EXPECT_TENSOR_EQ(out->at(2), c);
}

TEST(IdentityN, RejectsInputCountDifferentFromT) {
  KernelHarness k("IdentityN");
  k.Attr("T", std::vector<DataType>{DT_FLOAT, DT_FLOAT});
  EXPECT_FALSE(k.Run({Tensor::Scalar(1.f)}).ok());
}

TEST(NoOp, HasNoOutputs) {
  KernelHarness k("NoOp");
  auto out = k.Run({});
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TRUE(out->empty());
}

TEST(Placeholder, UnfedFailsWithTensorFlowMessage) {
  KernelHarness k("Placeholder");
  k.Attr("dtype", DT_FLOAT);
  auto out = k.Run({});
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(out.status().message(),
              HasSubstr("You must feed a value for placeholder tensor "
                        "'op_under_test' with dtype float"));
  EXPECT_THAT(std::string(out.status().message()),
              ::testing::Not(HasSubstr("and shape")));
}

TEST(Placeholder, UnfedMessageNamesAKnownShape) {
  KernelHarness k("Placeholder");
  k.Attr("dtype", DT_INT32).ShapeAttr("shape", {-1, 3});
  auto out = k.Run({});
  ASSERT_FALSE(out.ok());
  EXPECT_THAT(out.status().message(),
              HasSubstr("You must feed a value for placeholder tensor "
                        "'op_under_test' with dtype int32 and shape [?,3]"));
}

TEST(Placeholder, ScalarShapeIsNotNamed) {
  KernelHarness k("PlaceholderV2");
  k.Attr("dtype", DT_STRING).ShapeAttr("shape", {});
  auto out = k.Run({});
  ASSERT_FALSE(out.ok());
  EXPECT_THAT(out.status().message(), HasSubstr("with dtype string"));
  EXPECT_THAT(std::string(out.status().message()),
              ::testing::Not(HasSubstr("and shape")));
}

TEST(PlaceholderWithDefault, ForwardsTheDefault) {
  KernelHarness k("PlaceholderWithDefault");
  k.Attr("dtype", DT_FLOAT).ShapeAttr("shape", {-1});
  Tensor in = Tensor::Vector<float>({1, 2});
  auto out = k.Run({in});
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_EQ(out->at(0), in);
}

TEST(EnsureShape, AcceptsCompatibleShapes) {
  KernelHarness k("EnsureShape");
  k.Attr("T", DT_FLOAT).ShapeAttr("shape", {-1, 2});
  Tensor in = Tensor::FromVector<float>({1, 2, 3, 4, 5, 6}, TensorShape{3, 2});
  auto out = k.Run({in});
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_EQ(out->at(0), in);
}

TEST(EnsureShape, RejectsIncompatibleShapes) {
  KernelHarness k("EnsureShape");
  k.Attr("T", DT_FLOAT).ShapeAttr("shape", {-1, 3});
  auto out =
      k.Run({Tensor::FromVector<float>({1, 2, 3, 4}, TensorShape{2, 2})});
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(out.status().message(),
              HasSubstr("[2,2] is not compatible with expected shape [?,3]"));
  // Rank mismatch.
  EXPECT_FALSE(k.Run({Tensor::Vector<float>({1, 2, 3})}).ok());
}

TEST(EnsureShape, UnknownRankAcceptsAnything) {
  KernelHarness k("EnsureShape");
  tensorflow::AttrValue unknown;
  unknown.mutable_shape()->set_unknown_rank(true);
  k.Attr("T", DT_INT32).RawAttr("shape", unknown);
  EXPECT_TRUE(k.Run({Tensor::Scalar<int32_t>(3)}).ok());
}

TEST(CheckNumerics, PassesFiniteValues) {
  KernelHarness k("CheckNumerics");
  k.Attr("T", DT_FLOAT).Attr("message", "boom");
  Tensor in = Tensor::Vector<float>({1, -2, 0});
  auto out = k.Run({in});
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_EQ(out->at(0), in);
}

TEST(CheckNumerics, ReportsNaNAndInfLikeTensorFlow) {
  const float inf = std::numeric_limits<float>::infinity();
  const float nan = std::numeric_limits<float>::quiet_NaN();
  KernelHarness k("CheckNumerics");
  k.Attr("T", DT_FLOAT).Attr("message", "bad logits");
  auto out = k.Run({Tensor::Vector<float>({1, nan})});
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(out.status().message(),
              HasSubstr("bad logits : Tensor had NaN values"));
  out = k.Run({Tensor::Vector<float>({-inf, 1})});
  EXPECT_THAT(out.status().message(),
              HasSubstr("bad logits : Tensor had Inf values"));
  out = k.Run({Tensor::Vector<float>({inf, nan})});
  EXPECT_THAT(out.status().message(),
              HasSubstr("bad logits : Tensor had Inf and NaN values"));
}

TEST(CheckNumerics, V2DistinguishesInfinitySigns) {
  const double inf = std::numeric_limits<double>::infinity();
  const double nan = std::numeric_limits<double>::quiet_NaN();
  KernelHarness k("CheckNumericsV2");
  k.Attr("T", DT_DOUBLE).Attr("message", "m");
  auto out = k.Run({Tensor::Vector<double>({-inf, inf, nan})});
  EXPECT_THAT(out.status().message(),
              HasSubstr("m : Tensor had -Inf, +Inf, and NaN values"));
  out = k.Run({Tensor::Vector<double>({inf, nan})});
  EXPECT_THAT(out.status().message(),
              HasSubstr("m : Tensor had +Inf and NaN values"));
}

TEST(CheckNumerics, RejectsIntegerTypeAtLoad) {
  KernelHarness k("CheckNumerics");
  k.Attr("T", DT_INT32).Attr("message", "m");
  EXPECT_FALSE(k.Run({Tensor::Scalar<int32_t>(1)}).ok());
}

TEST(DeepCopy, CopiesEveryDtypeIntoItsOwnBuffer) {
  KernelHarness k("DeepCopy");
  k.Attr("T", DT_HALF);
  Tensor x = Tensor::Vector<Eigen::half>({Eigen::half(1.5f), Eigen::half(-2)});
  auto out = k.Run({x});
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_EQ(out->at(0), x);
  EXPECT_NE(out->at(0).raw_data(), x.raw_data());
  KernelHarness s("DeepCopy");
  s.Attr("T", DT_STRING);
  out = s.Run({Tensor::Vector<std::string>({"a", "bc"})});
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_EQ(out->at(0), Tensor::Vector<std::string>({"a", "bc"}));
  KernelHarness e("DeepCopy");
  e.Attr("T", DT_INT8);
  out = e.Run({Tensor::FromVector<int8_t>({}, TensorShape{3, 0})});
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_EQ(out->at(0).shape(), (TensorShape{3, 0}));
}

}  // namespace
}  // namespace model_server
