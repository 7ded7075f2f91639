#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "tests/testing/kernel_harness.h"

namespace model_server {
namespace {

absl::StatusOr<Tensor> HashBuckets(const Tensor& input, int64_t num_buckets) {
  KernelHarness k("StringToHashBucketFast");
  k.Attr("num_buckets", num_buckets);
  auto out = k.Run({input});
  if (!out.ok()) return out.status();
  return out->at(0);
}

TEST(StringToHashBucketFast, MatchesTensorFlowBuckets) {
  // tf.strings.to_hash_bucket_fast(["a", "b", "c", "d"], 10) in TF's tests.
  auto out = HashBuckets(Tensor::Vector<std::string>({"a", "b", "c", "d"}), 10);
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_EQ(*out, Tensor::Vector<int64_t>({9, 2, 2, 5}));
  // The example in TensorFlow's API docs.
  out = HashBuckets(Tensor::Vector<std::string>({"Hello", "TensorFlow", "2.x"}),
                    3);
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_EQ(*out, Tensor::Vector<int64_t>({0, 2, 2}));
}

TEST(StringToHashBucketFast, OneBucketMapsEverythingToZero) {
  auto out = HashBuckets(Tensor::Vector<std::string>({"a", "b", ""}), 1);
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_EQ(*out, Tensor::Vector<int64_t>({0, 0, 0}));
}

TEST(StringToHashBucketFast, KeepsShapeAndHandlesEmptyInput) {
  auto out =
      HashBuckets(Tensor::FromVector<std::string>(
                      {"a", "b", "c", "d", "a", "b"}, TensorShape{3, 2, 1}),
                  10);
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_EQ(*out, Tensor::FromVector<int64_t>({9, 2, 2, 5, 9, 2},
                                                     TensorShape{3, 2, 1}));
  out = HashBuckets(Tensor::Vector<std::string>({}), 2147483648);
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_EQ(*out, Tensor::Vector<int64_t>({}));
  out = HashBuckets(Tensor::Scalar<std::string>("d"), 10);
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_EQ(*out, Tensor::Scalar<int64_t>(5));
}

TEST(StringToHashBucketFast, RejectsFewerThanOneBucket) {
  auto out = HashBuckets(Tensor::Vector<std::string>({"a"}), 0);
  ASSERT_FALSE(out.ok());
  EXPECT_NE(out.status().message().find("must be at least minimum 1"),
            std::string::npos)
      << out.status();
}

TEST(StringToHashBucketFast, RejectsNonStringInput) {
  auto out = HashBuckets(Tensor::Vector<int64_t>({1}), 3);
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.status().code(), absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace model_server
