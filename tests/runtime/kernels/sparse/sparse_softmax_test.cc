// SparseSoftmax: a softmax over the present entries of each innermost row.
#include <cmath>
#include <cstdint>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/testing/kernel_harness.h"

namespace model_server {
namespace {

using ::testing::HasSubstr;

absl::StatusOr<std::vector<Tensor>> Softmax(const Tensor& indices,
                                            const Tensor& values,
                                            const Tensor& shape) {
  KernelHarness h("SparseSoftmax");
  h.Attr("T", values.dtype());
  return h.Run({indices, values, shape});
}

TEST(SparseSoftmax, SoftmaxOverPresentEntriesOfEachRow) {
  // Row 0: entries 1 and 2 (columns 0 and 2); row 1: a single entry.
  auto out = Softmax(
      Tensor::FromVector<int64_t>({0, 0, 0, 2, 1, 1}, TensorShape{3, 2}),
      Tensor::Vector<double>({1, 2, 5}), Tensor::Vector<int64_t>({2, 3}));
  ASSERT_TRUE(out.ok()) << out.status();
  const double e = std::exp(1.0);
  EXPECT_TENSOR_NEAR(out->at(0),
                     Tensor::Vector<double>({1 / (1 + e), e / (1 + e), 1}),
                     1e-12, 1e-12);
}

TEST(SparseSoftmax, OutputFollowsRowMajorOrderAndLargeValuesStayFinite) {
  // Entries (0,1,1,0)=1000, (0,0,0,0)=7, (0,1,1,1)=1000: sorted, the lone 7
  // comes first, then the two 1000s share the group (0,1,1).
  auto out =
      Softmax(Tensor::FromVector<int64_t>({0, 1, 1, 0, 0, 0, 0, 0, 0, 1, 1, 1},
                                          TensorShape{3, 4}),
              Tensor::Vector<float>({1000, 7, 1000}),
              Tensor::Vector<int64_t>({1, 2, 2, 2}));
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_EQ(out->at(0), Tensor::Vector<float>({1, 0.5f, 0.5f}));
}

TEST(SparseSoftmax, HalfEmptyAndBadInput) {
  auto half =
      Softmax(Tensor::FromVector<int64_t>({0, 0, 0, 1}, TensorShape{2, 2}),
              Tensor::Vector<Eigen::half>({Eigen::half(0), Eigen::half(0)}),
              Tensor::Vector<int64_t>({1, 2}));
  ASSERT_TRUE(half.ok()) << half.status();
  EXPECT_TENSOR_EQ(half->at(0), Tensor::Vector<Eigen::half>(
                                    {Eigen::half(0.5f), Eigen::half(0.5f)}));
  auto empty =
      Softmax(Tensor::FromVector<int64_t>({}, TensorShape{0, 2}),
              Tensor::Vector<float>({}), Tensor::Vector<int64_t>({2, 2}));
  ASSERT_TRUE(empty.ok()) << empty.status();
  EXPECT_EQ(empty->at(0).shape(), TensorShape{0});
  auto rank1 =
      Softmax(Tensor::FromVector<int64_t>({0}, TensorShape{1, 1}),
              Tensor::Vector<float>({1}), Tensor::Vector<int64_t>({3}));
  ASSERT_FALSE(rank1.ok());
  EXPECT_THAT(
      rank1.status().message(),
      HasSubstr("Input should have rank >= 2, but received shape: [3]"));
  auto ints =
      Softmax(Tensor::FromVector<int64_t>({0, 0}, TensorShape{1, 2}),
              Tensor::Vector<int32_t>({1}), Tensor::Vector<int64_t>({1, 1}));
  ASSERT_FALSE(ints.ok());
  EXPECT_EQ(ints.status().code(), absl::StatusCode::kUnimplemented);
}

}  // namespace
}  // namespace model_server
