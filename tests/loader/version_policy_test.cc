// VersionPolicy: which versions TF Serving's latest/all/specific policies
// serve, and the availability-preserving unload rule.
#include "loader/version_policy.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace model_server {
namespace {

using Versions = std::set<int64_t>;

TEST(VersionPolicy, LatestServesTheHighestVersions) {
  EXPECT_EQ(AspiredVersions(VersionPolicy::Latest(1), {1, 5, 3}), Versions{5});
  EXPECT_EQ(AspiredVersions(VersionPolicy::Latest(2), {1, 5, 3}),
            (Versions{3, 5}));
  EXPECT_EQ(AspiredVersions(VersionPolicy::Latest(9), {1, 5}),
            (Versions{1, 5}));
  EXPECT_EQ(AspiredVersions(VersionPolicy::Latest(1), {}), Versions{});
}

TEST(VersionPolicy, LatestZeroMeansOne) {
  EXPECT_EQ(AspiredVersions(VersionPolicy::Latest(0), {1, 2}), Versions{2});
  EXPECT_EQ(VersionPolicy::Latest(0), VersionPolicy::Latest(1));
}

TEST(VersionPolicy, AllServesEveryCandidate) {
  EXPECT_EQ(AspiredVersions(VersionPolicy::All(), {1, 2, 7}),
            (Versions{1, 2, 7}));
}

TEST(VersionPolicy, SpecificServesOnlyListedVersionsThatExist) {
  EXPECT_EQ(AspiredVersions(VersionPolicy::Specific({2, 9}), {1, 2, 3}),
            Versions{2});
  EXPECT_EQ(AspiredVersions(VersionPolicy::Specific({}), {1, 2}), Versions{});
}

TEST(VersionPolicy, DescribesItselfForLogs) {
  EXPECT_EQ(DescribeVersionPolicy(VersionPolicy::Latest(0)), "latest 1");
  EXPECT_EQ(DescribeVersionPolicy(VersionPolicy::All()), "all");
  EXPECT_EQ(DescribeVersionPolicy(VersionPolicy::Specific({124, 123})),
            "specific {123, 124}");
}

TEST(VersionsToUnload, RetiredVersionsLeaveOnceAnAspiredOneServes) {
  EXPECT_EQ(VersionsToUnload(/*aspired=*/{2}, /*serving=*/{1, 2}), Versions{1});
  EXPECT_EQ(VersionsToUnload({3}, {1, 2, 3}), (Versions{1, 2}));
}

TEST(VersionsToUnload, HighestRetiredVersionStaysUntilAnAspiredOneServes) {
  // Version 3 is still loading (or failed): keep serving 2.
  EXPECT_EQ(VersionsToUnload({3}, {1, 2}), Versions{1});
  EXPECT_EQ(VersionsToUnload({3}, {2}), Versions{});
}

TEST(VersionsToUnload, NothingAspiredUnloadsEverything) {
  EXPECT_EQ(VersionsToUnload({}, {1, 2}), (Versions{1, 2}));
}

TEST(VersionsToUnload, AspiredVersionsStay) {
  EXPECT_EQ(VersionsToUnload({1, 2}, {1, 2}), Versions{});
}

}  // namespace
}  // namespace model_server
