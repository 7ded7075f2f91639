#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/runtime/kernels/strings/string_test_util.h"

namespace model_server {
namespace {

using ::testing::HasSubstr;

TEST(StringJoin, JoinsElementwiseBroadcastingScalars) {
  KernelHarness k("StringJoin");
  k.Attr("N", 3).Attr("separator", "-");
  auto out = RunFirst(k, {Tensor::FromVector<std::string>({"a", "b"}, {2, 1}),
                          Tensor::Scalar<std::string>("x"),
                          Tensor::FromVector<std::string>({"1", "2"}, {2, 1})});
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_EQ(*out,
                   Tensor::FromVector<std::string>({"a-x-1", "b-x-2"}, {2, 1}));
}

TEST(StringJoin, GivesAScalarForScalarsAndRejectsMismatchedShapes) {
  KernelHarness k("StringJoin");
  k.Attr("N", 2);
  auto out = RunFirst(
      k, {Tensor::Scalar<std::string>("a"), Tensor::Scalar<std::string>("b")});
  ASSERT_TRUE(out.ok());
  EXPECT_TENSOR_EQ(*out, Tensor::Scalar<std::string>("ab"));
  out = RunFirst(k, {Strings({"a", "b"}), Strings({"c"})});
  EXPECT_EQ(out.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(out.status().message()),
              HasSubstr("Input shapes do not match: [2] vs. [1]"));
  out = RunFirst(k, {Strings({}), Tensor::Scalar<std::string>("b")});
  ASSERT_TRUE(out.ok());
  EXPECT_EQ(out->shape(), (TensorShape{0}));
}

absl::StatusOr<Tensor> ReduceJoin(const Tensor& input,
                                  std::vector<int32_t> axes,
                                  bool keep_dims = false,
                                  const std::string& separator = "") {
  KernelHarness k("ReduceJoin");
  k.Attr("keep_dims", keep_dims).Attr("separator", separator);
  return RunFirst(k, {input, Tensor::Vector<int32_t>(axes)});
}

TEST(ReduceJoin, JoinsAlongAxesFirstListedFastest) {
  const Tensor abcd =
      Tensor::FromVector<std::string>({"a", "b", "c", "d"}, {2, 2});
  auto out = ReduceJoin(abcd, {0});
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_EQ(*out, Strings({"ac", "bd"}));
  out = ReduceJoin(abcd, {-1}, true, " ");
  ASSERT_TRUE(out.ok());
  EXPECT_TENSOR_EQ(*out,
                   Tensor::FromVector<std::string>({"a b", "c d"}, {2, 1}));
  out = ReduceJoin(abcd, {0, 1});
  ASSERT_TRUE(out.ok());
  EXPECT_TENSOR_EQ(*out, Tensor::Scalar<std::string>("acbd"));
  out = ReduceJoin(abcd, {1, 0});
  ASSERT_TRUE(out.ok());
  EXPECT_TENSOR_EQ(*out, Tensor::Scalar<std::string>("abcd"));
  out = ReduceJoin(abcd, {});
  ASSERT_TRUE(out.ok());
  EXPECT_TENSOR_EQ(*out, abcd);
}

TEST(ReduceJoin, ReducingAnEmptyDimensionGivesEmptyStrings) {
  auto out = ReduceJoin(Tensor::FromVector<std::string>({}, {2, 0}), {1});
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_EQ(*out, Strings({"", ""}));
  out = ReduceJoin(Tensor::FromVector<std::string>({}, {0, 3}), {1});
  ASSERT_TRUE(out.ok());
  EXPECT_EQ(out->shape(), (TensorShape{0}));
}

TEST(ReduceJoin, RejectsBadAxesWithTensorFlowsTexts) {
  const Tensor ab = Strings({"a", "b"});
  auto out = ReduceJoin(ab, {1});
  EXPECT_EQ(out.status().code(), absl::StatusCode::kOutOfRange);
  EXPECT_THAT(std::string(out.status().message()),
              HasSubstr("Invalid reduction dimension 1 for input with 1 "
                        "dimension(s)"));
  out = ReduceJoin(ab, {0, -1});
  EXPECT_THAT(std::string(out.status().message()),
              HasSubstr("Duplicate reduction dimension -1"));
}

}  // namespace
}  // namespace model_server
