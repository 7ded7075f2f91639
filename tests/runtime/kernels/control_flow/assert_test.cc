#include <limits>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/testing/kernel_harness.h"

namespace model_server {
namespace {

using ::testing::HasSubstr;

// Runs Assert(condition, data...) and returns its error message ("" if it
// passed).
std::string AssertMessage(bool condition, const std::vector<Tensor>& data,
                          int summarize = 3) {
  KernelHarness k("Assert");
  std::vector<DataType> types;
  for (const Tensor& t : data) types.push_back(t.dtype());
  k.Attr("T", types).Attr("summarize", summarize);
  std::vector<Tensor> inputs = {Tensor::Scalar(condition)};
  inputs.insert(inputs.end(), data.begin(), data.end());
  auto out = k.Run(inputs);
  if (out.ok()) return "";
  EXPECT_EQ(out.status().code(), absl::StatusCode::kInvalidArgument);
  std::string message(out.status().message());
  // Drop the node annotation the executor appends.
  return message.substr(0, message.find("\n\t [[{{node"));
}

TEST(Assert, PassesWhenTheConditionHolds) {
  EXPECT_EQ(AssertMessage(true, {Tensor::Scalar<std::string>("never shown")}),
            "");
}

TEST(Assert, FailsWithTheDataSummarized) {
  EXPECT_EQ(
      AssertMessage(false, {Tensor::Scalar<std::string>(
                                "Condition x < y did not hold element-wise:"),
                            Tensor::Scalar<std::string>("x (x:0) = "),
                            Tensor::Vector<int64_t>({4, 30})}),
      "assertion failed: [Condition x < y did not hold element-wise:] "
      "[x (x:0) = ] [4 30]");
  EXPECT_EQ(AssertMessage(false, {}), "assertion failed: ");
}

TEST(Assert, ShowsAtMostSummarizeElements) {
  const Tensor v = Tensor::Vector<int32_t>({1, 2, 3, 4, 5});
  EXPECT_EQ(AssertMessage(false, {v}), "assertion failed: [1 2 3...]");
  EXPECT_EQ(AssertMessage(false, {v}, 5), "assertion failed: [1 2 3 4 5]");
  EXPECT_EQ(AssertMessage(false, {v}, -1), "assertion failed: [1 2 3 4 5]");
  EXPECT_EQ(AssertMessage(false, {v}, 0), "assertion failed: [...]");
}

TEST(Assert, NestsMatricesInBrackets) {
  const Tensor m =
      Tensor::FromVector<int64_t>({1, 2, 3, 4, 5, 6}, TensorShape{3, 2});
  EXPECT_EQ(AssertMessage(false, {m}, 6),
            "assertion failed: [[1 2][3 4][5 6]]");
  EXPECT_EQ(AssertMessage(false, {m}, 3), "assertion failed: [[1 2][3...]...]");
  EXPECT_EQ(AssertMessage(false, {m}, 2), "assertion failed: [[1 2]...]");
}

TEST(Assert, FormatsEachDtypeAsTensorFlowDoes) {
  EXPECT_EQ(AssertMessage(false, {Tensor::Vector<float>({0.1f, 1.5f, 2.0f})}),
            "assertion failed: [0.1 1.5 2]");
  EXPECT_EQ(AssertMessage(false, {Tensor::Scalar<float>(16777217.0f)}),
            "assertion failed: [16777216]");
  EXPECT_EQ(AssertMessage(false, {Tensor::Scalar<double>(0.1)}),
            "assertion failed: [0.1]");
  EXPECT_EQ(AssertMessage(false, {Tensor::Scalar<double>(1.0 / 3)}),
            "assertion failed: [0.33333333333333331]");
  EXPECT_EQ(
      AssertMessage(false, {Tensor::Vector<float>(
                               {std::numeric_limits<float>::infinity(),
                                -std::numeric_limits<float>::infinity(),
                                std::numeric_limits<float>::quiet_NaN()})}),
      "assertion failed: [inf -inf nan]");
  EXPECT_EQ(AssertMessage(false, {Tensor::Vector<bool>({true, false})}),
            "assertion failed: [1 0]");
  EXPECT_EQ(AssertMessage(false, {Tensor::Vector<int8_t>({-3, 4})}),
            "assertion failed: [-3 4]");
  EXPECT_EQ(AssertMessage(false, {Tensor::Scalar<uint64_t>(
                                     std::numeric_limits<uint64_t>::max())}),
            "assertion failed: [18446744073709551615]");
  EXPECT_EQ(AssertMessage(
                false, {Tensor::Scalar<std::string>("a\n\"b\"\x01\xc3\xa9")}),
            "assertion failed: [a\\n\\\"b\\\"\\001\xc3\xa9]");
}

TEST(Assert, AcceptsAOneElementVectorCondition) {
  KernelHarness k("Assert");
  k.Attr("T", std::vector<DataType>{});
  EXPECT_TRUE(k.Run({Tensor::Vector<bool>({true})}).ok());
}

TEST(Assert, RejectsANonScalarCondition) {
  KernelHarness k("Assert");
  k.Attr("T", std::vector<DataType>{});
  auto out = k.Run({Tensor::Vector<bool>({true, true})});
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(out.status().message(),
              HasSubstr("In[0] should be a scalar: [2]"));
}

TEST(Assert, RejectsANonBoolCondition) {
  KernelHarness k("Assert");
  k.Attr("T", std::vector<DataType>{});
  auto out = k.Run({Tensor::Scalar<int32_t>(1)});
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.status().code(), absl::StatusCode::kInvalidArgument);
}

TEST(Assert, RejectsDataCountOtherThanTAtLoad) {
  KernelHarness k("Assert");
  k.Attr("T", std::vector<DataType>{DT_INT32, DT_INT32});
  auto out = k.Run({Tensor::Scalar(false), Tensor::Scalar<int32_t>(1)});
  ASSERT_FALSE(out.ok());
  EXPECT_THAT(out.status().message(), HasSubstr("expects 1 + 2 inputs"));
}

}  // namespace
}  // namespace model_server
