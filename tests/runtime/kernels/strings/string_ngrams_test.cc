#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "tests/runtime/kernels/strings/string_test_util.h"

namespace model_server {
namespace {

struct Ngrams {
  std::vector<int64_t> widths;
  int64_t pad_width = 0;
  bool preserve_short = false;
  std::string left_pad = "LP", right_pad = "RP";
};

absl::StatusOr<std::vector<Tensor>> NGrams(const Ngrams& o, const Tensor& data,
                                           const Tensor& splits) {
  KernelHarness k("StringNGrams");
  k.Attr("separator", "|")
      .Attr("ngram_widths", o.widths)
      .Attr("left_pad", o.left_pad)
      .Attr("right_pad", o.right_pad)
      .Attr("pad_width", o.pad_width)
      .Attr("preserve_short_sequences", o.preserve_short)
      .Attr("Tsplits", splits.dtype());
  return k.Run({data, splits});
}

const Tensor kData = Strings({"a", "b", "c", "d", "e", "f"});
const Tensor kSplits = Tensor::Vector<int64_t>({0, 4, 6});

TEST(StringNGrams, MakesUnpaddedNgramsPerRow) {
  auto out = NGrams({{2}}, kData, kSplits);
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_EQ(out->at(0), Strings({"a|b", "b|c", "c|d", "e|f"}));
  EXPECT_TENSOR_EQ(out->at(1), Tensor::Vector<int64_t>({0, 3, 4}));
}

TEST(StringNGrams, PadsBothEnds) {
  Ngrams o{{3}, 2};
  auto out = NGrams(o, Strings({"a"}), Tensor::Vector<int32_t>({0, 1}));
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_EQ(out->at(0), Strings({"LP|LP|a", "LP|a|RP", "a|RP|RP"}));
  EXPECT_TENSOR_EQ(out->at(1), Tensor::Vector<int32_t>({0, 3}));
  // pad_width -1: width - 1 on each side; an empty row still gets padding
  // n-grams.
  o = {{2}, -1};
  out = NGrams(o, Strings({"x"}), Tensor::Vector<int64_t>({0, 0, 1}));
  ASSERT_TRUE(out.ok());
  EXPECT_TENSOR_EQ(out->at(0), Strings({"LP|RP", "LP|x", "x|RP"}));
  EXPECT_TENSOR_EQ(out->at(1), Tensor::Vector<int64_t>({0, 1, 3}));
}

TEST(StringNGrams, ConcatenatesSeveralWidthsInOrder) {
  auto out = NGrams({{1, 3}}, kData, kSplits);
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_EQ(out->at(0),
                   Strings({"a", "b", "c", "d", "a|b|c", "b|c|d", "e", "f"}));
  EXPECT_TENSOR_EQ(out->at(1), Tensor::Vector<int64_t>({0, 6, 8}));
}

TEST(StringNGrams, PreservesShortSequences) {
  Ngrams o{{5}, 1, true};
  auto out = NGrams(o, kData, kSplits);
  ASSERT_TRUE(out.ok()) << out.status();
  // Row 0 (4 items, padded to 6) has 2 five-grams; row 1 (2 items) none, so
  // it keeps itself whole with its padding.
  EXPECT_TENSOR_EQ(out->at(0),
                   Strings({"LP|a|b|c|d", "a|b|c|d|RP", "LP|e|f|RP"}));
}

TEST(StringNGrams, RejectsBadSplitsAndWidths) {
  EXPECT_EQ(
      NGrams({{2}}, kData, Tensor::Vector<int64_t>({0, 7})).status().code(),
      absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(NGrams({{2}}, kData, Tensor::Vector<int64_t>({0, 5, 4, 6}))
                .status()
                .code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(NGrams({{0}}, kData, kSplits).status().code(),
            absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace model_server
