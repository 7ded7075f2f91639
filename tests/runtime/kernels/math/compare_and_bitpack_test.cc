#include <cstdint>
#include <random>
#include <vector>

#include "gtest/gtest.h"
#include "runtime/tensor.h"
#include "tests/testing/kernel_harness.h"

namespace model_server {
namespace {

absl::StatusOr<std::vector<Tensor>> Bitpack(const Tensor& x,
                                            const Tensor& threshold) {
  KernelHarness h("CompareAndBitpack");
  h.Attr("T", x.dtype());
  return h.Run({x, threshold});
}

TEST(CompareAndBitpack, FirstElementIsTheMostSignificantBit) {
  Tensor x = Tensor::FromVector<float>(
      {1, 0, 0, 0, 0, 0, 0, 0, 0,    0,    0,    0, 0, 0,    0,     1,
       5, 5, 5, 5, 5, 5, 5, 5, 0.5f, 0.6f, 0.4f, 0, 2, 0.5f, 0.51f, 1},
      TensorShape{2, 16});
  auto out = Bitpack(x, Tensor::Scalar<float>(0.5f));
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_EQ(
      out->at(0),
      Tensor::FromVector<uint8_t>({0x80, 0x01, 0xff, 0x4b}, TensorShape{2, 2}));
}

TEST(CompareAndBitpack, MatchesNaiveReferenceForIntegersAndHalf) {
  std::mt19937 rng(3);
  std::uniform_int_distribution<int> dist(-5, 5);
  std::vector<int64_t> v(3 * 4 * 8);
  for (int64_t& e : v) e = dist(rng);
  std::vector<uint8_t> expected(3 * 4);
  std::vector<Eigen::half> h(v.size());
  for (size_t i = 0; i < v.size(); ++i) h[i] = Eigen::half(float(v[i]));
  for (size_t i = 0; i < expected.size(); ++i) {
    unsigned byte = 0;
    for (int b = 0; b < 8; ++b) byte = (byte << 1) | (v[8 * i + b] > 1);
    expected[i] = static_cast<uint8_t>(byte);
  }
  Tensor want = Tensor::FromVector(expected, TensorShape{3, 4});
  auto ints = Bitpack(Tensor::FromVector(v, TensorShape{3, 32}),
                      Tensor::Scalar<int64_t>(1));
  ASSERT_TRUE(ints.ok()) << ints.status();
  EXPECT_TENSOR_EQ(ints->at(0), want);
  auto halves = Bitpack(Tensor::FromVector(h, TensorShape{3, 32}),
                        Tensor::Scalar(Eigen::half(1.0f)));
  ASSERT_TRUE(halves.ok()) << halves.status();
  EXPECT_TENSOR_EQ(halves->at(0), want);
}

TEST(CompareAndBitpack, BoolIgnoresTheThreshold) {
  Tensor x = Tensor::Vector<bool>(
      {true, false, true, false, false, false, false, true});
  auto out = Bitpack(x, Tensor::Scalar<bool>(true));
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_EQ(out->at(0), Tensor::Vector<uint8_t>({0xa1}));
}

TEST(CompareAndBitpack, EmptyInput) {
  auto out = Bitpack(Tensor::FromVector<float>({}, TensorShape{0, 8}),
                     Tensor::Scalar<float>(0));
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_EQ(out->at(0).shape(), (TensorShape{0, 1}));
}

TEST(CompareAndBitpack, RejectsBadShapes) {
  auto ragged =
      Bitpack(Tensor::Vector<float>({1, 2, 3}), Tensor::Scalar<float>(0));
  EXPECT_EQ(ragged.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(ragged.status().message().find("divisible by 8"),
            std::string::npos);
  auto scalar = Bitpack(Tensor::Scalar<float>(1), Tensor::Scalar<float>(0));
  EXPECT_EQ(scalar.status().code(), absl::StatusCode::kInvalidArgument);
  auto threshold = Bitpack(Tensor::FromVector<float>({}, TensorShape{0, 8}),
                           Tensor::Vector<float>({0}));
  EXPECT_NE(threshold.status().message().find("Compare must be a scalar"),
            std::string::npos);
  auto str = Bitpack(Tensor::Vector<std::string>({"a"}),
                     Tensor::Scalar<std::string>("a"));
  EXPECT_EQ(str.status().code(), absl::StatusCode::kUnimplemented);
}

}  // namespace
}  // namespace model_server
