#include <algorithm>
#include <complex>
#include <numeric>
#include <random>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/runtime/kernels/array/array_test_tensors.h"
#include "tests/testing/kernel_harness.h"

namespace model_server {
namespace {

using ::testing::HasSubstr;
using testing_tensors::Iota;

absl::StatusOr<Tensor> GatherV2(const Tensor& params, const Tensor& indices,
                                int64_t axis, int64_t batch_dims = 0) {
  KernelHarness k("GatherV2");
  k.Attr("Tparams", params.dtype())
      .Attr("Tindices", indices.dtype())
      .Attr("Taxis", DT_INT64)
      .Attr("batch_dims", batch_dims);
  auto out = k.Run({params, indices, Tensor::Scalar<int64_t>(axis)});
  if (!out.ok()) return out.status();
  return out->at(0);
}

TEST(GatherV2, GathersAlongAxis) {
  Tensor params = Iota(TensorShape{3, 4});
  auto out = GatherV2(params, Tensor::Vector<int32_t>({2, 0}), 0);
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_EQ(*out, Tensor::FromVector<float>({8, 9, 10, 11, 0, 1, 2, 3},
                                                   TensorShape{2, 4}));
  out = GatherV2(
      params, Tensor::FromVector<int64_t>({3, 1, 1, 0}, TensorShape{2, 2}), -1);
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_EQ(
      *out, Tensor::FromVector<float>({3, 1, 1, 0, 7, 5, 5, 4, 11, 9, 9, 8},
                                      TensorShape{3, 2, 2}));
  out = GatherV2(params, Tensor::Scalar<int32_t>(1), 0);
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_EQ(*out, Tensor::Vector<float>({4, 5, 6, 7}));
}

TEST(GatherV2, BatchDimsGathersPerBatch) {
  // params [2, 3, 2], indices [2, 2], batch_dims 1, axis 1.
  Tensor params = Iota(TensorShape{2, 3, 2});
  auto out = GatherV2(
      params, Tensor::FromVector<int32_t>({2, 0, 1, 1}, TensorShape{2, 2}), 1,
      1);
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_EQ(*out, Tensor::FromVector<float>({4, 5, 0, 1, 8, 9, 8, 9},
                                                   TensorShape{2, 2, 2}));
  // batch_dims 1, axis 2: per batch, gather columns.
  out = GatherV2(params, Tensor::FromVector<int32_t>({1, 0}, TensorShape{2, 1}),
                 2, 1);
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_EQ(*out, Tensor::FromVector<float>({1, 3, 5, 6, 8, 10},
                                                   TensorShape{2, 3, 1}));
}

TEST(GatherV2, LargeEmbeddingLookupMatchesNaive) {
  Tensor params = Iota(TensorShape{1000, 64});
  std::vector<int32_t> ids(3000);
  std::mt19937 rng(7);
  for (auto& id : ids) id = static_cast<int32_t>(rng() % 1000);
  auto out = GatherV2(params, Tensor::Vector<int32_t>(ids), 0);
  ASSERT_TRUE(out.ok()) << out.status();
  std::vector<float> expected;
  for (int32_t id : ids) {
    for (int j = 0; j < 64; ++j) expected.push_back(id * 64.f + j);
  }
  EXPECT_TENSOR_EQ(*out, Tensor::FromVector(expected, TensorShape{3000, 64}));
}

TEST(GatherV2, RejectsOutOfRangeIndexNamingItsPosition) {
  auto out =
      GatherV2(Iota(TensorShape{3}),
               Tensor::FromVector<int32_t>({0, 1, 2, 5}, TensorShape{2, 2}), 0);
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(out.status().message(),
              HasSubstr("indices[1,1] = 5 is not in [0, 3)"));
  out = GatherV2(Iota(TensorShape{3}), Tensor::Vector<int32_t>({-1}), 0);
  ASSERT_FALSE(out.ok());
  EXPECT_THAT(out.status().message(),
              HasSubstr("indices[0] = -1 is not in [0, 3)"));
}

TEST(GatherV2, RejectsBadAxisAndScalarParams) {
  auto out = GatherV2(Iota(TensorShape{3}), Tensor::Vector<int32_t>({0}), 1);
  ASSERT_FALSE(out.ok());
  EXPECT_THAT(out.status().message(),
              HasSubstr("Expected axis in the range [-1, 1), but got 1"));
  out = GatherV2(Tensor::Scalar(1.f), Tensor::Vector<int32_t>({0}), 0);
  ASSERT_FALSE(out.ok());
  EXPECT_THAT(out.status().message(),
              HasSubstr("params must be at least 1 dimensional"));
  out =
      GatherV2(Iota(TensorShape{2, 3}),
               Tensor::FromVector<int32_t>({0, 0, 0}, TensorShape{3, 1}), 1, 1);
  ASSERT_FALSE(out.ok());
  EXPECT_THAT(out.status().message(),
              HasSubstr("params.shape[0]: 2 should be equal to "
                        "indices.shape[0]: 3"));
}

TEST(Gather, V1GathersRowsOfStrings) {
  KernelHarness k("Gather");
  k.Attr("Tparams", DT_STRING).Attr("Tindices", DT_INT64);
  auto out = k.Run({Tensor::Vector<std::string>({"x", "y", "z"}),
                    Tensor::Vector<int64_t>({2, 2, 0})});
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_EQ(out->at(0), Tensor::Vector<std::string>({"z", "z", "x"}));
}

TEST(GatherNd, GathersElementsAndSlices) {
  KernelHarness k("GatherNd");
  k.Attr("Tparams", DT_FLOAT).Attr("Tindices", DT_INT32);
  Tensor params = Iota(TensorShape{2, 3});
  auto out = k.Run(
      {params, Tensor::FromVector<int32_t>({1, 2, 0, 1}, TensorShape{2, 2})});
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_EQ(out->at(0), Tensor::Vector<float>({5, 1}));
  out = k.Run({params, Tensor::FromVector<int32_t>({1}, TensorShape{1, 1})});
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_EQ(out->at(0),
                   Tensor::FromVector<float>({3, 4, 5}, TensorShape{1, 3}));
}

TEST(GatherNd, RejectsBadIndices) {
  KernelHarness k("GatherNd");
  k.Attr("Tparams", DT_FLOAT).Attr("Tindices", DT_INT32);
  auto out =
      k.Run({Iota(TensorShape{2, 3}),
             Tensor::FromVector<int32_t>({0, 0, 1, 3}, TensorShape{2, 2})});
  ASSERT_FALSE(out.ok());
  EXPECT_THAT(out.status().message(),
              HasSubstr("indices[1] = [1, 3] does not index into param shape "
                        "[2,3]"));
  out = k.Run({Iota(TensorShape{2}),
               Tensor::FromVector<int32_t>({0, 0}, TensorShape{1, 2})});
  ASSERT_FALSE(out.ok());
  EXPECT_THAT(out.status().message(),
              HasSubstr("index innermost dimension length must be <= params "
                        "rank; saw: 2 vs. 1"));
}

}  // namespace
}  // namespace model_server
