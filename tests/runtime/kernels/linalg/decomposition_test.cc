// Qr, SelfAdjointEigV2, Eig and MatrixSolveLs: factors checked by
// reconstruction with naive products, hand-computed values, empty inputs
// and errors.
#include <algorithm>
#include <cmath>
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

template <typename T>
std::vector<T> Identity(int64_t n) {
  std::vector<T> eye(n * n, T(0));
  for (int64_t i = 0; i < n; ++i) eye[i * n + i] = T(1);
  return eye;
}

template <typename T>
void ExpectValidQr(const TensorShape& shape, bool full, double tol) {
  const Tensor a = RandomMatrices<T>(shape);
  KernelHarness h("Qr");
  h.Attr("T", a.dtype()).Attr("full_matrices", full);
  auto out = h.Run({a});
  ASSERT_TRUE(out.ok()) << out.status();
  const int rank = shape.rank();
  const int64_t m = shape.dim(rank - 2), n = shape.dim(rank - 1);
  const int64_t p = full ? m : std::min(m, n);
  ASSERT_EQ(out->at(0).dim(rank - 1), p);
  ASSERT_EQ(out->at(1).dim(rank - 2), p);
  const int64_t count = a.NumElements() / (m * n);
  for (int64_t b = 0; b < count; ++b) {
    const T* q = out->at(0).data<T>() + b * m * p;
    const T* r = out->at(1).data<T>() + b * p * n;
    for (int64_t i = 0; i < p; ++i) {
      for (int64_t j = 0; j < std::min(i, n); ++j)
        EXPECT_EQ(r[i * n + j], T(0));
    }
    auto qr = NaiveProduct(q, false, m, p, r, false, p, n);
    EXPECT_TENSOR_NEAR(
        Tensor::FromVector(qr, TensorShape{m, n}),
        Tensor::FromVector(std::vector<T>(a.data<T>() + b * m * n,
                                          a.data<T>() + (b + 1) * m * n),
                           TensorShape{m, n}),
        tol, tol);
    auto qtq = NaiveProduct(q, true, m, p, q, false, m, p);
    EXPECT_TENSOR_NEAR(Tensor::FromVector(qtq, TensorShape{p, p}),
                       Tensor::FromVector(Identity<T>(p), TensorShape{p, p}),
                       tol, tol);
  }
}

TEST(Qr, ReconstructsWithOrthonormalQAndUpperR) {
  for (bool full : {false, true}) {
    ExpectValidQr<float>(TensorShape{5, 3}, full, 1e-5);
    ExpectValidQr<float>(TensorShape{2, 3, 5}, full, 1e-5);
    ExpectValidQr<double>(TensorShape{2, 2, 4, 4}, full, 1e-12);
    ExpectValidQr<std::complex<float>>(TensorShape{4, 2}, full, 1e-5);
    ExpectValidQr<std::complex<double>>(TensorShape{3, 2, 3}, full, 1e-12);
  }
}

TEST(Qr, EmptyInputs) {
  KernelHarness h("Qr");
  h.Attr("T", DT_FLOAT).Attr("full_matrices", true);
  auto no_cols = h.Run({Tensor::FromVector<float>({}, TensorShape{2, 0})});
  ASSERT_TRUE(no_cols.ok()) << no_cols.status();
  EXPECT_TENSOR_EQ(no_cols->at(0),
                   Tensor::FromVector<float>({1, 0, 0, 1}, TensorShape{2, 2}));
  EXPECT_EQ(no_cols->at(1).shape(), (TensorShape{2, 0}));
  auto no_rows = h.Run({Tensor::FromVector<float>({}, TensorShape{4, 0, 3})});
  ASSERT_TRUE(no_rows.ok()) << no_rows.status();
  EXPECT_EQ(no_rows->at(0).shape(), (TensorShape{4, 0, 0}));
  EXPECT_EQ(no_rows->at(1).shape(), (TensorShape{4, 0, 3}));
  auto vec = h.Run({Tensor::Vector<float>({1})});
  ASSERT_FALSE(vec.ok());
  EXPECT_EQ(vec.status().code(), absl::StatusCode::kInvalidArgument);
}

TEST(SelfAdjointEigV2, HandComputedEigenvaluesAscend) {
  KernelHarness h("SelfAdjointEigV2");
  h.Attr("T", DT_DOUBLE).Attr("compute_v", false);
  // [[2, 1], [1, 2]] has eigenvalues 1 and 3; the upper triangle is unread.
  auto out =
      h.Run({Tensor::FromVector<double>({2, 99, 1, 2}, TensorShape{2, 2})});
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_NEAR(out->at(0), Tensor::Vector<double>({1, 3}), 1e-12, 1e-12);
  EXPECT_EQ(out->at(1).shape(), TensorShape{0});
}

template <typename T>
void ExpectValidEigh(double tol) {
  const Tensor r = RandomMatrices<T>(TensorShape{3, 4, 4});
  std::vector<T> sym(3 * 16);
  for (int b = 0; b < 3; ++b) {
    auto p = NaiveProduct(r.data<T>() + b * 16, false, 4, 4,
                          r.data<T>() + b * 16, true, 4, 4);
    std::copy(p.begin(), p.end(), sym.begin() + b * 16);
  }
  const Tensor a = Tensor::FromVector(sym, TensorShape{3, 4, 4});
  KernelHarness h("SelfAdjointEigV2");
  h.Attr("T", a.dtype());
  auto out = h.Run({a});
  ASSERT_TRUE(out.ok()) << out.status();
  for (int b = 0; b < 3; ++b) {
    const T* e = out->at(0).data<T>() + b * 4;
    const T* v = out->at(1).data<T>() + b * 16;
    for (int i = 0; i + 1 < 4; ++i)
      EXPECT_LE(std::real(e[i]), std::real(e[i + 1]));
    // A V == V diag(e).
    auto av = NaiveProduct(sym.data() + b * 16, false, 4, 4, v, false, 4, 4);
    std::vector<T> ve(16);
    for (int i = 0; i < 4; ++i) {
      for (int j = 0; j < 4; ++j) ve[i * 4 + j] = v[i * 4 + j] * e[j];
    }
    EXPECT_TENSOR_NEAR(Tensor::FromVector(av, TensorShape{4, 4}),
                       Tensor::FromVector(ve, TensorShape{4, 4}), tol, tol);
  }
}

TEST(SelfAdjointEigV2, EigenvectorsOfRealAndComplexMatrices) {
  ExpectValidEigh<float>(1e-4);
  ExpectValidEigh<double>(1e-12);
  ExpectValidEigh<std::complex<float>>(1e-4);
  ExpectValidEigh<std::complex<double>>(1e-12);
}

TEST(SelfAdjointEigV2, EmptyAndBadInput) {
  KernelHarness h("SelfAdjointEigV2");
  h.Attr("T", DT_FLOAT);
  auto empty = h.Run({Tensor::FromVector<float>({}, TensorShape{2, 0, 0})});
  ASSERT_TRUE(empty.ok()) << empty.status();
  EXPECT_EQ(empty->at(0).shape(), (TensorShape{2, 0}));
  EXPECT_EQ(empty->at(1).shape(), (TensorShape{2, 0, 0}));
  auto rect = h.Run({Tensor::FromVector<float>({1, 2}, TensorShape{1, 2})});
  ASSERT_FALSE(rect.ok());
  EXPECT_THAT(rect.status().message(),
              HasSubstr("Input matrix must be square."));
}

TEST(Eig, RotationHasComplexConjugateEigenvalues) {
  using C = std::complex<float>;
  KernelHarness h("Eig");
  h.Attr("T", DT_FLOAT).Attr("Tout", DT_COMPLEX64);
  auto out =
      h.Run({Tensor::FromVector<float>({0, -1, 1, 0}, TensorShape{2, 2})});
  ASSERT_TRUE(out.ok()) << out.status();
  const C* e = out->at(0).data<C>();
  const C* v = out->at(1).data<C>();
  EXPECT_NEAR(std::abs(e[0].imag()), 1, 1e-6);
  EXPECT_NEAR(e[0].real(), 0, 1e-6);
  EXPECT_NEAR((e[0] + e[1]).imag(), 0, 1e-6);
  // A v_j == e_j v_j for each column.
  const C a[4] = {C(0), C(-1), C(1), C(0)};
  for (int j = 0; j < 2; ++j) {
    for (int i = 0; i < 2; ++i) {
      const C av = a[i * 2] * v[j] + a[i * 2 + 1] * v[2 + j];
      EXPECT_NEAR(std::abs(av - e[j] * v[i * 2 + j]), 0, 1e-5);
    }
  }
}

TEST(Eig, ComplexDoubleWithoutVectorsAndBadTout) {
  using C = std::complex<double>;
  KernelHarness h("Eig");
  h.Attr("T", DT_COMPLEX128)
      .Attr("Tout", DT_COMPLEX128)
      .Attr("compute_v", false);
  auto out = h.Run({Tensor::FromVector<C>({C(2, 1), C(5, 0), C(0, 0), C(3, 0)},
                                          TensorShape{2, 2})});
  ASSERT_TRUE(out.ok()) << out.status();
  std::vector<C> e(out->at(0).data<C>(), out->at(0).data<C>() + 2);
  std::sort(e.begin(), e.end(), [](C x, C y) { return x.real() < y.real(); });
  EXPECT_NEAR(std::abs(e[0] - C(2, 1)), 0, 1e-12);
  EXPECT_NEAR(std::abs(e[1] - C(3, 0)), 0, 1e-12);
  EXPECT_EQ(out->at(1).shape(), TensorShape{0});
  KernelHarness bad("Eig");
  bad.Attr("T", DT_DOUBLE).Attr("Tout", DT_COMPLEX64);
  auto refused = bad.Run({Tensor::FromVector<double>({1}, TensorShape{1, 1})});
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kUnimplemented);
}

absl::StatusOr<std::vector<Tensor>> SolveLs(const Tensor& a, const Tensor& b,
                                            double l2, bool fast) {
  KernelHarness h("MatrixSolveLs");
  h.Attr("T", a.dtype()).Attr("fast", fast);
  return h.Run({a, b, Tensor::Scalar<double>(l2)});
}

TEST(MatrixSolveLs, FitsALineByLeastSquares) {
  // y = 1 + 2x through (0,1), (1,3), (2,5), plus noise-free: exact fit.
  const Tensor a =
      Tensor::FromVector<double>({1, 0, 1, 1, 1, 2}, TensorShape{3, 2});
  const Tensor b = Tensor::FromVector<double>({1, 3, 5}, TensorShape{3, 1});
  for (bool fast : {true, false}) {
    auto out = SolveLs(a, b, 0, fast);
    ASSERT_TRUE(out.ok()) << out.status();
    EXPECT_TENSOR_NEAR(out->at(0),
                       Tensor::FromVector<double>({1, 2}, TensorShape{2, 1}),
                       1e-12, 1e-12);
  }
  // Inconsistent: points (0,0), (1,1), (2,1) -> y = 1/6 + x/2.
  auto fit = SolveLs(
      a, Tensor::FromVector<double>({0, 1, 1}, TensorShape{3, 1}), 0, true);
  ASSERT_TRUE(fit.ok()) << fit.status();
  EXPECT_TENSOR_NEAR(
      fit->at(0), Tensor::FromVector<double>({1 / 6.0, 0.5}, TensorShape{2, 1}),
      1e-12, 1e-12);
}

TEST(MatrixSolveLs, RegularizedAndUnderdeterminedSystems) {
  // 1x1: (a^2 + l2) x = a b -> a = 2, b = 4, l2 = 4: x = 8 / 8 = 1.
  auto reg =
      SolveLs(Tensor::FromVector<float>({2}, TensorShape{1, 1}),
              Tensor::FromVector<float>({4}, TensorShape{1, 1}), 4, true);
  ASSERT_TRUE(reg.ok()) << reg.status();
  EXPECT_TENSOR_NEAR(reg->at(0),
                     Tensor::FromVector<float>({1}, TensorShape{1, 1}), 1e-6,
                     1e-6);
  // x + y = 2: minimum norm (1, 1), both paths.
  for (bool fast : {true, false}) {
    auto under =
        SolveLs(Tensor::FromVector<double>({1, 1}, TensorShape{1, 2}),
                Tensor::FromVector<double>({2}, TensorShape{1, 1}), 0, fast);
    ASSERT_TRUE(under.ok()) << under.status();
    EXPECT_TENSOR_NEAR(under->at(0),
                       Tensor::FromVector<double>({1, 1}, TensorShape{2, 1}),
                       1e-12, 1e-12);
  }
}

TEST(MatrixSolveLs, ComplexBatchSatisfiesNormalEquations) {
  using C = std::complex<double>;
  const Tensor a = RandomMatrices<C>(TensorShape{2, 5, 3}, 2, 5);
  const Tensor b = RandomMatrices<C>(TensorShape{2, 5, 2}, 0, 6);
  auto out = SolveLs(a, b, 0, true);
  ASSERT_TRUE(out.ok()) << out.status();
  for (int i = 0; i < 2; ++i) {
    // A^H (A x - b) == 0.
    auto ax = NaiveProduct(a.data<C>() + i * 15, false, 5, 3,
                           out->at(0).data<C>() + i * 6, false, 3, 2);
    for (int j = 0; j < 10; ++j) ax[j] -= b.data<C>()[i * 10 + j];
    auto grad =
        NaiveProduct(a.data<C>() + i * 15, true, 5, 3, ax.data(), false, 5, 2);
    for (const C& g : grad) EXPECT_NEAR(std::abs(g), 0, 1e-12);
  }
}

TEST(MatrixSolveLs, RankDeficientEmptyAndBadInput) {
  // A zero column: the Gramian's second pivot is exactly 0.
  const Tensor a = Tensor::FromVector<double>({1, 0, 1, 0}, TensorShape{2, 2});
  const Tensor b = Tensor::FromVector<double>({2, 2}, TensorShape{2, 1});
  auto fast = SolveLs(a, b, 0, true);
  ASSERT_FALSE(fast.ok());
  EXPECT_THAT(fast.status().message(), HasSubstr("Try setting fast=False"));
  auto slow = SolveLs(a, b, 0, false);
  ASSERT_TRUE(slow.ok()) << slow.status();
  EXPECT_TENSOR_NEAR(slow->at(0),
                     Tensor::FromVector<double>({2, 0}, TensorShape{2, 1}),
                     1e-12, 1e-12);
  auto empty =
      SolveLs(Tensor::FromVector<double>({}, TensorShape{0, 2}),
              Tensor::FromVector<double>({}, TensorShape{0, 3}), 0, true);
  ASSERT_TRUE(empty.ok()) << empty.status();
  EXPECT_TENSOR_EQ(empty->at(0), Tensor::FromVector<double>({0, 0, 0, 0, 0, 0},
                                                            TensorShape{2, 3}));
  auto negative = SolveLs(a, b, -1, true);
  ASSERT_FALSE(negative.ok());
  EXPECT_THAT(negative.status().message(),
              HasSubstr("l2_regularizer must be >= 0."));
  auto rows =
      SolveLs(a, Tensor::FromVector<double>({1}, TensorShape{1, 1}), 0, true);
  ASSERT_FALSE(rows.ok());
  EXPECT_THAT(rows.status().message(),
              HasSubstr("Input matrix and rhs are incompatible."));
}

}  // namespace
}  // namespace model_server
