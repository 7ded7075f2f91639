#include "gtest/gtest.h"
#include "tests/runtime/kernels/strings/string_test_util.h"

namespace model_server {
namespace {

TEST(StringLower, MapsAsciiBytesWithoutEncoding) {
  KernelHarness k("StringLower");
  auto out = RunFirst(k, {Strings({"Hello WORLD 1", "ÄÖ", ""})});
  ASSERT_TRUE(out.ok()) << out.status();
  // Without an encoding only ASCII letters change.
  EXPECT_TENSOR_EQ(*out, Strings({"hello world 1", "ÄÖ", ""}));
}

TEST(StringLower, MapsUnicodeWithUtf8Encoding) {
  KernelHarness k("StringLower");
  k.Attr("encoding", "utf-8");
  auto out = RunFirst(k, {Tensor::FromVector<std::string>(
                             {"ÄÖÜ Straße", "ΣΑΣ", "ĞİŞ"}, {3, 1})});
  ASSERT_TRUE(out.ok()) << out.status();
  // Root-locale full case mapping: final sigma, dotted capital I -> i + dot.
  EXPECT_TENSOR_EQ(*out, Tensor::FromVector<std::string>(
                             {"äöü straße", "σας", "ği̇ş"}, {3, 1}));
}

TEST(StringUpper, MapsUnicodeWithUtf8Encoding) {
  KernelHarness k("StringUpper");
  k.Attr("encoding", "utf-8");
  auto out = RunFirst(k, {Strings({"straße", "éa"})});
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_EQ(*out, Strings({"STRASSE", "ÉA"}));
  KernelHarness ascii("StringUpper");
  out = RunFirst(ascii, {Strings({"straße"})});
  ASSERT_TRUE(out.ok());
  EXPECT_TENSOR_EQ(*out, Strings({"STRAßE"}));
}

TEST(StringLower, HandlesEmptyTensorsAndRejectsOtherEncodings) {
  KernelHarness k("StringLower");
  auto out = RunFirst(k, {Tensor::FromVector<std::string>({}, {0, 2})});
  ASSERT_TRUE(out.ok());
  EXPECT_EQ(out->shape(), (TensorShape{0, 2}));
  KernelHarness latin("StringLower");
  latin.Attr("encoding", "latin-1");
  out = RunFirst(latin, {Strings({"A"})});
  EXPECT_EQ(out.status().code(), absl::StatusCode::kInvalidArgument);
  KernelHarness numbers("StringLower");
  out = RunFirst(numbers, {Tensor::Vector<int32_t>({1})});
  EXPECT_EQ(out.status().code(), absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace model_server
