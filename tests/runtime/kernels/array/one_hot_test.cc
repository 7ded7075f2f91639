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

TEST(OneHot, EncodesAlongLastAxisByDefault) {
  KernelHarness k("OneHot");
  k.Attr("T", DT_FLOAT).Attr("TI", DT_INT32);
  auto out =
      k.Run({Tensor::Vector<int32_t>({0, 2, -1, 5}), Tensor::Scalar<int32_t>(3),
             Tensor::Scalar(1.f), Tensor::Scalar(0.f)});
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_EQ(
      out->at(0), Tensor::FromVector<float>(
                      {1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0}, TensorShape{4, 3}));
}

TEST(OneHot, EncodesAlongAxisZero) {
  KernelHarness k("OneHot");
  k.Attr("T", DT_INT32).Attr("TI", DT_INT64).Attr("axis", 0);
  auto out = k.Run({Tensor::Vector<int64_t>({1, 0}), Tensor::Scalar<int32_t>(2),
                    Tensor::Scalar<int32_t>(5), Tensor::Scalar<int32_t>(-1)});
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_EQ(out->at(0), Tensor::FromVector<int32_t>({-1, 5, 5, -1},
                                                           TensorShape{2, 2}));
}

TEST(OneHot, RejectsBadDepthAndAxis) {
  KernelHarness k("OneHot");
  k.Attr("T", DT_FLOAT).Attr("TI", DT_INT32);
  auto out = k.Run({Tensor::Vector<int32_t>({0}), Tensor::Scalar<int32_t>(-1),
                    Tensor::Scalar(1.f), Tensor::Scalar(0.f)});
  ASSERT_FALSE(out.ok());
  EXPECT_THAT(out.status().message(),
              HasSubstr("depth must be non-negative, got: -1"));
  KernelHarness a("OneHot");
  a.Attr("T", DT_FLOAT).Attr("TI", DT_INT32).Attr("axis", 2);
  out = a.Run({Tensor::Vector<int32_t>({0}), Tensor::Scalar<int32_t>(2),
               Tensor::Scalar(1.f), Tensor::Scalar(0.f)});
  ASSERT_FALSE(out.ok());
  EXPECT_THAT(out.status().message(),
              HasSubstr("Expected axis to be -1 or between [0, 2).  But "
                        "received: 2"));
}

}  // namespace
}  // namespace model_server
