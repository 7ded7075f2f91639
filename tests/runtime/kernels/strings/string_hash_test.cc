#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "runtime/kernels/strings/keyed_hashes.h"
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

namespace model_server {
namespace {

TEST(StringToHashBucketStrong, MatchesTensorFlowsDocumentedBuckets) {
  // tf.strings.to_hash_bucket_strong(["Hello", "TF"], 3, [1, 2]).
  KernelHarness k("StringToHashBucketStrong");
  k.Attr("num_buckets", int64_t{3}).Attr("key", std::vector<int64_t>{1, 2});
  auto out = k.Run({Tensor::Vector<std::string>({"Hello", "TF"})});
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_EQ(out->at(0), Tensor::Vector<int64_t>({2, 0}));
}

TEST(StringToHashBucketStrong, RequiresATwoElementKey) {
  KernelHarness k("StringToHashBucketStrong");
  k.Attr("num_buckets", int64_t{3}).Attr("key", std::vector<int64_t>{1});
  EXPECT_EQ(k.Run({Tensor::Vector<std::string>({"a"})}).status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(SipHash24, MatchesTheReferenceVectors) {
  // The SipHash paper's key 00..0f; messages "" and 00..0e.
  const uint64_t k0 = 0x0706050403020100ULL, k1 = 0x0f0e0d0c0b0a0908ULL;
  EXPECT_EQ(SipHash24(k0, k1, ""), 0x726fdb47dd0e0e31ULL);
  std::string fifteen;
  for (int i = 0; i < 15; ++i) fifteen.push_back(static_cast<char>(i));
  EXPECT_EQ(SipHash24(k0, k1, fifteen), 0xa129ca6149be45e5ULL);
}

TEST(StringToHashBucket, MatchesTensorFlowsDocumentedBuckets) {
  // tf.strings.to_hash_bucket(["Hello", "TensorFlow", "2.x"], 3).
  KernelHarness k("StringToHashBucket");
  k.Attr("num_buckets", int64_t{3});
  auto out =
      k.Run({Tensor::Vector<std::string>({"Hello", "TensorFlow", "2.x"})});
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_EQ(out->at(0), Tensor::Vector<int64_t>({2, 0, 1}));
}

}  // namespace
}  // namespace model_server
