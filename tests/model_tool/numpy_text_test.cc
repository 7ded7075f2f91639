#include "model_tool/numpy_text.h"

#include <cmath>

#include "gtest/gtest.h"

namespace model_server {
namespace {

TEST(NumpyText, FloatsAlignTheirPointsAsNumpyDoes) {
  EXPECT_EQ(NumpyText(Tensor::FromVector<float>({2.5f, 3, 4.5f}, {3, 1})),
            "[[2.5]\n [3. ]\n [4.5]]");
  EXPECT_EQ(NumpyText(Tensor::FromVector<float>({-1.5f, 2}, {2})),
            "[-1.5  2. ]");
  EXPECT_EQ(NumpyText(Tensor::FromVector<float>({0.1f, 0.25f}, {2})),
            "[0.1  0.25]");
}

TEST(NumpyText, WideRangesUseScientificNotation) {
  EXPECT_EQ(NumpyText(Tensor::FromVector<float>({1e-5f, 2e8f}, {2})),
            "[1.e-05 2.e+08]");
}

TEST(NumpyText, ScalarsPrintLikePythonFloats) {
  EXPECT_EQ(NumpyText(Tensor::Scalar(3.0f)), "3.0");
  EXPECT_EQ(NumpyText(Tensor::Scalar(0.5)), "0.5");
  EXPECT_EQ(NumpyText(Tensor::Scalar<int64_t>(7)), "7");
}

TEST(NumpyText, IntegersBoolsAndStrings) {
  EXPECT_EQ(NumpyText(Tensor::FromVector<int32_t>({1, -20, 300}, {3})),
            "[  1 -20 300]");
  EXPECT_EQ(NumpyText(Tensor::FromVector<bool>({true, false}, {2})),
            "[ True False]");
  EXPECT_EQ(NumpyText(Tensor::FromVector<std::string>({"a", "b'c"}, {2})),
            "[b'a' b\"b'c\"]");
}

TEST(NumpyText, NanAndInfinity) {
  EXPECT_EQ(NumpyText(Tensor::FromVector<float>({NAN, 1, -INFINITY}, {3})),
            "[ nan   1. -inf]");
}

TEST(NumpyText, LongRowsWrapAt75Characters) {
  std::vector<float> values(30, 0.5f);
  std::string text = NumpyText(Tensor::FromVector<float>(values, {30}));
  // numpy wraps before a word that would pass column 75: 18 per line here.
  EXPECT_EQ(text.substr(0, 73),
            "[0.5 0.5 0.5 0.5 0.5 0.5 0.5 0.5 0.5 0.5 0.5 0.5 0.5 0.5 0.5 0.5 "
            "0.5 0.5\n");
  EXPECT_EQ(text.substr(73, 5), " 0.5 ");
}

TEST(NumpyText, LargeArraysAreSummarized) {
  std::vector<int32_t> values(2000);
  for (int i = 0; i < 2000; ++i) values[i] = i;
  EXPECT_EQ(NumpyText(Tensor::FromVector<int32_t>(values, {2000})),
            "[   0    1    2 ... 1997 1998 1999]");
}

}  // namespace
}  // namespace model_server
