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

TEST(TensorListPushBack, AppendsWithoutChangingTheInput) {
  KernelHarness k("TensorListPushBack");
  k.Attr("element_dtype", DT_FLOAT);
  Tensor input =
      ListHandle(DT_FLOAT, Shape({-1}), {Tensor::Vector<float>({1})});
  auto out = k.Run({input, Tensor::Vector<float>({2, 3})});
  ASSERT_TRUE(out.ok()) << out.status();
  const TensorList* list = ListOf(out->at(0));
  ASSERT_EQ(list->elements.size(), 2u);
  EXPECT_TENSOR_EQ(list->elements[1], Tensor::Vector<float>({2, 3}));
  EXPECT_EQ(ListOf(input)->elements.size(), 1u);
}

TEST(TensorListPushBack, RejectsFullListsIncompatibleShapesAndDtypes) {
  KernelHarness k("TensorListPushBack");
  k.Attr("element_dtype", DT_FLOAT);
  Tensor full = ListHandle(DT_FLOAT, UnknownRank(), {Tensor::Scalar(1.0f)},
                           /*max_num_elements=*/1);
  auto out = k.Run({full, Tensor::Scalar(2.0f)});
  ASSERT_FALSE(out.ok());
  EXPECT_THAT(out.status().message(),
              HasSubstr("Tried to push item into a full list list size: 1 "
                        "max_num_elements: 1"));
  Tensor vectors = ListHandle(DT_FLOAT, Shape({2}), {});
  out = k.Run({vectors, Tensor::Scalar(2.0f)});
  ASSERT_FALSE(out.ok());
  EXPECT_THAT(out.status().message(),
              HasSubstr("Tried to append a tensor with incompatible shape to "
                        "a list. Op element shape: [] list shape: [2]"));
  out = k.Run({vectors, Tensor::Vector<int32_t>({1, 2})});
  ASSERT_FALSE(out.ok());
  EXPECT_THAT(out.status().message(),
              HasSubstr("Invalid data types; list elements float but tried "
                        "to append int32"));
}

TEST(TensorListPopBack, ReturnsTheLastElementAndTheShorterList) {
  KernelHarness k("TensorListPopBack");
  k.Attr("element_dtype", DT_STRING);
  Tensor input = ListHandle(
      DT_STRING, Shape({}),
      {Tensor::Scalar<std::string>("a"), Tensor::Scalar<std::string>("b")});
  auto out = k.Run({input, UnknownShapeInput()});
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_EQ(ListOf(out->at(0))->elements.size(), 1u);
  EXPECT_TENSOR_EQ(out->at(1), Tensor::Scalar<std::string>("b"));
  EXPECT_EQ(ListOf(input)->elements.size(), 2u);
}

TEST(TensorListPopBack, UnsetElementIsZerosAndEmptyListFails) {
  KernelHarness k("TensorListPopBack");
  k.Attr("element_dtype", DT_DOUBLE);
  auto out = k.Run(
      {ListHandle(DT_DOUBLE, UnknownRank(), {Tensor()}), ShapeInput({3})});
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_EQ(out->at(1), Tensor::Vector<double>({0, 0, 0}));
  out = k.Run(
      {ListHandle(DT_DOUBLE, UnknownRank(), {Tensor()}), UnknownShapeInput()});
  ASSERT_FALSE(out.ok());
  EXPECT_THAT(out.status().message(),
              HasSubstr("Trying to read an uninitialized tensor but "
                        "element_shape is not fully defined"));
  out = k.Run({ListHandle(DT_DOUBLE, UnknownRank(), {}), UnknownShapeInput()});
  ASSERT_FALSE(out.ok());
  EXPECT_THAT(out.status().message(),
              HasSubstr("Trying to pop from an empty list."));
}

Tensor HandleVector(std::vector<Tensor> handles) {
  std::vector<std::shared_ptr<VariantValue>> values;
  for (const Tensor& h : handles) {
    values.push_back(h.scalar<std::shared_ptr<VariantValue>>());
  }
  return Tensor::Vector(std::move(values));
}

TEST(TensorListPushBackBatch, AppendsRowBToListB) {
  KernelHarness k("TensorListPushBackBatch");
  k.Attr("element_dtype", DT_INT32);
  Tensor handles = HandleVector(
      {ListHandle(DT_INT32, Shape({2}), {}),
       ListHandle(DT_INT32, Shape({2}), {Tensor::Vector<int32_t>({7, 7})})});
  Tensor rows = Tensor::FromVector<int32_t>({1, 2, 3, 4}, TensorShape{2, 2});
  auto out = k.Run({handles, rows});
  ASSERT_TRUE(out.ok()) << out.status();
  ASSERT_EQ(out->at(0).shape(), TensorShape{2});
  const auto* lists = out->at(0).data<std::shared_ptr<VariantValue>>();
  const auto* first = dynamic_cast<const TensorList*>(lists[0].get());
  const auto* second = dynamic_cast<const TensorList*>(lists[1].get());
  ASSERT_EQ(first->elements.size(), 1u);
  EXPECT_TENSOR_EQ(first->elements[0], Tensor::Vector<int32_t>({1, 2}));
  ASSERT_EQ(second->elements.size(), 2u);
  EXPECT_TENSOR_EQ(second->elements[1], Tensor::Vector<int32_t>({3, 4}));
  out =
      k.Run({handles, Tensor::FromVector<int32_t>({1, 2}, TensorShape{1, 2})});
  ASSERT_FALSE(out.ok());
  EXPECT_THAT(out.status().message(),
              HasSubstr("Expected tensor.shape[0] == input_handles.size, but "
                        "saw 1 vs. 2"));
}

TEST(TensorListConcatLists, AppendsEachBListToItsAList) {
  KernelHarness k("TensorListConcatLists");
  k.Attr("element_dtype", DT_FLOAT);
  Tensor a =
      HandleVector({ListHandle(DT_FLOAT, Shape({}), {Tensor::Scalar(1.0f)})});
  Tensor b = HandleVector({ListHandle(
      DT_FLOAT, Shape({}), {Tensor::Scalar(2.0f), Tensor::Scalar(3.0f)})});
  auto out = k.Run({a, b});
  ASSERT_TRUE(out.ok()) << out.status();
  const auto* joined = dynamic_cast<const TensorList*>(
      out->at(0).data<std::shared_ptr<VariantValue>>()[0].get());
  ASSERT_EQ(joined->elements.size(), 3u);
  EXPECT_TENSOR_EQ(joined->elements[2], Tensor::Scalar(3.0f));
  Tensor other_shape = HandleVector({ListHandle(DT_FLOAT, Shape({-1}), {})});
  out = k.Run({a, other_shape});
  ASSERT_FALSE(out.ok());
  EXPECT_THAT(out.status().message(),
              HasSubstr("element shapes are not identical at index 0"));
}

}  // namespace
}  // namespace model_server
