#include <cmath>
#include <limits>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/runtime/kernels/strings/string_test_util.h"

namespace model_server {
namespace {

using ::testing::HasSubstr;

absl::StatusOr<Tensor> ToNumber(const Tensor& input, DataType out_type) {
  KernelHarness k("StringToNumber");
  k.Attr("out_type", out_type);
  return RunFirst(k, {input});
}

TEST(StringToNumber, ParsesFloats) {
  auto out =
      ToNumber(Strings({"1.5", " -2e3 ", "+.25", "INF", "-inf", "1e60", "- 4"}),
               DT_FLOAT);
  ASSERT_TRUE(out.ok()) << out.status();
  const float inf = std::numeric_limits<float>::infinity();
  EXPECT_TENSOR_EQ(*out, Tensor::Vector<float>(
                             {1.5f, -2000.f, 0.25f, inf, -inf, inf, -4.f}));
  out = ToNumber(Strings({"nan", "0.1"}), DT_DOUBLE);
  ASSERT_TRUE(out.ok());
  EXPECT_TRUE(std::isnan(out->data<double>()[0]));
  EXPECT_EQ(out->data<double>()[1], 0.1);
}

TEST(StringToNumber, ParsesIntegersWithRangeChecks) {
  auto out = ToNumber(
      Tensor::FromVector<std::string>({" 42", "-7", "+3", "0"}, {2, 2}),
      DT_INT32);
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_EQ(*out, Tensor::FromVector<int32_t>({42, -7, 3, 0}, {2, 2}));
  out = ToNumber(Strings({"9223372036854775807"}), DT_INT64);
  ASSERT_TRUE(out.ok());
  EXPECT_EQ(out->data<int64_t>()[0], std::numeric_limits<int64_t>::max());
  out = ToNumber(Strings({"2147483648"}), DT_INT32);
  EXPECT_EQ(out.status().code(), absl::StatusCode::kInvalidArgument);
}

TEST(StringToNumber, RejectsWhatTensorFlowRejects) {
  for (const char* bad : {"", "abc", "1.5x", "0x10", "1e", "infinity",
                          "1234567890123456789012345678901.5"}) {
    auto out = ToNumber(Strings({bad}), DT_FLOAT);
    EXPECT_EQ(out.status().code(), absl::StatusCode::kInvalidArgument) << bad;
    EXPECT_THAT(std::string(out.status().message()),
                HasSubstr("StringToNumberOp could not correctly convert "
                          "string: "));
  }
  for (const char* bad : {"1.0", "", "12a", "- 1"}) {
    EXPECT_FALSE(ToNumber(Strings({bad}), DT_INT64).ok()) << bad;
  }
}

TEST(StringToNumber, RejectsOtherOutTypesAtLoad) {
  auto out = ToNumber(Strings({"1"}), DT_INT8);
  EXPECT_EQ(out.status().code(), absl::StatusCode::kUnimplemented);
}

}  // namespace
}  // namespace model_server
