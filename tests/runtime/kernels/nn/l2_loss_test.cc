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

TEST(L2Loss, HalfSumOfSquares) {
  KernelHarness h("L2Loss");
  h.Attr("T", DT_FLOAT);
  auto out =
      h.Run({Tensor::FromVector<float>({1, 2, 3, 4}, TensorShape{2, 2})});
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_EQ(out->at(0), Tensor::Scalar<float>(15));
}

}  // namespace
}  // namespace model_server
