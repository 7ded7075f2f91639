#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/testing/kernel_harness.h"

namespace model_server {
namespace {

using ::testing::HasSubstr;

TEST(BoostedTreesBucketize, FindsTheFirstBoundaryNotBelowEachValue) {
  KernelHarness k("BoostedTreesBucketize");
  k.Attr("num_features", 2);
  auto out =
      k.Run({Tensor::Vector<float>({-1, 1, 1.5f, 3, 9}),
             Tensor::Vector<float>({4, 5}), Tensor::Vector<float>({1, 2, 3}),
             Tensor::Vector<float>({})});
  ASSERT_TRUE(out.ok()) << out.status();
  ASSERT_EQ(out->size(), 2u);
  // Values past the last boundary stay in the last bucket.
  EXPECT_TENSOR_EQ(out->at(0), Tensor::Vector<int32_t>({0, 0, 1, 2, 2}));
  EXPECT_TENSOR_EQ(out->at(1), Tensor::Vector<int32_t>({0, 0}));
}

TEST(BoostedTreesBucketize, RejectsBadInputs) {
  KernelHarness k("BoostedTreesBucketize");
  k.Attr("num_features", 1);
  auto out = k.Run({Tensor::Vector<float>({1}),
                    Tensor::FromVector<float>({1, 2}, TensorShape{1, 2})});
  ASSERT_FALSE(out.ok());
  EXPECT_THAT(std::string(out.status().message()),
              HasSubstr("Buckets should be flat vectors."));
  out = k.Run({Tensor::Vector<double>({1}), Tensor::Vector<float>({1})});
  ASSERT_FALSE(out.ok());
  out = k.Run({Tensor::Vector<float>({1})});
  ASSERT_FALSE(out.ok());
}

}  // namespace
}  // namespace model_server
