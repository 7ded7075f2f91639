#include <algorithm>
#include <cstdint>
#include <random>
#include <vector>

#include "gtest/gtest.h"
#include "runtime/tensor.h"
#include "tests/testing/kernel_harness.h"

namespace model_server {
namespace {

absl::StatusOr<std::vector<Tensor>> Nth(const Tensor& x, int32_t n,
                                        bool reverse = false) {
  KernelHarness h("NthElement");
  h.Attr("T", x.dtype()).Attr("reverse", reverse);
  return h.Run({x, Tensor::Scalar<int32_t>(n)});
}

TEST(NthElement, SmallestAndLargestPerRow) {
  Tensor x =
      Tensor::FromVector<float>({5, 1, 4, 2, 3, 9, 7, 8}, TensorShape{2, 4});
  auto smallest = Nth(x, 0);
  ASSERT_TRUE(smallest.ok()) << smallest.status();
  EXPECT_TENSOR_EQ(smallest->at(0), Tensor::Vector<float>({1, 3}));
  auto second_largest = Nth(x, 1, true);
  ASSERT_TRUE(second_largest.ok()) << second_largest.status();
  EXPECT_TENSOR_EQ(second_largest->at(0), Tensor::Vector<float>({4, 8}));
  auto vec = Nth(Tensor::Vector<int32_t>({3, 3, 1}), 1);
  ASSERT_TRUE(vec.ok()) << vec.status();
  EXPECT_TENSOR_EQ(vec->at(0), Tensor::Scalar<int32_t>(3));
}

TEST(NthElement, MatchesSortOnRandomRank3Input) {
  std::mt19937 rng(4);
  std::uniform_int_distribution<int> dist(-100, 100);
  std::vector<int64_t> v(2 * 3 * 10);
  for (int64_t& e : v) e = dist(rng);
  Tensor x = Tensor::FromVector(v, TensorShape{2, 3, 10});
  for (int n : {0, 4, 9}) {
    for (bool reverse : {false, true}) {
      std::vector<int64_t> want;
      for (int r = 0; r < 6; ++r) {
        std::vector<int64_t> row(v.begin() + r * 10, v.begin() + r * 10 + 10);
        std::sort(row.begin(), row.end());
        want.push_back(row[reverse ? 9 - n : n]);
      }
      auto out = Nth(x, n, reverse);
      ASSERT_TRUE(out.ok()) << out.status();
      EXPECT_TENSOR_EQ(out->at(0), Tensor::FromVector(want, TensorShape{2, 3}));
    }
  }
}

TEST(NthElement, EmptyBatch) {
  auto out = Nth(Tensor::FromVector<float>({}, TensorShape{0, 3}), 2);
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_EQ(out->at(0).shape(), (TensorShape{0}));
}

TEST(NthElement, RejectsBadN) {
  Tensor x = Tensor::Vector<float>({1, 2, 3});
  auto big = Nth(x, 3);
  ASSERT_FALSE(big.ok());
  EXPECT_NE(
      big.status().message().find("Input must have last dimension > n = 3"),
      std::string::npos);
  EXPECT_EQ(Nth(x, -1).status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(Nth(Tensor::Scalar<float>(1), 0).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(Nth(Tensor::Vector<bool>({true}), 0).status().code(),
            absl::StatusCode::kUnimplemented);
}

}  // namespace
}  // namespace model_server
