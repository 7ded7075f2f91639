#include <algorithm>
#include <cmath>
#include <cstdint>
#include <numeric>
#include <random>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "runtime/tensor.h"
#include "tests/testing/kernel_harness.h"

namespace model_server {
namespace {

absl::StatusOr<std::vector<Tensor>> TopK(const Tensor& input, const Tensor& k,
                                         DataType index_type = DT_INT32) {
  KernelHarness h("TopKV2");
  h.Attr("T", input.dtype()).Attr("sorted", true);
  h.Attr("index_type", index_type);
  return h.Run({input, k});
}

TEST(TopKV2, HandComputedRows) {
  Tensor x =
      Tensor::FromVector<float>({1, 5, 3, 4, 9, 8, 7, 6}, TensorShape{2, 4});
  auto out = TopK(x, Tensor::Scalar<int32_t>(2));
  ASSERT_TRUE(out.ok()) << out.status();
  ASSERT_EQ(out->size(), 2u);
  EXPECT_TENSOR_EQ(out->at(0),
                   Tensor::FromVector<float>({5, 4, 9, 8}, TensorShape{2, 2}));
  EXPECT_TENSOR_EQ(
      out->at(1), Tensor::FromVector<int32_t>({1, 3, 0, 1}, TensorShape{2, 2}));
}

TEST(TopKV2, EqualValuesKeepLowerIndexFirst) {
  Tensor x = Tensor::Vector<int32_t>({2, 7, 2, 7, 2});
  auto out = TopK(x, Tensor::Scalar<int32_t>(4));
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_EQ(out->at(0), Tensor::Vector<int32_t>({7, 7, 2, 2}));
  EXPECT_TENSOR_EQ(out->at(1), Tensor::Vector<int32_t>({1, 3, 0, 2}));
  auto one = TopK(x, Tensor::Scalar<int32_t>(1), DT_INT64);
  ASSERT_TRUE(one.ok()) << one.status();
  EXPECT_TENSOR_EQ(one->at(1), Tensor::Vector<int64_t>({1}));
}

TEST(TopKV2, MatchesFullSortOnRandomRows) {
  std::mt19937 rng(81);
  std::uniform_int_distribution<int> dist(0, 50);
  const int64_t rows = 7, n = 100;
  std::vector<float> v(rows * n);
  for (float& x : v) x = static_cast<float>(dist(rng));
  Tensor x = Tensor::FromVector(v, TensorShape{rows, n});
  for (int64_t k : {0, 1, 5, 99, 100}) {
    auto out = TopK(x, Tensor::Scalar<int32_t>(static_cast<int32_t>(k)));
    ASSERT_TRUE(out.ok()) << out.status();
    std::vector<float> ev;
    std::vector<int32_t> ei;
    for (int64_t r = 0; r < rows; ++r) {
      std::vector<int32_t> idx(n);
      std::iota(idx.begin(), idx.end(), 0);
      std::stable_sort(idx.begin(), idx.end(), [&](int32_t a, int32_t b) {
        return v[r * n + a] > v[r * n + b];
      });
      for (int64_t i = 0; i < k; ++i) {
        ev.push_back(v[r * n + idx[i]]);
        ei.push_back(idx[i]);
      }
    }
    EXPECT_TENSOR_EQ(out->at(0), Tensor::FromVector(ev, TensorShape{rows, k}));
    EXPECT_TENSOR_EQ(out->at(1), Tensor::FromVector(ei, TensorShape{rows, k}));
  }
}

TEST(TopKV2, RejectsBadK) {
  Tensor x = Tensor::Vector<float>({1, 2, 3});
  auto big = TopK(x, Tensor::Scalar<int32_t>(4));
  ASSERT_FALSE(big.ok());
  EXPECT_NE(big.status().message().find(
                "input must have at least k columns. Had 3, needed 4"),
            std::string::npos)
      << big.status();
  auto neg = TopK(x, Tensor::Scalar<int32_t>(-1));
  ASSERT_FALSE(neg.ok());
  EXPECT_NE(neg.status().message().find("Need k >= 0, got -1"),
            std::string::npos);
  auto vec = TopK(x, Tensor::Vector<int32_t>({1}));
  ASSERT_FALSE(vec.ok());
  EXPECT_NE(vec.status().message().find("k must be 0-D"), std::string::npos);
  auto scalar = TopK(Tensor::Scalar<float>(1), Tensor::Scalar<int32_t>(1));
  ASSERT_FALSE(scalar.ok());
  EXPECT_NE(scalar.status().message().find("input must be >= 1-D"),
            std::string::npos);
}

TEST(TopK, TakesKFromAttribute) {
  KernelHarness h("TopK");
  h.Attr("T", DT_FLOAT).Attr("k", 2);
  auto out = h.Run({Tensor::Vector<float>({3, 1, 2})});
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_EQ(out->at(0), Tensor::Vector<float>({3, 2}));
  EXPECT_TENSOR_EQ(out->at(1), Tensor::Vector<int32_t>({0, 2}));
}

}  // namespace
}  // namespace model_server
