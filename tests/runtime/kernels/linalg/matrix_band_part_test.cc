// MatrixBandPart against hand-computed bands and a naive reference.
#include <cstdint>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/testing/kernel_harness.h"

namespace model_server {
namespace {

using ::testing::HasSubstr;

Tensor Iota(int64_t batches, int64_t rows, int64_t cols) {
  std::vector<float> v(batches * rows * cols);
  for (size_t i = 0; i < v.size(); ++i) v[i] = static_cast<float>(i + 1);
  return Tensor::FromVector(v, TensorShape{batches, rows, cols});
}

absl::StatusOr<std::vector<Tensor>> BandPart(const Tensor& input, int64_t lower,
                                             int64_t upper) {
  KernelHarness h("MatrixBandPart");
  h.Attr("T", input.dtype()).Attr("Tindex", DT_INT64);
  return h.Run(
      {input, Tensor::Scalar<int64_t>(lower), Tensor::Scalar<int64_t>(upper)});
}

TEST(MatrixBandPart, KeepsTridiagonalBand) {
  auto out = BandPart(Iota(1, 3, 4), 1, 1);
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_EQ(out->at(0), Tensor::FromVector<float>(
                                   {1, 2, 0, 0, 5, 6, 7, 0, 0, 10, 11, 12},
                                   TensorShape{1, 3, 4}));
}

TEST(MatrixBandPart, NegativeCountsKeepWholeTriangles) {
  auto lower = BandPart(Iota(1, 3, 3), -1, 0);
  ASSERT_TRUE(lower.ok()) << lower.status();
  EXPECT_TENSOR_EQ(lower->at(0),
                   Tensor::FromVector<float>({1, 0, 0, 4, 5, 0, 7, 8, 9},
                                             TensorShape{1, 3, 3}));
  auto upper = BandPart(Iota(1, 3, 3), 0, -1);
  ASSERT_TRUE(upper.ok()) << upper.status();
  EXPECT_TENSOR_EQ(upper->at(0),
                   Tensor::FromVector<float>({1, 2, 3, 0, 5, 6, 0, 0, 9},
                                             TensorShape{1, 3, 3}));
  auto all = BandPart(Iota(2, 2, 3), -1, -1);
  ASSERT_TRUE(all.ok()) << all.status();
  EXPECT_TENSOR_EQ(all->at(0), Iota(2, 2, 3));
}

TEST(MatrixBandPart, MatchesNaiveReferenceOnBatches) {
  const Tensor input = Iota(3, 5, 4);
  for (int64_t lower = -1; lower <= 5; ++lower) {
    for (int64_t upper = -1; upper <= 4; ++upper) {
      std::vector<float> expected(input.NumElements());
      for (int64_t b = 0; b < 3; ++b) {
        for (int64_t i = 0; i < 5; ++i) {
          for (int64_t j = 0; j < 4; ++j) {
            const int64_t flat = (b * 5 + i) * 4 + j;
            const bool in_band =
                (lower < 0 || i - j <= lower) && (upper < 0 || j - i <= upper);
            expected[flat] = in_band ? input.data<float>()[flat] : 0;
          }
        }
      }
      auto out = BandPart(input, lower, upper);
      ASSERT_TRUE(out.ok()) << out.status();
      EXPECT_TENSOR_EQ(out->at(0),
                       Tensor::FromVector(expected, TensorShape{3, 5, 4}))
          << lower << " " << upper;
    }
  }
}

TEST(MatrixBandPart, WorksForIntegersBoolsAndInt32Counts) {
  KernelHarness h("MatrixBandPart");
  h.Attr("T", DT_BOOL).Attr("Tindex", DT_INT32);
  auto out = h.Run(
      {Tensor::FromVector<bool>({true, true, true, true}, TensorShape{2, 2}),
       Tensor::Scalar<int32_t>(0), Tensor::Scalar<int32_t>(0)});
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_EQ(
      out->at(0),
      Tensor::FromVector<bool>({true, false, false, true}, TensorShape{2, 2}));
}

TEST(MatrixBandPart, HandlesEmptyMatrices) {
  auto out =
      BandPart(Tensor::FromVector<float>({}, TensorShape{2, 0, 3}), 0, 0);
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_EQ(out->at(0).shape(), (TensorShape{2, 0, 3}));
}

TEST(MatrixBandPart, RejectsCountsBeyondTheMatrix) {
  auto out = BandPart(Iota(1, 3, 4), 4, 0);
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(out.status().message(),
              HasSubstr("num_lower must be negative or less or equal to "
                        "number of rows (3) got: 4"));
  out = BandPart(Iota(1, 3, 4), 0, 5);
  ASSERT_FALSE(out.ok());
  EXPECT_THAT(out.status().message(), HasSubstr("number of columns (4)"));
  out = BandPart(Tensor::Vector<float>({1, 2}), 0, 0);
  ASSERT_FALSE(out.ok());
  EXPECT_THAT(out.status().message(), HasSubstr("at least 2-dim"));
}

}  // namespace
}  // namespace model_server
