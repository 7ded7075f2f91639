#include <cstdint>
#include <random>
#include <vector>

#include "gtest/gtest.h"
#include "runtime/tensor.h"
#include "tests/testing/kernel_harness.h"

namespace model_server {
namespace {

absl::StatusOr<std::vector<Tensor>> Histogram(const Tensor& values,
                                              const Tensor& range,
                                              int32_t nbins,
                                              DataType dtype = DT_INT32) {
  KernelHarness h("HistogramFixedWidth");
  h.Attr("T", values.dtype()).Attr("dtype", dtype);
  return h.Run({values, range, Tensor::Scalar<int32_t>(nbins)});
}

TEST(HistogramFixedWidth, ClampsOutOfRangeValuesIntoTheEndBins) {
  // TensorFlow's documented example: range [0, 5), 5 bins.
  auto out =
      Histogram(Tensor::Vector<float>({-1.0f, 0.0f, 1.5f, 2.0f, 5.0f, 15}),
                Tensor::Vector<float>({0, 5}), 5);
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_EQ(out->at(0), Tensor::Vector<int32_t>({2, 1, 1, 0, 2}));
  auto ints = Histogram(
      Tensor::FromVector<int64_t>({0, 1, 2, 3, 9, 10}, TensorShape{2, 3}),
      Tensor::Vector<int64_t>({0, 10}), 2, DT_INT64);
  ASSERT_TRUE(ints.ok()) << ints.status();
  EXPECT_TENSOR_EQ(ints->at(0), Tensor::Vector<int64_t>({4, 2}));
}

TEST(HistogramFixedWidth, MatchesNaiveBinningOnRandomDoubles) {
  std::mt19937 rng(2);
  std::uniform_real_distribution<double> dist(-3, 13);
  std::vector<double> v(500);
  std::vector<int32_t> want(7, 0);
  for (double& e : v) {
    e = dist(rng);
    const double bin = std::min(std::max(e, 0.0) / (10.0 / 7), 6.0);
    ++want[static_cast<int>(bin)];
  }
  auto out = Histogram(Tensor::Vector(v), Tensor::Vector<double>({0, 10}), 7);
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_EQ(out->at(0), Tensor::Vector(want));
}

TEST(HistogramFixedWidth, EmptyValuesAndBadArguments) {
  auto empty = Histogram(Tensor::FromVector<float>({}, TensorShape{0}),
                         Tensor::Vector<float>({0, 1}), 3);
  ASSERT_TRUE(empty.ok()) << empty.status();
  EXPECT_TENSOR_EQ(empty->at(0), Tensor::Vector<int32_t>({0, 0, 0}));
  auto nbins =
      Histogram(Tensor::Vector<float>({1}), Tensor::Vector<float>({0, 1}), 0);
  EXPECT_NE(nbins.status().message().find(
                "nbins should be a positive number, but got '0'"),
            std::string::npos);
  auto range =
      Histogram(Tensor::Vector<float>({1}), Tensor::Vector<float>({1, 1}), 2);
  EXPECT_EQ(range.status().code(), absl::StatusCode::kInvalidArgument);
  auto three = Histogram(Tensor::Vector<float>({1}),
                         Tensor::Vector<float>({0, 1, 2}), 2);
  EXPECT_EQ(three.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(
      Histogram(Tensor::Vector<int8_t>({1}), Tensor::Vector<int8_t>({0, 1}), 2)
          .status()
          .code(),
      absl::StatusCode::kUnimplemented);
}

TEST(Bincount, CountsAndSumsWeightsIgnoringValuesPastSize) {
  KernelHarness h("Bincount");
  h.Attr("T", DT_FLOAT);
  Tensor arr = Tensor::Vector<int32_t>({1, 1, 3, 0, 7});
  auto counts = h.Run({arr, Tensor::Scalar<int32_t>(5),
                       Tensor::FromVector<float>({}, TensorShape{0})});
  ASSERT_TRUE(counts.ok()) << counts.status();
  EXPECT_TENSOR_EQ(counts->at(0), Tensor::Vector<float>({1, 2, 0, 1, 0}));
  auto weighted = h.Run({arr, Tensor::Scalar<int32_t>(4),
                         Tensor::Vector<float>({0.5f, 1, 2, 3, 4})});
  ASSERT_TRUE(weighted.ok()) << weighted.status();
  EXPECT_TENSOR_EQ(weighted->at(0), Tensor::Vector<float>({3, 1.5f, 0, 2}));
  auto none = h.Run({Tensor::FromVector<int32_t>({}, TensorShape{0}),
                     Tensor::Scalar<int32_t>(0),
                     Tensor::FromVector<float>({}, TensorShape{0})});
  ASSERT_TRUE(none.ok()) << none.status();
  EXPECT_EQ(none->at(0).shape(), (TensorShape{0}));
}

TEST(Bincount, RejectsNegativeValuesSizeAndMismatchedWeights) {
  KernelHarness h("Bincount");
  h.Attr("T", DT_INT32);
  Tensor no_weights = Tensor::FromVector<int32_t>({}, TensorShape{0});
  auto negative = h.Run({Tensor::Vector<int32_t>({1, -1}),
                         Tensor::Scalar<int32_t>(3), no_weights});
  EXPECT_NE(negative.status().message().find("Input arr must be non-negative!"),
            std::string::npos);
  auto size = h.Run(
      {Tensor::Vector<int32_t>({1}), Tensor::Scalar<int32_t>(-2), no_weights});
  EXPECT_NE(size.status().message().find("size (-2) must be non-negative"),
            std::string::npos);
  auto weights =
      h.Run({Tensor::Vector<int32_t>({1, 2}), Tensor::Scalar<int32_t>(3),
             Tensor::Vector<int32_t>({1, 2, 3})});
  EXPECT_EQ(weights.status().code(), absl::StatusCode::kInvalidArgument);
}

TEST(DenseBincount, RowsBinaryOutputAndInt64) {
  KernelHarness h("DenseBincount");
  h.Attr("T", DT_DOUBLE).Attr("Tidx", DT_INT64).Attr("binary_output", true);
  Tensor input =
      Tensor::FromVector<int64_t>({0, 0, 2, 1, 5, 1}, TensorShape{2, 3});
  auto binary = h.Run({input, Tensor::Scalar<int64_t>(3),
                       Tensor::FromVector<double>({}, TensorShape{0})});
  ASSERT_TRUE(binary.ok()) << binary.status();
  EXPECT_TENSOR_EQ(binary->at(0), Tensor::FromVector<double>(
                                      {1, 0, 1, 0, 1, 0}, TensorShape{2, 3}));
  KernelHarness counts("DenseBincount");
  counts.Attr("T", DT_INT32).Attr("Tidx", DT_INT32);
  auto weighted = counts.Run({Tensor::Vector<int32_t>({2, 2, 0}),
                              Tensor::Scalar<int32_t>(3),
                              Tensor::Vector<int32_t>({5, 6, 7})});
  ASSERT_TRUE(weighted.ok()) << weighted.status();
  EXPECT_TENSOR_EQ(weighted->at(0), Tensor::Vector<int32_t>({7, 0, 11}));
  auto rank3 =
      counts.Run({Tensor::FromVector<int32_t>({1}, TensorShape{1, 1, 1}),
                  Tensor::Scalar<int32_t>(3),
                  Tensor::FromVector<int32_t>({}, TensorShape{0})});
  EXPECT_EQ(rank3.status().code(), absl::StatusCode::kInvalidArgument);
  KernelHarness wide("DenseBincount");
  wide.Attr("T", DT_FLOAT).Attr("Tidx", DT_INT64);
  auto huge = wide.Run({Tensor::Vector<int64_t>({1}),
                        Tensor::Scalar<int64_t>(int64_t{1} << 40),
                        Tensor::FromVector<float>({}, TensorShape{0})});
  EXPECT_EQ(huge.status().code(), absl::StatusCode::kResourceExhausted)
      << huge.status();
}

TEST(SparseBincount, CountsPerRowOfARank2SparseTensor) {
  KernelHarness h("SparseBincount");
  h.Attr("T", DT_FLOAT).Attr("Tidx", DT_INT64);
  // [[1, _, 3], [_, 1, 9]] as a sparse [2, 3] tensor; weights per value.
  Tensor indices =
      Tensor::FromVector<int64_t>({0, 0, 0, 2, 1, 1, 1, 2}, TensorShape{4, 2});
  Tensor values = Tensor::Vector<int64_t>({1, 3, 1, 9});
  Tensor shape = Tensor::Vector<int64_t>({2, 3});
  auto counts = h.Run({indices, values, shape, Tensor::Scalar<int64_t>(4),
                       Tensor::Vector<float>({0.5f, 2, 3, 4})});
  ASSERT_TRUE(counts.ok()) << counts.status();
  EXPECT_TENSOR_EQ(counts->at(0),
                   Tensor::FromVector<float>({0, 0.5f, 0, 2, 0, 3, 0, 0},
                                             TensorShape{2, 4}));
  // Rank 1: one row of counts.
  auto flat = h.Run({Tensor::FromVector<int64_t>({0, 4}, TensorShape{2, 1}),
                     Tensor::Vector<int64_t>({2, 2}),
                     Tensor::Vector<int64_t>({5}), Tensor::Scalar<int64_t>(3),
                     Tensor::FromVector<float>({}, TensorShape{0})});
  ASSERT_TRUE(flat.ok()) << flat.status();
  EXPECT_TENSOR_EQ(flat->at(0), Tensor::Vector<float>({0, 0, 2}));
  // An index outside dense_shape is an error, not a write out of bounds.
  auto bad =
      h.Run({Tensor::FromVector<int64_t>({5, 0}, TensorShape{1, 2}),
             Tensor::Vector<int64_t>({1}), shape, Tensor::Scalar<int64_t>(4),
             Tensor::FromVector<float>({}, TensorShape{0})});
  EXPECT_EQ(bad.status().code(), absl::StatusCode::kInvalidArgument);
}

TEST(RaggedBincount, CountsPerRaggedRowWithBinaryOutput) {
  KernelHarness h("RaggedBincount");
  h.Attr("T", DT_INT32).Attr("Tidx", DT_INT32).Attr("binary_output", true);
  // Rows [2, 2, 0], [], [1].
  Tensor splits = Tensor::Vector<int64_t>({0, 3, 3, 4});
  Tensor values = Tensor::Vector<int32_t>({2, 2, 0, 1});
  auto out = h.Run({splits, values, Tensor::Scalar<int32_t>(3),
                    Tensor::FromVector<int32_t>({}, TensorShape{0})});
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_EQ(out->at(0),
                   Tensor::FromVector<int32_t>({1, 0, 1, 0, 0, 0, 0, 1, 0},
                                               TensorShape{3, 3}));
  for (const std::vector<int64_t>& bad :
       {std::vector<int64_t>{1, 4}, std::vector<int64_t>{0, 3, 2, 4},
        std::vector<int64_t>{0, 3}, std::vector<int64_t>{}}) {
    auto err =
        h.Run({Tensor::Vector<int64_t>(bad), values, Tensor::Scalar<int32_t>(3),
               Tensor::FromVector<int32_t>({}, TensorShape{0})});
    EXPECT_EQ(err.status().code(), absl::StatusCode::kInvalidArgument)
        << bad.size();
  }
}

}  // namespace
}  // namespace model_server
