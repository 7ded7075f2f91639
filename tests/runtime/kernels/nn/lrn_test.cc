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

TEST(LRN, NormalizesOverDepthWindow) {
  KernelHarness h("LRN");
  h.Attr("T", DT_FLOAT).Attr("depth_radius", 1).Attr("bias", 1.0f);
  h.Attr("alpha", 0.5f).Attr("beta", 1.0f);
  auto out =
      h.Run({Tensor::FromVector<float>({1, 2, 3}, TensorShape{1, 1, 1, 3})});
  ASSERT_TRUE(out.ok()) << out.status();
  // sqr sums: d0: 1+4=5, d1: 1+4+9=14, d2: 4+9=13.
  EXPECT_TENSOR_NEAR(out->at(0),
                     Tensor::FromVector<float>({1 / 3.5f, 2 / 8.f, 3 / 7.5f},
                                               TensorShape{1, 1, 1, 3}),
                     1e-6, 1e-7);
  auto bad = h.Run({Tensor::Vector<float>({1})});
  EXPECT_FALSE(bad.ok());
}

}  // namespace
}  // namespace model_server
