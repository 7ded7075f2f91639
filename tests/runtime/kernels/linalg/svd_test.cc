// Svd against hand-computed singular values and reconstruction
// (input = u * diag(s) * adjoint(v)) with orthonormal factors.
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

absl::StatusOr<std::vector<Tensor>> Svd(const Tensor& input, bool compute_uv,
                                        bool full_matrices,
                                        const char* op = "Svd") {
  KernelHarness h(op);
  h.Attr("T", input.dtype())
      .Attr("compute_uv", compute_uv)
      .Attr("full_matrices", full_matrices);
  return h.Run({input});
}

TEST(Svd, SingularValuesOfDiagonalMatrixDescendAndArePositive) {
  auto out = Svd(Tensor::FromVector<float>({3, 0, 0, -4}, TensorShape{2, 2}),
                 false, false);
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_EQ(out->at(0), Tensor::Vector<float>({4, 3}));
  EXPECT_EQ(out->at(1).shape(), TensorShape{0});
  EXPECT_EQ(out->at(2).shape(), TensorShape{0});
}

// Checks u * diag(s) * v^H == input and u^H u == I, v^H v == I for every
// matrix of the batch.
template <typename T>
void ExpectValidSvd(const Tensor& input, bool full, double tol) {
  auto out = Svd(input, true, full);
  ASSERT_TRUE(out.ok()) << out.status();
  const int rank = input.rank();
  const int64_t m = input.dim(rank - 2), n = input.dim(rank - 1);
  const int64_t p = std::min(m, n);
  const int64_t uc = full ? m : p, vc = full ? n : p;
  const Tensor& s = out->at(0);
  const Tensor& u = out->at(1);
  const Tensor& v = out->at(2);
  ASSERT_EQ(u.dim(rank - 1), uc);
  ASSERT_EQ(v.dim(rank - 1), vc);
  const int64_t count = input.NumElements() / (m * n);
  for (int64_t b = 0; b < count; ++b) {
    const T* sb = s.data<T>() + b * p;
    for (int64_t i = 0; i + 1 < p; ++i) {
      EXPECT_GE(std::real(sb[i]), std::real(sb[i + 1]));
    }
    // u[:, :p] * diag(s) * v[:, :p]^H.
    std::vector<T> us(m * p);
    for (int64_t i = 0; i < m; ++i) {
      for (int64_t j = 0; j < p; ++j) {
        us[i * p + j] = u.data<T>()[b * m * uc + i * uc + j] * sb[j];
      }
    }
    std::vector<T> vp(n * p);
    for (int64_t i = 0; i < n; ++i) {
      for (int64_t j = 0; j < p; ++j) {
        vp[i * p + j] = v.data<T>()[b * n * vc + i * vc + j];
      }
    }
    const std::vector<T> rebuilt =
        NaiveProduct(us.data(), false, m, p, vp.data(), true, n, p);
    const std::vector<T> original(input.data<T>() + b * m * n,
                                  input.data<T>() + (b + 1) * m * n);
    EXPECT_TENSOR_NEAR(Tensor::FromVector(rebuilt, TensorShape{m, n}),
                       Tensor::FromVector(original, TensorShape{m, n}), tol,
                       tol);
    const std::vector<T> utu =
        NaiveProduct(u.data<T>() + b * m * uc, true, m, uc,
                     u.data<T>() + b * m * uc, false, m, uc);
    std::vector<T> eye(uc * uc, T(0));
    for (int64_t i = 0; i < uc; ++i) eye[i * uc + i] = T(1);
    EXPECT_TENSOR_NEAR(Tensor::FromVector(utu, TensorShape{uc, uc}),
                       Tensor::FromVector(eye, TensorShape{uc, uc}), tol, tol);
  }
}

TEST(Svd, ReconstructsTallWideAndBatchedFloatMatrices) {
  for (bool full : {false, true}) {
    ExpectValidSvd<float>(RandomMatrices<float>(TensorShape{4, 3}), full, 1e-4);
    ExpectValidSvd<float>(RandomMatrices<float>(TensorShape{3, 5}), full, 1e-4);
    ExpectValidSvd<float>(RandomMatrices<float>(TensorShape{2, 2, 3, 3}), full,
                          1e-4);
  }
}

TEST(Svd, ReconstructsDoubleAndComplexMatrices) {
  for (bool full : {false, true}) {
    ExpectValidSvd<double>(RandomMatrices<double>(TensorShape{3, 6, 4}), full,
                           1e-10);
    // Above 16 columns Eigen's divide-and-conquer path runs.
    ExpectValidSvd<double>(RandomMatrices<double>(TensorShape{20, 18}), full,
                           1e-9);
    ExpectValidSvd<std::complex<float>>(
        RandomMatrices<std::complex<float>>(TensorShape{2, 3, 4}), full, 1e-4);
    ExpectValidSvd<std::complex<double>>(
        RandomMatrices<std::complex<double>>(TensorShape{5, 3}), full, 1e-10);
  }
}

TEST(Svd, ThinAndFullShapes) {
  const Tensor x = RandomMatrices<float>(TensorShape{2, 5, 3});
  auto thin = Svd(x, true, false);
  ASSERT_TRUE(thin.ok()) << thin.status();
  EXPECT_EQ(thin->at(0).shape(), (TensorShape{2, 3}));
  EXPECT_EQ(thin->at(1).shape(), (TensorShape{2, 5, 3}));
  EXPECT_EQ(thin->at(2).shape(), (TensorShape{2, 3, 3}));
  auto full = Svd(x, true, true, "BatchSvd");
  ASSERT_TRUE(full.ok()) << full.status();
  EXPECT_EQ(full->at(1).shape(), (TensorShape{2, 5, 5}));
  EXPECT_EQ(full->at(2).shape(), (TensorShape{2, 3, 3}));
}

TEST(Svd, EmptyMatrixGivesIdentityOnTheNonEmptySideWhenFull) {
  auto full = Svd(Tensor::FromVector<float>({}, TensorShape{0, 2}), true, true);
  ASSERT_TRUE(full.ok()) << full.status();
  EXPECT_EQ(full->at(0).shape(), TensorShape{0});
  EXPECT_EQ(full->at(1).shape(), (TensorShape{0, 0}));
  EXPECT_TENSOR_EQ(full->at(2),
                   Tensor::FromVector<float>({1, 0, 0, 1}, TensorShape{2, 2}));
  auto thin =
      Svd(Tensor::FromVector<float>({}, TensorShape{3, 0}), true, false);
  ASSERT_TRUE(thin.ok()) << thin.status();
  EXPECT_EQ(thin->at(1).shape(), (TensorShape{3, 0}));
  EXPECT_EQ(thin->at(2).shape(), (TensorShape{0, 0}));
  auto no_batch =
      Svd(Tensor::FromVector<float>({}, TensorShape{0, 3, 2}), true, true);
  ASSERT_TRUE(no_batch.ok()) << no_batch.status();
  EXPECT_EQ(no_batch->at(0).shape(), (TensorShape{0, 2}));
  EXPECT_EQ(no_batch->at(1).shape(), (TensorShape{0, 3, 3}));
}

TEST(Svd, RejectsVectorsAndIntegerInput) {
  auto vec = Svd(Tensor::Vector<float>({1, 2}), true, false);
  ASSERT_FALSE(vec.ok());
  EXPECT_EQ(vec.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(vec.status().message(),
              ::testing::HasSubstr("must have rank >= 2, got 1"));
  auto ints = Svd(Tensor::FromVector<int32_t>({1, 2, 3, 4}, TensorShape{2, 2}),
                  true, false);
  ASSERT_FALSE(ints.ok());
  EXPECT_EQ(ints.status().code(), absl::StatusCode::kUnimplemented);
}

}  // namespace
}  // namespace model_server
