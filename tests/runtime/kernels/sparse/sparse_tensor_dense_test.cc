#include <complex>
#include <cstdint>
#include <random>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/testing/kernel_harness.h"

namespace model_server {
namespace {

using ::testing::HasSubstr;

Tensor Indices(std::vector<int64_t> v) {
  const int64_t n = static_cast<int64_t>(v.size()) / 2;
  return Tensor::FromVector(std::move(v), TensorShape{n, 2});
}

TEST(SparseTensorDenseAdd, AddsValuesAtTheirIndices) {
  KernelHarness k("SparseTensorDenseAdd");
  k.Attr("T", DT_FLOAT).Attr("Tindices", DT_INT64);
  auto out =
      k.Run({Indices({0, 1, 1, 0, 0, 1}), Tensor::Vector<float>({1, 2, 3}),
             Tensor::Vector<int64_t>({2, 2}),
             Tensor::FromVector<float>({10, 20, 30, 40}, TensorShape{2, 2})});
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_EQ(out->at(0), Tensor::FromVector<float>({10, 24, 32, 40},
                                                         TensorShape{2, 2}));
}

TEST(SparseTensorDenseAdd, RejectsShapeMismatchAndIndicesOutOfBounds) {
  KernelHarness k("SparseTensorDenseAdd");
  k.Attr("T", DT_INT32).Attr("Tindices", DT_INT64);
  Tensor b = Tensor::FromVector<int32_t>({1, 2, 3, 4}, TensorShape{2, 2});
  auto out = k.Run({Indices({0, 1}), Tensor::Vector<int32_t>({1}),
                    Tensor::Vector<int64_t>({2, 3}), b});
  ASSERT_FALSE(out.ok());
  EXPECT_THAT(
      out.status().message(),
      HasSubstr("Dimension 1 does not equal (no broadcasting is "
                "supported): lhs dimension size 3, rhs dimension size 2"));
  out = k.Run({Indices({0, 2}), Tensor::Vector<int32_t>({1}),
               Tensor::Vector<int64_t>({2, 2}), b});
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.status().code(), absl::StatusCode::kInvalidArgument);
  out = k.Run({Indices({0, 0}), Tensor::Vector<int32_t>({1}),
               Tensor::Vector<int64_t>({4}), b});
  ASSERT_FALSE(out.ok());
  EXPECT_THAT(out.status().message(), HasSubstr("different ranks"));
}

// The naive reference: densify a, transpose as asked, multiply.
std::vector<double> NaiveProduct(const std::vector<int64_t>& idx,
                                 const std::vector<double>& vals, int64_t rows,
                                 int64_t cols, const std::vector<double>& b,
                                 int64_t b_rows, int64_t b_cols, bool adj_a,
                                 bool adj_b) {
  std::vector<double> a(rows * cols, 0);
  for (size_t i = 0; i < vals.size(); ++i)
    a[idx[2 * i] * cols + idx[2 * i + 1]] += vals[i];
  const int64_t m = adj_a ? cols : rows, k = adj_a ? rows : cols;
  const int64_t n = adj_b ? b_rows : b_cols;
  std::vector<double> out(m * n, 0);
  for (int64_t i = 0; i < m; ++i) {
    for (int64_t j = 0; j < n; ++j) {
      for (int64_t t = 0; t < k; ++t) {
        const double av = adj_a ? a[t * cols + i] : a[i * cols + t];
        const double bv = adj_b ? b[j * b_cols + t] : b[t * b_cols + j];
        out[i * n + j] += av * bv;
      }
    }
  }
  return out;
}

TEST(SparseTensorDenseMatMul, MatchesNaiveReferenceForEveryAdjoint) {
  std::mt19937 rng(11);
  const int64_t rows = 4, cols = 3;
  std::vector<int64_t> idx = {0, 0, 1, 2, 3, 1, 3, 2, 0, 2};
  std::vector<double> vals;
  for (size_t i = 0; i < idx.size() / 2; ++i) vals.push_back(rng() % 10 - 5.0);
  for (bool adj_a : {false, true}) {
    for (bool adj_b : {false, true}) {
      const int64_t k = adj_a ? rows : cols;
      const int64_t b_rows = adj_b ? 5 : k, b_cols = adj_b ? k : 5;
      std::vector<double> b(b_rows * b_cols);
      for (double& v : b) v = rng() % 10 - 5.0;
      KernelHarness op("SparseTensorDenseMatMul");
      op.Attr("T", DT_DOUBLE)
          .Attr("Tindices", DT_INT64)
          .Attr("adjoint_a", adj_a)
          .Attr("adjoint_b", adj_b);
      auto out = op.Run({Indices(idx), Tensor::Vector<double>(vals),
                         Tensor::Vector<int64_t>({rows, cols}),
                         Tensor::FromVector(b, TensorShape{b_rows, b_cols})});
      ASSERT_TRUE(out.ok()) << out.status();
      const int64_t m = adj_a ? cols : rows;
      EXPECT_TENSOR_EQ(
          out->at(0),
          Tensor::FromVector(NaiveProduct(idx, vals, rows, cols, b, b_rows,
                                          b_cols, adj_a, adj_b),
                             TensorShape{m, 5}))
          << adj_a << adj_b;
    }
  }
}

TEST(SparseTensorDenseMatMul, HandlesEmptyOperandsAndRejectsInnerMismatch) {
  KernelHarness k("SparseTensorDenseMatMul");
  k.Attr("T", DT_FLOAT).Attr("Tindices", DT_INT32);
  auto out = k.Run({Tensor::FromVector<int32_t>({}, TensorShape{0, 2}),
                    Tensor::Vector<float>({}), Tensor::Vector<int64_t>({2, 3}),
                    Tensor::FromVector<float>({1, 2, 3}, TensorShape{3, 1})});
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_EQ(out->at(0),
                   Tensor::FromVector<float>({0, 0}, TensorShape{2, 1}));
  out = k.Run({Tensor::FromVector<int32_t>({}, TensorShape{0, 2}),
               Tensor::Vector<float>({}), Tensor::Vector<int64_t>({2, 3}),
               Tensor::FromVector<float>({1, 2}, TensorShape{2, 1})});
  ASSERT_FALSE(out.ok());
  EXPECT_THAT(out.status().message(),
              HasSubstr("Cannot multiply A and B because inner dimension does "
                        "not match: 3 vs. 2."));
}

}  // namespace
}  // namespace model_server
