// StringLength and StringStrip (string_length.cc, string_strip.cc).
#include "gtest/gtest.h"
#include "tests/runtime/kernels/strings/string_test_util.h"

namespace model_server {
namespace {

TEST(StringLength, CountsBytesOrUtf8Characters) {
  KernelHarness bytes("StringLength");
  auto out = RunFirst(
      bytes, {Tensor::FromVector<std::string>({"hello", "héllo", ""}, {3, 1})});
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_EQ(*out, Tensor::FromVector<int32_t>({5, 6, 0}, {3, 1}));
  KernelHarness chars("StringLength");
  chars.Attr("unit", "UTF8_CHAR");
  out = RunFirst(chars, {Strings({"héllo", "€", "\x80\x80"})});
  ASSERT_TRUE(out.ok());
  // Lone continuation bytes are not counted, as in TensorFlow.
  EXPECT_TENSOR_EQ(*out, Tensor::Vector<int32_t>({5, 1, 0}));
}

TEST(StringLength, RejectsAnUnknownUnit) {
  KernelHarness k("StringLength");
  k.Attr("unit", "UTF16_CHAR");
  EXPECT_EQ(RunFirst(k, {Strings({"a"})}).status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(StringStrip, RemovesSurroundingAsciiWhitespace) {
  KernelHarness k("StringStrip");
  auto out = RunFirst(k, {Strings({"  a b \t\n", "\v\fx\r", "", "   "})});
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_EQ(*out, Strings({"a b", "x", "", ""}));
}

}  // namespace
}  // namespace model_server
