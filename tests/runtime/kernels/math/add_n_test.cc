#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "runtime/tensor.h"
#include "tests/testing/kernel_harness.h"

namespace model_server {
namespace {

absl::StatusOr<std::vector<Tensor>> RunAddN(const std::vector<Tensor>& inputs) {
  KernelHarness h("AddN");
  h.Attr("T", inputs[0].dtype()).Attr("N", static_cast<int>(inputs.size()));
  return h.Run(inputs);
}

TEST(AddN, SumsTwoAndThreeTensors) {
  auto two =
      RunAddN({Tensor::Vector<float>({1, 2}), Tensor::Vector<float>({3, 4})});
  ASSERT_TRUE(two.ok()) << two.status();
  EXPECT_TENSOR_EQ(two->at(0), Tensor::Vector<float>({4, 6}));
  auto three =
      RunAddN({Tensor::Vector<int32_t>({1}), Tensor::Vector<int32_t>({2}),
               Tensor::Vector<int32_t>({3})});
  ASSERT_TRUE(three.ok()) << three.status();
  EXPECT_TENSOR_EQ(three->at(0), Tensor::Vector<int32_t>({6}));
}

TEST(AccumulateNV2, SumsLikeAddN) {
  KernelHarness h("AccumulateNV2");
  h.Attr("T", DT_FLOAT).Attr("N", 3).ShapeAttr("shape", {2});
  auto out =
      h.Run({Tensor::Vector<float>({1, 2}), Tensor::Vector<float>({3, 4}),
             Tensor::Vector<float>({5, 6})});
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_EQ(out->at(0), Tensor::Vector<float>({9, 12}));
  auto empty = h.Run({Tensor::FromVector<float>({}, TensorShape{0}),
                      Tensor::FromVector<float>({}, TensorShape{0}),
                      Tensor::FromVector<float>({}, TensorShape{0})});
  ASSERT_TRUE(empty.ok()) << empty.status();
  EXPECT_EQ(empty->at(0).NumElements(), 0);
}

TEST(AddN, SingleInputIsForwarded) {
  Tensor x = Tensor::Vector<double>({1, 2, 3});
  auto out = RunAddN({x});
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_EQ(out->at(0), x);
}

TEST(AddN, ManyLargeInputsMatchNaiveSum) {
  std::mt19937 rng(6);
  std::uniform_real_distribution<float> dist(-1, 1);
  const TensorShape shape{50, 1001};
  for (int n : {2, 5, 11}) {
    std::vector<Tensor> inputs;
    std::vector<double> sum(shape.num_elements(), 0);
    for (int k = 0; k < n; ++k) {
      std::vector<float> v(shape.num_elements());
      for (size_t i = 0; i < v.size(); ++i) {
        v[i] = dist(rng);
        sum[i] += v[i];
      }
      inputs.push_back(Tensor::FromVector(v, shape));
    }
    std::vector<float> expected(sum.begin(), sum.end());
    auto out = RunAddN(inputs);
    ASSERT_TRUE(out.ok()) << out.status();
    EXPECT_TENSOR_NEAR(out->at(0), Tensor::FromVector(expected, shape), 1e-5,
                       1e-5)
        << n;
  }
}

TEST(AddN, HalfAndWrappingIntegers) {
  using Eigen::half;
  auto h = RunAddN(
      {Tensor::Vector<half>({half(1.5f)}), Tensor::Vector<half>({half(2.f)})});
  ASSERT_TRUE(h.ok()) << h.status();
  EXPECT_TENSOR_EQ(h->at(0), Tensor::Vector<half>({half(3.5f)}));
  auto u =
      RunAddN({Tensor::Vector<uint8_t>({200}), Tensor::Vector<uint8_t>({100})});
  ASSERT_TRUE(u.ok()) << u.status();
  EXPECT_TENSOR_EQ(u->at(0), Tensor::Vector<uint8_t>({44}));
}

TEST(AddN, MismatchedShapesAreRejected) {
  auto out = RunAddN(
      {Tensor::Vector<float>({1, 2}), Tensor::Vector<float>({1, 2, 3})});
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(out.status().message().find(
                "must have the same size and shape.  Input 0: [2] != input 1: "
                "[3]"),
            std::string::npos)
      << out.status();
}

TEST(AddN, UnsupportedDtypeFailsAtLoad) {
  auto out =
      RunAddN({Tensor::Vector<bool>({true}), Tensor::Vector<bool>({true})});
  ASSERT_FALSE(out.ok());
  EXPECT_NE(out.status().message().find("unsupported dtype"),
            std::string::npos);
}

}  // namespace
}  // namespace model_server
