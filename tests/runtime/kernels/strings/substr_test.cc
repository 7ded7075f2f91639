#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/runtime/kernels/strings/string_test_util.h"

namespace model_server {
namespace {

using ::testing::HasSubstr;

absl::StatusOr<Tensor> Substr(const Tensor& input, const Tensor& pos,
                              const Tensor& len,
                              const std::string& unit = "BYTE") {
  KernelHarness k("Substr");
  k.Attr("T", pos.dtype()).Attr("unit", unit);
  return RunFirst(k, {input, pos, len});
}

TEST(Substr, TakesBytesWithScalarPositions) {
  auto out = Substr(Strings({"Hello", "World", "ab"}),
                    Tensor::Scalar<int32_t>(1), Tensor::Scalar<int32_t>(3));
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_EQ(*out, Strings({"ell", "orl", "b"}));
  // Negative pos counts from the end; negative len takes the rest.
  out = Substr(Strings({"Hello"}), Tensor::Scalar<int64_t>(-3),
               Tensor::Scalar<int64_t>(-1));
  ASSERT_TRUE(out.ok());
  EXPECT_TENSOR_EQ(*out, Strings({"llo"}));
  // pos == size is allowed and gives "".
  out = Substr(Strings({"ab"}), Tensor::Scalar<int32_t>(2),
               Tensor::Scalar<int32_t>(1));
  ASSERT_TRUE(out.ok());
  EXPECT_TENSOR_EQ(*out, Strings({""}));
}

TEST(Substr, TakesElementwiseAndBroadcastPositions) {
  auto out = Substr(Strings({"abc", "defg"}), Tensor::Vector<int32_t>({0, 2}),
                    Tensor::Vector<int32_t>({2, 1}));
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_EQ(*out, Strings({"ab", "f"}));
  // [2,1] strings against [3] positions broadcast to [2,3].
  out = Substr(Tensor::FromVector<std::string>({"abcd", "wxyz"}, {2, 1}),
               Tensor::Vector<int64_t>({0, 1, 2}),
               Tensor::Vector<int64_t>({1, 2, 2}));
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_EQ(*out, Tensor::FromVector<std::string>(
                             {"a", "bc", "cd", "w", "xy", "yz"}, {2, 3}));
}

TEST(Substr, CountsUtf8Characters) {
  const Tensor text = Strings({"héllo wörld"});
  auto out = Substr(text, Tensor::Scalar<int32_t>(1),
                    Tensor::Scalar<int32_t>(4), "UTF8_CHAR");
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_EQ(*out, Strings({"éllo"}));
  out = Substr(text, Tensor::Scalar<int32_t>(-5), Tensor::Scalar<int32_t>(3),
               "UTF8_CHAR");
  ASSERT_TRUE(out.ok());
  EXPECT_TENSOR_EQ(*out, Strings({"wör"}));
  out = Substr(text, Tensor::Scalar<int32_t>(9), Tensor::Scalar<int32_t>(10),
               "UTF8_CHAR");
  ASSERT_TRUE(out.ok());
  EXPECT_TENSOR_EQ(*out, Strings({"ld"}));
}

TEST(Substr, RejectsPositionsOutOfRange) {
  auto out = Substr(Strings({"ab"}), Tensor::Scalar<int32_t>(3),
                    Tensor::Scalar<int32_t>(1));
  EXPECT_EQ(out.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(out.status().message()),
              HasSubstr("pos 3 out of range for string b'ab' at index 0"));
  out = Substr(Strings({"ab"}), Tensor::Scalar<int64_t>(INT64_MIN),
               Tensor::Scalar<int64_t>(1), "UTF8_CHAR");
  EXPECT_THAT(std::string(out.status().message()),
              HasSubstr("out of range for string at index 0"));
  out = Substr(Strings({"ab"}), Tensor::Vector<int32_t>({1}),
               Tensor::Scalar<int32_t>(1));
  EXPECT_THAT(std::string(out.status().message()),
              HasSubstr("pos and len should have the same shape"));
  out = Substr(Strings({"ab", "c"}), Tensor::Vector<int32_t>({1, 1, 1}),
               Tensor::Vector<int32_t>({1, 1, 1}));
  EXPECT_THAT(std::string(out.status().message()),
              HasSubstr("Incompatible shapes"));
}

TEST(Substr, HandlesEmptyInput) {
  auto out = Substr(Strings({}), Tensor::Scalar<int32_t>(5),
                    Tensor::Scalar<int32_t>(1));
  ASSERT_TRUE(out.ok());
  EXPECT_EQ(out->shape(), (TensorShape{0}));
}

}  // namespace
}  // namespace model_server
