// SparseReorder: entries sorted into row-major order, values following.
#include <cstdint>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/testing/kernel_harness.h"

namespace model_server {
namespace {

using ::testing::HasSubstr;

absl::StatusOr<std::vector<Tensor>> Reorder(const Tensor& indices,
                                            const Tensor& values,
                                            const Tensor& shape) {
  KernelHarness h("SparseReorder");
  h.Attr("T", values.dtype());
  return h.Run({indices, values, shape});
}

TEST(SparseReorder, SortsEntriesIntoRowMajorOrder) {
  auto out = Reorder(
      Tensor::FromVector<int64_t>({1, 2, 0, 3, 1, 0, 0, 1}, TensorShape{4, 2}),
      Tensor::Vector<float>({10, 20, 30, 40}), Tensor::Vector<int64_t>({2, 4}));
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_EQ(
      out->at(0),
      Tensor::FromVector<int64_t>({0, 1, 0, 3, 1, 0, 1, 2}, TensorShape{4, 2}));
  EXPECT_TENSOR_EQ(out->at(1), Tensor::Vector<float>({40, 20, 30, 10}));
}

TEST(SparseReorder, OrderedInputAndStringsAndEmpty) {
  const Tensor ix =
      Tensor::FromVector<int64_t>({0, 0, 0, 2, 1, 1}, TensorShape{3, 2});
  auto same = Reorder(ix, Tensor::Vector<std::string>({"a", "b", "c"}),
                      Tensor::Vector<int64_t>({2, 3}));
  ASSERT_TRUE(same.ok()) << same.status();
  EXPECT_TENSOR_EQ(same->at(0), ix);
  auto strings =
      Reorder(Tensor::FromVector<int64_t>({2, 0, 1}, TensorShape{3, 1}),
              Tensor::Vector<std::string>({"c", "a", "b"}),
              Tensor::Vector<int64_t>({3}));
  ASSERT_TRUE(strings.ok()) << strings.status();
  EXPECT_TENSOR_EQ(strings->at(1),
                   Tensor::Vector<std::string>({"a", "b", "c"}));
  auto empty =
      Reorder(Tensor::FromVector<int64_t>({}, TensorShape{0, 3}),
              Tensor::Vector<int32_t>({}), Tensor::Vector<int64_t>({2, 2, 2}));
  ASSERT_TRUE(empty.ok()) << empty.status();
  EXPECT_EQ(empty->at(0).shape(), (TensorShape{0, 3}));
}

TEST(SparseReorder, RejectsMalformedSparseTensors) {
  const Tensor ix = Tensor::FromVector<int64_t>({0, 1}, TensorShape{2, 1});
  auto count =
      Reorder(ix, Tensor::Vector<float>({1}), Tensor::Vector<int64_t>({3}));
  ASSERT_FALSE(count.ok());
  EXPECT_EQ(count.status().code(), absl::StatusCode::kInvalidArgument);
  auto rank = Reorder(ix, Tensor::Vector<float>({1, 2}),
                      Tensor::Vector<int64_t>({3, 3}));
  ASSERT_FALSE(rank.ok());
  EXPECT_EQ(rank.status().code(), absl::StatusCode::kInvalidArgument);
  auto negative =
      Reorder(ix, Tensor::Vector<float>({1, 2}), Tensor::Vector<int64_t>({-3}));
  ASSERT_FALSE(negative.ok());
  EXPECT_THAT(negative.status().message(),
              HasSubstr("Dimension -3 must be >= 0"));
  auto vector =
      Reorder(Tensor::Vector<int64_t>({0}), Tensor::Vector<float>({1}),
              Tensor::Vector<int64_t>({3}));
  ASSERT_FALSE(vector.ok());
  EXPECT_THAT(vector.status().message(),
              HasSubstr("Input indices should be a matrix"));
}

}  // namespace
}  // namespace model_server
