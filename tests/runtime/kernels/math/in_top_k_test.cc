#include <cmath>
#include <cstdint>
#include <vector>

#include "gtest/gtest.h"
#include "runtime/tensor.h"
#include "tests/testing/kernel_harness.h"

namespace model_server {
namespace {

Tensor Predictions() {
  return Tensor::FromVector<float>({0.1f, 0.5f, 0.5f, 0.2f,   //
                                    0.9f, 0.0f, 0.3f, NAN,    //
                                    1.0f, 2.0f, 3.0f, 4.0f},  //
                                   TensorShape{3, 4});
}

TEST(InTopKV2, TiesAreInAndBadTargetsAreFalse) {
  KernelHarness h("InTopKV2");
  h.Attr("T", DT_INT32);
  // Row 0: class 2 ties with class 1 for the top; row 1: target 7 is out
  // of range; row 2: class 1 has two larger predictions.
  auto k1 = h.Run({Predictions(), Tensor::Vector<int32_t>({2, 7, 1}),
                   Tensor::Scalar<int32_t>(1)});
  ASSERT_TRUE(k1.ok()) << k1.status();
  EXPECT_TENSOR_EQ(k1->at(0), Tensor::Vector<bool>({true, false, false}));
  auto k3 = h.Run({Predictions(), Tensor::Vector<int32_t>({3, 3, 1}),
                   Tensor::Scalar<int32_t>(3)});
  ASSERT_TRUE(k3.ok()) << k3.status();
  // Row 1: target 3 predicts NaN, never in the top k.
  EXPECT_TENSOR_EQ(k3->at(0), Tensor::Vector<bool>({true, false, true}));
}

TEST(InTopK, KAttrAndInt64Targets) {
  KernelHarness h("InTopK");
  h.Attr("T", DT_INT64).Attr("k", 2);
  auto out = h.Run({Predictions(), Tensor::Vector<int64_t>({3, 0, 2})});
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_EQ(out->at(0), Tensor::Vector<bool>({false, true, true}));
  auto k0 = KernelHarness("InTopK")
                .Attr("T", DT_INT32)
                .Attr("k", 0)
                .Run({Predictions(), Tensor::Vector<int32_t>({1, 0, 3})});
  ASSERT_TRUE(k0.ok()) << k0.status();
  EXPECT_TENSOR_EQ(k0->at(0), Tensor::Vector<bool>({false, false, false}));
}

TEST(InTopKV2, EmptyBatchAndBadShapes) {
  KernelHarness h("InTopKV2");
  h.Attr("T", DT_INT32);
  auto empty = h.Run({Tensor::FromVector<float>({}, TensorShape{0, 4}),
                      Tensor::FromVector<int32_t>({}, TensorShape{0}),
                      Tensor::Scalar<int32_t>(1)});
  ASSERT_TRUE(empty.ok()) << empty.status();
  EXPECT_EQ(empty->at(0).shape(), (TensorShape{0}));
  auto mismatch = h.Run({Predictions(), Tensor::Vector<int32_t>({1}),
                         Tensor::Scalar<int32_t>(1)});
  EXPECT_NE(mismatch.status().message().find(
                "First dimension of predictions 3 must match length of "
                "targets 1"),
            std::string::npos)
      << mismatch.status();
  auto rank = h.Run({Tensor::Vector<float>({1}), Tensor::Vector<int32_t>({0}),
                     Tensor::Scalar<int32_t>(1)});
  EXPECT_EQ(rank.status().code(), absl::StatusCode::kInvalidArgument);
  auto k = h.Run({Predictions(), Tensor::Vector<int32_t>({1, 1, 1}),
                  Tensor::Vector<int32_t>({1})});
  EXPECT_EQ(k.status().code(), absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace model_server
