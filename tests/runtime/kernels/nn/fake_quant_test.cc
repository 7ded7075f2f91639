#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "runtime/tensor.h"
#include "tests/testing/kernel_harness.h"

namespace model_server {
namespace {

TEST(FakeQuantWithMinMaxArgs, DefaultRangeSnapsToTheEightBitGrid) {
  // [-6, 6] in 255 steps: scale 12/255, zero point 127.5 rounds to 128, so
  // the grid is k * scale for k in [-128, 127].
  const float scale = 12.f / 255.f;
  KernelHarness h("FakeQuantWithMinMaxArgs");
  auto out = h.Run({Tensor::Vector<float>({0.f, 0.1f, -100.f, 100.f, 1.f})});
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_NEAR(out->at(0),
                     Tensor::Vector<float>({0.f, 2 * scale, -128 * scale,
                                            127 * scale, 21 * scale}),
                     1e-6, 1e-6);
}

TEST(FakeQuantWithMinMaxArgs, NarrowRangeAndFewBits) {
  // 2 bits, narrow range: quant range [1, 3] over [0, 1]: scale 0.5, zero
  // point 1; grid 0, 0.5, 1.
  KernelHarness h("FakeQuantWithMinMaxArgs");
  h.Attr("min", 0.f)
      .Attr("max", 1.f)
      .Attr("num_bits", 2)
      .Attr("narrow_range", true);
  auto out = h.Run({Tensor::Vector<float>({-1.f, 0.2f, 0.3f, 0.8f, 2.f})});
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_EQ(out->at(0),
                   Tensor::Vector<float>({0.f, 0.f, 0.5f, 1.f, 1.f}));
}

TEST(FakeQuantWithMinMaxArgs, RejectsBadAttrs) {
  KernelHarness bits("FakeQuantWithMinMaxArgs");
  bits.Attr("num_bits", 17);
  auto out = bits.Run({Tensor::Vector<float>({0.f})});
  ASSERT_FALSE(out.ok());
  EXPECT_NE(out.status().message().find("num_bits is out of range"),
            std::string::npos)
      << out.status();
  KernelHarness range("FakeQuantWithMinMaxArgs");
  range.Attr("min", 1.f).Attr("max", 1.f);
  auto bad = range.Run({Tensor::Vector<float>({0.f})});
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("min has to be smaller than max"),
            std::string::npos);
}

TEST(FakeQuantWithMinMaxVars, TakesTheRangeFromInputs) {
  // [0, 255] with 8 bits: scale 1, integers stay, halves round up.
  KernelHarness h("FakeQuantWithMinMaxVars");
  auto out = h.Run(
      {Tensor::FromVector<float>({1.5f, 2.4f, 300.f, -3.f}, TensorShape{2, 2}),
       Tensor::Scalar(0.f), Tensor::Scalar(255.f)});
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_EQ(out->at(0), Tensor::FromVector<float>({2.f, 2.f, 255.f, 0.f},
                                                         TensorShape{2, 2}));
  auto empty = h.Run({Tensor::FromVector<float>({}, TensorShape{0, 3}),
                      Tensor::Scalar(0.f), Tensor::Scalar(1.f)});
  ASSERT_TRUE(empty.ok()) << empty.status();
  EXPECT_EQ(empty->at(0).shape(), (TensorShape{0, 3}));
  auto vector = h.Run({Tensor::Vector<float>({1.f}),
                       Tensor::Vector<float>({0.f, 1.f}), Tensor::Scalar(1.f)});
  ASSERT_FALSE(vector.ok());
  EXPECT_EQ(vector.status().code(), absl::StatusCode::kInvalidArgument);
}

TEST(FakeQuantWithMinMaxVarsPerChannel, EachChannelHasItsRange) {
  KernelHarness h("FakeQuantWithMinMaxVarsPerChannel");
  h.Attr("num_bits", 2);
  // Channel 0: [0, 3], scale 1. Channel 1: [0, 6], scale 2.
  auto out = h.Run(
      {Tensor::FromVector<float>({1.2f, 1.2f, 2.6f, 4.9f}, TensorShape{2, 2}),
       Tensor::Vector<float>({0.f, 0.f}), Tensor::Vector<float>({3.f, 6.f})});
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_EQ(out->at(0), Tensor::FromVector<float>({1.f, 2.f, 3.f, 4.f},
                                                         TensorShape{2, 2}));
  auto mismatch =
      h.Run({Tensor::FromVector<float>({1.f, 2.f}, TensorShape{1, 2}),
             Tensor::Vector<float>({0.f}), Tensor::Vector<float>({3.f})});
  ASSERT_FALSE(mismatch.ok());
  EXPECT_EQ(mismatch.status().code(), absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace model_server
