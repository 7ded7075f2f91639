// The default build is portable: model_server holds no AVX-512 instruction
// unless the build was configured for AVX-512 (native tuning or
// -DMODEL_SERVER_ARCH=x86-64-v4), so it runs on any x86-64-v3 CPU.
#include <unistd.h>

#include <string>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/strip.h"
#include "gtest/gtest.h"
#include "runtime/cpu_guard.h"
#include "tests/testing/daemon_process.h"

namespace model_server {
namespace {

TEST(PortableBinary, DefaultBuildHasNoAvx512Instructions) {
#if !defined(__x86_64__)
  GTEST_SKIP() << "x86-64 only";
#endif
  if (absl::StrContains(RequiredCpuFeatures(), "avx512")) {
    GTEST_SKIP() << "this build targets AVX-512: " << RequiredCpuFeatures();
  }
  if (access("/usr/bin/objdump", X_OK) != 0) {
    GTEST_SKIP() << "/usr/bin/objdump not installed (Debian package binutils)";
  }
  // AVX-512 code is what uses the zmm registers (and k mask registers, which
  // only AVX-512 instructions take).
  auto run = testing::RunProgramToExit(
      {"/bin/sh", "-c",
       "objdump -d --no-show-raw-insn '" + testing::DaemonBinaryPath() +
           "' | grep -c -E '%zmm|%k[1-7]\\b'"},
      absl::Seconds(120));
  ASSERT_TRUE(run.ok()) << run.status();
  int count = -1;
  ASSERT_TRUE(
      absl::SimpleAtoi(absl::StripAsciiWhitespace(run->stdout_text), &count))
      << run->stdout_text << run->stderr_text;
  EXPECT_EQ(count, 0) << "AVX-512 instructions in "
                      << testing::DaemonBinaryPath();
}

}  // namespace
}  // namespace model_server
