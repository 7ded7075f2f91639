#include <complex>
#include <memory>
#include <string>
#include <vector>

#include "Eigen/Core"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/runtime/kernels/tensor_list/list_test_helpers.h"
#include "tests/testing/kernel_harness.h"

namespace model_server {
namespace {

using ::testing::HasSubstr;
using namespace list_testing;  // NOLINT: test helpers

TEST(TensorListStack, StacksSetElementsAndZerosForUnsetOnes) {
  KernelHarness k("TensorListStack");
  k.Attr("element_dtype", DT_FLOAT);
  Tensor list = ListHandle(
      DT_FLOAT, Shape({2}),
      {Tensor::Vector<float>({1, 2}), Tensor(), Tensor::Vector<float>({5, 6})});
  auto out = k.Run({list, UnknownShapeInput()});
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_EQ(out->at(0), Tensor::FromVector<float>({1, 2, 0, 0, 5, 6},
                                                         TensorShape{3, 2}));
}

TEST(TensorListStack, EmptyListNeedsAFullyKnownShape) {
  KernelHarness k("TensorListStack");
  k.Attr("element_dtype", DT_INT32);
  auto out =
      k.Run({ListHandle(DT_INT32, Shape({-1, 3}), {}), ShapeInput({2, -1})});
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_EQ(out->at(0).shape(), (TensorShape{0, 2, 3}));
  out = k.Run({ListHandle(DT_INT32, Shape({-1, 3}), {}), UnknownShapeInput()});
  ASSERT_FALSE(out.ok());
  EXPECT_THAT(out.status().message(),
              HasSubstr("Tried to stack elements of an empty list with "
                        "non-fully-defined element_shape: [?,3]"));
}

TEST(TensorListStack, RejectsElementsOfDifferentShapesAndWrongCounts) {
  KernelHarness k("TensorListStack");
  k.Attr("element_dtype", DT_FLOAT).Attr("num_elements", 2);
  Tensor ragged =
      ListHandle(DT_FLOAT, Shape({-1}),
                 {Tensor::Vector<float>({1}), Tensor::Vector<float>({1, 2})});
  auto out = k.Run({ragged, UnknownShapeInput()});
  ASSERT_FALSE(out.ok());
  EXPECT_THAT(out.status().message(),
              HasSubstr("Incompatible shapes during merge: [1] vs. [2]"));
  Tensor three =
      ListHandle(DT_FLOAT, Shape({}), {Tensor(), Tensor(), Tensor()});
  out = k.Run({three, UnknownShapeInput()});
  ASSERT_FALSE(out.ok());
  EXPECT_THAT(out.status().message(),
              HasSubstr("Operation expected a list with 2 elements but got a "
                        "list with 3 elements."));
  out = k.Run({ListHandle(DT_FLOAT, UnknownRank(), {Tensor(), Tensor()}),
               UnknownShapeInput()});
  ASSERT_FALSE(out.ok());
  EXPECT_THAT(out.status().message(),
              HasSubstr("Tried to stack list which only contains "
                        "uninitialized tensors"));
}

// Row 0 of the stack is the set element; row 1, the unset one, reads as
// zeros (empty strings, false, 0), the same as TensorListGetItem gives.
TEST(TensorListStack, MovesEveryDtype) {
  const std::vector<Tensor> firsts = {
      Tensor::Vector<std::string>({"ab", ""}),
      Tensor::Vector<bool>({true, false}),
      Tensor::Vector<std::complex<double>>({{1, 2}, {3, 4}}),
      Tensor::Vector<Eigen::half>({Eigen::half(1.5f), Eigen::half(-2.0f)}),
      Tensor::Vector<int8_t>({-1, 7}),
      Tensor::Vector<uint64_t>({1, 2})};
  for (const Tensor& first : firsts) {
    SCOPED_TRACE(DataTypeName(first.dtype()));
    Tensor list = ListHandle(first.dtype(), Shape({2}), {first, Tensor()});
    KernelHarness stack("TensorListStack");
    stack.Attr("element_dtype", first.dtype());
    auto stacked = stack.Run({list, UnknownShapeInput()});
    ASSERT_TRUE(stacked.ok()) << stacked.status();
    ASSERT_EQ(stacked->at(0).shape(), (TensorShape{2, 2}));
    KernelHarness get("TensorListGetItem");
    get.Attr("element_dtype", first.dtype());
    auto zeros =
        get.Run({list, Tensor::Scalar<int32_t>(1), UnknownShapeInput()});
    ASSERT_TRUE(zeros.ok()) << zeros.status();
    KernelHarness unstack("TensorListFromTensor");
    unstack.Attr("element_dtype", first.dtype());
    auto rows = unstack.Run({stacked->at(0), UnknownShapeInput()});
    ASSERT_TRUE(rows.ok()) << rows.status();
    EXPECT_TENSOR_EQ(ListOf(rows->at(0))->elements[0], first);
    EXPECT_TENSOR_EQ(ListOf(rows->at(0))->elements[1], zeros->at(0));
  }
}

TEST(TensorListGather, PicksElementsByIndexWithRepeats) {
  KernelHarness k("TensorListGather");
  k.Attr("element_dtype", DT_INT64);
  Tensor list = ListHandle(
      DT_INT64, Shape({}),
      {Tensor::Scalar<int64_t>(10), Tensor(), Tensor::Scalar<int64_t>(30)});
  auto out =
      k.Run({list, Tensor::Vector<int32_t>({2, 0, 2, 1}), UnknownShapeInput()});
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_EQ(out->at(0), Tensor::Vector<int64_t>({30, 10, 30, 0}));
  out = k.Run({list, Tensor::Vector<int32_t>({}), UnknownShapeInput()});
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_EQ(out->at(0).shape(), TensorShape{0});
  out = k.Run({list, Tensor::Vector<int32_t>({3}), UnknownShapeInput()});
  ASSERT_FALSE(out.ok());
  EXPECT_THAT(out.status().message(),
              HasSubstr("Index 3 out o range; list only has 3 elements."));
  out = k.Run({list, Tensor::Vector<int32_t>({-1}), UnknownShapeInput()});
  ASSERT_FALSE(out.ok());
  out = k.Run({ListHandle(DT_INT64, UnknownRank(), {}),
               Tensor::Vector<int32_t>({}), UnknownShapeInput()});
  ASSERT_FALSE(out.ok());
  EXPECT_THAT(out.status().message(),
              HasSubstr("Tried to gather 0-elements from a list with "
                        "non-fully-defined shape"));
}

TEST(TensorListConcatV2, JoinsAlongTheFirstDimension) {
  KernelHarness k("TensorListConcatV2");
  k.Attr("element_dtype", DT_FLOAT).Attr("shape_type", DT_INT32);
  Tensor list = ListHandle(
      DT_FLOAT, Shape({-1, 2}),
      {Tensor::FromVector<float>({1, 2, 3, 4}, TensorShape{2, 2}), Tensor(),
       Tensor::FromVector<float>({5, 6}, TensorShape{1, 2})});
  auto out =
      k.Run({list, UnknownShapeInput(), Tensor::Vector<int64_t>({0, 3})});
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_EQ(
      out->at(0), Tensor::FromVector<float>(
                      {1, 2, 3, 4, 0, 0, 0, 0, 0, 0, 5, 6}, TensorShape{6, 2}));
  EXPECT_TENSOR_EQ(out->at(1), Tensor::Vector<int64_t>({2, 3, 1}));
  out = k.Run({list, UnknownShapeInput(), Tensor::Vector<int64_t>({})});
  ASSERT_FALSE(out.ok());
  EXPECT_THAT(out.status().message(),
              HasSubstr("List contains uninitialized tensor at index 1 but "
                        "leading_dims has only 0 elements."));
}

TEST(TensorListConcatV2, UnsetElementsTakeACommonOrGivenFirstDimension) {
  KernelHarness k("TensorListConcatV2");
  k.Attr("element_dtype", DT_INT32);
  Tensor list = ListHandle(DT_INT32, Shape({-1}),
                           {Tensor::Vector<int32_t>({1, 2}), Tensor(),
                            Tensor::Vector<int32_t>({3, 4})});
  auto out = k.Run({list, UnknownShapeInput(), Tensor::Vector<int64_t>({})});
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_EQ(out->at(0), Tensor::Vector<int32_t>({1, 2, 0, 0, 3, 4}));
  out = k.Run({ListHandle(DT_INT32, Shape({-1}), {}), ShapeInput({-1}),
               Tensor::Vector<int64_t>({})});
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_EQ(out->at(0).shape(), TensorShape{0});
  EXPECT_EQ(out->at(1).shape(), TensorShape{0});
  out = k.Run({ListHandle(DT_INT32, Shape({}), {}), UnknownShapeInput(),
               Tensor::Vector<int64_t>({})});
  ASSERT_FALSE(out.ok());
  EXPECT_THAT(out.status().message(),
              HasSubstr("Concat requires elements to be at least vectors"));
  out = k.Run({ListHandle(DT_INT32, Shape({-1, -1}), {}), UnknownShapeInput(),
               Tensor::Vector<int64_t>({})});
  ASSERT_FALSE(out.ok());
  EXPECT_THAT(out.status().message(),
              HasSubstr("All except the first dimension must be fully defined "
                        "when concating an empty tensor list"));
}

TEST(TensorListConcat, V1ReadsElementShapeFromItsAttr) {
  KernelHarness k("TensorListConcat");
  k.Attr("element_dtype", DT_FLOAT).ShapeAttr("element_shape", {-1, 1});
  Tensor list =
      ListHandle(DT_FLOAT, UnknownRank(),
                 {Tensor::FromVector<float>({1}, TensorShape{1, 1}),
                  Tensor::FromVector<float>({2, 3}, TensorShape{2, 1})});
  auto out = k.Run({list});
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_EQ(out->at(0),
                   Tensor::FromVector<float>({1, 2, 3}, TensorShape{3, 1}));
  EXPECT_TENSOR_EQ(out->at(1), Tensor::Vector<int64_t>({1, 2}));
  Tensor scalars = ListHandle(DT_FLOAT, UnknownRank(), {Tensor::Scalar(1.0f)});
  out = k.Run({scalars});
  ASSERT_FALSE(out.ok());
  EXPECT_THAT(out.status().message(),
              HasSubstr("Concat saw a scalar shape at index 0 but requires at "
                        "least vectors."));
}

}  // namespace
}  // namespace model_server
