#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "runtime/tensor.h"
#include "tests/testing/kernel_harness.h"

namespace model_server {
namespace {

constexpr float kNan = std::numeric_limits<float>::quiet_NaN();
constexpr float kInf = std::numeric_limits<float>::infinity();

Tensor RunOk(const std::string& op, const Tensor& x, const Tensor& y) {
  KernelHarness h(op);
  h.Attr("T", x.dtype());
  auto out = h.Run({x, y});
  EXPECT_TRUE(out.ok()) << op << ": " << out.status();
  return out.ok() ? out->at(0) : Tensor();
}

TEST(Xlogy, ZeroXGivesZeroEvenForZeroOrNanY) {
  Tensor x = Tensor::Vector<float>({0, 0, 0, 2, 3});
  Tensor y = Tensor::Vector<float>({0, kNan, kInf, std::exp(1.0f), 0});
  EXPECT_TENSOR_NEAR(RunOk("Xlogy", x, y),
                     Tensor::Vector<float>({0, 0, 0, 2, -kInf}), 1e-6, 1e-6);
}

TEST(Xlog1py, ZeroXGivesZero) {
  Tensor x = Tensor::Vector<double>({0, 2});
  Tensor y = Tensor::Vector<double>({-1, 1e-10});
  EXPECT_TENSOR_NEAR(RunOk("Xlog1py", x, y), Tensor::Vector<double>({0, 2e-10}),
                     1e-12, 1e-20);
}

TEST(Xdivy, ZeroXGivesZeroWithBroadcasting) {
  Tensor x = Tensor::FromVector<float>({0, 1, 6, 0}, TensorShape{2, 2});
  Tensor y = Tensor::Vector<float>({0, 2});
  EXPECT_TENSOR_EQ(
      RunOk("Xdivy", x, y),
      Tensor::FromVector<float>({0, 0.5f, kInf, 0}, TensorShape{2, 2}));
}

TEST(MulNoNan, ZeroYGivesZeroEvenForInfOrNanX) {
  Tensor x = Tensor::Vector<Eigen::half>(
      {Eigen::half(kInf), Eigen::half(kNan), Eigen::half(3.0f)});
  Tensor y = Tensor::Vector<Eigen::half>(
      {Eigen::half(0.0f), Eigen::half(0.0f), Eigen::half(2.0f)});
  EXPECT_TENSOR_EQ(
      RunOk("MulNoNan", x, y),
      Tensor::Vector<Eigen::half>(
          {Eigen::half(0.0f), Eigen::half(0.0f), Eigen::half(6.0f)}));
}

TEST(Xlogy, EmptyAndUnsupported) {
  Tensor empty = Tensor::FromVector<float>({}, TensorShape{0, 3});
  EXPECT_EQ(RunOk("Xlogy", empty, Tensor::Scalar<float>(1)).shape(),
            (TensorShape{0, 3}));
  KernelHarness h("MulNoNan");
  h.Attr("T", DT_INT32);
  auto out =
      h.Run({Tensor::Vector<int32_t>({1}), Tensor::Vector<int32_t>({1})});
  EXPECT_EQ(out.status().code(), absl::StatusCode::kUnimplemented);
}

}  // namespace
}  // namespace model_server
