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

TEST(ReverseV2, ReversesListedAxes) {
  KernelHarness k("ReverseV2");
  k.Attr("T", DT_FLOAT).Attr("Tidx", DT_INT32);
  Tensor in = Iota(TensorShape{2, 3});
  auto out = k.Run({in, Tensor::Vector<int32_t>({1})});
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_EQ(out->at(0), Tensor::FromVector<float>({2, 1, 0, 5, 4, 3},
                                                         TensorShape{2, 3}));
  out = k.Run({in, Tensor::Vector<int32_t>({0, -1})});
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_EQ(out->at(0), Tensor::FromVector<float>({5, 4, 3, 2, 1, 0},
                                                         TensorShape{2, 3}));
  out = k.Run({in, Tensor::Vector<int32_t>({})});
  ASSERT_TRUE(out.ok());
  EXPECT_TENSOR_EQ(out->at(0), in);
}

TEST(ReverseV2, RejectsBadAxes) {
  KernelHarness k("ReverseV2");
  k.Attr("T", DT_FLOAT);
  auto out = k.Run({Iota(TensorShape{2, 3}), Tensor::Vector<int32_t>({2})});
  ASSERT_FALSE(out.ok());
  EXPECT_THAT(out.status().message(),
              HasSubstr("'axis'[0] = 2 is out of valid range [0, 1]"));
  out = k.Run({Iota(TensorShape{2, 3}), Tensor::Vector<int32_t>({1, -1})});
  ASSERT_FALSE(out.ok());
  EXPECT_THAT(out.status().message(),
              HasSubstr("axis 1 specified more than once."));
}

}  // namespace
}  // namespace model_server
