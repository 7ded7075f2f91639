// SparseReduceSum/Max and their SparseTensor-output forms against
// hand-computed values.
#include <complex>
#include <cstdint>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/testing/kernel_harness.h"

namespace model_server {
namespace {

using ::testing::HasSubstr;

absl::StatusOr<std::vector<Tensor>> Reduce(const char* op, const Tensor& values,
                                           std::vector<int32_t> axes,
                                           bool keep_dims) {
  // [[1, ?, 2], [?, 3, ?]] with a duplicate (1, 1) and unsorted entries.
  KernelHarness h(op);
  h.Attr("T", values.dtype()).Attr("keep_dims", keep_dims);
  return h.Run(
      {Tensor::FromVector<int64_t>({1, 1, 0, 0, 0, 2, 1, 1}, TensorShape{4, 2}),
       values, Tensor::Vector<int64_t>({2, 3}), Tensor::Vector<int32_t>(axes)});
}

TEST(SparseReduceSum, ReducesRowsColumnsAndEverything) {
  const Tensor v = Tensor::Vector<float>({3, 1, 2, 4});
  auto rows = Reduce("SparseReduceSum", v, {1}, false);
  ASSERT_TRUE(rows.ok()) << rows.status();
  EXPECT_TENSOR_EQ(rows->at(0), Tensor::Vector<float>({3, 7}));
  auto cols = Reduce("SparseReduceSum", v, {-2}, true);
  ASSERT_TRUE(cols.ok()) << cols.status();
  EXPECT_TENSOR_EQ(cols->at(0),
                   Tensor::FromVector<float>({1, 7, 2}, TensorShape{1, 3}));
  auto all = Reduce("SparseReduceSum", v, {0, 1}, false);
  ASSERT_TRUE(all.ok()) << all.status();
  EXPECT_TENSOR_EQ(all->at(0), Tensor::Scalar<float>(10));
  auto none = Reduce("SparseReduceSum", v, {}, false);
  ASSERT_TRUE(none.ok()) << none.status();
  EXPECT_TENSOR_EQ(none->at(0), Tensor::FromVector<float>({1, 0, 2, 0, 7, 0},
                                                          TensorShape{2, 3}));
}

TEST(SparseReduceSum, IntegersComplexAndSparseOutput) {
  auto ints = Reduce("SparseReduceSum", Tensor::Vector<int32_t>({3, 1, 2, 4}),
                     {0}, false);
  ASSERT_TRUE(ints.ok()) << ints.status();
  EXPECT_TENSOR_EQ(ints->at(0), Tensor::Vector<int32_t>({1, 7, 2}));
  using C = std::complex<float>;
  auto complex =
      Reduce("SparseReduceSum",
             Tensor::Vector<C>({C(0, 1), C(1), C(2), C(0, 2)}), {1}, false);
  ASSERT_TRUE(complex.ok()) << complex.status();
  EXPECT_TENSOR_EQ(complex->at(0), Tensor::Vector<C>({C(3), C(0, 3)}));
  auto sparse = Reduce("SparseReduceSumSparse",
                       Tensor::Vector<float>({3, 1, 2, 4}), {0}, true);
  ASSERT_TRUE(sparse.ok()) << sparse.status();
  EXPECT_TENSOR_EQ(sparse->at(0), Tensor::FromVector<int64_t>(
                                      {0, 0, 0, 1, 0, 2}, TensorShape{3, 2}));
  EXPECT_TENSOR_EQ(sparse->at(1), Tensor::Vector<float>({1, 7, 2}));
  EXPECT_TENSOR_EQ(sparse->at(2), Tensor::Vector<int64_t>({1, 3}));
}

TEST(SparseReduceMax, IgnoresImplicitZeros) {
  const Tensor v = Tensor::Vector<float>({-3, -1, -2, -4});
  auto dense = Reduce("SparseReduceMax", v, {1}, false);
  ASSERT_TRUE(dense.ok()) << dense.status();
  EXPECT_TENSOR_EQ(dense->at(0), Tensor::Vector<float>({-1, -3}));
  auto sparse = Reduce("SparseReduceMaxSparse", v, {1}, false);
  ASSERT_TRUE(sparse.ok()) << sparse.status();
  EXPECT_TENSOR_EQ(sparse->at(0),
                   Tensor::FromVector<int64_t>({0, 1}, TensorShape{2, 1}));
  EXPECT_TENSOR_EQ(sparse->at(1), Tensor::Vector<float>({-1, -3}));
  using C = std::complex<float>;
  auto complex =
      Reduce("SparseReduceMax", Tensor::Vector<C>({C(1), C(1), C(1), C(1)}),
             {1}, false);
  ASSERT_FALSE(complex.ok());
  EXPECT_EQ(complex.status().code(), absl::StatusCode::kUnimplemented);
}

TEST(SparseReduceSum, EmptyAndBadInput) {
  KernelHarness h("SparseReduceSum");
  h.Attr("T", DT_FLOAT).Attr("keep_dims", false);
  auto empty =
      h.Run({Tensor::FromVector<int64_t>({}, TensorShape{0, 2}),
             Tensor::Vector<float>({}), Tensor::Vector<int64_t>({2, 2}),
             Tensor::Scalar<int32_t>(0)});
  ASSERT_TRUE(empty.ok()) << empty.status();
  EXPECT_TENSOR_EQ(empty->at(0), Tensor::Vector<float>({0, 0}));
  auto axis = Reduce("SparseReduceSum", Tensor::Vector<float>({1, 1, 1, 1}),
                     {2}, false);
  ASSERT_FALSE(axis.ok());
  EXPECT_THAT(axis.status().message(),
              HasSubstr("Invalid reduction dimension 2, for input with 2 "
                        "dimensions."));
  auto bounds =
      h.Run({Tensor::FromVector<int64_t>({0, 5}, TensorShape{1, 2}),
             Tensor::Vector<float>({1}), Tensor::Vector<int64_t>({2, 2}),
             Tensor::Scalar<int32_t>(0)});
  ASSERT_FALSE(bounds.ok());
  EXPECT_EQ(bounds.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(bounds.status().message(), HasSubstr("out of bounds"));
  auto count =
      h.Run({Tensor::FromVector<int64_t>({0, 1}, TensorShape{1, 2}),
             Tensor::Vector<float>({1, 2}), Tensor::Vector<int64_t>({2, 2}),
             Tensor::Scalar<int32_t>(0)});
  ASSERT_FALSE(count.ok());
  EXPECT_EQ(count.status().code(), absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace model_server
