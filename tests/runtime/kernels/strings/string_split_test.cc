#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "tests/runtime/kernels/strings/string_test_util.h"

namespace model_server {
namespace {

struct Sparse {
  std::vector<int64_t> indices;
  std::vector<std::string> values;
  std::vector<int64_t> shape;
};

Sparse ToSparse(const std::vector<Tensor>& out) {
  Sparse s;
  s.indices.assign(out[0].data<int64_t>(),
                   out[0].data<int64_t>() + out[0].NumElements());
  s.values.assign(out[1].data<std::string>(),
                  out[1].data<std::string>() + out[1].NumElements());
  s.shape.assign(out[2].data<int64_t>(), out[2].data<int64_t>() + 2);
  return s;
}

Sparse SplitV2(const std::vector<std::string>& input, const std::string& sep,
               int64_t maxsplit = -1) {
  KernelHarness k("StringSplitV2");
  k.Attr("maxsplit", maxsplit);
  auto out = k.Run({Strings(input), Tensor::Scalar<std::string>(sep)});
  EXPECT_TRUE(out.ok()) << out.status();
  return out.ok() ? ToSparse(*out) : Sparse();
}

TEST(StringSplitV2, SplitsOnAWholeSeparatorKeepingEmptyTokens) {
  Sparse s = SplitV2({"1<>2<><>3", "", "x"}, "<>");
  EXPECT_EQ(s.values, (std::vector<std::string>{"1", "2", "", "3", "", "x"}));
  EXPECT_EQ(s.indices,
            (std::vector<int64_t>{0, 0, 0, 1, 0, 2, 0, 3, 1, 0, 2, 0}));
  EXPECT_EQ(s.shape, (std::vector<int64_t>{3, 4}));
}

TEST(StringSplitV2, SplitsOnWhitespaceRunsWithAnEmptySeparator) {
  Sparse s = SplitV2({"  hello \t world\n", "   ", "a"}, "");
  EXPECT_EQ(s.values, (std::vector<std::string>{"hello", "world", "a"}));
  EXPECT_EQ(s.indices, (std::vector<int64_t>{0, 0, 0, 1, 2, 0}));
  EXPECT_EQ(s.shape, (std::vector<int64_t>{3, 2}));
}

TEST(StringSplitV2, StopsAfterMaxsplit) {
  Sparse s = SplitV2({"a,b,c,d"}, ",", 2);
  EXPECT_EQ(s.values, (std::vector<std::string>{"a", "b", "c,d"}));
  s = SplitV2({" a  b c "}, "", 1);
  EXPECT_EQ(s.values, (std::vector<std::string>{"a", "b c "}));
  s = SplitV2({"a b"}, "", 0);
  EXPECT_EQ(s.values, (std::vector<std::string>{"a b"}));
}

TEST(StringSplitV2, HandlesAnEmptyBatchAndRejectsBadShapes) {
  Sparse s = SplitV2({}, ",");
  EXPECT_TRUE(s.values.empty());
  EXPECT_EQ(s.shape, (std::vector<int64_t>{0, 0}));
  KernelHarness k("StringSplitV2");
  auto out = k.Run(
      {Tensor::Scalar<std::string>("a b"), Tensor::Scalar<std::string>(" ")});
  EXPECT_EQ(out.status().code(), absl::StatusCode::kInvalidArgument);
  out = k.Run({Strings({"a"}), Strings({" "})});
  EXPECT_EQ(out.status().code(), absl::StatusCode::kInvalidArgument);
}

TEST(StringSplit, SplitsOnAnyDelimiterByte) {
  KernelHarness k("StringSplit");
  auto out =
      k.Run({Strings({"a,b;;c", "", "d"}), Tensor::Scalar<std::string>(",;")});
  ASSERT_TRUE(out.ok()) << out.status();
  Sparse s = ToSparse(*out);
  EXPECT_EQ(s.values, (std::vector<std::string>{"a", "b", "c", "d"}));
  EXPECT_EQ(s.shape, (std::vector<int64_t>{3, 3}));
  k.Attr("skip_empty", false);
  out = k.Run({Strings({"a,b;;c", ""}), Tensor::Scalar<std::string>(",;")});
  ASSERT_TRUE(out.ok());
  s = ToSparse(*out);
  // An empty string has no tokens even without skip_empty.
  EXPECT_EQ(s.values, (std::vector<std::string>{"a", "b", "", "c"}));
  EXPECT_EQ(s.shape, (std::vector<int64_t>{2, 4}));
}

TEST(StringSplit, SplitsIntoBytesWithAnEmptyDelimiter) {
  KernelHarness k("StringSplit");
  auto out = k.Run({Strings({"ab", "c"}), Tensor::Scalar<std::string>("")});
  ASSERT_TRUE(out.ok()) << out.status();
  Sparse s = ToSparse(*out);
  EXPECT_EQ(s.values, (std::vector<std::string>{"a", "b", "c"}));
  EXPECT_EQ(s.indices, (std::vector<int64_t>{0, 0, 0, 1, 1, 0}));
}

}  // namespace
}  // namespace model_server
