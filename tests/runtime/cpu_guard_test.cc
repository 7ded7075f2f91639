// The start-up CPU check: which required features a CPU lacks.
#include "runtime/cpu_guard.h"

#include <cstring>
#include <set>
#include <string>

#include "absl/strings/str_split.h"
#include "gtest/gtest.h"

namespace model_server {
namespace {

// A pretend CPU with SSE up to 4.2 only.
bool OldCpuHas(const char* feature) {
  static const std::set<std::string> kFeatures = {"sse3", "ssse3", "sse4.1",
                                                  "sse4.2", "popcnt"};
  return kFeatures.count(feature) > 0;
}

TEST(CpuGuard, ListsEveryMissingFeatureInOrder) {
  char missing[128];
  EXPECT_EQ(ListMissingCpuFeatures("sse4.2 avx2 popcnt fma bmi2", OldCpuHas,
                                   missing, sizeof(missing)),
            3);
  EXPECT_STREQ(missing, "avx2 fma bmi2");
}

TEST(CpuGuard, NothingMissingGivesEmptyList) {
  char missing[16] = "junk";
  EXPECT_EQ(ListMissingCpuFeatures("  sse3  popcnt ", OldCpuHas, missing,
                                   sizeof(missing)),
            0);
  EXPECT_STREQ(missing, "");
  EXPECT_EQ(ListMissingCpuFeatures("", OldCpuHas, missing, sizeof(missing)), 0);
}

TEST(CpuGuard, TruncatesTheListToTheBuffer) {
  char missing[8];
  EXPECT_EQ(ListMissingCpuFeatures("avx2 avx512f fma", OldCpuHas, missing,
                                   sizeof(missing)),
            3);
  EXPECT_EQ(std::strlen(missing), sizeof(missing) - 1);
  EXPECT_STREQ(missing, "avx2 av");
}

TEST(CpuGuard, ThisCpuHasWhatThisBuildRequires) {
  // The test binary runs, so the guard let it through; check the same thing
  // feature by feature.
  for (absl::string_view feature :
       absl::StrSplit(RequiredCpuFeatures(), ' ', absl::SkipEmpty())) {
    EXPECT_TRUE(CpuHasFeature(std::string(feature).c_str())) << feature;
  }
}

TEST(CpuGuard, UnknownFeatureNamesAreMissing) {
  EXPECT_FALSE(CpuHasFeature("no-such-feature"));
  EXPECT_FALSE(CpuHasFeature(""));
}

#if defined(__x86_64__)
TEST(CpuGuard, DefaultX86BuildRequiresAvx2AndFma) {
  // cmake/TargetArch.cmake's default is x86-64-v3; a build configured with
  // another -march says so in RequiredCpuFeatures() and skips this.
  const std::string required = RequiredCpuFeatures();
  if (required.find("avx2") == std::string::npos) {
    GTEST_SKIP() << "built without AVX2: " << required;
  }
  EXPECT_NE(required.find("fma"), std::string::npos) << required;
}
#endif

}  // namespace
}  // namespace model_server
