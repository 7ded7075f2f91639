#include <cstdint>
#include <vector>

#include "gtest/gtest.h"
#include "runtime/tensor.h"
#include "tests/testing/kernel_harness.h"

namespace model_server {
namespace {

absl::StatusOr<std::vector<Tensor>> Cross(const Tensor& a, const Tensor& b) {
  KernelHarness h("Cross");
  h.Attr("T", a.dtype());
  return h.Run({a, b});
}

TEST(Cross, UnitVectorsAndABatch) {
  Tensor a = Tensor::FromVector<float>({1, 0, 0, 1, 2, 3}, TensorShape{2, 3});
  Tensor b = Tensor::FromVector<float>({0, 1, 0, 4, 5, 6}, TensorShape{2, 3});
  auto out = Cross(a, b);
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_EQ(out->at(0), Tensor::FromVector<float>({0, 0, 1, -3, 6, -3},
                                                         TensorShape{2, 3}));
  auto ints = Cross(Tensor::Vector<int64_t>({1, 2, 3}),
                    Tensor::Vector<int64_t>({4, 5, 6}));
  ASSERT_TRUE(ints.ok()) << ints.status();
  EXPECT_TENSOR_EQ(ints->at(0), Tensor::Vector<int64_t>({-3, 6, -3}));
}

TEST(Cross, EmptyBatchAndBadShapes) {
  Tensor empty = Tensor::FromVector<double>({}, TensorShape{0, 3});
  auto out = Cross(empty, empty);
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_EQ(out->at(0).shape(), (TensorShape{0, 3}));
  auto two =
      Cross(Tensor::Vector<float>({1, 2}), Tensor::Vector<float>({1, 2}));
  EXPECT_EQ(two.status().code(), absl::StatusCode::kInvalidArgument);
  auto mismatch =
      Cross(Tensor::Vector<float>({1, 2, 3}),
            Tensor::FromVector<float>({1, 2, 3}, TensorShape{1, 3}));
  EXPECT_NE(
      mismatch.status().message().find("Both inputs must be of same shape"),
      std::string::npos);
  EXPECT_EQ(
      Cross(Tensor::Scalar<float>(1), Tensor::Scalar<float>(1)).status().code(),
      absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace model_server
