#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/testing/kernel_harness.h"

namespace model_server {
namespace {

using ::testing::HasSubstr;

Tensor Matrix(std::vector<int64_t> flat, int64_t columns) {
  const int64_t rows = static_cast<int64_t>(flat.size()) / columns;
  return Tensor::FromVector(std::move(flat), TensorShape{rows, columns});
}

absl::StatusOr<std::vector<Tensor>> ToDense(const Tensor& indices,
                                            const Tensor& shape,
                                            const Tensor& values,
                                            const Tensor& default_value,
                                            bool validate = true) {
  KernelHarness k("SparseToDense");
  k.Attr("T", values.dtype())
      .Attr("Tindices", indices.dtype())
      .Attr("validate_indices", validate);
  return k.Run({indices, shape, values, default_value});
}

std::string ErrorOf(const absl::StatusOr<std::vector<Tensor>>& out) {
  return out.ok() ? "" : std::string(out.status().message());
}

TEST(SparseToDense, ScattersValuesOverTheDefault) {
  // The feature-column pattern: ParseExample's sparse x2 to a dense batch.
  auto out =
      ToDense(Matrix({0, 0, 1, 0, 1, 2}, 2), Tensor::Vector<int64_t>({2, 3}),
              Tensor::Vector<int64_t>({7, 8, 9}), Tensor::Scalar<int64_t>(-1));
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_EQ(out->at(0), Tensor::FromVector<int64_t>(
                                   {7, -1, -1, 8, -1, 9}, TensorShape{2, 3}));
}

TEST(SparseToDense, BroadcastsAScalarValue) {
  auto out =
      ToDense(Tensor::Vector<int32_t>({1, 3}), Tensor::Vector<int32_t>({5}),
              Tensor::Scalar(2.5f), Tensor::Scalar(0.0f));
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_EQ(out->at(0), Tensor::Vector<float>({0, 2.5f, 0, 2.5f, 0}));
}

TEST(SparseToDense, TakesAScalarIndex) {
  auto out = ToDense(Tensor::Scalar<int64_t>(2), Tensor::Vector<int64_t>({3}),
                     Tensor::Scalar(true), Tensor::Scalar(false));
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_EQ(out->at(0), Tensor::Vector<bool>({false, false, true}));
}

TEST(SparseToDense, HoldsStrings) {
  auto out = ToDense(Matrix({1, 0}, 2), Tensor::Vector<int64_t>({2, 1}),
                     Tensor::Vector<std::string>({"b"}),
                     Tensor::Scalar<std::string>("-"));
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_EQ(out->at(0), Tensor::FromVector<std::string>(
                                   {"-", "b"}, TensorShape{2, 1}));
}

TEST(SparseToDense, HandlesNoEntries) {
  auto out = ToDense(Matrix({}, 2), Tensor::Vector<int64_t>({2, 2}),
                     Tensor::Vector<int64_t>({}), Tensor::Scalar<int64_t>(4));
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_EQ(
      out->at(0), Tensor::FromVector<int64_t>({4, 4, 4, 4}, TensorShape{2, 2}));
  out = ToDense(Matrix({}, 2), Tensor::Vector<int64_t>({0, 3}),
                Tensor::Vector<int64_t>({}), Tensor::Scalar<int64_t>(4));
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_EQ(out->at(0).shape(), (TensorShape{0, 3}));
}

TEST(SparseToDense, ValidatesIndicesWithTensorFlowTexts) {
  const Tensor shape = Tensor::Vector<int64_t>({2, 3});
  const Tensor values = Tensor::Vector<int64_t>({1, 2});
  const Tensor zero = Tensor::Scalar<int64_t>(0);
  EXPECT_THAT(
      ErrorOf(ToDense(Matrix({0, 0, 2, 0}, 2), shape, values, zero)),
      HasSubstr(
          "indices[1] = [2,0] is out of bounds: need 0 <= index < [2,3]"));
  EXPECT_THAT(ErrorOf(ToDense(Matrix({0, 0, 0, -1}, 2), shape, values, zero)),
              HasSubstr("indices[1] = [0,-1] is out of bounds"));
  EXPECT_THAT(
      ErrorOf(ToDense(Matrix({1, 0, 0, 2}, 2), shape, values, zero)),
      HasSubstr("indices[1] = [0,2] is out of order. Many sparse ops require "
                "sorted indices.\n    Use `tf.sparse.reorder` to create a "
                "correctly ordered copy.\n\n"));
  EXPECT_THAT(ErrorOf(ToDense(Matrix({1, 2, 1, 2}, 2), shape, values, zero)),
              HasSubstr("indices[1] = [1,2] is repeated"));
}

TEST(SparseToDense, WithoutValidationAcceptsAnyOrderAndKeepsTheLastRepeat) {
  auto out =
      ToDense(Matrix({1, 1, 0, 0, 1, 1}, 2), Tensor::Vector<int64_t>({2, 2}),
              Tensor::Vector<int64_t>({5, 6, 7}), Tensor::Scalar<int64_t>(0),
              /*validate=*/false);
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_EQ(
      out->at(0), Tensor::FromVector<int64_t>({6, 0, 0, 7}, TensorShape{2, 2}));
  out = ToDense(Matrix({1, 5}, 2), Tensor::Vector<int64_t>({2, 2}),
                Tensor::Vector<int64_t>({5}), Tensor::Scalar<int64_t>(0),
                /*validate=*/false);
  EXPECT_THAT(
      ErrorOf(out),
      HasSubstr("Indices are not valid (out of bounds).  Shape: [2,2]"));
}

TEST(SparseToDense, RejectsBadShapesWithTensorFlowTexts) {
  const Tensor zero = Tensor::Scalar<int64_t>(0);
  EXPECT_THAT(
      ErrorOf(ToDense(Tensor::FromVector<int64_t>({0}, TensorShape{1, 1, 1}),
                      Tensor::Vector<int64_t>({2}),
                      Tensor::Vector<int64_t>({1}), zero)),
      HasSubstr("sparse_indices should be a scalar, vector, or matrix, got "
                "shape [1,1,1]"));
  EXPECT_THAT(ErrorOf(ToDense(Matrix({0, 0}, 2), Tensor::Scalar<int64_t>(2),
                              Tensor::Vector<int64_t>({1}), zero)),
              HasSubstr("output_shape must be rank 1, got shape []"));
  EXPECT_THAT(ErrorOf(ToDense(Matrix({0, 0}, 2), Tensor::Vector<int64_t>({2}),
                              Tensor::Vector<int64_t>({1}), zero)),
              HasSubstr("output_shape has incorrect number of elements: 1 "
                        "should be: 2"));
  EXPECT_THAT(
      ErrorOf(ToDense(Matrix({0, 0}, 2), Tensor::Vector<int64_t>({2, 2}),
                      Tensor::Vector<int64_t>({1, 2}), zero)),
      HasSubstr("sparse_values has incorrect shape [2], should be [] "
                "or [1]"));
  EXPECT_THAT(ErrorOf(ToDense(
                  Matrix({0, 0}, 2), Tensor::Vector<int64_t>({2, 2}),
                  Tensor::Vector<int64_t>({1}), Tensor::Vector<int64_t>({0}))),
              HasSubstr("default_value should be a scalar."));
  EXPECT_FALSE(ToDense(Matrix({0, 0}, 2), Tensor::Vector<int64_t>({2, -2}),
                       Tensor::Vector<int64_t>({1}), zero)
                   .ok());
}

TEST(SparseToDense, RejectsInputsOfTheWrongDtype) {
  KernelHarness k("SparseToDense");
  k.Attr("T", DT_FLOAT)
      .Attr("Tindices", DT_INT64)
      .Attr("validate_indices", true);
  auto out = k.Run({Matrix({0}, 1), Tensor::Vector<int32_t>({2}),
                    Tensor::Vector<float>({1}), Tensor::Scalar(0.0f)});
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.status().code(), absl::StatusCode::kInvalidArgument);
}

TEST(SparseToDense, RejectsUnsupportedIndexTypeAtLoad) {
  KernelHarness k("SparseToDense");
  k.Attr("T", DT_FLOAT).Attr("Tindices", DT_FLOAT);
  auto out = k.Run({Tensor::Vector<float>({0}), Tensor::Vector<float>({2}),
                    Tensor::Vector<float>({1}), Tensor::Scalar(0.0f)});
  ASSERT_FALSE(out.ok());
  EXPECT_THAT(out.status().message(), HasSubstr("Tindices must be int32"));
}

}  // namespace
}  // namespace model_server
