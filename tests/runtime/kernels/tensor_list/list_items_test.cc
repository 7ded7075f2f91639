#include <memory>
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

Tensor ThreeFloatVectors() {
  return ListHandle(
      DT_FLOAT, Shape({2}),
      {Tensor::Vector<float>({1, 2}), Tensor(), Tensor::Vector<float>({5, 6})});
}

TEST(TensorListGetItem, ReadsSetElementsAndZerosForUnsetOnes) {
  KernelHarness k("TensorListGetItem");
  k.Attr("element_dtype", DT_FLOAT);
  auto out = k.Run(
      {ThreeFloatVectors(), Tensor::Scalar<int32_t>(2), UnknownShapeInput()});
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_EQ(out->at(0), Tensor::Vector<float>({5, 6}));
  out = k.Run(
      {ThreeFloatVectors(), Tensor::Scalar<int32_t>(1), UnknownShapeInput()});
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_EQ(out->at(0), Tensor::Vector<float>({0, 0}));
}

TEST(TensorListGetItem, UnsetElementTakesItsShapeFromOpListOrElements) {
  KernelHarness k("TensorListGetItem");
  k.Attr("element_dtype", DT_INT32);
  // Shape from the op's element_shape input.
  Tensor unknown = ListHandle(DT_INT32, UnknownRank(), {Tensor(), Tensor()});
  auto out = k.Run({unknown, Tensor::Scalar<int32_t>(0), ShapeInput({2, 1})});
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_EQ(out->at(0),
                   Tensor::FromVector<int32_t>({0, 0}, TensorShape{2, 1}));
  // Shape from another, set element.
  Tensor partly = ListHandle(DT_INT32, Shape({-1}),
                             {Tensor(), Tensor::Vector<int32_t>({7, 8, 9})});
  out = k.Run({partly, Tensor::Scalar<int32_t>(0), UnknownShapeInput()});
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_EQ(out->at(0), Tensor::Vector<int32_t>({0, 0, 0}));
  // Nowhere to take it from.
  out = k.Run({unknown, Tensor::Scalar<int32_t>(1), ShapeInput({-1})});
  ASSERT_FALSE(out.ok());
  EXPECT_THAT(out.status().message(),
              HasSubstr("Trying to read an uninitialized tensor but "
                        "element_shape is not fully defined: [?] and no list "
                        "element is set."));
}

TEST(TensorListGetItem, RejectsBadIndexDtypeAndHandle) {
  KernelHarness k("TensorListGetItem");
  k.Attr("element_dtype", DT_FLOAT);
  for (int32_t index : {3, -1}) {
    auto out = k.Run({ThreeFloatVectors(), Tensor::Scalar<int32_t>(index),
                      UnknownShapeInput()});
    ASSERT_FALSE(out.ok());
    EXPECT_EQ(out.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_THAT(out.status().message(),
                HasSubstr("Trying to access element " + std::to_string(index) +
                          " in a list with 3 elements."));
  }
  KernelHarness wrong_dtype("TensorListGetItem");
  wrong_dtype.Attr("element_dtype", DT_INT32);
  auto out = wrong_dtype.Run(
      {ThreeFloatVectors(), Tensor::Scalar<int32_t>(0), UnknownShapeInput()});
  ASSERT_FALSE(out.ok());
  EXPECT_THAT(out.status().message(),
              HasSubstr("Invalid data types; op elements int32 but list "
                        "elements float"));
  out = k.Run({Tensor::Scalar<std::shared_ptr<VariantValue>>(
                   std::make_shared<NotAList>()),
               Tensor::Scalar<int32_t>(0), UnknownShapeInput()});
  ASSERT_FALSE(out.ok());
  EXPECT_THAT(out.status().message(),
              HasSubstr("Input handle is not a list. Saw: 'NotAList'"));
  out = k.Run({Tensor::Vector<std::shared_ptr<VariantValue>>({nullptr}),
               Tensor::Scalar<int32_t>(0), UnknownShapeInput()});
  ASSERT_FALSE(out.ok());
  EXPECT_THAT(out.status().message(),
              HasSubstr("Input list must be a scalar saw: [1]"));
}

TEST(TensorListSetItem, ReplacesOneElementAndLeavesTheInputListAlone) {
  KernelHarness k("TensorListSetItem");
  k.Attr("element_dtype", DT_FLOAT);
  Tensor input = ThreeFloatVectors();
  auto out =
      k.Run({input, Tensor::Scalar<int32_t>(1), Tensor::Vector<float>({3, 4})});
  ASSERT_TRUE(out.ok()) << out.status();
  const TensorList* list = ListOf(out->at(0));
  ASSERT_EQ(list->elements.size(), 3u);
  EXPECT_TENSOR_EQ(list->elements[1], Tensor::Vector<float>({3, 4}));
  EXPECT_TENSOR_EQ(list->elements[0], Tensor::Vector<float>({1, 2}));
  EXPECT_FALSE(ListOf(input)->elements[1].IsInitialized());
}

TEST(TensorListSetItem, RejectsOutOfRangeIncompatibleAndWrongDtype) {
  KernelHarness k("TensorListSetItem");
  k.Attr("element_dtype", DT_FLOAT);
  auto out = k.Run({ThreeFloatVectors(), Tensor::Scalar<int32_t>(3),
                    Tensor::Vector<float>({3, 4})});
  ASSERT_FALSE(out.ok());
  EXPECT_THAT(out.status().message(),
              HasSubstr("Trying to modify element 3 in a list with 3 "
                        "elements."));
  out = k.Run({ThreeFloatVectors(), Tensor::Scalar<int32_t>(-2),
               Tensor::Vector<float>({3, 4})});
  ASSERT_FALSE(out.ok());
  out = k.Run({ThreeFloatVectors(), Tensor::Scalar<int32_t>(0),
               Tensor::Vector<float>({3, 4, 5})});
  ASSERT_FALSE(out.ok());
  EXPECT_THAT(out.status().message(),
              HasSubstr("Tried to set a tensor with incompatible shape at a "
                        "list index. Item element shape: [3] list shape: "
                        "[2]"));
  out = k.Run({ThreeFloatVectors(), Tensor::Scalar<int32_t>(0),
               Tensor::Vector<int32_t>({3, 4})});
  ASSERT_FALSE(out.ok());
}

TEST(TensorListSetItem, GrowsTheListWhenAskedTo) {
  KernelHarness k("TensorListSetItem");
  k.Attr("element_dtype", DT_FLOAT).Attr("resize_if_index_out_of_bounds", true);
  auto out = k.Run({ThreeFloatVectors(), Tensor::Scalar<int32_t>(4),
                    Tensor::Vector<float>({9, 9})});
  ASSERT_TRUE(out.ok()) << out.status();
  const TensorList* list = ListOf(out->at(0));
  ASSERT_EQ(list->elements.size(), 5u);
  EXPECT_FALSE(list->elements[3].IsInitialized());
  EXPECT_TENSOR_EQ(list->elements[4], Tensor::Vector<float>({9, 9}));
  out = k.Run({ThreeFloatVectors(), Tensor::Scalar<int32_t>(2147483647),
               Tensor::Vector<float>({9, 9})});
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.status().code(), absl::StatusCode::kResourceExhausted);
}

TEST(TensorListLength, CountsSetAndUnsetElements) {
  KernelHarness k("TensorListLength");
  auto out = k.Run({ThreeFloatVectors()});
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_EQ(out->at(0), Tensor::Scalar<int32_t>(3));
  out = k.Run({ListHandle(DT_STRING, UnknownRank(), {})});
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_EQ(out->at(0), Tensor::Scalar<int32_t>(0));
}

TEST(TensorListElementShape, GivesKnownPartialAndUnknownShapes) {
  KernelHarness k("TensorListElementShape");
  k.Attr("shape_type", DT_INT64);
  auto out = k.Run({ListHandle(DT_FLOAT, Shape({-1, 3}), {})});
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_EQ(out->at(0), Tensor::Vector<int64_t>({-1, 3}));
  out = k.Run({ListHandle(DT_FLOAT, UnknownRank(), {})});
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_EQ(out->at(0), Tensor::Scalar<int64_t>(-1));
  KernelHarness int32("TensorListElementShape");
  int32.Attr("shape_type", DT_INT32);
  out = int32.Run({ListHandle(DT_FLOAT, Shape({}), {})});
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_EQ(out->at(0), Tensor::Vector<int32_t>({}));
}

TEST(TensorListResize, TruncatesAndGrows) {
  KernelHarness k("TensorListResize");
  auto out = k.Run({ThreeFloatVectors(), Tensor::Scalar<int32_t>(1)});
  ASSERT_TRUE(out.ok()) << out.status();
  ASSERT_EQ(ListOf(out->at(0))->elements.size(), 1u);
  EXPECT_TENSOR_EQ(ListOf(out->at(0))->elements[0],
                   Tensor::Vector<float>({1, 2}));
  out = k.Run({ThreeFloatVectors(), Tensor::Scalar<int32_t>(5)});
  ASSERT_TRUE(out.ok()) << out.status();
  ASSERT_EQ(ListOf(out->at(0))->elements.size(), 5u);
  EXPECT_FALSE(ListOf(out->at(0))->elements[4].IsInitialized());
  out = k.Run({ThreeFloatVectors(), Tensor::Scalar<int32_t>(-1)});
  ASSERT_FALSE(out.ok());
  EXPECT_THAT(out.status().message(),
              HasSubstr("TensorListSlice expects size to be non-negative. "
                        "Got: -1"));
}

}  // namespace
}  // namespace model_server
