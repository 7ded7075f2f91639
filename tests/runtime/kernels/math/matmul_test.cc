#include <cstdint>
#include <random>
#include <vector>

#include "gtest/gtest.h"
#include "runtime/tensor.h"
#include "tests/testing/kernel_harness.h"

namespace model_server {
namespace {

Tensor RandomFloats(const TensorShape& shape, std::mt19937* rng) {
  std::uniform_real_distribution<float> dist(-1.f, 1.f);
  std::vector<float> values(shape.num_elements());
  for (float& v : values) v = dist(*rng);
  return Tensor::FromVector(values, shape);
}

// Naive reference: out[b] = op(x[b]) * op(y[b]) with broadcast batches given
// as explicit per-output-batch offsets.
Tensor NaiveMatMul(const Tensor& x, const Tensor& y, bool tx, bool ty) {
  const int64_t xr = x.dim(0), xc = x.dim(1), yr = y.dim(0), yc = y.dim(1);
  const int64_t m = tx ? xc : xr, k = tx ? xr : xc, n = ty ? yr : yc;
  std::vector<float> out(m * n);
  const float* a = x.data<float>();
  const float* b = y.data<float>();
  for (int64_t i = 0; i < m; ++i) {
    for (int64_t j = 0; j < n; ++j) {
      double sum = 0;
      for (int64_t p = 0; p < k; ++p) {
        const float av = tx ? a[p * xc + i] : a[i * xc + p];
        const float bv = ty ? b[j * yc + p] : b[p * yc + j];
        sum += static_cast<double>(av) * bv;
      }
      out[i * n + j] = static_cast<float>(sum);
    }
  }
  return Tensor::FromVector(out, TensorShape{m, n});
}

absl::StatusOr<std::vector<Tensor>> RunMatMul(const Tensor& a, const Tensor& b,
                                              bool ta, bool tb) {
  KernelHarness h("MatMul");
  h.Attr("T", a.dtype()).Attr("transpose_a", ta).Attr("transpose_b", tb);
  return h.Run({a, b});
}

TEST(MatMul, MultipliesHandComputedMatrices) {
  Tensor a = Tensor::FromVector<float>({1, 2, 3, 4, 5, 6}, TensorShape{2, 3});
  Tensor b =
      Tensor::FromVector<float>({7, 8, 9, 10, 11, 12}, TensorShape{3, 2});
  auto out = RunMatMul(a, b, false, false);
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_EQ(out->at(0), Tensor::FromVector<float>({58, 64, 139, 154},
                                                         TensorShape{2, 2}));
}

TEST(MatMul, TransposeFlagsMatchNaiveOnRandomShapes) {
  std::mt19937 rng(1);
  // m x k x n; the last five are large enough for the pool (Eigen's tensor
  // contraction), with more rows than columns or fewer.
  const int64_t sizes[][3] = {{1, 1, 1},      {1, 7, 5},     {5, 1, 3},
                              {3, 5, 1},      {17, 9, 13},   {33, 65, 31},
                              {64, 64, 64},   {130, 70, 90}, {150, 120, 130},
                              {20, 400, 300}, {9, 600, 400}, {403, 600, 9}};
  for (const auto& s : sizes) {
    const int64_t m = s[0], k = s[1], n = s[2];
    for (int t = 0; t < 4; ++t) {
      const bool ta = t & 1, tb = t & 2;
      Tensor a = RandomFloats(ta ? TensorShape{k, m} : TensorShape{m, k}, &rng);
      Tensor b = RandomFloats(tb ? TensorShape{n, k} : TensorShape{k, n}, &rng);
      auto out = RunMatMul(a, b, ta, tb);
      ASSERT_TRUE(out.ok()) << out.status();
      EXPECT_TENSOR_NEAR(out->at(0), NaiveMatMul(a, b, ta, tb), 1e-4, 1e-4)
          << "m=" << m << " k=" << k << " n=" << n << " ta=" << ta
          << " tb=" << tb;
    }
  }
}

TEST(MatMul, LargeVectorTimesMatrixSplitsOverColumns) {
  std::mt19937 rng(4);
  for (bool tb : {false, true}) {
    Tensor a = RandomFloats(TensorShape{1, 700}, &rng);
    Tensor b =
        RandomFloats(tb ? TensorShape{900, 700} : TensorShape{700, 900}, &rng);
    auto out = RunMatMul(a, b, false, tb);
    ASSERT_TRUE(out.ok()) << out.status();
    EXPECT_TENSOR_NEAR(out->at(0), NaiveMatMul(a, b, false, tb), 1e-4, 1e-4);
  }
}

TEST(MatMul, LargeIntegerProductSplitsOverRows) {
  std::mt19937 rng(5);
  std::uniform_int_distribution<int32_t> dist(-5, 5);
  const int64_t m = 1100, k = 50, n = 40;  // 2.2M multiply-adds: the pool
  std::vector<int32_t> av(m * k), bv(k * n), cv(m * n, 0);
  for (auto& v : av) v = dist(rng);
  for (auto& v : bv) v = dist(rng);
  for (int64_t i = 0; i < m; ++i)
    for (int64_t j = 0; j < n; ++j)
      for (int64_t p = 0; p < k; ++p)
        cv[i * n + j] += av[i * k + p] * bv[p * n + j];
  auto out = RunMatMul(Tensor::FromVector(av, TensorShape{m, k}),
                       Tensor::FromVector(bv, TensorShape{k, n}), false, false);
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_EQ(out->at(0), Tensor::FromVector(cv, TensorShape{m, n}));
}

TEST(MatMul, SupportsDoubleInt32Int64AndHalf) {
  {
    auto out =
        RunMatMul(Tensor::FromVector<double>({1, 2, 3, 4}, TensorShape{2, 2}),
                  Tensor::FromVector<double>({5, 6, 7, 8}, TensorShape{2, 2}),
                  false, false);
    ASSERT_TRUE(out.ok()) << out.status();
    EXPECT_TENSOR_EQ(out->at(0), Tensor::FromVector<double>({19, 22, 43, 50},
                                                            TensorShape{2, 2}));
  }
  {
    auto out =
        RunMatMul(Tensor::FromVector<int32_t>({1, 2, 3, 4}, TensorShape{2, 2}),
                  Tensor::FromVector<int32_t>({5, 6, 7, 8}, TensorShape{2, 2}),
                  true, false);
    ASSERT_TRUE(out.ok()) << out.status();
    EXPECT_TENSOR_EQ(out->at(0), Tensor::FromVector<int32_t>(
                                     {26, 30, 38, 44}, TensorShape{2, 2}));
  }
  {
    auto out =
        RunMatMul(Tensor::FromVector<int64_t>({1, 2, 3, 4}, TensorShape{2, 2}),
                  Tensor::FromVector<int64_t>({5, 6, 7, 8}, TensorShape{2, 2}),
                  false, true);
    ASSERT_TRUE(out.ok()) << out.status();
    EXPECT_TENSOR_EQ(out->at(0), Tensor::FromVector<int64_t>(
                                     {17, 23, 39, 53}, TensorShape{2, 2}));
  }
  {
    using H = Eigen::half;
    auto out = RunMatMul(
        Tensor::FromVector<H>({H(1), H(2), H(3), H(4)}, TensorShape{2, 2}),
        Tensor::FromVector<H>({H(5), H(6), H(7), H(8)}, TensorShape{2, 2}),
        false, false);
    ASSERT_TRUE(out.ok()) << out.status();
    EXPECT_TENSOR_EQ(
        out->at(0),
        Tensor::FromVector<H>({H(19), H(22), H(43), H(50)}, TensorShape{2, 2}));
  }
}

TEST(MatMul, EmptyInnerDimensionGivesZeros) {
  auto out =
      RunMatMul(Tensor::FromVector<float>({}, TensorShape{2, 0}),
                Tensor::FromVector<float>({}, TensorShape{0, 3}), false, false);
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_EQ(out->at(0), Tensor::FromVector<float>({0, 0, 0, 0, 0, 0},
                                                         TensorShape{2, 3}));
}

TEST(MatMul, SizeMismatchNamesBothShapes) {
  auto out = RunMatMul(
      Tensor::FromVector<float>(std::vector<float>(6, 1), TensorShape{2, 3}),
      Tensor::FromVector<float>(std::vector<float>(20, 1), TensorShape{4, 5}),
      false, false);
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(out.status().message().find(
                "Matrix size-incompatible: In[0]: [2,3], In[1]: [4,5]"),
            std::string::npos)
      << out.status();
}

TEST(MatMul, RejectsNonMatrixInputs) {
  auto out = RunMatMul(Tensor::Vector<float>({1, 2, 3}),
                       Tensor::Vector<float>({1, 2, 3}), false, false);
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.status().code(), absl::StatusCode::kInvalidArgument);
  auto mixed = RunMatMul(Tensor::FromVector<float>({1, 2}, TensorShape{1, 2}),
                         Tensor::Vector<float>({1, 2}), false, false);
  ASSERT_FALSE(mixed.ok());
  EXPECT_NE(mixed.status().message().find("different ndims"),
            std::string::npos);
}

TEST(MatMul, RejectsInputOfWrongDtype) {
  KernelHarness h("MatMul");
  h.Attr("T", DT_FLOAT);
  auto out = h.Run({Tensor::FromVector<int32_t>({1}, TensorShape{1, 1}),
                    Tensor::FromVector<int32_t>({1}, TensorShape{1, 1})});
  EXPECT_FALSE(out.ok());
}

TEST(MatMul, RejectsComplexAtLoad) {
  KernelHarness h("MatMul");
  h.Attr("T", DT_COMPLEX64);
  auto out = h.Run(
      {Tensor::FromVector<std::complex<float>>({{1, 0}}, TensorShape{1, 1}),
       Tensor::FromVector<std::complex<float>>({{1, 0}}, TensorShape{1, 1})});
  ASSERT_FALSE(out.ok());
  EXPECT_NE(out.status().message().find("unsupported types"), std::string::npos)
      << out.status();
}

// Reference for batched products: slices batch b of a [B,r,c] float tensor.
Tensor Slice(const Tensor& t, int64_t b) {
  const int64_t r = t.dim(t.rank() - 2), c = t.dim(t.rank() - 1);
  std::vector<float> v(t.data<float>() + b * r * c,
                       t.data<float>() + (b + 1) * r * c);
  return Tensor::FromVector(v, TensorShape{r, c});
}

TEST(BatchMatMul, AdjointFlagsMatchNaivePerBatch) {
  std::mt19937 rng(2);
  for (int t = 0; t < 4; ++t) {
    const bool ax = t & 1, ay = t & 2;
    const int64_t B = 3, m = 5, k = 7, n = 4;
    Tensor x =
        RandomFloats(ax ? TensorShape{B, k, m} : TensorShape{B, m, k}, &rng);
    Tensor y =
        RandomFloats(ay ? TensorShape{B, n, k} : TensorShape{B, k, n}, &rng);
    KernelHarness h("BatchMatMul");
    h.Attr("T", DT_FLOAT).Attr("adj_x", ax).Attr("adj_y", ay);
    auto out = h.Run({x, y});
    ASSERT_TRUE(out.ok()) << out.status();
    ASSERT_EQ(out->at(0).shape(), (TensorShape{B, m, n}));
    for (int64_t b = 0; b < B; ++b) {
      EXPECT_TENSOR_NEAR(Slice(out->at(0), b),
                         NaiveMatMul(Slice(x, b), Slice(y, b), ax, ay), 1e-4,
                         1e-4);
    }
  }
}

TEST(BatchMatMul, RejectsDifferentBatchDimensions) {
  KernelHarness h("BatchMatMul");
  h.Attr("T", DT_FLOAT);
  auto out = h.Run({Tensor::FromVector<float>(std::vector<float>(4, 1),
                                              TensorShape{1, 2, 2}),
                    Tensor::FromVector<float>(std::vector<float>(8, 1),
                                              TensorShape{2, 2, 2})});
  ASSERT_FALSE(out.ok());
  EXPECT_NE(out.status().message().find("must be the same"), std::string::npos)
      << out.status();
}

// Naive broadcast batch matmul over [.., m, k] x [.., k, n] float tensors.
Tensor NaiveBroadcastBatch(const Tensor& x, const Tensor& y,
                           const std::vector<int64_t>& out_batch) {
  const int rx = x.rank(), ry = y.rank();
  const int br = static_cast<int>(out_batch.size());
  std::vector<int64_t> xb(br, 1), yb(br, 1);
  for (int i = 0; i < rx - 2; ++i) xb[br - (rx - 2) + i] = x.dim(i);
  for (int i = 0; i < ry - 2; ++i) yb[br - (ry - 2) + i] = y.dim(i);
  int64_t total = 1;
  for (int64_t d : out_batch) total *= d;
  const int64_t m = x.dim(rx - 2), n = y.dim(ry - 1);
  std::vector<float> out;
  for (int64_t b = 0; b < total; ++b) {
    int64_t rem = b, xi = 0, yi = 0, xs = 1, ys = 1;
    for (int i = br - 1; i >= 0; --i) {
      const int64_t c = rem % out_batch[i];
      rem /= out_batch[i];
      if (xb[i] != 1) xi += c * xs;
      if (yb[i] != 1) yi += c * ys;
      xs *= xb[i];
      ys *= yb[i];
    }
    Tensor p = NaiveMatMul(Slice(x, xi), Slice(y, yi), false, false);
    out.insert(out.end(), p.data<float>(), p.data<float>() + m * n);
  }
  std::vector<int64_t> dims = out_batch;
  dims.push_back(m);
  dims.push_back(n);
  return Tensor::FromVector(out, *TensorShape::FromDims(dims));
}

TEST(BatchMatMulV2, HandComputedBroadcastOfSharedMatrix) {
  // x: two 1x2 matrices; y: one 2x2 matrix shared by both.
  KernelHarness h("BatchMatMulV2");
  h.Attr("T", DT_FLOAT).Attr("adj_y", true);
  auto out =
      h.Run({Tensor::FromVector<float>({1, 2, 3, 4}, TensorShape{2, 1, 2}),
             Tensor::FromVector<float>({1, 0, 1, 1}, TensorShape{2, 2})});
  ASSERT_TRUE(out.ok()) << out.status();
  // y^T = [[1, 1], [0, 1]]: [1, 2] -> [1, 3]; [3, 4] -> [3, 7].
  EXPECT_TENSOR_EQ(out->at(0), Tensor::FromVector<float>({1, 3, 3, 7},
                                                         TensorShape{2, 1, 2}));
}

TEST(BatchMatMulV2, BroadcastsBatchDimensionsLikeNumpy) {
  std::mt19937 rng(3);
  struct Case {
    TensorShape x, y;
    std::vector<int64_t> out_batch;
  };
  const Case cases[] = {
      {TensorShape{2, 1, 3, 4}, TensorShape{5, 4, 2}, {2, 5}},
      {TensorShape{3, 4}, TensorShape{2, 3, 4, 6}, {2, 3}},
      {TensorShape{4, 3, 4}, TensorShape{4, 6}, {4}},
      {TensorShape{1, 9, 8}, TensorShape{7, 8, 3}, {7}},
      {TensorShape{50, 3, 8}, TensorShape{50, 8, 3}, {50}},
  };
  for (const Case& c : cases) {
    Tensor x = RandomFloats(c.x, &rng), y = RandomFloats(c.y, &rng);
    KernelHarness h("BatchMatMulV2");
    h.Attr("T", DT_FLOAT);
    auto out = h.Run({x, y});
    ASSERT_TRUE(out.ok()) << out.status();
    EXPECT_TENSOR_NEAR(out->at(0), NaiveBroadcastBatch(x, y, c.out_batch), 1e-4,
                       1e-4)
        << c.x.DebugString() << " x " << c.y.DebugString();
  }
}

TEST(BatchMatMulV2, RejectsIncompatibleBatchDimensions) {
  KernelHarness h("BatchMatMulV2");
  h.Attr("T", DT_FLOAT);
  auto out = h.Run({Tensor::FromVector<float>(std::vector<float>(12, 1),
                                              TensorShape{3, 2, 2}),
                    Tensor::FromVector<float>(std::vector<float>(8, 1),
                                              TensorShape{2, 2, 2})});
  ASSERT_FALSE(out.ok());
  EXPECT_NE(out.status().message().find(
                "In[0] and In[1] must have compatible batch dimensions: "
                "[3,2,2] vs. [2,2,2]"),
            std::string::npos)
      << out.status();
  auto low_rank = h.Run({Tensor::Vector<float>({1, 2}),
                         Tensor::FromVector<float>({1, 2}, TensorShape{2, 1})});
  ASSERT_FALSE(low_rank.ok());
  EXPECT_NE(low_rank.status().message().find("In[0] ndims must be >= 2: 1"),
            std::string::npos);
}

TEST(BatchMatMulV3, CastsInputTypesToTout) {
  KernelHarness h("BatchMatMulV3");
  h.Attr("Ta", DT_INT8).Attr("Tb", DT_INT8).Attr("Tout", DT_INT32);
  auto out = h.Run(
      {Tensor::FromVector<int8_t>({1, 2, 3, 4}, TensorShape{1, 2, 2}),
       Tensor::FromVector<int8_t>({100, 100, 100, 100}, TensorShape{2, 2})});
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_EQ(out->at(0), Tensor::FromVector<int32_t>(
                                   {300, 300, 700, 700}, TensorShape{1, 2, 2}));
}

TEST(BatchMatMulV3, FloatWithAdjoint) {
  KernelHarness h("BatchMatMulV3");
  h.Attr("Ta", DT_FLOAT).Attr("Tb", DT_FLOAT).Attr("Tout", DT_FLOAT);
  h.Attr("adj_x", true);
  auto out =
      h.Run({Tensor::FromVector<float>({1, 2, 3, 4}, TensorShape{2, 2}),
             Tensor::FromVector<float>({1, 0, 0, 1}, TensorShape{2, 2})});
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_EQ(out->at(0),
                   Tensor::FromVector<float>({1, 3, 2, 4}, TensorShape{2, 2}));
}

}  // namespace
}  // namespace model_server
