#include <cmath>
#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "runtime/tensor.h"
#include "tests/testing/kernel_harness.h"

namespace model_server {
namespace {

absl::StatusOr<std::vector<Tensor>> RunCompare(const std::string& op,
                                               const Tensor& x,
                                               const Tensor& y) {
  KernelHarness h(op);
  h.Attr("T", x.dtype());
  return h.Run({x, y});
}

Tensor Eval(const std::string& op, const Tensor& x, const Tensor& y) {
  auto out = RunCompare(op, x, y);
  EXPECT_TRUE(out.ok()) << op << ": " << out.status();
  return out.ok() ? out->at(0) : Tensor();
}

TEST(Less, OrderedComparisonsOnFloats) {
  Tensor x = Tensor::Vector<float>({1, 2, 3, NAN});
  Tensor y = Tensor::Vector<float>({2, 2, 2, 2});
  EXPECT_TENSOR_EQ(Eval("Less", x, y),
                   Tensor::Vector<bool>({true, false, false, false}));
  EXPECT_TENSOR_EQ(Eval("LessEqual", x, y),
                   Tensor::Vector<bool>({true, true, false, false}));
  EXPECT_TENSOR_EQ(Eval("Greater", x, y),
                   Tensor::Vector<bool>({false, false, true, false}));
  EXPECT_TENSOR_EQ(Eval("GreaterEqual", x, y),
                   Tensor::Vector<bool>({false, true, true, false}));
}

TEST(Greater, BroadcastsAcrossIntegerTypes) {
  Tensor x = Tensor::FromVector<int64_t>({1, 5, 9, -1}, TensorShape{2, 2});
  EXPECT_TENSOR_EQ(
      Eval("Greater", x, Tensor::Scalar<int64_t>(4)),
      Tensor::FromVector<bool>({false, true, true, false}, TensorShape{2, 2}));
  Tensor col = Tensor::FromVector<uint8_t>({1, 3}, TensorShape{2, 1});
  Tensor row = Tensor::FromVector<uint8_t>({2, 3}, TensorShape{1, 2});
  EXPECT_TENSOR_EQ(
      Eval("LessEqual", col, row),
      Tensor::FromVector<bool>({true, true, false, true}, TensorShape{2, 2}));
}

TEST(Equal, WorksForStringsBoolsAndHalf) {
  EXPECT_TENSOR_EQ(Eval("Equal", Tensor::Vector<std::string>({"a", "b"}),
                        Tensor::Scalar(std::string("b"))),
                   Tensor::Vector<bool>({false, true}));
  EXPECT_TENSOR_EQ(Eval("NotEqual", Tensor::Vector<bool>({true, false}),
                        Tensor::Vector<bool>({true, true})),
                   Tensor::Vector<bool>({false, true}));
  using Eigen::half;
  EXPECT_TENSOR_EQ(Eval("Equal", Tensor::Vector<half>({half(1.f), half(NAN)}),
                        Tensor::Vector<half>({half(1.f), half(NAN)})),
                   Tensor::Vector<bool>({true, false}));
}

TEST(Equal, IncompatibleShapesFailByDefault) {
  auto out = RunCompare("Equal", Tensor::Vector<int32_t>({1, 2, 3}),
                        Tensor::Vector<int32_t>({1, 2}));
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(out.status().message().find("Incompatible shapes: [3] vs. [2]"),
            std::string::npos);
}

TEST(Equal, IncompatibleShapesGiveScalarWhenErrorIsDisabled) {
  for (const char* op : {"Equal", "NotEqual"}) {
    KernelHarness h(op);
    h.Attr("T", DT_INT32).Attr("incompatible_shape_error", false);
    auto out = h.Run(
        {Tensor::Vector<int32_t>({1, 2, 3}), Tensor::Vector<int32_t>({1, 2})});
    ASSERT_TRUE(out.ok()) << out.status();
    EXPECT_TENSOR_EQ(out->at(0),
                     Tensor::Scalar<bool>(std::string(op) == "NotEqual"));
  }
}

TEST(Less, StringsAreNotOrdered) {
  auto out = RunCompare("Less", Tensor::Vector<std::string>({"a"}),
                        Tensor::Vector<std::string>({"b"}));
  ASSERT_FALSE(out.ok());
  EXPECT_NE(out.status().message().find("unsupported dtype"),
            std::string::npos);
}

TEST(Less, LargeBroadcastMatchesNaiveLoop) {
  std::mt19937 rng(2);
  std::uniform_real_distribution<float> dist(-1, 1);
  std::vector<float> xv(500 * 130), yv(130);
  for (auto& v : xv) v = dist(rng);
  for (auto& v : yv) v = dist(rng);
  Tensor x = Tensor::FromVector(xv, TensorShape{500, 130});
  Tensor y = Tensor::Vector(yv);
  std::vector<bool> expected(xv.size());
  for (size_t i = 0; i < xv.size(); ++i) expected[i] = xv[i] < yv[i % 130];
  Tensor out = Eval("Less", x, y);
  ASSERT_EQ(out.shape(), x.shape());
  for (size_t i = 0; i < xv.size(); ++i) {
    ASSERT_EQ(out.data<bool>()[i], expected[i]) << i;
  }
}

TEST(LogicalAnd, BroadcastsBools) {
  KernelHarness h("LogicalAnd");
  auto out = h.Run(
      {Tensor::Vector<bool>({true, false, true}), Tensor::Scalar<bool>(true)});
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_EQ(out->at(0), Tensor::Vector<bool>({true, false, true}));
  KernelHarness o("LogicalOr");
  auto out_or =
      o.Run({Tensor::FromVector<bool>({true, false}, TensorShape{2, 1}),
             Tensor::FromVector<bool>({false, false}, TensorShape{1, 2})});
  ASSERT_TRUE(out_or.ok()) << out_or.status();
  EXPECT_TENSOR_EQ(
      out_or->at(0),
      Tensor::FromVector<bool>({true, true, false, false}, TensorShape{2, 2}));
}

TEST(LogicalNot, NegatesAndRejectsNonBool) {
  KernelHarness h("LogicalNot");
  auto out = h.Run({Tensor::Vector<bool>({true, false})});
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_EQ(out->at(0), Tensor::Vector<bool>({false, true}));
  auto bad = h.Run({Tensor::Vector<float>({1})});
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().code(), absl::StatusCode::kInvalidArgument);
}

TEST(LogicalAnd, IncompatibleShapesAreAnError) {
  KernelHarness h("LogicalAnd");
  auto out = h.Run({Tensor::Vector<bool>({true, false, true}),
                    Tensor::Vector<bool>({true, false})});
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.status().code(), absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace model_server
