#include <algorithm>
#include <complex>
#include <numeric>
#include <random>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/runtime/kernels/array/array_test_tensors.h"
#include "tests/testing/kernel_harness.h"

namespace model_server {
namespace {

using ::testing::HasSubstr;
using testing_tensors::Flatten;
using testing_tensors::Iota;
using testing_tensors::Unflatten;

TEST(Tile, MatchesNaiveReference) {
  Tensor in = Iota(TensorShape{2, 3, 2});
  const std::vector<int64_t> multiples = {2, 1, 3};
  KernelHarness k("Tile");
  k.Attr("T", DT_FLOAT).Attr("Tmultiples", DT_INT64);
  auto out = k.Run({in, Tensor::Vector<int64_t>(multiples)});
  ASSERT_TRUE(out.ok()) << out.status();
  TensorShape shape{4, 3, 6};
  std::vector<float> expected(shape.num_elements());
  for (int64_t i = 0; i < shape.num_elements(); ++i) {
    auto idx = Unflatten(i, shape);
    for (int d = 0; d < 3; ++d) idx[d] %= in.dim(d);
    expected[i] = in.data<float>()[Flatten(idx, in.shape())];
  }
  EXPECT_TENSOR_EQ(out->at(0), Tensor::FromVector(expected, shape));
}

TEST(Tile, TilesStringsAndZeroMultiples) {
  KernelHarness k("Tile");
  k.Attr("T", DT_STRING);
  auto out = k.Run(
      {Tensor::Vector<std::string>({"a", "b"}), Tensor::Vector<int32_t>({2})});
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_EQ(out->at(0),
                   Tensor::Vector<std::string>({"a", "b", "a", "b"}));
  out = k.Run(
      {Tensor::Vector<std::string>({"a", "b"}), Tensor::Vector<int32_t>({0})});
  ASSERT_TRUE(out.ok());
  EXPECT_EQ(out->at(0).NumElements(), 0);
}

TEST(Tile, RejectsBadMultiples) {
  KernelHarness k("Tile");
  k.Attr("T", DT_FLOAT);
  auto out = k.Run({Iota(TensorShape{2}), Tensor::Vector<int32_t>({1, 2})});
  ASSERT_FALSE(out.ok());
  EXPECT_THAT(out.status().message(),
              HasSubstr("Expected multiples argument to be a vector of length "
                        "1 but got length 2"));
  out = k.Run({Iota(TensorShape{2}), Tensor::Vector<int32_t>({-1})});
  ASSERT_FALSE(out.ok());
  EXPECT_THAT(out.status().message(),
              HasSubstr("Expected multiples[0] >= 0, but got -1"));
}

}  // namespace
}  // namespace model_server
