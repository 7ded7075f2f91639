#include <cstdint>
#include <map>
#include <random>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "runtime/tensor.h"
#include "tests/testing/kernel_harness.h"

namespace model_server {
namespace {

absl::StatusOr<std::vector<Tensor>> Einsum(const std::string& equation,
                                           const std::vector<Tensor>& inputs) {
  KernelHarness h("Einsum");
  h.Attr("T", inputs[0].dtype()).Attr("equation", equation);
  h.Attr("N", static_cast<int>(inputs.size()));
  return h.Run(inputs);
}

// Einsum the slow, obvious way for letter-only explicit equations: loop over
// every assignment of every label.
Tensor NaiveEinsum(const std::string& equation,
                   const std::vector<Tensor>& inputs) {
  const size_t arrow = equation.find("->");
  std::vector<std::string> terms;
  std::string lhs = equation.substr(0, arrow), term;
  for (char c : lhs) {
    if (c == ',') {
      terms.push_back(term);
      term.clear();
    } else {
      term += c;
    }
  }
  terms.push_back(term);
  const std::string out = equation.substr(arrow + 2);
  std::map<char, int64_t> size;
  for (size_t i = 0; i < terms.size(); ++i) {
    for (size_t d = 0; d < terms[i].size(); ++d) {
      size[terms[i][d]] = inputs[i].dim(static_cast<int>(d));
    }
  }
  std::vector<char> labels;
  for (const auto& [label, s] : size) labels.push_back(label);
  std::vector<int64_t> out_dims;
  for (char c : out) out_dims.push_back(size[c]);
  TensorShape out_shape = *TensorShape::FromDims(out_dims);
  std::vector<double> result(out_shape.num_elements(), 0);
  int64_t total = 1;
  for (char c : labels) total *= size[c];
  std::map<char, int64_t> value;
  auto flat = [&](const std::string& t, const TensorShape& shape) {
    int64_t index = 0;
    for (size_t d = 0; d < t.size(); ++d) {
      index = index * shape.dim(static_cast<int>(d)) + value[t[d]];
    }
    return index;
  };
  for (int64_t a = 0; a < total; ++a) {
    int64_t rem = a;
    for (auto it = labels.rbegin(); it != labels.rend(); ++it) {
      value[*it] = rem % size[*it];
      rem /= size[*it];
    }
    double prod = 1;
    for (size_t i = 0; i < terms.size(); ++i) {
      prod *= inputs[i].data<double>()[flat(terms[i], inputs[i].shape())];
    }
    result[flat(out, out_shape)] += prod;
  }
  return Tensor::FromVector(result, out_shape);
}

Tensor Random(std::vector<int64_t> dims, std::mt19937* rng) {
  TensorShape shape = *TensorShape::FromDims(dims);
  std::uniform_real_distribution<double> dist(-1, 1);
  std::vector<double> v(shape.num_elements());
  for (double& e : v) e = dist(*rng);
  return Tensor::FromVector(v, shape);
}

TEST(Einsum, MatrixProductHandComputed) {
  Tensor a = Tensor::FromVector<float>({1, 2, 3, 4, 5, 6}, TensorShape{2, 3});
  Tensor b = Tensor::FromVector<float>({1, 0, 0, 1, 1, 1}, TensorShape{3, 2});
  auto out = Einsum("ij,jk->ik", {a, b});
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_EQ(
      out->at(0), Tensor::FromVector<float>({4, 5, 10, 11}, TensorShape{2, 2}));
}

TEST(Einsum, KerasAndTransformerEquationsMatchNaiveReference) {
  std::mt19937 rng(17);
  struct Case {
    std::string equation;
    std::vector<std::vector<int64_t>> dims;
  };
  const std::vector<Case> cases = {
      // EinsumDense.
      {"abc,cd->abd", {{2, 3, 4}, {4, 5}}},
      {"abc,cde->abde", {{2, 3, 4}, {4, 2, 3}}},
      {"abcd,cde->abe", {{2, 3, 2, 4}, {2, 4, 5}}},
      {"ab,bc->ac", {{3, 4}, {4, 2}}},
      // MultiHeadAttention: scores and the attention-weighted values.
      {"aecd,abcd->acbe", {{2, 5, 3, 4}, {2, 6, 3, 4}}},
      {"acbe,aecd->abcd", {{2, 3, 6, 5}, {2, 5, 3, 4}}},
      // Batch matmul, transposed operands, outer product, dot, reductions.
      {"bij,bjk->bik", {{3, 2, 4}, {3, 4, 5}}},
      {"bij,bkj->bki", {{3, 2, 4}, {3, 5, 4}}},
      {"i,j->ij", {{3}, {4}}},
      {"i,i->", {{5}, {5}}},
      {"ij,ij->ij", {{2, 3}, {2, 3}}},
      {"ij,j->i", {{3, 4}, {4}}},
      // Labels only one input has are summed before the product.
      {"ijk,jl->il", {{2, 3, 4}, {3, 5}}},
      {"ij,kl->ik", {{2, 3}, {4, 5}}},
      // One input: transpose, sum, trace, diagonal.
      {"ij->ji", {{3, 4}}},
      {"ijk->kij", {{2, 3, 4}}},
      {"ij->", {{3, 4}}},
      {"ij->j", {{3, 4}}},
      {"ii->", {{4, 4}}},
      {"ii->i", {{4, 4}}},
      {"bii->bi", {{2, 3, 3}}},
      // A repeated label in a two-input equation.
      {"ii,ij->ij", {{3, 3}, {3, 2}}},
  };
  for (const Case& c : cases) {
    std::vector<Tensor> inputs;
    for (const auto& d : c.dims) inputs.push_back(Random(d, &rng));
    auto out = Einsum(c.equation, inputs);
    ASSERT_TRUE(out.ok()) << c.equation << ": " << out.status();
    EXPECT_TENSOR_NEAR(out->at(0), NaiveEinsum(c.equation, inputs), 1e-12,
                       1e-12)
        << c.equation;
  }
}

TEST(Einsum, EllipsisBroadcastsBatchDimensions) {
  std::mt19937 rng(18);
  Tensor a = Random({2, 3, 4}, &rng);
  Tensor b = Random({2, 4, 5}, &rng);
  auto out = Einsum("...ij,...jk->...ik", {a, b});
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_NEAR(out->at(0), NaiveEinsum("bij,bjk->bik", {a, b}), 1e-12,
                     1e-12);
  // [2,1,3,4] x [5,4,2] broadcasts to [2,5,3,2].
  Tensor c = Random({2, 1, 3, 4}, &rng);
  Tensor d = Random({5, 4, 2}, &rng);
  auto bcast = Einsum("...ij,...jk->...ik", {c, d});
  ASSERT_TRUE(bcast.ok()) << bcast.status();
  ASSERT_EQ(bcast->at(0).shape(), (TensorShape{2, 5, 3, 2}));
  for (int64_t x = 0; x < 2; ++x) {
    for (int64_t y = 0; y < 5; ++y) {
      for (int64_t i = 0; i < 3; ++i) {
        for (int64_t k = 0; k < 2; ++k) {
          double want = 0;
          for (int64_t j = 0; j < 4; ++j) {
            want += c.data<double>()[(x * 3 + i) * 4 + j] *
                    d.data<double>()[(y * 4 + j) * 2 + k];
          }
          EXPECT_NEAR(
              bcast->at(0).data<double>()[((x * 5 + y) * 3 + i) * 2 + k], want,
              1e-12);
        }
      }
    }
  }
  // Keras EinsumDense "...b,bc->...c" on a rank-3 input.
  Tensor e = Random({2, 3, 4}, &rng);
  Tensor w = Random({4, 6}, &rng);
  auto dense = Einsum("...b,bc->...c", {e, w});
  ASSERT_TRUE(dense.ok()) << dense.status();
  EXPECT_TENSOR_NEAR(dense->at(0), NaiveEinsum("xyb,bc->xyc", {e, w}), 1e-12,
                     1e-12);
  // No ellipsis in the output: its dimensions are summed.
  auto summed = Einsum("...i->i", {e});
  ASSERT_TRUE(summed.ok()) << summed.status();
  EXPECT_TENSOR_NEAR(summed->at(0), NaiveEinsum("xyi->i", {e}), 1e-12, 1e-12);
}

TEST(Einsum, ImplicitOutputIsAlphabeticalSingleUseLabels) {
  std::mt19937 rng(19);
  Tensor a = Random({3, 4}, &rng);
  Tensor b = Random({4, 2}, &rng);
  auto out = Einsum("ij,jk", {a, b});
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_NEAR(out->at(0), NaiveEinsum("ij,jk->ik", {a, b}), 1e-12,
                     1e-12);
  auto transposed = Einsum("ba", {a});
  ASSERT_TRUE(transposed.ok()) << transposed.status();
  EXPECT_TENSOR_NEAR(transposed->at(0), NaiveEinsum("ba->ab", {a}), 1e-12,
                     1e-12);
}

TEST(Einsum, HalfIntegerAndLargeProducts) {
  using Eigen::half;
  Tensor a = Tensor::FromVector<half>(
      {half(1.f), half(2.f), half(3.f), half(4.f)}, TensorShape{2, 2});
  auto h = Einsum("ij,jk->ik", {a, a});
  ASSERT_TRUE(h.ok()) << h.status();
  EXPECT_TENSOR_EQ(h->at(0), Tensor::FromVector<half>({half(7.f), half(10.f),
                                                       half(15.f), half(22.f)},
                                                      TensorShape{2, 2}));
  Tensor i = Tensor::FromVector<int64_t>({1, 2, 3, 4}, TensorShape{2, 2});
  auto ints = Einsum("ij,kj->ik", {i, i});
  ASSERT_TRUE(ints.ok()) << ints.status();
  EXPECT_TENSOR_EQ(ints->at(0), Tensor::FromVector<int64_t>({5, 11, 11, 25},
                                                            TensorShape{2, 2}));
  // Large enough for the thread pool in the gathers and the products.
  std::mt19937 rng(20);
  Tensor x = Random({8, 64, 48}, &rng);
  Tensor y = Random({8, 48, 40}, &rng);
  auto big = Einsum("bij,bjk->bki", {x, y});
  ASSERT_TRUE(big.ok()) << big.status();
  EXPECT_TENSOR_NEAR(big->at(0), NaiveEinsum("bij,bjk->bki", {x, y}), 1e-10,
                     1e-10);
}

TEST(Einsum, EmptyDimensions) {
  Tensor a = Tensor::FromVector<float>({}, TensorShape{2, 0});
  Tensor b = Tensor::FromVector<float>({}, TensorShape{0, 3});
  auto zeros = Einsum("ij,jk->ik", {a, b});
  ASSERT_TRUE(zeros.ok()) << zeros.status();
  EXPECT_TENSOR_EQ(zeros->at(0), Tensor::FromVector<float>({0, 0, 0, 0, 0, 0},
                                                           TensorShape{2, 3}));
  auto empty = Einsum("ij,jk->ki",
                      {Tensor::FromVector<float>({}, TensorShape{0, 2}),
                       Tensor::FromVector<float>({1, 2}, TensorShape{2, 1})});
  ASSERT_TRUE(empty.ok()) << empty.status();
  EXPECT_EQ(empty->at(0).shape(), (TensorShape{1, 0}));
  auto sum = Einsum("ij->", {a});
  ASSERT_TRUE(sum.ok()) << sum.status();
  EXPECT_TENSOR_EQ(sum->at(0), Tensor::Scalar<float>(0));
}

TEST(Einsum, RejectsBadEquationsAndShapes) {
  Tensor m = Tensor::FromVector<float>({1, 2, 3, 4, 5, 6}, TensorShape{2, 3});
  for (const char* eq : {"ij,jk->ii", "ij,jk->iz", "i1,jk->ik", "ij->ij->i",
                         "......ij,jk->ik"}) {
    auto out = Einsum(eq, {m, m});
    EXPECT_EQ(out.status().code(), absl::StatusCode::kInvalidArgument) << eq;
  }
  EXPECT_EQ(Einsum("ij->i", {m, m}).status().code(),
            absl::StatusCode::kInvalidArgument);
  // Contracted dimensions disagree.
  auto mismatch = Einsum("ij,jk->ik", {m, m});
  EXPECT_EQ(mismatch.status().code(), absl::StatusCode::kInvalidArgument);
  // Rank disagrees with the subscripts.
  EXPECT_EQ(Einsum("ijk->i", {m}).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(Einsum("ii->i", {m}).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(Einsum("ij->i", {Tensor::Vector<bool>({true})}).status().code(),
            absl::StatusCode::kUnimplemented);
}

}  // namespace
}  // namespace model_server
