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
using testing_tensors::Iota;

absl::StatusOr<Tensor> Slice(const Tensor& in, std::vector<int64_t> begin,
                             std::vector<int64_t> size) {
  KernelHarness k("Slice");
  k.Attr("T", in.dtype()).Attr("Index", DT_INT64);
  auto out = k.Run({in, Tensor::Vector<int64_t>(std::move(begin)),
                    Tensor::Vector<int64_t>(std::move(size))});
  if (!out.ok()) return out.status();
  return out->at(0);
}

TEST(Slice, TakesABlockWithMinusOneMeaningToTheEnd) {
  auto out = Slice(Iota(TensorShape{3, 4}), {1, 1}, {2, -1});
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_EQ(
      *out, Tensor::FromVector<float>({5, 6, 7, 9, 10, 11}, TensorShape{2, 3}));
}

TEST(Slice, EmptySizeGivesEmptyOutput) {
  auto out = Slice(Iota(TensorShape{3, 4}), {3, 0}, {0, 4});
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_EQ(out->shape(), (TensorShape{0, 4}));
}

TEST(Slice, RejectsOutOfRange) {
  auto out = Slice(Iota(TensorShape{3}), {2}, {2});
  ASSERT_FALSE(out.ok());
  EXPECT_THAT(out.status().message(),
              HasSubstr("Expected size[0] in [0, 1], but got 2"));
  out = Slice(Iota(TensorShape{3}), {-1}, {1});
  ASSERT_FALSE(out.ok());
  EXPECT_THAT(out.status().message(),
              HasSubstr("Expected begin[0] in [0, 3], but got -1"));
  out = Slice(Iota(TensorShape{3}), {0, 0}, {1, 1});
  ASSERT_FALSE(out.ok());
  EXPECT_THAT(out.status().message(),
              HasSubstr("Expected begin and size arguments to be 1-D tensors "
                        "of size 1"));
}

}  // namespace
}  // namespace model_server
