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

template <typename T>
absl::StatusOr<Tensor> Range(T start, T limit, T delta) {
  KernelHarness k("Range");
  k.Attr("Tidx", DataTypeOf<T>::value);
  auto out = k.Run(
      {Tensor::Scalar(start), Tensor::Scalar(limit), Tensor::Scalar(delta)});
  if (!out.ok()) return out.status();
  return out->at(0);
}

TEST(Range, CountsUpAndDown) {
  EXPECT_TENSOR_EQ(*Range<int32_t>(0, 5, 2),
                   Tensor::Vector<int32_t>({0, 2, 4}));
  EXPECT_TENSOR_EQ(*Range<int64_t>(5, 0, -2),
                   Tensor::Vector<int64_t>({5, 3, 1}));
  EXPECT_TENSOR_EQ(*Range<float>(0, 1, 0.25f),
                   Tensor::Vector<float>({0, 0.25f, 0.5f, 0.75f}));
  EXPECT_TENSOR_EQ(*Range<double>(1, 1, 1), Tensor::Vector<double>({}));
  EXPECT_TENSOR_EQ(*Range<float>(0, 1.1f, 0.5f),
                   Tensor::Vector<float>({0, 0.5f, 1.0f}));
}

TEST(Range, RejectsZeroDeltaAndWrongDirection) {
  auto out = Range<int32_t>(0, 5, 0);
  ASSERT_FALSE(out.ok());
  EXPECT_THAT(out.status().message(), HasSubstr("Requires delta != 0"));
  out = Range<int32_t>(5, 0, 1);
  ASSERT_FALSE(out.ok());
  EXPECT_THAT(out.status().message(),
              HasSubstr("Requires start <= limit when delta > 0: 5/0"));
  out = Range<float>(0, 5, -1);
  ASSERT_FALSE(out.ok());
  EXPECT_THAT(out.status().message(),
              HasSubstr("Requires start >= limit when delta < 0: 0/5"));
}

TEST(Range, HugeRangesFailCleanly) {
  auto out = Range<int64_t>(std::numeric_limits<int64_t>::min(),
                            std::numeric_limits<int64_t>::max(), 1);
  EXPECT_FALSE(out.ok());
  auto f = Range<float>(0, 1e30f, 1e-30f);
  EXPECT_FALSE(f.ok());
}

}  // namespace
}  // namespace model_server
