#include <cstdint>
#include <vector>

#include "gtest/gtest.h"
#include "runtime/tensor.h"
#include "tests/testing/kernel_harness.h"

namespace model_server {
namespace {

absl::StatusOr<std::vector<Tensor>> LinSpace(const Tensor& start,
                                             const Tensor& stop,
                                             const Tensor& num) {
  KernelHarness h("LinSpace");
  h.Attr("T", start.dtype()).Attr("Tidx", num.dtype());
  return h.Run({start, stop, num});
}

TEST(LinSpace, EvenlySpacedIncludingBothEnds) {
  auto out = LinSpace(Tensor::Scalar<float>(10), Tensor::Scalar<float>(12),
                      Tensor::Scalar<int32_t>(3));
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_EQ(out->at(0), Tensor::Vector<float>({10, 11, 12}));
  auto down = LinSpace(Tensor::Scalar<double>(1), Tensor::Scalar<double>(0),
                       Tensor::Scalar<int64_t>(5));
  ASSERT_TRUE(down.ok()) << down.status();
  EXPECT_TENSOR_EQ(down->at(0),
                   Tensor::Vector<double>({1, 0.75, 0.5, 0.25, 0}));
  auto one = LinSpace(Tensor::Scalar<float>(3), Tensor::Scalar<float>(9),
                      Tensor::Scalar<int32_t>(1));
  ASSERT_TRUE(one.ok()) << one.status();
  EXPECT_TENSOR_EQ(one->at(0), Tensor::Vector<float>({3}));
}

TEST(LinSpace, RejectsBadNumAndShapes) {
  auto zero = LinSpace(Tensor::Scalar<float>(0), Tensor::Scalar<float>(1),
                       Tensor::Scalar<int32_t>(0));
  ASSERT_FALSE(zero.ok());
  EXPECT_NE(zero.status().message().find("Requires num > 0: 0"),
            std::string::npos);
  auto vec = LinSpace(Tensor::Vector<float>({0}), Tensor::Scalar<float>(1),
                      Tensor::Scalar<int32_t>(2));
  EXPECT_NE(vec.status().message().find("start must be a scalar"),
            std::string::npos);
  auto huge = LinSpace(Tensor::Scalar<float>(0), Tensor::Scalar<float>(1),
                       Tensor::Scalar<int64_t>(int64_t{1} << 40));
  EXPECT_EQ(huge.status().code(), absl::StatusCode::kResourceExhausted);
  EXPECT_EQ(LinSpace(Tensor::Scalar<int32_t>(0), Tensor::Scalar<int32_t>(1),
                     Tensor::Scalar<int32_t>(2))
                .status()
                .code(),
            absl::StatusCode::kUnimplemented);
}

}  // namespace
}  // namespace model_server
