// On a CPU without what the build targets, model_server prints one line
// naming the missing features and exits 1 instead of dying with SIGILL.
// The old CPU is emulated with qemu-user (Debian's qemu-user package), which
// runs the real binary with a chosen CPU model.
#include "runtime/cpu_guard.h"

#include <unistd.h>

#include <string>

#include "absl/strings/match.h"
#include "absl/strings/str_split.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/testing/daemon_process.h"

namespace model_server {
namespace {

using ::testing::HasSubstr;

constexpr char kQemu[] = "/usr/bin/qemu-x86_64";

bool RequiresAvx2() { return absl::StrContains(RequiredCpuFeatures(), "avx2"); }

// qemu-user does not run a binary built with ASan or TSan (their shadow
// memory reservations never finish under emulation), and the sanitizer
// build (tools/run_sanitizer_tests.sh) instruments model_server too.
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
constexpr bool kSanitizerBuild = true;
#else
constexpr bool kSanitizerBuild = false;
#endif

TEST(CpuGuard, OldCpuGetsOneLineNamingTheMissingFeatures) {
#if !defined(__x86_64__)
  GTEST_SKIP() << "x86-64 only";
#endif
  if (access(kQemu, X_OK) != 0) {
    GTEST_SKIP() << kQemu << " not installed (Debian package qemu-user)";
  }
  if (!RequiresAvx2()) GTEST_SKIP() << "this build does not require AVX2";
  if (kSanitizerBuild)
    GTEST_SKIP() << "qemu-user cannot run a sanitized binary";
  // Nehalem (2008): SSE4.2, no AVX.
  auto run = testing::RunProgramToExit(
      {kQemu, "-cpu", "Nehalem", testing::DaemonBinaryPath(), "--version"});
  ASSERT_TRUE(run.ok()) << run.status();
  EXPECT_EQ(run->exit_code, 1);
  EXPECT_EQ(run->stdout_text, "");
  std::vector<std::string> lines =
      absl::StrSplit(run->stderr_text, '\n', absl::SkipEmpty());
  ASSERT_EQ(lines.size(), 1u) << run->stderr_text;
  EXPECT_THAT(lines[0], HasSubstr("model_server: this CPU lacks avx avx2 fma"));
  EXPECT_THAT(lines[0], HasSubstr("-march=x86-64-v3"));
}

TEST(CpuGuard, CpuWithAvx2RunsTheBinary) {
#if !defined(__x86_64__)
  GTEST_SKIP() << "x86-64 only";
#endif
  if (access(kQemu, X_OK) != 0) {
    GTEST_SKIP() << kQemu << " not installed (Debian package qemu-user)";
  }
  if (absl::StrContains(RequiredCpuFeatures(), "avx512")) {
    GTEST_SKIP() << "this build requires AVX-512";
  }
  if (kSanitizerBuild)
    GTEST_SKIP() << "qemu-user cannot run a sanitized binary";
  // Haswell (2013) is the x86-64-v3 baseline.
  auto run = testing::RunProgramToExit(
      {kQemu, "-cpu", "Haswell", testing::DaemonBinaryPath(), "--version"});
  ASSERT_TRUE(run.ok()) << run.status();
  EXPECT_EQ(run->exit_code, 0) << run->stderr_text;
  EXPECT_THAT(run->stdout_text, HasSubstr("model_server"));
}

}  // namespace
}  // namespace model_server
