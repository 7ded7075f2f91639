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

template <typename T>
Tensor NaiveTranspose(const Tensor& in, const std::vector<int64_t>& perm) {
  std::vector<int64_t> dims;
  for (int64_t p : perm) dims.push_back(in.dim(p));
  auto shape = *TensorShape::FromDims(dims);
  std::vector<T> out(shape.num_elements());
  for (int64_t i = 0; i < shape.num_elements(); ++i) {
    auto idx = Unflatten(i, shape);
    std::vector<int64_t> in_idx(perm.size());
    for (size_t d = 0; d < perm.size(); ++d) in_idx[perm[d]] = idx[d];
    out[i] = in.data<T>()[Flatten(in_idx, in.shape())];
  }
  return Tensor::FromVector(out, shape);
}

absl::StatusOr<Tensor> Transpose(const Tensor& in,
                                 const std::vector<int64_t>& perm) {
  KernelHarness k("Transpose");
  k.Attr("T", in.dtype()).Attr("Tperm", DT_INT64);
  auto out = k.Run({in, Tensor::Vector<int64_t>(perm)});
  if (!out.ok()) return out.status();
  return out->at(0);
}

TEST(Transpose, MatchesNaiveForEveryPermutationOfRank4) {
  Tensor in = Iota(TensorShape{2, 3, 4, 5});
  std::vector<int64_t> perm = {0, 1, 2, 3};
  do {
    auto out = Transpose(in, perm);
    ASSERT_TRUE(out.ok()) << out.status();
    EXPECT_TENSOR_EQ(*out, NaiveTranspose<float>(in, perm));
  } while (std::next_permutation(perm.begin(), perm.end()));
}

TEST(Transpose, LargeTensorsUseTheParallelPath) {
  Tensor in = Iota(TensorShape{64, 48, 40});
  for (std::vector<int64_t> perm :
       {std::vector<int64_t>{2, 0, 1}, std::vector<int64_t>{1, 0, 2}}) {
    auto out = Transpose(in, perm);
    ASSERT_TRUE(out.ok()) << out.status();
    EXPECT_TENSOR_EQ(*out, NaiveTranspose<float>(in, perm));
  }
}

TEST(Transpose, HandlesStringsComplexAndUnitDims) {
  Tensor s = Tensor::FromVector<std::string>({"a", "b", "c", "d", "e", "f"},
                                             TensorShape{2, 3});
  auto out = Transpose(s, {1, 0});
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_EQ(*out, NaiveTranspose<std::string>(s, {1, 0}));
  std::vector<std::complex<double>> cv(12);
  for (int i = 0; i < 12; ++i) cv[i] = {static_cast<double>(i), -1.0 * i};
  Tensor c = Tensor::FromVector(cv, TensorShape{3, 4});
  out = Transpose(c, {1, 0});
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_EQ(*out, NaiveTranspose<std::complex<double>>(c, {1, 0}));
  Tensor u = Iota(TensorShape{1, 5, 1});
  out = Transpose(u, {2, 1, 0});
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_EQ(*out, Iota(TensorShape{1, 5, 1}));
}

TEST(Transpose, RejectsBadPermutations) {
  auto out = Transpose(Iota(TensorShape{2, 3}), {0, 0});
  ASSERT_FALSE(out.ok());
  EXPECT_THAT(out.status().message(), HasSubstr("1 is missing from {0,0}."));
  out = Transpose(Iota(TensorShape{2, 3}), {0, 2});
  ASSERT_FALSE(out.ok());
  EXPECT_THAT(out.status().message(), HasSubstr("2 is out of range [0 .. 2)"));
  out = Transpose(Iota(TensorShape{2, 3}), {0});
  ASSERT_FALSE(out.ok());
  EXPECT_THAT(out.status().message(),
              HasSubstr("transpose expects a vector of size 2. But input(1) "
                        "is a vector of size 1"));
}

TEST(InvertPermutation, InvertsAPermutation) {
  KernelHarness k("InvertPermutation");
  k.Attr("T", DT_INT32);
  auto out = k.Run({Tensor::Vector<int32_t>({3, 4, 0, 2, 1})});
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_EQ(out->at(0), Tensor::Vector<int32_t>({2, 4, 3, 0, 1}));
  KernelHarness k64("InvertPermutation");
  k64.Attr("T", DT_INT64);
  out = k64.Run({Tensor::Vector<int64_t>({})});
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_EQ(out->at(0).NumElements(), 0);
}

TEST(InvertPermutation, RejectsValuesOutOfRangeOrRepeated) {
  KernelHarness k("InvertPermutation");
  k.Attr("T", DT_INT32);
  auto out = k.Run({Tensor::Vector<int32_t>({0, 3, 1})});
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(out.status().message(),
              ::testing::HasSubstr("3 is not between 0 and 3"));
  out = k.Run({Tensor::Vector<int32_t>({0, 1, 1})});
  ASSERT_FALSE(out.ok());
  EXPECT_THAT(out.status().message(),
              ::testing::HasSubstr("1 is duplicated in the input."));
  out = k.Run({Tensor::Scalar<int32_t>(0)});
  ASSERT_FALSE(out.ok());
  EXPECT_THAT(out.status().message(),
              ::testing::HasSubstr("invert_permutation expects a 1D vector."));
}

}  // namespace
}  // namespace model_server
