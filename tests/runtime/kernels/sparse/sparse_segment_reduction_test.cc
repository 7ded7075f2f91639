#include <cmath>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "tests/testing/kernel_harness.h"

namespace model_server {
namespace {

const Tensor& Data() {
  static const Tensor data = Tensor::FromVector<float>(
      {1, 2, 3, 4, -1, -2, -3, -4, 5, 6, 7, 8}, TensorShape{3, 4});
  return data;
}

absl::StatusOr<Tensor> Segment(const std::string& op, const Tensor& data,
                               const Tensor& indices, const Tensor& segment_ids,
                               const Tensor* num_segments = nullptr) {
  KernelHarness k(op);
  k.Attr("T", data.dtype()).Attr("Tidx", indices.dtype());
  std::vector<Tensor> inputs = {data, indices, segment_ids};
  if (segment_ids.dtype() == DT_INT64) k.Attr("Tsegmentids", DT_INT64);
  if (num_segments != nullptr) {
    k.Attr("Tnumsegments", num_segments->dtype());
    inputs.push_back(*num_segments);
  }
  auto out = k.Run(inputs);
  if (!out.ok()) return out.status();
  return out->at(0);
}

std::string ErrorOf(const absl::StatusOr<Tensor>& out) {
  return out.ok() ? "" : std::string(out.status().message());
}

TEST(SparseSegmentSum, SumsSelectedRowsPerSegment) {
  // TensorFlow's documented example.
  auto out =
      Segment("SparseSegmentSum", Data(), Tensor::Vector<int32_t>({0, 1}),
              Tensor::Vector<int32_t>({0, 0}));
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_EQ(*out,
                   Tensor::FromVector<float>({0, 0, 0, 0}, TensorShape{1, 4}));
  out = Segment("SparseSegmentSum", Data(), Tensor::Vector<int64_t>({0, 1}),
                Tensor::Vector<int32_t>({0, 1}));
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_EQ(*out, Tensor::FromVector<float>({1, 2, 3, 4, -1, -2, -3, -4},
                                                   TensorShape{2, 4}));
  out = Segment("SparseSegmentSum", Data(), Tensor::Vector<int32_t>({0, 2}),
                Tensor::Vector<int64_t>({0, 0}));
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_EQ(
      *out, Tensor::FromVector<float>({6, 8, 10, 12}, TensorShape{1, 4}));
}

TEST(SparseSegmentSum, ZeroFillsSegmentsWithoutIds) {
  auto out =
      Segment("SparseSegmentSum", Data(), Tensor::Vector<int32_t>({2, 0, 0}),
              Tensor::Vector<int32_t>({1, 3, 3}));
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_EQ(*out, Tensor::FromVector<float>(
                             {0, 0, 0, 0, 5, 6, 7, 8, 0, 0, 0, 0, 2, 4, 6, 8},
                             TensorShape{4, 4}));
}

TEST(SparseSegmentSum, HandlesIntegersAndRankOneData) {
  auto out = Segment("SparseSegmentSum", Tensor::Vector<int64_t>({10, 20, 30}),
                     Tensor::Vector<int32_t>({2, 2, 0}),
                     Tensor::Vector<int32_t>({0, 0, 1}));
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_EQ(*out, Tensor::Vector<int64_t>({60, 10}));
}

TEST(SparseSegmentSum, HandlesEmptyIndices) {
  auto out = Segment("SparseSegmentSum", Data(), Tensor::Vector<int32_t>({}),
                     Tensor::Vector<int32_t>({}));
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_EQ(out->shape(), (TensorShape{0, 4}));
}

TEST(SparseSegmentSum, MatchesTensorFlowSummationOrder) {
  // 11 rows: a leading group of 3, then one group of 8 added to it.
  std::vector<float> rows = {1e8f, 1, 1, 1, 1, 1, 1, 1, 1, 1, -1e8f};
  const Tensor data = Tensor::FromVector(rows, TensorShape{11, 1});
  std::vector<int32_t> idx(11), ids(11, 0);
  for (int i = 0; i < 11; ++i) idx[i] = i;
  auto out = Segment("SparseSegmentSum", data, Tensor::Vector(idx),
                     Tensor::Vector(ids));
  ASSERT_TRUE(out.ok()) << out.status();
  float lead = 1e8f + 1.0f + 1.0f;
  float group = 1.0f + 1 + 1 + 1 + 1 + 1 + 1 + -1e8f;
  EXPECT_EQ(out->data<float>()[0], lead + group);
}

TEST(SparseSegmentSumWithNumSegments, PadsToNumSegments) {
  const Tensor n = Tensor::Scalar<int32_t>(3);
  auto out = Segment("SparseSegmentSumWithNumSegments", Data(),
                     Tensor::Vector<int32_t>({0, 1}),
                     Tensor::Vector<int32_t>({0, 0}), &n);
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_EQ(*out, Tensor::FromVector<float>(std::vector<float>(12, 0),
                                                   TensorShape{3, 4}));
  const Tensor small = Tensor::Scalar<int64_t>(1);
  out = Segment("SparseSegmentSumWithNumSegments", Data(),
                Tensor::Vector<int32_t>({0, 1}),
                Tensor::Vector<int32_t>({0, 1}), &small);
  EXPECT_NE(ErrorOf(out).find("segment ids must be < num_segments"),
            std::string::npos);
}

TEST(SparseSegmentMean, AveragesRows) {
  auto out =
      Segment("SparseSegmentMean", Data(), Tensor::Vector<int32_t>({0, 2, 1}),
              Tensor::Vector<int32_t>({0, 0, 1}));
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_EQ(*out, Tensor::FromVector<float>({3, 4, 5, 6, -1, -2, -3, -4},
                                                   TensorShape{2, 4}));
}

TEST(SparseSegmentSqrtN, DividesBySqrtOfCount) {
  auto out =
      Segment("SparseSegmentSqrtN",
              Tensor::FromVector<double>({1, 3}, TensorShape{2, 1}),
              Tensor::Vector<int32_t>({0, 1}), Tensor::Vector<int32_t>({0, 0}));
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_EQ(*out, Tensor::FromVector<double>({4 / std::sqrt(2.0)},
                                                    TensorShape{1, 1}));
}

TEST(SparseSegmentSum, RejectsBadIdsWithTensorFlowTexts) {
  EXPECT_NE(ErrorOf(Segment("SparseSegmentSum", Data(),
                            Tensor::Vector<int32_t>({0, 3}),
                            Tensor::Vector<int32_t>({0, 1})))
                .find("Bad: indices[1] == 3 out of range [0, 3)"),
            std::string::npos);
  EXPECT_NE(
      ErrorOf(Segment("SparseSegmentSum", Data(), Tensor::Vector<int32_t>({-1}),
                      Tensor::Vector<int32_t>({0})))
          .find("Bad: indices[0] == -1 out of range [0, 3)"),
      std::string::npos);
  EXPECT_NE(ErrorOf(Segment("SparseSegmentSum", Data(),
                            Tensor::Vector<int32_t>({0, 1, 2}),
                            Tensor::Vector<int32_t>({1, 0, 1})))
                .find("segment ids are not increasing"),
            std::string::npos);
  EXPECT_NE(ErrorOf(Segment("SparseSegmentSum", Data(),
                            Tensor::Vector<int32_t>({0, 1}),
                            Tensor::Vector<int32_t>({-1, 0})))
                .find("Segment id -1 out of range [0, 1)"),
            std::string::npos);
  EXPECT_NE(
      ErrorOf(Segment("SparseSegmentSum", Data(), Tensor::Vector<int32_t>({0}),
                      Tensor::Vector<int32_t>({-1})))
          .find("segment ids must be >= 0"),
      std::string::npos);
}

TEST(SparseSegmentSum, RejectsMalformedInputs) {
  EXPECT_NE(ErrorOf(Segment("SparseSegmentSum", Data(),
                            Tensor::Vector<int32_t>({0, 1}),
                            Tensor::Vector<int32_t>({0})))
                .find("segment_ids and indices should have same size."),
            std::string::npos);
  EXPECT_NE(
      ErrorOf(Segment("SparseSegmentSum", Data(), Tensor::Scalar<int32_t>(0),
                      Tensor::Vector<int32_t>({0})))
          .find("indices should be a vector."),
      std::string::npos);
  EXPECT_NE(ErrorOf(Segment("SparseSegmentSum", Tensor::Scalar<float>(1),
                            Tensor::Vector<int32_t>({0}),
                            Tensor::Vector<int32_t>({0})))
                .find("Shape must be at least rank 1"),
            std::string::npos);
  EXPECT_NE(
      ErrorOf(Segment("SparseSegmentSum", Data(), Tensor::Vector<float>({0}),
                      Tensor::Vector<int32_t>({0}))),
      "");
  const Tensor huge = Tensor::Scalar<int64_t>(int64_t{1} << 40);
  EXPECT_NE(ErrorOf(Segment("SparseSegmentSumWithNumSegments", Data(),
                            Tensor::Vector<int32_t>({0}),
                            Tensor::Vector<int32_t>({0}), &huge)),
            "");
}

TEST(SparseSegmentMean, RejectsIntegerData) {
  EXPECT_NE(ErrorOf(Segment(
                "SparseSegmentMean", Tensor::Vector<int32_t>({1, 2}),
                Tensor::Vector<int32_t>({0}), Tensor::Vector<int32_t>({0}))),
            "");
}

}  // namespace
}  // namespace model_server
