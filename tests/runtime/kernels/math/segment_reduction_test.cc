#include <complex>
#include <cstdint>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/testing/kernel_harness.h"

namespace model_server {
namespace {

using ::testing::HasSubstr;

// data [4, 2] = {{1, 2}, {3, 4}, {5, 6}, {7, 8}}; ids {0, 0, 2, 2}: segment 1
// is empty.
Tensor Data() {
  return Tensor::FromVector<float>({1, 2, 3, 4, 5, 6, 7, 8}, TensorShape{4, 2});
}

TEST(SegmentSum, ReducesSortedSegmentsWithEmptyOnesZero) {
  const std::vector<std::pair<std::string, std::vector<float>>> cases = {
      {"SegmentSum", {4, 6, 0, 0, 12, 14}},
      {"SegmentProd", {3, 8, 1, 1, 35, 48}},
      {"SegmentMean", {2, 3, 0, 0, 6, 7}},
      {"SegmentMax", {3, 4, 0, 0, 7, 8}},
      {"SegmentMin", {1, 2, 0, 0, 5, 6}},
  };
  for (const auto& [op, want] : cases) {
    KernelHarness k(op);
    k.Attr("T", DT_FLOAT).Attr("Tindices", DT_INT32);
    auto out = k.Run({Data(), Tensor::Vector<int32_t>({0, 0, 2, 2})});
    ASSERT_TRUE(out.ok()) << op << ": " << out.status();
    EXPECT_TENSOR_EQ(out->at(0), Tensor::FromVector(want, TensorShape{3, 2}))
        << op;
  }
}

TEST(UnsortedSegmentSum, EmptySegmentsAreTheIdentity) {
  const float lowest = std::numeric_limits<float>::lowest();
  const float highest = std::numeric_limits<float>::max();
  const std::vector<std::pair<std::string, std::vector<float>>> cases = {
      {"UnsortedSegmentSum", {6, 8, 0, 0, 10, 12}},
      {"UnsortedSegmentProd", {5, 12, 1, 1, 21, 32}},
      {"UnsortedSegmentMax", {5, 6, lowest, lowest, 7, 8}},
      {"UnsortedSegmentMin", {1, 2, highest, highest, 3, 4}},
  };
  for (const auto& [op, want] : cases) {
    KernelHarness k(op);
    k.Attr("T", DT_FLOAT).Attr("Tindices", DT_INT64);
    // Rows 0 and 2 go to segment 0, rows 1 and 3 to segment 2.
    auto out = k.Run({Data(), Tensor::Vector<int64_t>({0, 2, 0, 2}),
                      Tensor::Scalar<int32_t>(3)});
    ASSERT_TRUE(out.ok()) << op << ": " << out.status();
    EXPECT_TENSOR_EQ(out->at(0), Tensor::FromVector(want, TensorShape{3, 2}))
        << op;
  }
}

TEST(UnsortedSegmentSum, DropsNegativeIdsAndTakesMatrixIds) {
  KernelHarness k("UnsortedSegmentSum");
  k.Attr("T", DT_INT32).Attr("Tnumsegments", DT_INT64);
  auto out =
      k.Run({Tensor::FromVector<int32_t>({1, 2, 3, 4}, TensorShape{2, 2}),
             Tensor::FromVector<int32_t>({1, -1, 1, 0}, TensorShape{2, 2}),
             Tensor::Scalar<int64_t>(3)});
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_EQ(out->at(0), Tensor::Vector<int32_t>({4, 4, 0}));
}

TEST(UnsortedSegmentMax, HalfEmptySegmentIsHalfLowest) {
  KernelHarness k("UnsortedSegmentMax");
  k.Attr("T", DT_HALF);
  auto out = k.Run({Tensor::Vector<Eigen::half>({Eigen::half(2)}),
                    Tensor::Vector<int32_t>({0}), Tensor::Scalar<int32_t>(2)});
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_EQ(out->at(0), Tensor::Vector<Eigen::half>(
                                   {Eigen::half(2), Eigen::half(-65504)}));
}

TEST(SegmentMean, DividesIntegerSums) {
  KernelHarness k("SegmentMean");
  k.Attr("T", DT_INT8);
  auto out = k.Run({Tensor::Vector<int8_t>({1, 2, 100, 101, 102}),
                    Tensor::Vector<int32_t>({0, 0, 1, 1, 1})});
  ASSERT_TRUE(out.ok()) << out.status();
  // 100 + 101 + 102 wraps in int8 like TensorFlow's int8 sum would; the
  // first segment is (1 + 2) / 2 = 1.
  EXPECT_EQ(out->at(0).data<int8_t>()[0], 1);
}

TEST(SegmentSum, MatchesNaiveReferenceOnRandomSortedIds) {
  std::mt19937 rng(3);
  const int64_t rows = 50, inner = 7;
  std::vector<double> data(rows * inner);
  for (double& v : data) v = static_cast<double>(rng() % 1000) / 10;
  std::vector<int64_t> ids(rows);
  int64_t id = 0;
  for (int64_t r = 0; r < rows; ++r) {
    id += rng() % 3;
    ids[r] = id;
  }
  std::vector<double> want((id + 1) * inner, 0);
  for (int64_t r = 0; r < rows; ++r) {
    for (int64_t j = 0; j < inner; ++j)
      want[ids[r] * inner + j] += data[r * inner + j];
  }
  KernelHarness k("SegmentSum");
  k.Attr("T", DT_DOUBLE).Attr("Tindices", DT_INT64);
  auto out = k.Run({Tensor::FromVector(data, TensorShape{rows, inner}),
                    Tensor::Vector<int64_t>(ids)});
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_NEAR(out->at(0),
                     Tensor::FromVector(want, TensorShape{id + 1, inner}),
                     1e-12, 1e-12);
}

TEST(SegmentSum, HandlesEmptyInputs) {
  KernelHarness k("SegmentSum");
  k.Attr("T", DT_FLOAT);
  auto out = k.Run({Tensor::FromVector<float>({}, TensorShape{0, 3}),
                    Tensor::Vector<int32_t>({})});
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_EQ(out->at(0).shape(), (TensorShape{0, 3}));
  KernelHarness u("UnsortedSegmentMin");
  u.Attr("T", DT_INT32);
  out = u.Run({Tensor::FromVector<int32_t>({}, TensorShape{0, 2}),
               Tensor::Vector<int32_t>({}), Tensor::Scalar<int32_t>(2)});
  ASSERT_TRUE(out.ok()) << out.status();
  const int32_t max = std::numeric_limits<int32_t>::max();
  EXPECT_TENSOR_EQ(out->at(0), Tensor::FromVector<int32_t>({max, max, max, max},
                                                           TensorShape{2, 2}));
}

TEST(SegmentSum, RejectsUnsortedOrMismatchedIds) {
  KernelHarness k("SegmentSum");
  k.Attr("T", DT_FLOAT);
  auto out = k.Run({Data(), Tensor::Vector<int32_t>({0, 2, 1, 2})});
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(out.status().message(),
              HasSubstr("segment ids are not increasing"));
  out = k.Run({Data(), Tensor::Vector<int32_t>({0, 0, 1})});
  ASSERT_FALSE(out.ok());
  EXPECT_THAT(out.status().message(),
              HasSubstr("segment_ids should be the same size as dimension 0 of "
                        "input."));
  out = k.Run({Data(), Tensor::Vector<int32_t>({-1, 0, 0, 0})});
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.status().code(), absl::StatusCode::kInvalidArgument);
}

TEST(UnsortedSegmentSum, RejectsIdsOutOfRangeAndBadNumSegments) {
  KernelHarness k("UnsortedSegmentSum");
  k.Attr("T", DT_FLOAT);
  auto out = k.Run({Data(), Tensor::Vector<int32_t>({0, 3, 0, 0}),
                    Tensor::Scalar<int32_t>(3)});
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(out.status().message(),
              HasSubstr("segment_ids[1] = 3 is out of range [0, 3)"));
  out = k.Run(
      {Data(), Tensor::Vector<int32_t>({0, 0}), Tensor::Scalar<int32_t>(3)});
  ASSERT_FALSE(out.ok());
  EXPECT_THAT(out.status().message(), HasSubstr("does not start with"));
  out = k.Run({Data(), Tensor::Vector<int32_t>({0, 0, 0, 0}),
               Tensor::Scalar<int32_t>(-2)});
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.status().code(), absl::StatusCode::kInvalidArgument);
  out = k.Run({Data(), Tensor::Vector<int32_t>({0, 0, 0, 0}),
               Tensor::Scalar<int32_t>(std::numeric_limits<int32_t>::max())});
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.status().code(), absl::StatusCode::kResourceExhausted);
}

TEST(SegmentMax, RejectsComplexAtLoad) {
  KernelHarness k("SegmentMax");
  k.Attr("T", DT_COMPLEX64);
  auto out = k.Run({Tensor::Vector<std::complex<float>>({{1, 1}}),
                    Tensor::Vector<int32_t>({0})});
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.status().code(), absl::StatusCode::kUnimplemented);
}

}  // namespace
}  // namespace model_server
