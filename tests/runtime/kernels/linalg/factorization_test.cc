// Cholesky, MatrixInverse, MatrixDeterminant / LogMatrixDeterminant and Lu
// against hand-computed values and naive reconstructions.
#include <cmath>
#include <complex>
#include <cstdint>
#include <limits>
#include <string>
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

absl::StatusOr<std::vector<Tensor>> RunOne(const char* op, const Tensor& input,
                                           bool adjoint = false) {
  KernelHarness h(op);
  h.Attr("T", input.dtype());
  if (std::string(op) == "MatrixInverse") h.Attr("adjoint", adjoint);
  return h.Run({input});
}

void ExpectInvalid(const absl::StatusOr<std::vector<Tensor>>& out,
                   const std::string& text) {
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(out.status().message(), HasSubstr(text));
}

TEST(Cholesky, FactorsHandComputedMatrix) {
  auto out = RunOne("Cholesky",
                    Tensor::FromVector<float>({4, 2, 2, 3}, TensorShape{2, 2}));
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_EQ(
      out->at(0),
      Tensor::FromVector<float>({2, 0, 1, std::sqrt(2.f)}, TensorShape{2, 2}));
}

TEST(Cholesky, ReadsOnlyTheLowerTriangleAndFactorsBatches) {
  // Upper triangle garbage; lower triangle of a batch of SPD matrices.
  const Tensor a = RandomMatrices<double>(TensorShape{3, 4, 4});
  std::vector<double> spd(3 * 16);
  for (int b = 0; b < 3; ++b) {
    auto p = NaiveProduct(a.data<double>() + b * 16, false, 4, 4,
                          a.data<double>() + b * 16, true, 4, 4);
    for (int i = 0; i < 16; ++i) spd[b * 16 + i] = p[i] + (i % 5 == 0 ? 1 : 0);
  }
  std::vector<double> lower_only = spd;
  for (int b = 0; b < 3; ++b) {
    for (int i = 0; i < 4; ++i) {
      for (int j = i + 1; j < 4; ++j) lower_only[b * 16 + i * 4 + j] = 99;
    }
  }
  auto out = RunOne("BatchCholesky",
                    Tensor::FromVector(lower_only, TensorShape{3, 4, 4}));
  ASSERT_TRUE(out.ok()) << out.status();
  for (int b = 0; b < 3; ++b) {
    const double* l = out->at(0).data<double>() + b * 16;
    for (int i = 0; i < 4; ++i) {
      for (int j = i + 1; j < 4; ++j) EXPECT_EQ(l[i * 4 + j], 0);
    }
    auto llt = NaiveProduct(l, false, 4, 4, l, true, 4, 4);
    EXPECT_TENSOR_NEAR(
        Tensor::FromVector(llt, TensorShape{4, 4}),
        Tensor::FromVector(std::vector<double>(spd.begin() + b * 16,
                                               spd.begin() + (b + 1) * 16),
                           TensorShape{4, 4}),
        1e-12, 1e-12);
  }
}

TEST(Cholesky, ComplexHermitianMatrix) {
  using C = std::complex<float>;
  // [[2, i], [-i, 2]] = L L^H with L = [[sqrt2, 0], [-i/sqrt2, sqrt(3/2)]].
  auto out = RunOne("Cholesky",
                    Tensor::FromVector<C>({C(2, 0), C(0, 1), C(0, -1), C(2, 0)},
                                          TensorShape{2, 2}));
  ASSERT_TRUE(out.ok()) << out.status();
  const float r2 = std::sqrt(2.f);
  EXPECT_TENSOR_NEAR(out->at(0),
                     Tensor::FromVector<C>({C(r2, 0), C(0, 0), C(0, -1 / r2),
                                            C(std::sqrt(1.5f), 0)},
                                           TensorShape{2, 2}),
                     1e-6, 1e-6);
}

TEST(Cholesky, NotPositiveDefiniteFillsLowerTriangleWithNaN) {
  auto out = RunOne("Cholesky",
                    Tensor::FromVector<float>({1, 2, 2, 1}, TensorShape{2, 2}));
  ASSERT_TRUE(out.ok()) << out.status();
  const float* l = out->at(0).data<float>();
  EXPECT_TRUE(std::isnan(l[0]));
  EXPECT_EQ(l[1], 0);
  EXPECT_TRUE(std::isnan(l[2]));
  EXPECT_TRUE(std::isnan(l[3]));
}

TEST(Cholesky, EmptyAndBadShapes) {
  auto empty =
      RunOne("Cholesky", Tensor::FromVector<float>({}, TensorShape{2, 0, 0}));
  ASSERT_TRUE(empty.ok()) << empty.status();
  EXPECT_EQ(empty->at(0).shape(), (TensorShape{2, 0, 0}));
  ExpectInvalid(RunOne("Cholesky", Tensor::FromVector<float>(
                                       {1, 2, 3, 4, 5, 6}, TensorShape{2, 3})),
                "Input matrix must be square.");
  ExpectInvalid(RunOne("Cholesky", Tensor::Vector<float>({1})),
                "Input tensor 0 must have rank >= 2, got 1");
  auto half = RunOne("Cholesky", Tensor::FromVector<Eigen::half>(
                                     {Eigen::half(1)}, TensorShape{1, 1}));
  ASSERT_FALSE(half.ok());
  EXPECT_EQ(half.status().code(), absl::StatusCode::kUnimplemented);
}

TEST(MatrixInverse, InvertsHandComputedMatrixAndItsAdjoint) {
  const Tensor a = Tensor::FromVector<float>({4, 7, 2, 6}, TensorShape{2, 2});
  auto out = RunOne("MatrixInverse", a);
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_NEAR(
      out->at(0),
      Tensor::FromVector<float>({0.6f, -0.7f, -0.2f, 0.4f}, TensorShape{2, 2}),
      1e-6, 1e-6);
  auto adj = RunOne("MatrixInverse", a, /*adjoint=*/true);
  ASSERT_TRUE(adj.ok()) << adj.status();
  EXPECT_TENSOR_NEAR(
      adj->at(0),
      Tensor::FromVector<float>({0.6f, -0.2f, -0.7f, 0.4f}, TensorShape{2, 2}),
      1e-6, 1e-6);
}

template <typename T>
void ExpectInverseOfBatch(const TensorShape& shape, bool adjoint, double tol) {
  const Tensor a = RandomMatrices<T>(shape, /*diagonal=*/3);
  auto out = RunOne("MatrixInverse", a, adjoint);
  ASSERT_TRUE(out.ok()) << out.status();
  const int64_t n = shape.dim(shape.rank() - 1);
  const int64_t count = a.NumElements() / (n * n);
  std::vector<T> eye(n * n, T(0));
  for (int64_t i = 0; i < n; ++i) eye[i * n + i] = T(1);
  for (int64_t b = 0; b < count; ++b) {
    auto prod = NaiveProduct(a.data<T>() + b * n * n, adjoint, n, n,
                             out->at(0).data<T>() + b * n * n, false, n, n);
    EXPECT_TENSOR_NEAR(Tensor::FromVector(prod, TensorShape{n, n}),
                       Tensor::FromVector(eye, TensorShape{n, n}), tol, tol);
  }
}

TEST(MatrixInverse, InvertsBatchesOfEveryDtype) {
  for (bool adjoint : {false, true}) {
    ExpectInverseOfBatch<float>(TensorShape{2, 3, 5, 5}, adjoint, 1e-5);
    ExpectInverseOfBatch<double>(TensorShape{4, 6, 6}, adjoint, 1e-12);
    ExpectInverseOfBatch<std::complex<float>>(TensorShape{2, 3, 3}, adjoint,
                                              1e-5);
    ExpectInverseOfBatch<std::complex<double>>(TensorShape{7, 7}, adjoint,
                                               1e-12);
  }
}

TEST(MatrixInverse, HalfIsComputedInFloat) {
  KernelHarness h("BatchMatrixInverse");
  h.Attr("T", DT_HALF);
  auto out = h.Run({Tensor::FromVector<Eigen::half>(
      {Eigen::half(2), Eigen::half(0), Eigen::half(0), Eigen::half(4)},
      TensorShape{2, 2})});
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_EQ(out->at(0), Tensor::FromVector<Eigen::half>(
                                   {Eigen::half(0.5f), Eigen::half(0),
                                    Eigen::half(0), Eigen::half(0.25f)},
                                   TensorShape{2, 2}));
}

TEST(MatrixInverse, SingularEmptyAndBadInput) {
  ExpectInvalid(RunOne("MatrixInverse", Tensor::FromVector<double>(
                                            {1, 2, 2, 4}, TensorShape{2, 2})),
                "Input is not invertible.");
  auto empty = RunOne("MatrixInverse",
                      Tensor::FromVector<float>({}, TensorShape{0, 3, 3}));
  ASSERT_TRUE(empty.ok()) << empty.status();
  EXPECT_EQ(empty->at(0).shape(), (TensorShape{0, 3, 3}));
  auto zero =
      RunOne("MatrixInverse", Tensor::FromVector<float>({}, TensorShape{0, 0}));
  ASSERT_TRUE(zero.ok()) << zero.status();
  ExpectInvalid(RunOne("MatrixInverse",
                       Tensor::FromVector<float>({1, 2}, TensorShape{1, 2})),
                "Input matrix must be square.");
  auto ints = RunOne("MatrixInverse",
                     Tensor::FromVector<int32_t>({1}, TensorShape{1, 1}));
  ASSERT_FALSE(ints.ok());
  EXPECT_EQ(ints.status().code(), absl::StatusCode::kUnimplemented);
}

TEST(MatrixDeterminant, HandComputedBatch) {
  auto out =
      RunOne("MatrixDeterminant",
             Tensor::FromVector<float>({1, 2, 3, 4, 2, 0, 0, 5, 1, 2, 2, 4},
                                       TensorShape{3, 2, 2}));
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_NEAR(out->at(0), Tensor::Vector<float>({-2, 10, 0}), 1e-6,
                     1e-6);
}

TEST(MatrixDeterminant, ThreeByThreeAndComplexAndEmpty) {
  auto three = RunOne("BatchMatrixDeterminant",
                      Tensor::FromVector<double>({2, -3, 1, 2, 0, -1, 1, 4, 5},
                                                 TensorShape{3, 3}));
  ASSERT_TRUE(three.ok()) << three.status();
  EXPECT_TENSOR_NEAR(three->at(0), Tensor::Scalar<double>(49), 1e-12, 1e-12);
  using C = std::complex<double>;
  auto complex =
      RunOne("MatrixDeterminant",
             Tensor::FromVector<C>({C(0, 1), C(2, 0), C(1, 0), C(0, 1)},
                                   TensorShape{2, 2}));
  ASSERT_TRUE(complex.ok()) << complex.status();
  // i * i - 2 * 1 = -3.
  EXPECT_TENSOR_NEAR(complex->at(0), Tensor::Scalar<C>(C(-3, 0)), 1e-12, 1e-12);
  auto empty = RunOne("MatrixDeterminant",
                      Tensor::FromVector<float>({}, TensorShape{2, 0, 0}));
  ASSERT_TRUE(empty.ok()) << empty.status();
  EXPECT_TENSOR_EQ(empty->at(0), Tensor::Vector<float>({1, 1}));
  auto no_batch = RunOne("MatrixDeterminant",
                         Tensor::FromVector<float>({}, TensorShape{0, 4, 4}));
  ASSERT_TRUE(no_batch.ok()) << no_batch.status();
  EXPECT_EQ(no_batch->at(0).shape(), TensorShape{0});
  ExpectInvalid(RunOne("MatrixDeterminant",
                       Tensor::FromVector<float>({1, 2}, TensorShape{2, 1})),
                "Input matrix must be square.");
}

TEST(LogMatrixDeterminant, SignAndLogOfAbsoluteValue) {
  auto out = RunOne(
      "LogMatrixDeterminant",
      Tensor::FromVector<float>({1, 2, 3, 4, 1, 2, 2, 4, 1e20f, 0, 0, 1e20f},
                                TensorShape{3, 2, 2}));
  ASSERT_TRUE(out.ok()) << out.status();
  const float inf = std::numeric_limits<float>::infinity();
  EXPECT_TENSOR_NEAR(out->at(0), Tensor::Vector<float>({-1, 0, 1}), 1e-6, 1e-6);
  EXPECT_TENSOR_NEAR(
      out->at(1),
      Tensor::Vector<float>({std::log(2.f), -inf, 40 * std::log(10.f)}), 1e-5,
      1e-5);
  using C = std::complex<float>;
  auto complex = RunOne("LogMatrixDeterminant",
                        Tensor::FromVector<C>({C(0, 2)}, TensorShape{1, 1}));
  ASSERT_TRUE(complex.ok()) << complex.status();
  EXPECT_TENSOR_NEAR(complex->at(0), Tensor::Scalar<C>(C(0, 1)), 1e-6, 1e-6);
  EXPECT_TENSOR_NEAR(complex->at(1), Tensor::Scalar<C>(C(std::log(2.f), 0)),
                     1e-6, 1e-6);
}

template <typename Index>
void ExpectLuReconstructs(const Tensor& a) {
  KernelHarness h("Lu");
  h.Attr("T", a.dtype()).Attr("output_idx_type", DataTypeOf<Index>::value);
  auto out = h.Run({a});
  ASSERT_TRUE(out.ok()) << out.status();
  const int64_t n = a.dim(a.rank() - 1);
  const int64_t count = a.NumElements() / (n * n);
  ASSERT_EQ(out->at(1).dtype(), DataTypeOf<Index>::value);
  for (int64_t b = 0; b < count; ++b) {
    const double* lu = out->at(0).data<double>() + b * n * n;
    const Index* p = out->at(1).data<Index>() + b * n;
    std::vector<double> l(n * n, 0), u(n * n, 0), pa(n * n);
    for (int64_t i = 0; i < n; ++i) {
      for (int64_t j = 0; j < n; ++j) {
        if (j < i) l[i * n + j] = lu[i * n + j];
        if (j == i) l[i * n + j] = 1;
        if (j >= i) u[i * n + j] = lu[i * n + j];
        pa[i * n + j] = a.data<double>()[b * n * n + p[i] * n + j];
      }
    }
    auto prod = NaiveProduct(l.data(), false, n, n, u.data(), false, n, n);
    EXPECT_TENSOR_NEAR(Tensor::FromVector(prod, TensorShape{n, n}),
                       Tensor::FromVector(pa, TensorShape{n, n}), 1e-12, 1e-12);
  }
}

TEST(Lu, PermutedInputEqualsLowerTimesUpper) {
  ExpectLuReconstructs<int32_t>(RandomMatrices<double>(TensorShape{2, 5, 5}));
  ExpectLuReconstructs<int64_t>(RandomMatrices<double>(TensorShape{3, 3}));
}

TEST(Lu, HandComputedPivoting) {
  KernelHarness h("Lu");
  h.Attr("T", DT_FLOAT);
  auto out =
      h.Run({Tensor::FromVector<float>({1, 2, 3, 4}, TensorShape{2, 2})});
  ASSERT_TRUE(out.ok()) << out.status();
  // Row 1 (3, 4) is the pivot: L = [[1, 0], [1/3, 1]], U = [[3, 4], [0, 2/3]].
  EXPECT_TENSOR_NEAR(
      out->at(0),
      Tensor::FromVector<float>({3, 4, 1 / 3.f, 2 / 3.f}, TensorShape{2, 2}),
      1e-6, 1e-6);
  EXPECT_TENSOR_EQ(out->at(1), Tensor::Vector<int32_t>({1, 0}));
}

TEST(Lu, SingularEmptyAndBadInput) {
  KernelHarness h("Lu");
  h.Attr("T", DT_FLOAT);
  ExpectInvalid(
      h.Run({Tensor::FromVector<float>({1, 2, 2, 4}, TensorShape{2, 2})}),
      "Input is not invertible.");
  auto empty = h.Run({Tensor::FromVector<float>({}, TensorShape{3, 0, 0})});
  ASSERT_TRUE(empty.ok()) << empty.status();
  EXPECT_EQ(empty->at(0).shape(), (TensorShape{3, 0, 0}));
  EXPECT_EQ(empty->at(1).shape(), (TensorShape{3, 0}));
  ExpectInvalid(h.Run({Tensor::FromVector<float>({1, 2}, TensorShape{1, 2})}),
                "Input matrix must be square.");
  ExpectInvalid(h.Run({Tensor::Scalar<float>(1)}),
                "Input tensor must have rank >= 2, got 0");
  KernelHarness bad("Lu");
  bad.Attr("T", DT_FLOAT).Attr("output_idx_type", DT_FLOAT);
  auto out = bad.Run({Tensor::FromVector<float>({1}, TensorShape{1, 1})});
  ASSERT_FALSE(out.ok());
}

}  // namespace
}  // namespace model_server
