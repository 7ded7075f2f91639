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

TEST(Where, ReturnsCoordinatesOfTrueElements) {
  KernelHarness k("Where");
  k.Attr("T", DT_BOOL);
  auto out = k.Run({Tensor::FromVector<bool>({true, false, false, true},
                                             TensorShape{2, 2})});
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_EQ(
      out->at(0), Tensor::FromVector<int64_t>({0, 0, 1, 1}, TensorShape{2, 2}));
  KernelHarness f("Where");
  f.Attr("T", DT_FLOAT);
  out = f.Run({Tensor::Vector<float>({0, 2, 0, -1})});
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_EQ(out->at(0),
                   Tensor::FromVector<int64_t>({1, 3}, TensorShape{2, 1}));
  out = f.Run({Tensor::Vector<float>({0, 0})});
  ASSERT_TRUE(out.ok());
  EXPECT_EQ(out->at(0).shape(), (TensorShape{0, 1}));
}

}  // namespace
}  // namespace model_server
