#include <cstdint>
#include <memory>
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

Tensor Indices(std::vector<int32_t> v, const TensorShape& shape) {
  return Tensor::FromVector(std::move(v), shape);
}

TEST(ScatterNd, AddsUpdatesIntoZeros) {
  KernelHarness k("ScatterNd");
  k.Attr("T", DT_FLOAT).Attr("Tindices", DT_INT32);
  auto out = k.Run({Indices({4, 3, 1, 7}, TensorShape{4, 1}),
                    Tensor::Vector<float>({9, 10, 11, 12}),
                    Tensor::Vector<int32_t>({8})});
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_EQ(out->at(0),
                   Tensor::Vector<float>({0, 11, 0, 10, 9, 0, 0, 12}));
}

TEST(ScatterNd, ScattersSlicesAndSumsDuplicates) {
  KernelHarness k("ScatterNd");
  k.Attr("T", DT_INT64).Attr("Tindices", DT_INT64);
  // Two slices of shape [2] into a [3, 2] tensor; row 2 named twice.
  auto out =
      k.Run({Tensor::FromVector<int64_t>({2, 0, 2}, TensorShape{3, 1}),
             Tensor::FromVector<int64_t>({1, 2, 3, 4, 5, 6}, TensorShape{3, 2}),
             Tensor::Vector<int64_t>({3, 2})});
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_EQ(out->at(0), Tensor::FromVector<int64_t>({3, 4, 0, 0, 6, 8},
                                                           TensorShape{3, 2}));
}

TEST(ScatterNd, AcceptsEmptyIndicesAndRejectsUpdatesForAnEmptyOutput) {
  KernelHarness k("ScatterNd");
  k.Attr("T", DT_FLOAT);
  auto out = k.Run({Indices({}, TensorShape{0, 2}),
                    Tensor::FromVector<float>({}, TensorShape{0}),
                    Tensor::Vector<int32_t>({2, 2})});
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_EQ(out->at(0),
                   Tensor::FromVector<float>({0, 0, 0, 0}, TensorShape{2, 2}));
  out = k.Run({Indices({0}, TensorShape{1, 1}), Tensor::Vector<float>({1}),
               Tensor::Vector<int32_t>({0})});
  ASSERT_FALSE(out.ok());
  EXPECT_THAT(out.status().message(),
              HasSubstr("Indices and updates specified for empty output."));
}

TEST(ScatterNd, RejectsIndicesOutOfRangeAndMismatchedShapes) {
  KernelHarness k("ScatterNd");
  k.Attr("T", DT_FLOAT);
  auto out =
      k.Run({Indices({0, 4, 99}, TensorShape{3, 1}),
             Tensor::Vector<float>({1, 2, 3}), Tensor::Vector<int32_t>({5})});
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(out.status().message(),
              HasSubstr("indices[2] = [99] does not index into shape [5]"));
  out = k.Run({Indices({-1}, TensorShape{1, 1}), Tensor::Vector<float>({1}),
               Tensor::Vector<int32_t>({5})});
  ASSERT_FALSE(out.ok());
  EXPECT_THAT(out.status().message(),
              HasSubstr("indices[0] = [-1] does not index into shape [5]"));
  out = k.Run({Indices({0, 1, 2}, TensorShape{1, 3, 1}),
               Tensor::FromVector<float>({1, 2, 3, 4, 5, 6, 7, 8, 9},
                                         TensorShape{3, 3}),
               Tensor::Vector<int32_t>({5, 3})});
  ASSERT_FALSE(out.ok());
  EXPECT_THAT(out.status().message(),
              HasSubstr("Dimensions [0,1) of indices[shape=[1,3,1]] = 1 must "
                        "match dimensions [0,1) of updates[shape=[3,3]] = 3"));
  out = k.Run({Indices({0}, TensorShape{1, 1}),
               Tensor::FromVector<float>({1, 2}, TensorShape{1, 2}),
               Tensor::Vector<int32_t>({5, 3})});
  ASSERT_FALSE(out.ok());
  EXPECT_THAT(out.status().message(),
              HasSubstr("Dimensions [1,2) of input[shape=[5,3]] must match "
                        "dimensions [1,2) of updates[shape=[1,2]]"));
  out = k.Run({Indices({0}, TensorShape{1, 1}), Tensor::Vector<float>({1}),
               Tensor::Vector<int32_t>({-5})});
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.status().code(), absl::StatusCode::kInvalidArgument);
}

TEST(ScatterNd, RejectsStringsAtLoad) {
  KernelHarness k("ScatterNd");
  k.Attr("T", DT_STRING);
  auto out =
      k.Run({Indices({0}, TensorShape{1, 1}),
             Tensor::Vector<std::string>({"a"}), Tensor::Vector<int32_t>({2})});
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.status().code(), absl::StatusCode::kUnimplemented);
}

TEST(TensorScatterUpdate, ReplacesElementsOfACopy) {
  KernelHarness k("TensorScatterUpdate");
  k.Attr("T", DT_STRING).Attr("Tindices", DT_INT32);
  auto out = k.Run(
      {Tensor::FromVector<std::string>({"a", "b", "c", "d"}, TensorShape{2, 2}),
       Indices({1, 0, 0, 1}, TensorShape{2, 2}),
       Tensor::Vector<std::string>({"x", "y"})});
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_EQ(out->at(0), Tensor::FromVector<std::string>(
                                   {"a", "y", "x", "d"}, TensorShape{2, 2}));
}

TEST(TensorScatterAdd, AddsAndSubtractsWholeRows) {
  Tensor tensor = Iota(TensorShape{3, 2});
  Tensor indices = Indices({2, 2, 0}, TensorShape{3, 1});
  Tensor updates =
      Tensor::FromVector<float>({1, 1, 10, 10, 100, 100}, TensorShape{3, 2});
  KernelHarness add("TensorScatterAdd");
  add.Attr("T", DT_FLOAT);
  auto out = add.Run({tensor, indices, updates});
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_EQ(
      out->at(0),
      Tensor::FromVector<float>({100, 101, 2, 3, 15, 16}, TensorShape{3, 2}));
  // The input tensor itself is untouched.
  EXPECT_TENSOR_EQ(tensor, Iota(TensorShape{3, 2}));
  KernelHarness sub("TensorScatterSub");
  sub.Attr("T", DT_FLOAT);
  out = sub.Run({tensor, indices, updates});
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_EQ(
      out->at(0),
      Tensor::FromVector<float>({-100, -99, 2, 3, -7, -6}, TensorShape{3, 2}));
}

TEST(TensorScatterMax, KeepsTheLargerValue) {
  KernelHarness max("TensorScatterMax");
  max.Attr("T", DT_INT32);
  auto out = max.Run({Tensor::Vector<int32_t>({5, 5, 5}),
                      Indices({0, 2, 2}, TensorShape{3, 1}),
                      Tensor::Vector<int32_t>({3, 9, 7})});
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_EQ(out->at(0), Tensor::Vector<int32_t>({5, 5, 9}));
  KernelHarness min("TensorScatterMin");
  min.Attr("T", DT_INT32);
  out = min.Run({Tensor::Vector<int32_t>({5, 5, 5}),
                 Indices({0, 2, 2}, TensorShape{3, 1}),
                 Tensor::Vector<int32_t>({3, 9, 7})});
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_EQ(out->at(0), Tensor::Vector<int32_t>({3, 5, 5}));
}

TEST(TensorScatterUpdate, MatchesNaiveReferenceOnRandomIndices) {
  std::mt19937 rng(7);
  const TensorShape shape{6, 5, 4};
  Tensor tensor = Iota(shape);
  std::vector<int32_t> idx;
  std::vector<float> upd;
  std::vector<float> want(tensor.data<float>(),
                          tensor.data<float>() + shape.num_elements());
  for (int i = 0; i < 10; ++i) {
    const int32_t a = rng() % 6, b = rng() % 5;
    idx.push_back(a);
    idx.push_back(b);
    for (int j = 0; j < 4; ++j) {
      const float v = static_cast<float>(rng() % 1000);
      upd.push_back(v);
      want[(a * 5 + b) * 4 + j] += v;
    }
  }
  KernelHarness k("TensorScatterAdd");
  k.Attr("T", DT_FLOAT);
  auto out = k.Run({tensor, Indices(idx, TensorShape{10, 2}),
                    Tensor::FromVector(upd, TensorShape{10, 4})});
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_EQ(out->at(0), Tensor::FromVector(want, shape));
}

TEST(ScatterNdAdd, UpdatesAConstInputFunctionally) {
  // A frozen TF1 graph feeds the ref input from a Const: the result is an
  // updated copy.
  KernelHarness k("ScatterNdAdd");
  k.Attr("T", DT_FLOAT).Attr("Tindices", DT_INT32).Attr("use_locking", false);
  auto out = k.Run({Tensor::Vector<float>({1, 2, 3, 4}),
                    Indices({3, 1}, TensorShape{2, 1}),
                    Tensor::Vector<float>({10, 20})});
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_EQ(out->at(0), Tensor::Vector<float>({1, 22, 3, 14}));
}

TEST(ScatterNdUpdate, ReportsIndicesOutOfRange) {
  KernelHarness k("ScatterNdUpdate");
  k.Attr("T", DT_FLOAT);
  auto out =
      k.Run({Tensor::FromVector<float>({0, 0, 0, 0, 0, 0}, TensorShape{2, 3}),
             Indices({0, 4}, TensorShape{2, 1}),
             Tensor::FromVector<float>({1, 2, 3, 4, 5, 6}, TensorShape{2, 3})});
  ASSERT_FALSE(out.ok());
  EXPECT_THAT(out.status().message(),
              HasSubstr("indices[1] = [4] does not index into shape [2,3]"));
}

}  // namespace
}  // namespace model_server
