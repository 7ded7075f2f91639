#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/runtime/kernels/tensor_list/list_test_helpers.h"
#include "tests/testing/kernel_harness.h"

namespace model_server {
namespace {

using ::testing::HasSubstr;
using namespace list_testing;  // NOLINT: test helpers

const Tensor& ThreeRows() {
  static const Tensor rows =
      Tensor::FromVector<float>({1, 2, 3, 4, 5, 6}, TensorShape{3, 2});
  return rows;
}

TEST(TensorListScatter, PlacesRowsAtIndicesLastOneWinning) {
  KernelHarness k("TensorListScatter");
  k.Attr("element_dtype", DT_FLOAT).Attr("shape_type", DT_INT32);
  auto out =
      k.Run({ThreeRows(), Tensor::Vector<int32_t>({3, 0, 3}), ShapeInput({2})});
  ASSERT_TRUE(out.ok()) << out.status();
  const TensorList* list = ListOf(out->at(0));
  ASSERT_EQ(list->elements.size(), 4u);
  EXPECT_TENSOR_EQ(list->elements[0], Tensor::Vector<float>({3, 4}));
  EXPECT_FALSE(list->elements[1].IsInitialized());
  EXPECT_TENSOR_EQ(list->elements[3], Tensor::Vector<float>({5, 6}));
}

TEST(TensorListScatter, RejectsNegativeIndicesAndRowCountMismatch) {
  KernelHarness k("TensorListScatter");
  k.Attr("element_dtype", DT_FLOAT);
  auto out = k.Run(
      {ThreeRows(), Tensor::Vector<int32_t>({0, -1, 2}), UnknownShapeInput()});
  ASSERT_FALSE(out.ok());
  EXPECT_THAT(out.status().message(),
              HasSubstr("Indices in TensorListScatter must all be "
                        "non-negative."));
  out = k.Run(
      {ThreeRows(), Tensor::Vector<int32_t>({0, 1}), UnknownShapeInput()});
  ASSERT_FALSE(out.ok());
  EXPECT_THAT(out.status().message(),
              HasSubstr("Invalid number of rows in input tensor. Expected: 2 "
                        "Actual: 3"));
  out = k.Run({ThreeRows(), Tensor::Vector<int32_t>({0, 1, 1 << 30}),
               UnknownShapeInput()});
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.status().code(), absl::StatusCode::kResourceExhausted);
}

TEST(TensorListScatterV2, SizesTheListByNumElements) {
  KernelHarness k("TensorListScatterV2");
  k.Attr("element_dtype", DT_FLOAT);
  auto out = k.Run({ThreeRows(), Tensor::Vector<int32_t>({0, 1, 2}),
                    UnknownShapeInput(), Tensor::Scalar<int32_t>(5)});
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_EQ(ListOf(out->at(0))->elements.size(), 5u);
  out = k.Run({ThreeRows(), Tensor::Vector<int32_t>({0, 1, 2}),
               UnknownShapeInput(), Tensor::Scalar<int32_t>(2)});
  ASSERT_FALSE(out.ok());
  EXPECT_THAT(out.status().message(),
              HasSubstr("TensorListScatter: Trying to scatter at index 2 in "
                        "list with size 2"));
  out = k.Run({ThreeRows(), Tensor::Vector<int32_t>({0, 1, 2}),
               UnknownShapeInput(), Tensor::Scalar<int32_t>(-2)});
  ASSERT_FALSE(out.ok());
  EXPECT_THAT(out.status().message(),
              HasSubstr("TensorListScatter expects num_elements >= -1, "
                        "found: -2"));
  out = k.Run({Tensor::FromVector<float>({}, TensorShape{0, 2}),
               Tensor::Vector<int32_t>({}), ShapeInput({2}),
               Tensor::Scalar<int32_t>(-1)});
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TRUE(ListOf(out->at(0))->elements.empty());
}

TEST(TensorListScatterIntoExistingList, OverwritesAndGrows) {
  KernelHarness k("TensorListScatterIntoExistingList");
  k.Attr("element_dtype", DT_FLOAT);
  Tensor list = ListHandle(DT_FLOAT, Shape({2}),
                           {Tensor::Vector<float>({9, 9}), Tensor()});
  auto out = k.Run({list, ThreeRows(), Tensor::Vector<int32_t>({1, 4, 0})});
  ASSERT_TRUE(out.ok()) << out.status();
  const TensorList* result = ListOf(out->at(0));
  ASSERT_EQ(result->elements.size(), 5u);
  EXPECT_TENSOR_EQ(result->elements[0], Tensor::Vector<float>({5, 6}));
  EXPECT_TENSOR_EQ(result->elements[1], Tensor::Vector<float>({1, 2}));
  EXPECT_FALSE(result->elements[2].IsInitialized());
  EXPECT_TENSOR_EQ(result->elements[4], Tensor::Vector<float>({3, 4}));
  EXPECT_EQ(ListOf(list)->elements.size(), 2u);
  out = k.Run({list, Tensor::FromVector<float>({1, 2, 3}, TensorShape{1, 3}),
               Tensor::Vector<int32_t>({0})});
  ASSERT_FALSE(out.ok());
  EXPECT_THAT(out.status().message(),
              HasSubstr("Specified a list with shape [2] from a tensor with "
                        "shape [3]"));
}

}  // namespace
}  // namespace model_server
