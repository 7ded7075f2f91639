// MatrixSolve and MatrixTriangularSolve: solutions checked by multiplying
// back (naive product), hand-computed systems, broadcasting and errors.
#include <complex>
#include <cstdint>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/runtime/kernels/linalg/linalg_test_util.h"
#include "tests/testing/kernel_harness.h"

namespace model_server {
namespace {

using linalg_test::NaiveProduct;
using linalg_test::RandomMatrices;
using ::testing::HasSubstr;

absl::StatusOr<std::vector<Tensor>> Solve(const Tensor& a, const Tensor& b,
                                          bool adjoint = false,
                                          const char* op = "MatrixSolve") {
  KernelHarness h(op);
  h.Attr("T", a.dtype()).Attr("adjoint", adjoint);
  return h.Run({a, b});
}

absl::StatusOr<std::vector<Tensor>> TriSolve(const Tensor& a, const Tensor& b,
                                             bool lower, bool adjoint) {
  KernelHarness h("MatrixTriangularSolve");
  h.Attr("T", a.dtype()).Attr("lower", lower).Attr("adjoint", adjoint);
  return h.Run({a, b});
}

void ExpectInvalid(const absl::StatusOr<std::vector<Tensor>>& out,
                   const std::string& text) {
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(out.status().message(), HasSubstr(text));
}

TEST(MatrixSolve, HandComputedSystem) {
  // 2x + y = 5, x + 3y = 10 -> x = 1, y = 3.
  auto out = Solve(Tensor::FromVector<float>({2, 1, 1, 3}, TensorShape{2, 2}),
                   Tensor::FromVector<float>({5, 10}, TensorShape{2, 1}));
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_NEAR(out->at(0),
                     Tensor::FromVector<float>({1, 3}, TensorShape{2, 1}), 1e-6,
                     1e-6);
}

template <typename T>
void ExpectSolvesBatch(bool adjoint, double tol) {
  const Tensor a = RandomMatrices<T>(TensorShape{2, 3, 4, 4}, 3, 1);
  const Tensor b = RandomMatrices<T>(TensorShape{2, 3, 4, 2}, 0, 2);
  auto out = Solve(a, b, adjoint, "BatchMatrixSolve");
  ASSERT_TRUE(out.ok()) << out.status();
  ASSERT_EQ(out->at(0).shape(), b.shape());
  for (int64_t i = 0; i < 6; ++i) {
    auto ax = NaiveProduct(a.data<T>() + i * 16, adjoint, 4, 4,
                           out->at(0).data<T>() + i * 8, false, 4, 2);
    EXPECT_TENSOR_NEAR(
        Tensor::FromVector(ax, TensorShape{4, 2}),
        Tensor::FromVector(
            std::vector<T>(b.data<T>() + i * 8, b.data<T>() + (i + 1) * 8),
            TensorShape{4, 2}),
        tol, tol);
  }
}

TEST(MatrixSolve, SolvesBatchesOfEveryDtypeWithAndWithoutAdjoint) {
  for (bool adjoint : {false, true}) {
    ExpectSolvesBatch<float>(adjoint, 1e-5);
    ExpectSolvesBatch<double>(adjoint, 1e-12);
    ExpectSolvesBatch<std::complex<float>>(adjoint, 1e-5);
    ExpectSolvesBatch<std::complex<double>>(adjoint, 1e-12);
  }
}

TEST(MatrixSolve, EmptySystemsAndErrors) {
  auto empty = Solve(Tensor::FromVector<float>({}, TensorShape{0, 3, 3}),
                     Tensor::FromVector<float>({}, TensorShape{0, 3, 2}));
  ASSERT_TRUE(empty.ok()) << empty.status();
  EXPECT_EQ(empty->at(0).shape(), (TensorShape{0, 3, 2}));
  auto no_rhs =
      Solve(Tensor::FromVector<float>({1, 0, 0, 1}, TensorShape{2, 2}),
            Tensor::FromVector<float>({}, TensorShape{2, 0}));
  ASSERT_TRUE(no_rhs.ok()) << no_rhs.status();
  EXPECT_EQ(no_rhs->at(0).shape(), (TensorShape{2, 0}));
  ExpectInvalid(
      Solve(Tensor::FromVector<float>({1, 2, 2, 4}, TensorShape{2, 2}),
            Tensor::FromVector<float>({1, 1}, TensorShape{2, 1})),
      "Input matrix is not invertible.");
  ExpectInvalid(Solve(Tensor::FromVector<float>({1, 2}, TensorShape{1, 2}),
                      Tensor::FromVector<float>({1}, TensorShape{1, 1})),
                "First input (lhs) must be a square matrix.");
  ExpectInvalid(
      Solve(Tensor::FromVector<float>({1, 0, 0, 1}, TensorShape{2, 2}),
            Tensor::FromVector<float>({1, 1, 1}, TensorShape{3, 1})),
      "Input matrix and rhs are incompatible.");
  ExpectInvalid(
      Solve(Tensor::FromVector<float>({1, 0, 0, 1}, TensorShape{2, 2}),
            Tensor::FromVector<float>({1, 1}, TensorShape{1, 2, 1})),
      "All input tensors must have the same rank.");
  ExpectInvalid(
      Solve(Tensor::FromVector<float>({1, 0, 0, 1}, TensorShape{1, 2, 2}),
            Tensor::FromVector<float>({1, 1, 1, 1}, TensorShape{2, 2, 1})),
      "All input tensors must have the same outer dimensions.");
  ExpectInvalid(Solve(Tensor::Vector<float>({1}), Tensor::Vector<float>({1})),
                "Input tensor 0 must have rank >= 2, got 1");
}

TEST(MatrixTriangularSolve, HandComputedLowerAndUpper) {
  // The other triangle (99) is never read.
  const Tensor a = Tensor::FromVector<float>({2, 99, 1, 4}, TensorShape{2, 2});
  auto lower = TriSolve(
      a, Tensor::FromVector<float>({4, 10}, TensorShape{2, 1}), true, false);
  ASSERT_TRUE(lower.ok()) << lower.status();
  // 2x = 4, x + 4y = 10 -> x = 2, y = 2.
  EXPECT_TENSOR_NEAR(lower->at(0),
                     Tensor::FromVector<float>({2, 2}, TensorShape{2, 1}), 1e-6,
                     1e-6);
  const Tensor u = Tensor::FromVector<float>({2, 1, 99, 4}, TensorShape{2, 2});
  auto upper = TriSolve(u, Tensor::FromVector<float>({4, 8}, TensorShape{2, 1}),
                        false, false);
  ASSERT_TRUE(upper.ok()) << upper.status();
  // 4y = 8 -> y = 2; 2x + y = 4 -> x = 1.
  EXPECT_TENSOR_NEAR(upper->at(0),
                     Tensor::FromVector<float>({1, 2}, TensorShape{2, 1}), 1e-6,
                     1e-6);
}

template <typename T>
void ExpectTriangularSolves(bool lower, bool adjoint, double tol) {
  Tensor a = RandomMatrices<T>(TensorShape{3, 4, 4}, 3, 3);
  // Zero the unused triangle so the naive product uses the same matrix.
  T* ad = a.data<T>();
  for (int64_t b = 0; b < 3; ++b) {
    for (int64_t i = 0; i < 4; ++i) {
      for (int64_t j = 0; j < 4; ++j) {
        if (lower ? j > i : j < i) ad[b * 16 + i * 4 + j] = T(0);
      }
    }
  }
  const Tensor rhs = RandomMatrices<T>(TensorShape{3, 4, 3}, 0, 4);
  auto out = TriSolve(a, rhs, lower, adjoint);
  ASSERT_TRUE(out.ok()) << out.status();
  for (int64_t b = 0; b < 3; ++b) {
    auto ax = NaiveProduct(ad + b * 16, adjoint, 4, 4,
                           out->at(0).data<T>() + b * 12, false, 4, 3);
    EXPECT_TENSOR_NEAR(
        Tensor::FromVector(ax, TensorShape{4, 3}),
        Tensor::FromVector(std::vector<T>(rhs.data<T>() + b * 12,
                                          rhs.data<T>() + (b + 1) * 12),
                           TensorShape{4, 3}),
        tol, tol);
  }
}

TEST(MatrixTriangularSolve, EveryAttrCombinationAndDtype) {
  for (bool lower : {true, false}) {
    for (bool adjoint : {false, true}) {
      ExpectTriangularSolves<float>(lower, adjoint, 1e-5);
      ExpectTriangularSolves<double>(lower, adjoint, 1e-12);
      ExpectTriangularSolves<std::complex<float>>(lower, adjoint, 1e-5);
      ExpectTriangularSolves<std::complex<double>>(lower, adjoint, 1e-12);
    }
  }
}

TEST(MatrixTriangularSolve, BroadcastsBatchDimensions) {
  // One matrix [2, 2] against rhs [3, 2, 1]; and [2, 1, 2, 2] vs [3, 2, 1].
  const Tensor a = Tensor::FromVector<float>({2, 0, 1, 4}, TensorShape{2, 2});
  const Tensor rhs =
      Tensor::FromVector<float>({4, 10, 2, 1, 0, 4}, TensorShape{3, 2, 1});
  auto out = TriSolve(a, rhs, true, false);
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_NEAR(
      out->at(0),
      Tensor::FromVector<float>({2, 2, 1, 0, 0, 1}, TensorShape{3, 2, 1}), 1e-6,
      1e-6);
  const Tensor two = Tensor::FromVector<float>({2, 0, 1, 4, 1, 0, 0, 1},
                                               TensorShape{2, 1, 2, 2});
  auto both = TriSolve(two, rhs, true, false);
  ASSERT_TRUE(both.ok()) << both.status();
  EXPECT_EQ(both->at(0).shape(), (TensorShape{2, 3, 2, 1}));
  EXPECT_TENSOR_NEAR(
      both->at(0),
      Tensor::FromVector<float>({2, 2, 1, 0, 0, 1, 4, 10, 2, 1, 0, 4},
                                TensorShape{2, 3, 2, 1}),
      1e-6, 1e-6);
  ExpectInvalid(TriSolve(Tensor::FromVector<float>({1, 0, 0, 1, 1, 0, 0, 1},
                                                   TensorShape{2, 2, 2}),
                         rhs, true, false),
                "In[0] and In[1] must have compatible batch dimensions: "
                "[2,2,2] vs. [3,2,1]");
}

TEST(MatrixTriangularSolve, EmptyAndBadShapes) {
  auto empty =
      TriSolve(Tensor::FromVector<float>({}, TensorShape{0, 0}),
               Tensor::FromVector<float>({}, TensorShape{0, 3}), true, false);
  ASSERT_TRUE(empty.ok()) << empty.status();
  EXPECT_EQ(empty->at(0).shape(), (TensorShape{0, 3}));
  ExpectInvalid(
      TriSolve(Tensor::FromVector<float>({1, 2}, TensorShape{1, 2}),
               Tensor::FromVector<float>({1}, TensorShape{1, 1}), true, false),
      "In[0] matrices in the last dimensions must be square (2 =/= 1)");
  ExpectInvalid(TriSolve(Tensor::FromVector<float>({1}, TensorShape{1, 1}),
                         Tensor::FromVector<float>({1, 1}, TensorShape{2, 1}),
                         true, false),
                "In[0] mismatch In[1] shape: 1 vs. 2");
  ExpectInvalid(
      TriSolve(Tensor::Vector<float>({1}),
               Tensor::FromVector<float>({1}, TensorShape{1, 1}), true, false),
      "In[0] ndims must be >= 2: 1");
  ExpectInvalid(TriSolve(Tensor::FromVector<float>({1}, TensorShape{1, 1}),
                         Tensor::Vector<float>({1}), true, false),
                "In[1] ndims must be >= 2: 1");
}

}  // namespace
}  // namespace model_server
