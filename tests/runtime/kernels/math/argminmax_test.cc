#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "runtime/tensor.h"
#include "tests/testing/kernel_harness.h"

namespace model_server {
namespace {

absl::StatusOr<std::vector<Tensor>> Arg(const std::string& op,
                                        const Tensor& input,
                                        const Tensor& dimension,
                                        DataType out_type = DT_INT64) {
  KernelHarness h(op);
  h.Attr("T", input.dtype()).Attr("Tidx", dimension.dtype());
  h.Attr("output_type", out_type);
  return h.Run({input, dimension});
}

TEST(ArgMax, HandComputedAlongEachAxis) {
  Tensor x = Tensor::FromVector<float>({1, 9, 3, 7, 2, 8}, TensorShape{2, 3});
  auto rows = Arg("ArgMax", x, Tensor::Scalar<int32_t>(1));
  ASSERT_TRUE(rows.ok()) << rows.status();
  EXPECT_TENSOR_EQ(rows->at(0), Tensor::Vector<int64_t>({1, 2}));
  auto cols = Arg("ArgMax", x, Tensor::Scalar<int64_t>(-2), DT_INT32);
  ASSERT_TRUE(cols.ok()) << cols.status();
  EXPECT_TENSOR_EQ(cols->at(0), Tensor::Vector<int32_t>({1, 0, 1}));
  auto mins = Arg("ArgMin", x, Tensor::Scalar<int32_t>(1));
  ASSERT_TRUE(mins.ok()) << mins.status();
  EXPECT_TENSOR_EQ(mins->at(0), Tensor::Vector<int64_t>({0, 1}));
}

TEST(ArgMax, TiesPickTheSmallestIndex) {
  Tensor x = Tensor::FromVector<int32_t>({5, 5, 5, 1, 1, 1}, TensorShape{2, 3});
  auto mx = Arg("ArgMax", x, Tensor::Scalar<int32_t>(1));
  ASSERT_TRUE(mx.ok()) << mx.status();
  EXPECT_TENSOR_EQ(mx->at(0), Tensor::Vector<int64_t>({0, 0}));
  auto mn = Arg("ArgMin", x, Tensor::Scalar<int32_t>(0));
  ASSERT_TRUE(mn.ok()) << mn.status();
  EXPECT_TENSOR_EQ(mn->at(0), Tensor::Vector<int64_t>({1, 1, 1}));
  Tensor tie_cols = Tensor::FromVector<float>({2, 2, 2, 2}, TensorShape{2, 2});
  auto tc = Arg("ArgMax", tie_cols, Tensor::Scalar<int32_t>(0));
  ASSERT_TRUE(tc.ok()) << tc.status();
  EXPECT_TENSOR_EQ(tc->at(0), Tensor::Vector<int64_t>({0, 0}));
}

TEST(ArgMax, MatchesNaiveOnRandomThreeDimensionalInput) {
  std::mt19937 rng(71);
  std::uniform_int_distribution<int> dist(-20, 20);
  const int64_t d0 = 4, d1 = 33, d2 = 5;
  std::vector<float> v(d0 * d1 * d2);
  for (float& x : v) x = static_cast<float>(dist(rng));
  Tensor x = Tensor::FromVector(v, TensorShape{d0, d1, d2});
  for (int axis = 0; axis < 3; ++axis) {
    const int64_t dims[3] = {d0, d1, d2};
    std::vector<int64_t> expected;
    for (int64_t i = 0; i < d0; ++i)
      for (int64_t j = 0; j < d1; ++j)
        for (int64_t k = 0; k < d2; ++k) {
          const int64_t idx[3] = {i, j, k};
          if (idx[axis] != 0) continue;
          int64_t best = 0;
          float best_v = -1e9f;
          for (int64_t a = 0; a < dims[axis]; ++a) {
            int64_t c[3] = {i, j, k};
            c[axis] = a;
            const float val = v[(c[0] * d1 + c[1]) * d2 + c[2]];
            if (val > best_v) {
              best_v = val;
              best = a;
            }
          }
          expected.push_back(best);
        }
    auto out = Arg("ArgMax", x, Tensor::Scalar<int32_t>(axis));
    ASSERT_TRUE(out.ok()) << out.status();
    EXPECT_EQ(out->at(0).NumElements(), static_cast<int64_t>(expected.size()));
    EXPECT_TENSOR_EQ(out->at(0),
                     Tensor::FromVector(expected, out->at(0).shape()))
        << "axis " << axis;
  }
}

TEST(ArgMax, SupportsHalfAndBool) {
  using H = Eigen::half;
  auto h = Arg("ArgMax", Tensor::Vector<H>({H(1), H(3), H(2)}),
               Tensor::Scalar<int32_t>(0));
  ASSERT_TRUE(h.ok()) << h.status();
  EXPECT_TENSOR_EQ(h->at(0), Tensor::Scalar<int64_t>(1));
  auto b = Arg("ArgMin", Tensor::Vector<bool>({true, false, false}),
               Tensor::Scalar<int32_t>(0));
  ASSERT_TRUE(b.ok()) << b.status();
  EXPECT_TENSOR_EQ(b->at(0), Tensor::Scalar<int64_t>(1));
}

TEST(ArgMax, RejectsBadDimensions) {
  Tensor x = Tensor::FromVector<float>({1, 2}, TensorShape{1, 2});
  auto vec = Arg("ArgMax", x, Tensor::Vector<int32_t>({0}));
  ASSERT_FALSE(vec.ok());
  EXPECT_NE(vec.status().message().find("dim must be a scalar"),
            std::string::npos);
  auto range = Arg("ArgMax", x, Tensor::Scalar<int32_t>(2));
  ASSERT_FALSE(range.ok());
  EXPECT_NE(range.status().message().find(
                "Expected dimension in the range [-2, 2), but got 2"),
            std::string::npos)
      << range.status();
  auto empty = Arg("ArgMax", Tensor::FromVector<float>({}, TensorShape{2, 0}),
                   Tensor::Scalar<int32_t>(1));
  ASSERT_FALSE(empty.ok());
  EXPECT_NE(
      empty.status().message().find("Reduction axis 1 is empty in shape [2,0]"),
      std::string::npos)
      << empty.status();
  auto scalar =
      Arg("ArgMax", Tensor::Scalar<float>(1), Tensor::Scalar<int32_t>(0));
  EXPECT_FALSE(scalar.ok());
}

}  // namespace
}  // namespace model_server
