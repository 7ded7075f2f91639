#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/runtime/kernels/tensor_list/list_test_helpers.h"
#include "tests/testing/kernel_harness.h"

namespace model_server {
namespace {

using ::testing::HasSubstr;
using namespace list_testing;  // NOLINT: test helpers

TEST(EmptyTensorList, MakesAnEmptyListWithShapeAndLimit) {
  KernelHarness k("EmptyTensorList");
  k.Attr("element_dtype", DT_FLOAT).Attr("shape_type", DT_INT32);
  auto out = k.Run({ShapeInput({-1, 3}), Tensor::Scalar<int32_t>(2)});
  ASSERT_TRUE(out.ok()) << out.status();
  const TensorList* list = ListOf(out->at(0));
  ASSERT_NE(list, nullptr);
  EXPECT_EQ(list->element_dtype, DT_FLOAT);
  EXPECT_EQ(list->element_shape.DebugString(), "[?,3]");
  EXPECT_EQ(list->max_num_elements, 2);
  EXPECT_TRUE(list->elements.empty());
}

TEST(EmptyTensorList, RejectsNonScalarMaxAndBadShapes) {
  KernelHarness k("EmptyTensorList");
  k.Attr("element_dtype", DT_FLOAT);
  auto out = k.Run({ShapeInput({2}), Tensor::Vector<int32_t>({1, 2})});
  ASSERT_FALSE(out.ok());
  EXPECT_THAT(out.status().message(),
              HasSubstr("max_num_elements expected to be a scalar but got "
                        "shape: [2]"));
  out = k.Run({Tensor::Scalar<int32_t>(3), Tensor::Scalar<int32_t>(-1)});
  ASSERT_FALSE(out.ok());
  EXPECT_THAT(out.status().message(),
              HasSubstr("The only valid scalar shape tensor is the fully "
                        "unknown shape specified as -1."));
  out = k.Run({ShapeInput({2, -7}), Tensor::Scalar<int32_t>(-1)});
  ASSERT_FALSE(out.ok());
  EXPECT_THAT(out.status().message(), HasSubstr("Dimension -7 must be >= -1"));
  out = k.Run({Tensor::Vector<float>({2}), Tensor::Scalar<int32_t>(-1)});
  ASSERT_FALSE(out.ok());
  EXPECT_THAT(
      out.status().message(),
      HasSubstr("Expected an int32 or int64 shape tensor; found float"));
}

TEST(TensorListReserve, MakesUnsetElements) {
  KernelHarness k("TensorListReserve");
  k.Attr("element_dtype", DT_INT64).Attr("shape_type", DT_INT64);
  auto out = k.Run({Tensor::Vector<int64_t>({2}), Tensor::Scalar<int32_t>(3)});
  ASSERT_TRUE(out.ok()) << out.status();
  const TensorList* list = ListOf(out->at(0));
  ASSERT_NE(list, nullptr);
  EXPECT_EQ(list->element_dtype, DT_INT64);
  EXPECT_EQ(list->element_shape.DebugString(), "[2]");
  ASSERT_EQ(list->elements.size(), 3u);
  for (const Tensor& element : list->elements) {
    EXPECT_FALSE(element.IsInitialized());
  }
  out = k.Run({UnknownShapeInput(), Tensor::Scalar<int32_t>(0)});
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_EQ(ListOf(out->at(0))->element_shape.DebugString(), "<unknown>");
  EXPECT_TRUE(ListOf(out->at(0))->elements.empty());
}

TEST(TensorListReserve, RejectsNegativeHugeAndNonScalarCounts) {
  KernelHarness k("TensorListReserve");
  k.Attr("element_dtype", DT_FLOAT);
  auto out = k.Run({UnknownShapeInput(), Tensor::Scalar<int32_t>(-1)});
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(out.status().message(),
              HasSubstr("The num_elements to reserve must be a non negative "
                        "number, but got -1"));
  out = k.Run({UnknownShapeInput(), Tensor::Vector<int32_t>({1, 2})});
  ASSERT_FALSE(out.ok());
  EXPECT_THAT(out.status().message(),
              HasSubstr("must be a tensor size 1, but got [2]"));
  out = k.Run({UnknownShapeInput(), Tensor::Scalar<int64_t>(int64_t{1} << 40)});
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.status().code(), absl::StatusCode::kResourceExhausted);
}

TEST(TensorListFromTensor, MakesOneElementPerRow) {
  KernelHarness k("TensorListFromTensor");
  k.Attr("element_dtype", DT_FLOAT).Attr("shape_type", DT_INT32);
  Tensor rows =
      Tensor::FromVector<float>({1, 2, 3, 4, 5, 6}, TensorShape{3, 2});
  auto out = k.Run({rows, ShapeInput({-1})});
  ASSERT_TRUE(out.ok()) << out.status();
  const TensorList* list = ListOf(out->at(0));
  ASSERT_NE(list, nullptr);
  EXPECT_EQ(list->element_shape.DebugString(), "[?]");
  ASSERT_EQ(list->elements.size(), 3u);
  EXPECT_TENSOR_EQ(list->elements[0], Tensor::Vector<float>({1, 2}));
  EXPECT_TENSOR_EQ(list->elements[2], Tensor::Vector<float>({5, 6}));
}

TEST(TensorListFromTensor, WorksForStringsAndEmptyTensors) {
  KernelHarness k("TensorListFromTensor");
  k.Attr("element_dtype", DT_STRING);
  auto out =
      k.Run({Tensor::Vector<std::string>({"a", "bc"}), UnknownShapeInput()});
  ASSERT_TRUE(out.ok()) << out.status();
  const TensorList* list = ListOf(out->at(0));
  ASSERT_EQ(list->elements.size(), 2u);
  EXPECT_TENSOR_EQ(list->elements[1], Tensor::Scalar<std::string>("bc"));

  KernelHarness empty("TensorListFromTensor");
  empty.Attr("element_dtype", DT_FLOAT);
  out = empty.Run(
      {Tensor::FromVector<float>({}, TensorShape{0, 4}), ShapeInput({4})});
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TRUE(ListOf(out->at(0))->elements.empty());
  out = empty.Run(
      {Tensor::FromVector<float>({}, TensorShape{3, 0}), ShapeInput({0})});
  ASSERT_TRUE(out.ok()) << out.status();
  ASSERT_EQ(ListOf(out->at(0))->elements.size(), 3u);
  EXPECT_EQ(ListOf(out->at(0))->elements[2].shape(), TensorShape{0});
}

TEST(TensorListFromTensor, RejectsScalarsAndIncompatibleShapes) {
  KernelHarness k("TensorListFromTensor");
  k.Attr("element_dtype", DT_FLOAT);
  auto out = k.Run({Tensor::Scalar(1.0f), UnknownShapeInput()});
  ASSERT_FALSE(out.ok());
  EXPECT_THAT(out.status().message(),
              HasSubstr("Tensor must be at least a vector, but saw shape: []"));
  out = k.Run({Tensor::FromVector<float>({1, 2, 3, 4}, TensorShape{2, 2}),
               ShapeInput({3})});
  ASSERT_FALSE(out.ok());
  EXPECT_THAT(out.status().message(),
              HasSubstr("Specified a list with shape [3] from a tensor with "
                        "shape [2]"));
  out = k.Run({Tensor::Vector<int32_t>({1, 2}), UnknownShapeInput()});
  ASSERT_FALSE(out.ok());
  EXPECT_THAT(out.status().message(),
              HasSubstr("expected input of type float, got int32"));
}

TEST(TensorListSplit, SplitsRowBlocksByLength) {
  KernelHarness k("TensorListSplit");
  k.Attr("element_dtype", DT_INT32).Attr("shape_type", DT_INT32);
  Tensor t = Tensor::FromVector<int32_t>({1, 2, 3, 4, 5, 6}, TensorShape{3, 2});
  auto out =
      k.Run({t, ShapeInput({-1, 2}), Tensor::Vector<int64_t>({1, 0, 2})});
  ASSERT_TRUE(out.ok()) << out.status();
  const TensorList* list = ListOf(out->at(0));
  ASSERT_EQ(list->elements.size(), 3u);
  EXPECT_TENSOR_EQ(list->elements[0],
                   Tensor::FromVector<int32_t>({1, 2}, TensorShape{1, 2}));
  EXPECT_EQ(list->elements[1].shape(), (TensorShape{0, 2}));
  EXPECT_TENSOR_EQ(list->elements[2], Tensor::FromVector<int32_t>(
                                          {3, 4, 5, 6}, TensorShape{2, 2}));
}

TEST(TensorListSplit, RejectsLengthsThatDoNotCoverTheTensor) {
  KernelHarness k("TensorListSplit");
  k.Attr("element_dtype", DT_FLOAT);
  Tensor t = Tensor::Vector<float>({1, 2, 3});
  auto out = k.Run({t, UnknownShapeInput(), Tensor::Vector<int64_t>({1, 1})});
  ASSERT_FALSE(out.ok());
  EXPECT_THAT(out.status().message(),
              HasSubstr("Unused values in tensor. Length of tensor: 3 Values "
                        "used: 2"));
  out = k.Run({t, UnknownShapeInput(), Tensor::Vector<int64_t>({2, 2})});
  ASSERT_FALSE(out.ok());
  EXPECT_THAT(
      out.status().message(),
      HasSubstr("Attempting to slice [2, 4] from tensor with length 3"));
  out = k.Run({t, UnknownShapeInput(), Tensor::Vector<int64_t>({4, -1})});
  ASSERT_FALSE(out.ok());
  out = k.Run({t, UnknownShapeInput(), Tensor::Vector<int64_t>({-1, 4})});
  ASSERT_FALSE(out.ok());
  EXPECT_THAT(out.status().message(),
              HasSubstr("Invalid value in lengths: -1"));
  out = k.Run({t, ShapeInput({}), Tensor::Vector<int64_t>({3})});
  ASSERT_FALSE(out.ok());
  EXPECT_THAT(out.status().message(),
              HasSubstr("requires element_shape to be at least of rank 1"));
  out = k.Run({t, UnknownShapeInput(), Tensor::Scalar<int64_t>(3)});
  ASSERT_FALSE(out.ok());
  EXPECT_THAT(out.status().message(),
              HasSubstr("Expected lengths to be a vector"));
}

}  // namespace
}  // namespace model_server
