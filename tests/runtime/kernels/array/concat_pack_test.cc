#include <random>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/testing/kernel_harness.h"

namespace model_server {
namespace {

using ::testing::HasSubstr;

Tensor Iota(const TensorShape& shape, float start = 0) {
  std::vector<float> v(shape.num_elements());
  for (size_t i = 0; i < v.size(); ++i) v[i] = start + static_cast<float>(i);
  return Tensor::FromVector(v, shape);
}

// Naive reference: element at multi-index `idx` of a row-major tensor.
float At(const Tensor& t, const std::vector<int64_t>& idx) {
  int64_t flat = 0;
  for (int d = 0; d < t.rank(); ++d) flat = flat * t.dim(d) + idx[d];
  return t.data<float>()[flat];
}

// Naive concat along `axis`, for comparing with the kernel.
Tensor NaiveConcat(const std::vector<Tensor>& inputs, int axis) {
  TensorShape shape = inputs[0].shape();
  int64_t total = 0;
  for (const Tensor& t : inputs) total += t.dim(axis);
  EXPECT_TRUE(shape.SetDim(axis, total).ok());
  std::vector<float> out(shape.num_elements());
  std::vector<int64_t> idx(shape.rank(), 0);
  for (int64_t flat = 0; flat < shape.num_elements(); ++flat) {
    int64_t rest = flat;
    for (int d = shape.rank() - 1; d >= 0; --d) {
      idx[d] = rest % shape.dim(d);
      rest /= shape.dim(d);
    }
    int64_t a = idx[axis];
    size_t k = 0;
    while (a >= inputs[k].dim(axis)) a -= inputs[k++].dim(axis);
    std::vector<int64_t> in_idx = idx;
    in_idx[axis] = a;
    out[flat] = At(inputs[k], in_idx);
  }
  return Tensor::FromVector(out, shape);
}

absl::StatusOr<Tensor> ConcatV2(const std::vector<Tensor>& values,
                                int64_t axis) {
  KernelHarness k("ConcatV2");
  k.Attr("T", values[0].dtype())
      .Attr("N", static_cast<int64_t>(values.size()))
      .Attr("Tidx", DT_INT64);
  std::vector<Tensor> inputs = values;
  inputs.push_back(Tensor::Scalar<int64_t>(axis));
  auto out = k.Run(inputs);
  if (!out.ok()) return out.status();
  return out->at(0);
}

TEST(ConcatV2, MatchesNaiveConcatOnEveryAxis) {
  std::vector<Tensor> inputs = {Iota(TensorShape{2, 3, 4}, 0),
                                Iota(TensorShape{2, 3, 4}, 100)};
  for (int axis = 0; axis < 3; ++axis) {
    auto out = ConcatV2(inputs, axis);
    ASSERT_TRUE(out.ok()) << out.status();
    EXPECT_TENSOR_EQ(*out, NaiveConcat(inputs, axis));
  }
}

TEST(ConcatV2, DifferentSizesAlongAxisAndNegativeAxis) {
  std::vector<Tensor> inputs = {Iota(TensorShape{2, 1}, 0),
                                Iota(TensorShape{2, 3}, 10),
                                Iota(TensorShape{2, 0}, 50)};
  auto out = ConcatV2(inputs, -1);
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_EQ(*out,
                   Tensor::FromVector<float>({0, 10, 11, 12, 1, 13, 14, 15},
                                             TensorShape{2, 4}));
}

TEST(ConcatV2, LargeInputsMatchNaive) {
  std::vector<Tensor> inputs = {Iota(TensorShape{300, 70}, 0),
                                Iota(TensorShape{300, 90}, 1e6f)};
  auto out = ConcatV2(inputs, 1);
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_EQ(*out, NaiveConcat(inputs, 1));
}

TEST(ConcatV2, ConcatenatesStrings) {
  auto out = ConcatV2({Tensor::Vector<std::string>({"a"}),
                       Tensor::Vector<std::string>({"b", "c"})},
                      0);
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_EQ(*out, Tensor::Vector<std::string>({"a", "b", "c"}));
}

TEST(ConcatV2, RejectsMismatchedShapes) {
  auto out = ConcatV2({Iota(TensorShape{2, 3}), Iota(TensorShape{3, 3})}, 1);
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(out.status().message(),
              HasSubstr("ConcatOp : Dimension 0 in both shapes must be equal: "
                        "shape[0] = [2,3] vs. shape[1] = [3,3]"));
  out = ConcatV2({Iota(TensorShape{2, 3}), Iota(TensorShape{6})}, 0);
  ASSERT_FALSE(out.ok());
  EXPECT_THAT(out.status().message(),
              HasSubstr("Ranks of all input tensors should match"));
}

TEST(ConcatV2, RejectsOutOfRangeAxis) {
  auto out = ConcatV2({Iota(TensorShape{2}), Iota(TensorShape{2})}, 1);
  ASSERT_FALSE(out.ok());
  EXPECT_THAT(out.status().message(),
              HasSubstr("ConcatOp : Expected concatenating dimensions in the "
                        "range [-1, 1), but got 1"));
  out = ConcatV2({Tensor::Scalar(1.f), Tensor::Scalar(2.f)}, 0);
  EXPECT_FALSE(out.ok());
}

TEST(ConcatV2, RejectsNonScalarAxis) {
  KernelHarness k("ConcatV2");
  k.Attr("T", DT_FLOAT).Attr("N", 2);
  auto out = k.Run({Iota(TensorShape{2}), Iota(TensorShape{2}),
                    Tensor::Vector<int32_t>({0, 0})});
  ASSERT_FALSE(out.ok());
  EXPECT_THAT(out.status().message(),
              HasSubstr("axis tensor should be a scalar integer"));
}

TEST(ConcatV2, RejectsInputCountDifferentFromN) {
  KernelHarness k("ConcatV2");
  k.Attr("T", DT_FLOAT).Attr("N", 3);
  EXPECT_FALSE(
      k.Run({Iota(TensorShape{2}), Iota(TensorShape{2}), Tensor::Scalar(0)})
          .ok());
}

TEST(Concat, TakesTheAxisFirst) {
  KernelHarness k("Concat");
  k.Attr("T", DT_FLOAT).Attr("N", 2);
  auto out = k.Run({Tensor::Scalar<int32_t>(0), Iota(TensorShape{1, 2}, 0),
                    Iota(TensorShape{1, 2}, 5)});
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_EQ(out->at(0),
                   Tensor::FromVector<float>({0, 1, 5, 6}, TensorShape{2, 2}));
}

absl::StatusOr<Tensor> Pack(const std::vector<Tensor>& values, int64_t axis) {
  KernelHarness k("Pack");
  k.Attr("T", values[0].dtype())
      .Attr("N", static_cast<int64_t>(values.size()))
      .Attr("axis", axis);
  auto out = k.Run(values);
  if (!out.ok()) return out.status();
  return out->at(0);
}

TEST(Pack, StacksAlongNewAxis) {
  Tensor a = Tensor::Vector<float>({1, 2});
  Tensor b = Tensor::Vector<float>({3, 4});
  auto out = Pack({a, b}, 0);
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_EQ(*out,
                   Tensor::FromVector<float>({1, 2, 3, 4}, TensorShape{2, 2}));
  out = Pack({a, b}, 1);
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_EQ(*out,
                   Tensor::FromVector<float>({1, 3, 2, 4}, TensorShape{2, 2}));
  out = Pack({a, b}, -1);
  ASSERT_TRUE(out.ok());
  EXPECT_EQ(out->shape(), (TensorShape{2, 2}));
}

TEST(Pack, StacksScalars) {
  auto out = Pack({Tensor::Scalar<int32_t>(7), Tensor::Scalar<int32_t>(8),
                   Tensor::Scalar<int32_t>(9)},
                  0);
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_EQ(*out, Tensor::Vector<int32_t>({7, 8, 9}));
}

TEST(Pack, RejectsShapeMismatchAndBadAxis) {
  auto out =
      Pack({Tensor::Vector<float>({1, 2}), Tensor::Vector<float>({1})}, 0);
  ASSERT_FALSE(out.ok());
  EXPECT_THAT(out.status().message(),
              HasSubstr("Shapes of all inputs must match: values[0].shape = "
                        "[2] != values[1].shape = [1]"));
  out = Pack({Tensor::Vector<float>({1}), Tensor::Vector<float>({2})}, 2);
  ASSERT_FALSE(out.ok());
  EXPECT_THAT(out.status().message(), HasSubstr("axis = 2 not in [-2, 2)"));
}

TEST(Unpack, SplitsAlongAxisAndDropsIt) {
  KernelHarness k("Unpack");
  k.Attr("T", DT_FLOAT).Attr("num", 3).Attr("axis", 1);
  auto out = k.Run({Iota(TensorShape{2, 3})});
  ASSERT_TRUE(out.ok()) << out.status();
  ASSERT_EQ(out->size(), 3u);
  EXPECT_TENSOR_EQ(out->at(0), Tensor::Vector<float>({0, 3}));
  EXPECT_TENSOR_EQ(out->at(1), Tensor::Vector<float>({1, 4}));
  EXPECT_TENSOR_EQ(out->at(2), Tensor::Vector<float>({2, 5}));
}

TEST(Unpack, RejectsNumDifferentFromDimension) {
  KernelHarness k("Unpack");
  k.Attr("T", DT_FLOAT).Attr("num", 2);
  auto out = k.Run({Iota(TensorShape{3})});
  ASSERT_FALSE(out.ok());
  EXPECT_THAT(out.status().message(),
              HasSubstr("Input shape axis 0 must equal 2, got shape [3]"));
  KernelHarness scalar("Unpack");
  scalar.Attr("T", DT_FLOAT).Attr("num", 1);
  EXPECT_FALSE(scalar.Run({Tensor::Scalar(1.f)}).ok());
}

TEST(Split, SplitsEvenly) {
  KernelHarness k("Split");
  k.Attr("T", DT_FLOAT).Attr("num_split", 2);
  auto out = k.Run({Tensor::Scalar<int32_t>(-1), Iota(TensorShape{2, 4})});
  ASSERT_TRUE(out.ok()) << out.status();
  ASSERT_EQ(out->size(), 2u);
  EXPECT_TENSOR_EQ(out->at(0),
                   Tensor::FromVector<float>({0, 1, 4, 5}, TensorShape{2, 2}));
  EXPECT_TENSOR_EQ(out->at(1),
                   Tensor::FromVector<float>({2, 3, 6, 7}, TensorShape{2, 2}));
}

TEST(Split, RoundTripsWithConcatOnLargeInput) {
  Tensor in = Iota(TensorShape{64, 40, 30});
  KernelHarness k("Split");
  k.Attr("T", DT_FLOAT).Attr("num_split", 4);
  auto out = k.Run({Tensor::Scalar<int32_t>(1), in});
  ASSERT_TRUE(out.ok()) << out.status();
  auto joined = ConcatV2(*out, 1);
  ASSERT_TRUE(joined.ok()) << joined.status();
  EXPECT_TENSOR_EQ(*joined, in);
}

TEST(Split, RejectsUnevenSplitAndBadAxis) {
  KernelHarness k("Split");
  k.Attr("T", DT_FLOAT).Attr("num_split", 3);
  auto out = k.Run({Tensor::Scalar<int32_t>(0), Iota(TensorShape{4})});
  ASSERT_FALSE(out.ok());
  EXPECT_THAT(out.status().message(),
              HasSubstr("Number of ways to split should evenly divide the "
                        "split dimension, but got split_dim 0 (size = 4) and "
                        "num_split 3"));
  out = k.Run({Tensor::Scalar<int32_t>(1), Iota(TensorShape{3})});
  ASSERT_FALSE(out.ok());
  EXPECT_THAT(out.status().message(),
              HasSubstr("-input rank(-1) <= split_dim < input rank (1), but "
                        "got 1"));
}

TEST(SplitV, SplitsBySizesWithOneInferred) {
  KernelHarness k("SplitV");
  k.Attr("T", DT_FLOAT).Attr("num_split", 3).Attr("Tlen", DT_INT64);
  auto out = k.Run({Iota(TensorShape{6}), Tensor::Vector<int64_t>({1, -1, 2}),
                    Tensor::Scalar<int32_t>(0)});
  ASSERT_TRUE(out.ok()) << out.status();
  ASSERT_EQ(out->size(), 3u);
  EXPECT_TENSOR_EQ(out->at(0), Tensor::Vector<float>({0}));
  EXPECT_TENSOR_EQ(out->at(1), Tensor::Vector<float>({1, 2, 3}));
  EXPECT_TENSOR_EQ(out->at(2), Tensor::Vector<float>({4, 5}));
}

TEST(SplitV, RejectsBadSizes) {
  KernelHarness k("SplitV");
  k.Attr("T", DT_FLOAT).Attr("num_split", 2).Attr("Tlen", DT_INT32);
  auto out = k.Run({Iota(TensorShape{6}), Tensor::Vector<int32_t>({-1, -1}),
                    Tensor::Scalar<int32_t>(0)});
  ASSERT_FALSE(out.ok());
  EXPECT_THAT(out.status().message(),
              HasSubstr("There can only be one -1 in the input."));
  out = k.Run({Iota(TensorShape{6}), Tensor::Vector<int32_t>({2, 2}),
               Tensor::Scalar<int32_t>(0)});
  ASSERT_FALSE(out.ok());
  EXPECT_THAT(out.status().message(), HasSubstr("Determined shape must"));
  out = k.Run({Iota(TensorShape{6}), Tensor::Vector<int32_t>({8, -3}),
               Tensor::Scalar<int32_t>(0)});
  EXPECT_FALSE(out.ok());
  out = k.Run({Iota(TensorShape{6}), Tensor::Vector<int32_t>({6}),
               Tensor::Scalar<int32_t>(0)});
  ASSERT_FALSE(out.ok());
  EXPECT_THAT(out.status().message(), HasSubstr("size of the split_tensor"));
}

TEST(ParallelConcat, StacksValuesOfLeadingDimensionOne) {
  KernelHarness k("ParallelConcat");
  k.Attr("T", DT_FLOAT).Attr("N", 3).ShapeAttr("shape", {3, 2});
  auto out = k.Run({Tensor::FromVector<float>({1, 2}, TensorShape{1, 2}),
                    Tensor::FromVector<float>({3, 4}, TensorShape{1, 2}),
                    Tensor::FromVector<float>({5, 6}, TensorShape{1, 2})});
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_EQ(out->at(0), Tensor::FromVector<float>({1, 2, 3, 4, 5, 6},
                                                         TensorShape{3, 2}));
  KernelHarness e("ParallelConcat");
  e.Attr("T", DT_FLOAT).Attr("N", 2).ShapeAttr("shape", {2, 0});
  out = e.Run({Tensor::FromVector<float>({}, TensorShape{1, 0}),
               Tensor::FromVector<float>({}, TensorShape{1, 0})});
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_EQ(out->at(0).shape(), (TensorShape{2, 0}));
}

TEST(ParallelConcat, RejectsValuesThatDoNotFitTheShape) {
  KernelHarness k("ParallelConcat");
  k.Attr("T", DT_FLOAT).Attr("N", 2).ShapeAttr("shape", {2, 3});
  auto out = k.Run({Tensor::FromVector<float>({1, 2}, TensorShape{1, 2}),
                    Tensor::FromVector<float>({3, 4}, TensorShape{1, 2})});
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.status().code(), absl::StatusCode::kInvalidArgument);
  out =
      k.Run({Tensor::FromVector<float>({1, 2, 3}, TensorShape{1, 3}),
             Tensor::FromVector<float>({1, 2, 3, 4, 5, 6}, TensorShape{2, 3})});
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.status().code(), absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace model_server
