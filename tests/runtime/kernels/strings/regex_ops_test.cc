#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/runtime/kernels/strings/string_test_util.h"

namespace model_server {
namespace {

using ::testing::HasSubstr;

TEST(StaticRegexReplace, ReplacesEveryMatchOrTheFirst) {
  KernelHarness k("StaticRegexReplace");
  k.Attr("pattern", "[[:punct:]]")
      .Attr("rewrite", "")
      .Attr("replace_global", true);
  auto out = RunFirst(k, {Strings({"a.b,c!", "none", ""})});
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_EQ(*out, Strings({"abc", "none", ""}));
  k.Attr("replace_global", false);
  out = RunFirst(k, {Strings({"a.b,c!"})});
  ASSERT_TRUE(out.ok());
  EXPECT_TENSOR_EQ(*out, Strings({"ab,c!"}));
}

TEST(StaticRegexReplace, RewritesWithGroups) {
  KernelHarness k("StaticRegexReplace");
  k.Attr("pattern", "(\\w+)@(\\w+)").Attr("rewrite", "\\2 at \\1");
  auto out = RunFirst(
      k, {Tensor::FromVector<std::string>({"me@home", "x@y z@w"}, {2, 1})});
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_EQ(*out, Tensor::FromVector<std::string>(
                             {"home at me", "y at x w at z"}, {2, 1}));
}

TEST(StaticRegexReplace, RejectsABadPatternAtLoad) {
  KernelHarness k("StaticRegexReplace");
  k.Attr("pattern", "(").Attr("rewrite", "");
  auto out = RunFirst(k, {Strings({"a"})});
  EXPECT_EQ(out.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(out.status().message()),
              HasSubstr("Invalid pattern: (, error: "));
  KernelHarness rewrite("StaticRegexReplace");
  rewrite.Attr("pattern", "a").Attr("rewrite", "\\1");
  out = RunFirst(rewrite, {Strings({"a"})});
  EXPECT_EQ(out.status().code(), absl::StatusCode::kInvalidArgument);
}

TEST(RegexReplace, TakesPatternAndRewriteAsInputs) {
  KernelHarness k("RegexReplace");
  auto out =
      RunFirst(k, {Strings({"aaa", "bab"}), Tensor::Scalar<std::string>("a+"),
                   Tensor::Scalar<std::string>("<\\0>")});
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_EQ(*out, Strings({"<aaa>", "b<a>b"}));
  out = RunFirst(k, {Strings({"a"}), Tensor::Scalar<std::string>("[a"),
                     Tensor::Scalar<std::string>("")});
  EXPECT_EQ(out.status().code(), absl::StatusCode::kInvalidArgument);
  out = RunFirst(k, {Strings({"a"}), Strings({"a", "b"}),
                     Tensor::Scalar<std::string>("")});
  EXPECT_EQ(out.status().code(), absl::StatusCode::kInvalidArgument);
}

TEST(StaticRegexFullMatch, MatchesWholeStringsOnly) {
  KernelHarness k("StaticRegexFullMatch");
  k.Attr("pattern", "[a-z]+\\d?");
  auto out = RunFirst(k, {Strings({"abc", "abc1", "abc12", "1abc", ""})});
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_EQ(*out,
                   Tensor::Vector<bool>({true, true, false, false, false}));
}

TEST(RegexFullMatch, UsesTheRe2Dialect) {
  KernelHarness k("RegexFullMatch");
  // RE2 syntax: \pL (Unicode letters), non-greedy repetition.
  auto out = RunFirst(
      k, {Strings({"Äb", "a1"}), Tensor::Scalar<std::string>("\\pL+")});
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_EQ(*out, Tensor::Vector<bool>({true, false}));
  // Backreferences are not RE2: an invalid pattern.
  out = RunFirst(k, {Strings({"aa"}), Tensor::Scalar<std::string>("(a)\\1")});
  EXPECT_EQ(out.status().code(), absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace model_server
