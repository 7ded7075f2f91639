// MatrixDiag, MatrixDiagPart and MatrixSetDiag (V1, V2, V3), against the
// examples of TensorFlow's documentation (hand-checked) and a naive reference
// that walks each diagonal.
#include <algorithm>
#include <complex>
#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/testing/kernel_harness.h"

namespace model_server {
namespace {

using ::testing::HasSubstr;

// Two 3x4 matrices.
Tensor TwoMatrices() {
  return Tensor::FromVector<float>(
      {1, 2, 3, 4, 5, 6, 7, 8, 9, 8, 7, 6, 5, 4, 3, 2, 1, 2, 3, 4, 5, 6, 7, 8},
      TensorShape{2, 3, 4});
}

// Diagonals k = (-1, 2) of TwoMatrices(), aligned RIGHT_LEFT.
Tensor BandRightLeft() {
  return Tensor::FromVector<float>({0, 3, 8, 2, 7, 6, 1, 6, 7, 5, 8, 0,  //
                                    0, 3, 4, 4, 3, 8, 5, 2, 7, 1, 6, 0},
                                   TensorShape{2, 4, 3});
}

absl::StatusOr<std::vector<Tensor>> DiagPartV3(const Tensor& input,
                                               const Tensor& k, float padding,
                                               const std::string& align) {
  KernelHarness h("MatrixDiagPartV3");
  h.Attr("T", DT_FLOAT).Attr("align", align);
  return h.Run({input, k, Tensor::Scalar(padding)});
}

// Naive MatrixDiagPartV3: collects each diagonal's elements, then pads them
// on the side `align` says.
Tensor NaiveDiagPart(const Tensor& input, int lower, int upper, float padding,
                     const std::string& align) {
  const int64_t batches = input.shape().dim(0);
  const int64_t rows = input.shape().dim(1);
  const int64_t cols = input.shape().dim(2);
  const float* in = input.data<float>();
  std::vector<std::vector<std::vector<float>>> diags(batches);
  size_t max_len = 0;
  for (int64_t b = 0; b < batches; ++b) {
    for (int d = upper; d >= lower; --d) {
      std::vector<float> diag;
      for (int64_t i = 0; i < rows; ++i) {
        if (i + d >= 0 && i + d < cols) {
          diag.push_back(in[(b * rows + i) * cols + i + d]);
        }
      }
      max_len = std::max(max_len, diag.size());
      diags[b].push_back(diag);
    }
  }
  std::vector<float> out;
  for (int64_t b = 0; b < batches; ++b) {
    for (int m = 0; m <= upper - lower; ++m) {
      const int d = upper - m;
      const std::vector<float>& diag = diags[b][m];
      const bool right = (d > 0 && align.rfind("RIGHT", 0) == 0) ||
                         (d < 0 && align.find("_RIGHT") != std::string::npos) ||
                         (d == 0 && align == "RIGHT_RIGHT");
      std::vector<float> row(max_len, padding);
      std::copy(diag.begin(), diag.end(),
                row.begin() + (right ? max_len - diag.size() : 0));
      out.insert(out.end(), row.begin(), row.end());
    }
  }
  TensorShape shape{batches, upper - lower + 1, static_cast<int64_t>(max_len)};
  if (lower == upper)
    shape = TensorShape{batches, static_cast<int64_t>(max_len)};
  return Tensor::FromVector(out, shape);
}

TEST(MatrixDiagPart, ExtractsMainDiagonalOfNonSquareMatrices) {
  KernelHarness h("MatrixDiagPart");
  h.Attr("T", DT_FLOAT);
  auto out = h.Run({TwoMatrices()});
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_EQ(out->at(0), Tensor::FromVector<float>({1, 6, 7, 5, 2, 7},
                                                         TensorShape{2, 3}));
}

TEST(MatrixDiagPartV3, ExtractsOneSuperdiagonal) {
  auto out =
      DiagPartV3(TwoMatrices(), Tensor::Scalar<int32_t>(1), 0, "RIGHT_LEFT");
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_EQ(out->at(0), Tensor::FromVector<float>({2, 7, 6, 4, 3, 8},
                                                         TensorShape{2, 3}));
}

TEST(MatrixDiagPartV3, PacksBandAlignedRightLeftByDefault) {
  KernelHarness h("MatrixDiagPartV3");
  h.Attr("T", DT_FLOAT);  // No align attr: RIGHT_LEFT.
  auto out = h.Run(
      {TwoMatrices(), Tensor::Vector<int32_t>({-1, 2}), Tensor::Scalar(0.f)});
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_EQ(out->at(0), BandRightLeft());
}

TEST(MatrixDiagPartV3, PacksBandAlignedLeftRightWithPadding) {
  auto out = DiagPartV3(TwoMatrices(), Tensor::Vector<int32_t>({-1, 2}), 9,
                        "LEFT_RIGHT");
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_EQ(out->at(0), Tensor::FromVector<float>(
                                   {3, 8, 9, 2, 7, 6, 1, 6, 7, 9, 5, 8,  //
                                    3, 4, 9, 4, 3, 8, 5, 2, 7, 9, 1, 6},
                                   TensorShape{2, 4, 3}));
}

TEST(MatrixDiagPartV2, AlignsEveryDiagonalLeft) {
  KernelHarness h("MatrixDiagPartV2");
  h.Attr("T", DT_FLOAT);
  auto out = h.Run(
      {TwoMatrices(), Tensor::Vector<int32_t>({-1, 2}), Tensor::Scalar(0.f)});
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_EQ(out->at(0),
                   NaiveDiagPart(TwoMatrices(), -1, 2, 0, "LEFT_LEFT"));
}

TEST(MatrixDiagPartV3, MatchesNaiveReferenceForEveryBandAndAlignment) {
  std::mt19937 rng(7);
  std::uniform_real_distribution<float> value(-5, 5);
  for (const std::string align :
       {"LEFT_LEFT", "LEFT_RIGHT", "RIGHT_LEFT", "RIGHT_RIGHT"}) {
    for (const auto& [rows, cols] :
         std::vector<std::pair<int, int>>{{3, 5}, {5, 3}, {4, 4}, {1, 6}}) {
      std::vector<float> v(2 * rows * cols);
      for (float& x : v) x = value(rng);
      Tensor input = Tensor::FromVector(v, TensorShape{2, rows, cols});
      for (int lower = 1 - rows; lower < cols; ++lower) {
        for (int upper = lower; upper < cols; ++upper) {
          auto out = DiagPartV3(input, Tensor::Vector<int32_t>({lower, upper}),
                                -1, align);
          ASSERT_TRUE(out.ok()) << out.status();
          EXPECT_TENSOR_EQ(out->at(0),
                           NaiveDiagPart(input, lower, upper, -1, align))
              << align << " " << rows << "x" << cols << " k=(" << lower << ","
              << upper << ")";
        }
      }
    }
  }
}

TEST(MatrixDiagPartV3, HandlesEmptyMatricesAndBatches) {
  auto out = DiagPartV3(Tensor::FromVector<float>({}, TensorShape{2, 0, 3}),
                        Tensor::Scalar<int32_t>(0), 0, "RIGHT_LEFT");
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_EQ(out->at(0).shape(), (TensorShape{2, 0}));
  out = DiagPartV3(Tensor::FromVector<float>({}, TensorShape{0, 3, 3}),
                   Tensor::Vector<int32_t>({-1, 1}), 0, "RIGHT_LEFT");
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_EQ(out->at(0).shape(), (TensorShape{0, 3, 3}));
}

TEST(MatrixDiagPartV3, RejectsBadDiagonalIndices) {
  Tensor input = TwoMatrices();
  auto out = DiagPartV3(input, Tensor::Scalar<int32_t>(4), 0, "RIGHT_LEFT");
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(out.status().message(),
              HasSubstr("lower_diag_index is out of bound: 4"));
  out = DiagPartV3(input, Tensor::Vector<int32_t>({2, 1}), 0, "RIGHT_LEFT");
  ASSERT_FALSE(out.ok());
  EXPECT_THAT(out.status().message(),
              HasSubstr("lower_diag_index must not be larger than "
                        "upper_diag_index: 2 > 1"));
  out = DiagPartV3(input, Tensor::Vector<int32_t>({0, 1, 2}), 0, "RIGHT_LEFT");
  ASSERT_FALSE(out.ok());
  EXPECT_THAT(out.status().message(),
              HasSubstr("must have only one or two elements, received 3"));
  out = DiagPartV3(input, Tensor::Vector<int32_t>({}), 0, "RIGHT_LEFT");
  ASSERT_FALSE(out.ok());
  out = DiagPartV3(Tensor::Vector<float>({1, 2}), Tensor::Scalar<int32_t>(0), 0,
                   "RIGHT_LEFT");
  ASSERT_FALSE(out.ok());
  EXPECT_THAT(out.status().message(),
              HasSubstr("input must be at least 2-dim"));
}

TEST(MatrixDiagV3, RejectsUnknownAlignmentAtLoad) {
  KernelHarness h("MatrixDiagV3");
  h.Attr("T", DT_FLOAT).Attr("align", "CENTER");
  auto out = h.Run({Tensor::Vector<float>({1}), Tensor::Scalar<int32_t>(0),
                    Tensor::Scalar<int32_t>(-1), Tensor::Scalar<int32_t>(-1),
                    Tensor::Scalar(0.f)});
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(out.status().message(), HasSubstr("align"));
}

TEST(MatrixDiag, BuildsSquareMatricesFromDiagonals) {
  KernelHarness h("MatrixDiag");
  h.Attr("T", DT_INT32);
  auto out =
      h.Run({Tensor::FromVector<int32_t>({1, 2, 3, 4}, TensorShape{2, 2})});
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_EQ(out->at(0),
                   Tensor::FromVector<int32_t>({1, 0, 0, 2, 3, 0, 0, 4},
                                               TensorShape{2, 2, 2}));
}

absl::StatusOr<std::vector<Tensor>> DiagV3(const Tensor& diagonal,
                                           const Tensor& k, int rows, int cols,
                                           float padding) {
  KernelHarness h("MatrixDiagV3");
  h.Attr("T", DT_FLOAT);
  return h.Run({diagonal, k, Tensor::Scalar<int32_t>(rows),
                Tensor::Scalar<int32_t>(cols), Tensor::Scalar(padding)});
}

TEST(MatrixDiagV3, RebuildsTheBandOfAPackedDiagonal) {
  auto out =
      DiagV3(BandRightLeft(), Tensor::Vector<int32_t>({-1, 2}), 3, 4, -1);
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_EQ(out->at(0), Tensor::FromVector<float>(
                                   {1, 2, 3, -1, 5, 6, 7, 8, -1, 8, 7, 6,  //
                                    5, 4, 3, -1, 1, 2, 3, 4, -1, 6, 7, 8},
                                   TensorShape{2, 3, 4}));
}

TEST(MatrixDiagV3, InfersSizesFromOneSuperdiagonal) {
  // k = 1 and a diagonal of 2: a 3x3 matrix.
  auto out = DiagV3(Tensor::Vector<float>({7, 8}), Tensor::Scalar<int32_t>(1),
                    -1, -1, 0);
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_EQ(out->at(0),
                   Tensor::FromVector<float>({0, 7, 0, 0, 0, 8, 0, 0, 0},
                                             TensorShape{3, 3}));
  // Only num_rows given: 2 rows, the fewest columns (3).
  out = DiagV3(Tensor::Vector<float>({7, 8}), Tensor::Scalar<int32_t>(1), 2, -1,
               0);
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_EQ(out->at(0).shape(), (TensorShape{2, 3}));
  // A subdiagonal in a wide matrix.
  out = DiagV3(Tensor::Vector<float>({7, 8}), Tensor::Scalar<int32_t>(-1), 3, 4,
               0);
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_EQ(
      out->at(0), Tensor::FromVector<float>(
                      {0, 0, 0, 0, 7, 0, 0, 0, 0, 8, 0, 0}, TensorShape{3, 4}));
}

TEST(MatrixDiagV3, RejectsInconsistentSizes) {
  auto out = DiagV3(Tensor::Vector<float>({7, 8}), Tensor::Scalar<int32_t>(0),
                    1, -1, 0);
  ASSERT_FALSE(out.ok());
  EXPECT_THAT(out.status().message(), HasSubstr("rows is too small"));
  out = DiagV3(Tensor::Vector<float>({7, 8}), Tensor::Scalar<int32_t>(0), 3, 3,
               0);
  ASSERT_FALSE(out.ok());
  EXPECT_THAT(out.status().message(), HasSubstr("not consistent"));
  out = DiagV3(Tensor::Vector<float>({7, 8}), Tensor::Vector<int32_t>({0, 1}),
               -1, -1, 0);
  ASSERT_FALSE(out.ok());
  EXPECT_THAT(out.status().message(),
              HasSubstr("number of diagonals provided in the input"));
  out = DiagV3(Tensor::Vector<float>({7}), Tensor::Scalar<int32_t>(0), 1 << 30,
               1 << 30, 0);
  ASSERT_FALSE(out.ok());
  EXPECT_THAT(out.status().code(),
              ::testing::AnyOf(absl::StatusCode::kInvalidArgument,
                               absl::StatusCode::kResourceExhausted));
}

TEST(MatrixDiagV2, HandlesEmptyDiagonals) {
  KernelHarness h("MatrixDiagV2");
  h.Attr("T", DT_FLOAT);
  auto out = h.Run({Tensor::FromVector<float>({}, TensorShape{3, 0}),
                    Tensor::Scalar<int32_t>(0), Tensor::Scalar<int32_t>(-1),
                    Tensor::Scalar<int32_t>(-1), Tensor::Scalar(0.f)});
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_EQ(out->at(0).shape(), (TensorShape{3, 0, 0}));
}

TEST(MatrixSetDiag, ReplacesMainDiagonal) {
  KernelHarness h("MatrixSetDiag");
  h.Attr("T", DT_FLOAT);
  auto out = h.Run({TwoMatrices(), Tensor::FromVector<float>(
                                       {0, 0, 0, 1, 1, 1}, TensorShape{2, 3})});
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_EQ(out->at(0), Tensor::FromVector<float>(
                                   {0, 2, 3, 4, 5, 0, 7, 8, 9, 8, 0, 6,  //
                                    1, 4, 3, 2, 1, 1, 3, 4, 5, 6, 1, 8},
                                   TensorShape{2, 3, 4}));
}

TEST(MatrixSetDiagV3, WritesBandAndIgnoresPadding) {
  KernelHarness h("MatrixSetDiagV3");
  h.Attr("T", DT_FLOAT).Attr("align", "RIGHT_LEFT");
  Tensor zeros = Tensor::FromVector<float>(std::vector<float>(24, -1),
                                           TensorShape{2, 3, 4});
  auto out = h.Run({zeros, BandRightLeft(), Tensor::Vector<int32_t>({-1, 2})});
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_EQ(out->at(0), Tensor::FromVector<float>(
                                   {1, 2, 3, -1, 5, 6, 7, 8, -1, 8, 7, 6,  //
                                    5, 4, 3, -1, 1, 2, 3, 4, -1, 6, 7, 8},
                                   TensorShape{2, 3, 4}));
}

TEST(MatrixSetDiagV2, RejectsDiagonalOfWrongShape) {
  KernelHarness h("MatrixSetDiagV2");
  h.Attr("T", DT_FLOAT);
  auto out = h.Run({TwoMatrices(),
                    Tensor::FromVector<float>({1, 2, 3, 4}, TensorShape{2, 2}),
                    Tensor::Scalar<int32_t>(0)});
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(out.status().message(), HasSubstr("Expected diagonal shape"));
}

TEST(MatrixSetDiag, RejectsStringsAtLoad) {
  KernelHarness h("MatrixSetDiag");
  h.Attr("T", DT_STRING);
  auto out = h.Run({Tensor::FromVector<std::string>({"a"}, TensorShape{1, 1}),
                    Tensor::Vector<std::string>({"b"})});
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.status().code(), absl::StatusCode::kUnimplemented);
}

template <typename T>
void ExpectDiagPartInvertsDiag() {
  const DataType dtype = DataTypeOf<T>::value;
  Tensor d = Tensor::FromVector<T>({T(1), T(0)}, TensorShape{2});
  KernelHarness diag("MatrixDiag");
  diag.Attr("T", dtype);
  auto m = diag.Run({d});
  ASSERT_TRUE(m.ok()) << m.status();
  KernelHarness part("MatrixDiagPart");
  part.Attr("T", dtype);
  auto back = part.Run({m->at(0)});
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_TENSOR_EQ(back->at(0), d);
}

TEST(MatrixDiagPart, MovesEveryElementSize) {
  ExpectDiagPartInvertsDiag<bool>();
  ExpectDiagPartInvertsDiag<int8_t>();
  ExpectDiagPartInvertsDiag<Eigen::half>();
  ExpectDiagPartInvertsDiag<double>();
  ExpectDiagPartInvertsDiag<std::complex<double>>();
}

}  // namespace
}  // namespace model_server
