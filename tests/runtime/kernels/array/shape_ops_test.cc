#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/testing/kernel_harness.h"

namespace model_server {
namespace {

using ::testing::HasSubstr;

Tensor Iota(const TensorShape& shape) {
  std::vector<float> v(shape.num_elements());
  for (size_t i = 0; i < v.size(); ++i) v[i] = static_cast<float>(i);
  return Tensor::FromVector(v, shape);
}

TEST(Shape, ReturnsDimsAsInt32ByDefault) {
  KernelHarness k("Shape");
  k.Attr("T", DT_FLOAT);
  auto out = k.Run({Iota(TensorShape{2, 3, 1})});
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_EQ(out->at(0), Tensor::Vector<int32_t>({2, 3, 1}));
}

TEST(Shape, OutTypeInt64AndScalarInput) {
  KernelHarness k("Shape");
  k.Attr("T", DT_STRING).Attr("out_type", DT_INT64);
  auto out = k.Run({Tensor::Scalar<std::string>("x")});
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_EQ(out->at(0), Tensor::Vector<int64_t>({}));
}

TEST(Shape, RejectsFloatOutType) {
  KernelHarness k("Shape");
  k.Attr("T", DT_FLOAT).Attr("out_type", DT_FLOAT);
  auto out = k.Run({Tensor::Scalar(1.f)});
  ASSERT_FALSE(out.ok());
}

TEST(ShapeN, ReturnsOneShapePerInput) {
  KernelHarness k("ShapeN");
  k.Attr("T", DT_FLOAT).Attr("N", 2);
  auto out = k.Run({Iota(TensorShape{4}), Iota(TensorShape{1, 2})});
  ASSERT_TRUE(out.ok()) << out.status();
  ASSERT_EQ(out->size(), 2u);
  EXPECT_TENSOR_EQ(out->at(0), Tensor::Vector<int32_t>({4}));
  EXPECT_TENSOR_EQ(out->at(1), Tensor::Vector<int32_t>({1, 2}));
}

TEST(Size, CountsElements) {
  KernelHarness k("Size");
  k.Attr("T", DT_FLOAT);
  auto out = k.Run({Iota(TensorShape{2, 5})});
  ASSERT_TRUE(out.ok());
  EXPECT_TENSOR_EQ(out->at(0), Tensor::Scalar<int32_t>(10));
  KernelHarness k64("Size");
  k64.Attr("T", DT_FLOAT).Attr("out_type", DT_INT64);
  out = k64.Run({Iota(TensorShape{0, 5})});
  ASSERT_TRUE(out.ok());
  EXPECT_TENSOR_EQ(out->at(0), Tensor::Scalar<int64_t>(0));
}

TEST(Rank, CountsDimensions) {
  KernelHarness k("Rank");
  k.Attr("T", DT_FLOAT);
  auto out = k.Run({Iota(TensorShape{2, 1, 3})});
  ASSERT_TRUE(out.ok());
  EXPECT_TENSOR_EQ(out->at(0), Tensor::Scalar<int32_t>(3));
}

absl::StatusOr<Tensor> Reshape(const Tensor& in, std::vector<int64_t> shape) {
  KernelHarness k("Reshape");
  k.Attr("T", in.dtype()).Attr("Tshape", DT_INT64);
  auto out = k.Run({in, Tensor::Vector<int64_t>(std::move(shape))});
  if (!out.ok()) return out.status();
  return out->at(0);
}

TEST(Reshape, SharesTheBufferWithNewShape) {
  Tensor in = Iota(TensorShape{2, 3});
  auto out = Reshape(in, {3, 2});
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_EQ(out->shape(), (TensorShape{3, 2}));
  EXPECT_TRUE(out->SharesBufferWith(in));
}

TEST(Reshape, InfersOneMinusOneDimension) {
  auto out = Reshape(Iota(TensorShape{2, 3, 4}), {-1, 4});
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_EQ(out->shape(), (TensorShape{6, 4}));
  KernelHarness k("Reshape");
  k.Attr("T", DT_FLOAT);
  auto out32 = k.Run({Iota(TensorShape{6}), Tensor::Vector<int32_t>({3, -1})});
  ASSERT_TRUE(out32.ok()) << out32.status();
  EXPECT_EQ(out32->at(0).shape(), (TensorShape{3, 2}));
}

TEST(Reshape, InfersWithZeroSizedDimensions) {
  auto out = Reshape(Iota(TensorShape{0, 4}), {0, -1});
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_EQ(out->shape(), (TensorShape{0, 4}));
}

TEST(Reshape, ToScalarAndFromScalar) {
  auto out = Reshape(Iota(TensorShape{1, 1}), {});
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_EQ(out->shape(), TensorShape());
  out = Reshape(Tensor::Scalar(2.f), {1, 1, -1});
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_EQ(out->shape(), (TensorShape{1, 1, 1}));
}

TEST(Reshape, RejectsWrongElementCount) {
  auto out = Reshape(Iota(TensorShape{2, 3}), {4, 2});
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(out.status().message(),
              HasSubstr("Input to reshape is a tensor with 6 values, but the "
                        "requested shape has 8"));
}

TEST(Reshape, RejectsIndivisibleInference) {
  auto out = Reshape(Iota(TensorShape{7}), {2, -1});
  ASSERT_FALSE(out.ok());
  EXPECT_THAT(out.status().message(),
              HasSubstr("Input to reshape is a tensor with 7 values, but the "
                        "requested shape requires a multiple of 2"));
}

TEST(Reshape, RejectsTwoUnknownsAndNegativeSizes) {
  auto out = Reshape(Iota(TensorShape{4}), {-1, -1});
  ASSERT_FALSE(out.ok());
  EXPECT_THAT(out.status().message(),
              HasSubstr("Only one input size may be -1, not both 0 and 1"));
  out = Reshape(Iota(TensorShape{4}), {-2, 2});
  ASSERT_FALSE(out.ok());
  EXPECT_THAT(out.status().message(),
              HasSubstr("Size 0 must be non-negative, not -2"));
}

TEST(Reshape, RejectsHugeShapesWithoutOverflow) {
  auto out =
      Reshape(Iota(TensorShape{4}), {int64_t{1} << 40, int64_t{1} << 40});
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.status().code(), absl::StatusCode::kInvalidArgument);
}

TEST(Reshape, RejectsMatrixShapeInput) {
  KernelHarness k("Reshape");
  k.Attr("T", DT_FLOAT);
  auto out = k.Run({Iota(TensorShape{4}),
                    Tensor::FromVector<int32_t>({2, 2}, TensorShape{1, 2})});
  ASSERT_FALSE(out.ok());
  EXPECT_THAT(out.status().message(), HasSubstr("sizes input must be 1-D"));
}

TEST(Reshape, ReshapesStrings) {
  Tensor in = Tensor::Vector<std::string>({"a", "b", "c", "d"});
  auto out = Reshape(in, {2, 2});
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_EQ(*out, Tensor::FromVector<std::string>({"a", "b", "c", "d"},
                                                         TensorShape{2, 2}));
}

absl::StatusOr<Tensor> ExpandDims(const Tensor& in, int32_t dim) {
  KernelHarness k("ExpandDims");
  k.Attr("T", in.dtype());
  auto out = k.Run({in, Tensor::Scalar<int32_t>(dim)});
  if (!out.ok()) return out.status();
  return out->at(0);
}

TEST(ExpandDims, InsertsDimensionIncludingNegativeAxes) {
  Tensor in = Iota(TensorShape{2, 3});
  EXPECT_EQ(ExpandDims(in, 0)->shape(), (TensorShape{1, 2, 3}));
  EXPECT_EQ(ExpandDims(in, 2)->shape(), (TensorShape{2, 3, 1}));
  EXPECT_EQ(ExpandDims(in, -1)->shape(), (TensorShape{2, 3, 1}));
  EXPECT_EQ(ExpandDims(in, -3)->shape(), (TensorShape{1, 2, 3}));
  EXPECT_EQ(ExpandDims(Tensor::Scalar(1.f), 0)->shape(), (TensorShape{1}));
}

TEST(ExpandDims, RejectsOutOfRangeDim) {
  auto out = ExpandDims(Iota(TensorShape{2, 3}), 3);
  ASSERT_FALSE(out.ok());
  EXPECT_THAT(out.status().message(),
              HasSubstr("Tried to expand dim index 3 for tensor with 2 "
                        "dimensions."));
  EXPECT_FALSE(ExpandDims(Iota(TensorShape{2, 3}), -4).ok());
  KernelHarness k("ExpandDims");
  k.Attr("T", DT_FLOAT);
  auto two = k.Run({Iota(TensorShape{2}), Tensor::Vector<int32_t>({0, 1})});
  ASSERT_FALSE(two.ok());
  EXPECT_THAT(two.status().message(), HasSubstr("single value"));
}

absl::StatusOr<Tensor> Squeeze(const Tensor& in, std::vector<int64_t> dims) {
  KernelHarness k("Squeeze");
  k.Attr("T", in.dtype());
  if (!dims.empty()) k.Attr("squeeze_dims", dims);
  auto out = k.Run({in});
  if (!out.ok()) return out.status();
  return out->at(0);
}

TEST(Squeeze, RemovesAllUnitDimensionsByDefault) {
  auto out = Squeeze(Iota(TensorShape{1, 2, 1, 3, 1}), {});
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_EQ(out->shape(), (TensorShape{2, 3}));
}

TEST(Squeeze, RemovesListedDimensionsIncludingNegative) {
  auto out = Squeeze(Iota(TensorShape{1, 2, 1, 3, 1}), {0, -1});
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_EQ(out->shape(), (TensorShape{2, 1, 3}));
}

TEST(Squeeze, RejectsNonUnitAndOutOfRangeDimensions) {
  auto out = Squeeze(Iota(TensorShape{1, 2}), {1});
  ASSERT_FALSE(out.ok());
  EXPECT_THAT(out.status().message(),
              HasSubstr("Can not squeeze dim[1], expected a dimension of 1, "
                        "got 2"));
  out = Squeeze(Iota(TensorShape{1, 2}), {2});
  ASSERT_FALSE(out.ok());
  EXPECT_THAT(out.status().message(),
              HasSubstr("Tried to squeeze dim index 2 for tensor with 2 "
                        "dimensions."));
}

}  // namespace
}  // namespace model_server
