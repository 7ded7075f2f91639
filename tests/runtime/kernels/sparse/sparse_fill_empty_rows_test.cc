#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "tests/testing/kernel_harness.h"

namespace model_server {
namespace {

Tensor Indices(std::vector<int64_t> flat, int64_t rank) {
  const int64_t n = static_cast<int64_t>(flat.size()) / rank;
  return Tensor::FromVector(std::move(flat), TensorShape{n, rank});
}

absl::StatusOr<std::vector<Tensor>> Fill(const Tensor& indices,
                                         const Tensor& values,
                                         std::vector<int64_t> dense_shape,
                                         const Tensor& default_value) {
  KernelHarness k("SparseFillEmptyRows");
  k.Attr("T", values.dtype());
  return k.Run(
      {indices, values, Tensor::Vector<int64_t>(dense_shape), default_value});
}

TEST(SparseFillEmptyRows, FillsEmptyRowsInRowOrder) {
  // TensorFlow's documented example: rows 1 and 4 are empty.
  auto out = Fill(Indices({0, 1, 0, 3, 2, 0, 3, 1}, 2),
                  Tensor::Vector<float>({10, 13, 14, 32}), {5, 6},
                  Tensor::Scalar<float>(-1));
  ASSERT_TRUE(out.ok()) << out.status();
  ASSERT_EQ(out->size(), 4u);
  EXPECT_TENSOR_EQ(out->at(0),
                   Indices({0, 1, 0, 3, 1, 0, 2, 0, 3, 1, 4, 0}, 2));
  EXPECT_TENSOR_EQ(out->at(1), Tensor::Vector<float>({10, 13, -1, 14, 32, -1}));
  EXPECT_TENSOR_EQ(out->at(2),
                   Tensor::Vector<bool>({false, true, false, false, true}));
  EXPECT_TENSOR_EQ(out->at(3), Tensor::Vector<int64_t>({0, 1, 3, 4}));
}

TEST(SparseFillEmptyRows, GroupsUnorderedRowsKeepingOrderWithinARow) {
  auto out = Fill(Indices({1, 0, 0, 2, 1, 1, 0, 0}, 2),
                  Tensor::Vector<std::string>({"a", "b", "c", "d"}), {3, 3},
                  Tensor::Scalar<std::string>("?"));
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_EQ(out->at(0), Indices({0, 2, 0, 0, 1, 0, 1, 1, 2, 0}, 2));
  EXPECT_TENSOR_EQ(out->at(1),
                   Tensor::Vector<std::string>({"b", "d", "a", "c", "?"}));
  EXPECT_TENSOR_EQ(out->at(2), Tensor::Vector<bool>({false, false, true}));
  EXPECT_TENSOR_EQ(out->at(3), Tensor::Vector<int64_t>({2, 0, 3, 1}));
}

TEST(SparseFillEmptyRows, ForwardsInputWhenNoRowIsEmpty) {
  const Tensor indices = Indices({0, 0, 1, 2, 1, 3}, 2);
  const Tensor values = Tensor::Vector<int64_t>({7, 8, 9});
  auto out = Fill(indices, values, {2, 4}, Tensor::Scalar<int64_t>(0));
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_EQ(out->at(0), indices);
  EXPECT_TENSOR_EQ(out->at(1), values);
  EXPECT_TENSOR_EQ(out->at(2), Tensor::Vector<bool>({false, false}));
  EXPECT_TENSOR_EQ(out->at(3), Tensor::Vector<int64_t>({0, 1, 2}));
}

TEST(SparseFillEmptyRows, FillsEveryRowOfAnEmptyTensor) {
  auto out = Fill(Indices({}, 2), Tensor::Vector<int64_t>({}), {2, 5},
                  Tensor::Scalar<int64_t>(3));
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_EQ(out->at(0), Indices({0, 0, 1, 0}, 2));
  EXPECT_TENSOR_EQ(out->at(1), Tensor::Vector<int64_t>({3, 3}));
  EXPECT_TENSOR_EQ(out->at(2), Tensor::Vector<bool>({true, true}));
  EXPECT_TENSOR_EQ(out->at(3), Tensor::Vector<int64_t>({}));
}

TEST(SparseFillEmptyRows, HandlesZeroDenseRows) {
  auto out = Fill(Indices({}, 2), Tensor::Vector<float>({}), {0, 5},
                  Tensor::Scalar<float>(1));
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_EQ(out->at(0), Indices({}, 2));
  EXPECT_TENSOR_EQ(out->at(1), Tensor::Vector<float>({}));
  EXPECT_TENSOR_EQ(out->at(2), Tensor::Vector<bool>({}));
  out = Fill(Indices({0, 0}, 2), Tensor::Vector<float>({1}), {0, 5},
             Tensor::Scalar<float>(1));
  ASSERT_FALSE(out.ok());
  EXPECT_NE(out.status().message().find(
                "Received SparseTensor with dense_shape[0] = 0 but "
                "indices.shape[0] = 1"),
            std::string::npos)
      << out.status();
}

std::string ErrorOf(const absl::StatusOr<std::vector<Tensor>>& out) {
  return out.ok() ? "" : std::string(out.status().message());
}

TEST(SparseFillEmptyRows, RejectsRowsOutOfRange) {
  auto out = Fill(Indices({0, 0, 5, 0}, 2), Tensor::Vector<float>({1, 2}),
                  {3, 1}, Tensor::Scalar<float>(0));
  EXPECT_NE(ErrorOf(out).find("indices(1, 0) is invalid: 5 >= 3"),
            std::string::npos)
      << ErrorOf(out);
  out = Fill(Indices({-1, 0}, 2), Tensor::Vector<float>({1}), {3, 1},
             Tensor::Scalar<float>(0));
  EXPECT_NE(ErrorOf(out).find("indices(0, 0) is invalid: -1 >= 3"),
            std::string::npos)
      << ErrorOf(out);
}

TEST(SparseFillEmptyRows, RejectsMalformedInputs) {
  const Tensor values = Tensor::Vector<float>({1});
  const Tensor zero = Tensor::Scalar<float>(0);
  EXPECT_NE(ErrorOf(Fill(Tensor::Vector<int64_t>({0}), values, {3}, zero))
                .find("indices must be a matrix, saw: [1]"),
            std::string::npos);
  EXPECT_NE(ErrorOf(Fill(Indices({0, 0}, 2), Tensor::Vector<float>({1, 2}),
                         {3, 3}, zero))
                .find("The length of `values` (2) must match the first "
                      "dimension of `indices` (1)."),
            std::string::npos);
  EXPECT_NE(ErrorOf(Fill(Indices({0, 0}, 2), values, {3, 3},
                         Tensor::Vector<float>({0})))
                .find("default_value must be a scalar, saw: [1]"),
            std::string::npos);
  EXPECT_NE(ErrorOf(Fill(Indices({}, 2), Tensor::Vector<float>({}), {}, zero))
                .find("Dense shape cannot be empty."),
            std::string::npos);
  EXPECT_NE(
      ErrorOf(Fill(Indices({}, 2), Tensor::Vector<float>({}), {-2, 3}, zero)),
      "");
  EXPECT_NE(ErrorOf(Fill(Indices({}, 2), Tensor::Vector<float>({}),
                         {int64_t{1} << 62, 3}, zero)),
            "");
  EXPECT_NE(ErrorOf(Fill(Indices({0, 0}, 2), values, {3, 3},
                         Tensor::Scalar<double>(0))),
            "");
  EXPECT_NE(ErrorOf(Fill(Tensor::FromVector<int64_t>({}, TensorShape{0, 0}),
                         Tensor::Vector<float>({}), {3}, zero)),
            "");
}

}  // namespace
}  // namespace model_server
