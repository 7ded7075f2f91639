#include <memory>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "tests/testing/kernel_harness.h"

namespace model_server {
namespace {

std::unique_ptr<KernelHarness> Count(const std::string& op, DataType t,
                                     DataType w, int64_t minlength = -1,
                                     int64_t maxlength = -1,
                                     bool binary = false) {
  auto k = std::make_unique<KernelHarness>(op);
  k->Attr("T", t)
      .Attr("output_type", w)
      .Attr("minlength", minlength)
      .Attr("maxlength", maxlength)
      .Attr("binary_output", binary);
  return k;
}

TEST(DenseCountSparseOutput, CountsPerRowSortedByValue) {
  auto k = Count("DenseCountSparseOutput", DT_INT32, DT_INT64);
  auto out = k->Run({Tensor::FromVector<int32_t>({3, 1, 3, 5, 5, -1}, {2, 3}),
                     Tensor::Vector<int64_t>({})});
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_EQ(out->at(0),
                   Tensor::FromVector<int64_t>({0, 1, 0, 3, 1, 5}, {3, 2}));
  EXPECT_TENSOR_EQ(out->at(1), Tensor::Vector<int64_t>({1, 2, 2}));
  EXPECT_TENSOR_EQ(out->at(2), Tensor::Vector<int64_t>({2, 6}));
}

TEST(DenseCountSparseOutput, HonoursWeightsLengthsAndBinaryOutput) {
  auto weighted = Count("DenseCountSparseOutput", DT_INT64, DT_FLOAT,
                        /*minlength=*/10);
  auto out = weighted->Run({Tensor::Vector<int64_t>({2, 2, 7}),
                            Tensor::Vector<float>({0.5f, 0.25f, 2})});
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_EQ(out->at(0), Tensor::FromVector<int64_t>({2, 7}, {2, 1}));
  EXPECT_TENSOR_EQ(out->at(1), Tensor::Vector<float>({0.75f, 2}));
  EXPECT_TENSOR_EQ(out->at(2), Tensor::Vector<int64_t>({10}));
  auto capped = Count("DenseCountSparseOutput", DT_INT64, DT_INT32, -1,
                      /*maxlength=*/3, /*binary=*/true);
  out = capped->Run(
      {Tensor::Vector<int64_t>({2, 2, 7}), Tensor::Vector<int32_t>({})});
  ASSERT_TRUE(out.ok());
  EXPECT_TENSOR_EQ(out->at(1), Tensor::Vector<int32_t>({1}));
  EXPECT_TENSOR_EQ(out->at(2), Tensor::Vector<int64_t>({3}));
}

TEST(RaggedCountSparseOutput, CountsEachRaggedRow) {
  auto k = Count("RaggedCountSparseOutput", DT_INT32, DT_DOUBLE);
  auto out = k->Run({Tensor::Vector<int64_t>({0, 2, 2, 4}),
                     Tensor::Vector<int32_t>({1, 1, 0, 4}),
                     Tensor::Vector<double>({})});
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_EQ(out->at(0),
                   Tensor::FromVector<int64_t>({0, 1, 2, 0, 2, 4}, {3, 2}));
  EXPECT_TENSOR_EQ(out->at(1), Tensor::Vector<double>({2, 1, 1}));
  EXPECT_TENSOR_EQ(out->at(2), Tensor::Vector<int64_t>({3, 5}));
  out = k->Run({Tensor::Vector<int64_t>({0, 5}), Tensor::Vector<int32_t>({1}),
                Tensor::Vector<double>({})});
  EXPECT_EQ(out.status().code(), absl::StatusCode::kInvalidArgument);
}

TEST(SparseCountSparseOutput, CountsByTheFirstIndex) {
  auto k = Count("SparseCountSparseOutput", DT_INT64, DT_INT64);
  auto out =
      k->Run({Tensor::FromVector<int64_t>({0, 0, 0, 4, 2, 1}, {3, 2}),
              Tensor::Vector<int64_t>({3, 3, 1}),
              Tensor::Vector<int64_t>({3, 5}), Tensor::Vector<int64_t>({})});
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_EQ(out->at(0),
                   Tensor::FromVector<int64_t>({0, 3, 2, 1}, {2, 2}));
  EXPECT_TENSOR_EQ(out->at(1), Tensor::Vector<int64_t>({2, 1}));
  EXPECT_TENSOR_EQ(out->at(2), Tensor::Vector<int64_t>({3, 4}));
  out = k->Run({Tensor::FromVector<int64_t>({3, 0}, {1, 2}),
                Tensor::Vector<int64_t>({1}), Tensor::Vector<int64_t>({3, 5}),
                Tensor::Vector<int64_t>({})});
  EXPECT_EQ(out.status().code(), absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace model_server
