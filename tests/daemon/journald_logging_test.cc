// Logging for systemd's journal: the $JOURNAL_STREAM match, the syslog
// priorities, and the daemon's stderr with and without the journal (the
// test points $JOURNAL_STREAM at the file it gives the daemon as stderr).
#include "daemon/journald_logging.h"

#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/testing/daemon_process.h"

namespace model_server {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;
using testing::TempDirectory;

std::string StreamOf(const std::string& path) {
  struct stat status;
  if (stat(path.c_str(), &status) != 0) return "";
  return absl::StrCat(status.st_dev, ":", status.st_ino);
}

TEST(IsJournalStream, MatchesOnlyTheNamedDeviceAndInode) {
  auto scratch = TempDirectory::Create();
  ASSERT_TRUE(scratch.ok()) << scratch.status();
  const std::string mine = (*scratch)->path() + "/mine";
  const std::string other = (*scratch)->path() + "/other";
  std::ofstream(mine) << "";
  std::ofstream(other) << "";
  const int fd = open(mine.c_str(), O_RDONLY | O_CLOEXEC);
  ASSERT_GE(fd, 0);
  EXPECT_TRUE(IsJournalStream(fd, StreamOf(mine).c_str()));
  EXPECT_FALSE(IsJournalStream(fd, StreamOf(other).c_str()));
  for (const char* malformed : {"", "12", "1:2:3", "x:1", "1:y", ":"}) {
    EXPECT_FALSE(IsJournalStream(fd, malformed)) << malformed;
  }
  EXPECT_FALSE(IsJournalStream(fd, nullptr));
  close(fd);
  EXPECT_FALSE(IsJournalStream(fd, StreamOf(mine).c_str())) << "closed fd";
}

TEST(SyslogPriorityPrefix, MapsGlogSeveritiesToSyslogLevels) {
  EXPECT_STREQ(SyslogPriorityPrefix("INFO"), "<6>");
  EXPECT_STREQ(SyslogPriorityPrefix("WARNING"), "<4>");
  EXPECT_STREQ(SyslogPriorityPrefix("ERROR"), "<3>");
  EXPECT_STREQ(SyslogPriorityPrefix("FATAL"), "<2>");
  EXPECT_STREQ(SyslogPriorityPrefix("VERBOSE"), "<6>");
}

// Runs the daemon with a monitoring config that does not exist: it logs
// two INFO lines, then an ERROR, and exits 1 before opening any port.
// Returns its stderr's lines.
std::vector<std::string> FailedStartLines(bool journal) {
  auto scratch = TempDirectory::Create();
  if (!scratch.ok()) return {};
  const std::string err = (*scratch)->path() + "/stderr";
  std::ofstream(err) << "";  // Spawn truncates it: same inode
  if (journal) setenv("JOURNAL_STREAM", StreamOf(err).c_str(), 1);
  auto pid = testing::SpawnProgram(
      {testing::DaemonBinaryPath(), "--model_name=m",
       "--model_base_path=" + (*scratch)->path() + "/none",
       "--monitoring_config_file=" + (*scratch)->path() + "/none.config"},
      (*scratch)->path() + "/stdout", err);
  unsetenv("JOURNAL_STREAM");
  if (!pid.ok()) return {};
  int status = 0;
  waitpid(*pid, &status, 0);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 1) << status;
  std::stringstream text;
  text << std::ifstream(err).rdbuf();
  return absl::StrSplit(text.str(), '\n', absl::SkipEmpty());
}

TEST(DaemonLogging, UnderTheJournalLinesStartWithTheirSyslogPriority) {
  const std::vector<std::string> lines = FailedStartLines(/*journal=*/true);
  ASSERT_GE(lines.size(), 2u);
  for (size_t i = 0; i + 1 < lines.size(); ++i) {
    EXPECT_THAT(lines[i], StartsWith("<6>")) << i;
  }
  EXPECT_THAT(lines.back(), StartsWith("<3>main.cc:"));
  EXPECT_THAT(lines.back(), HasSubstr("] Failed to start server."));
}

TEST(DaemonLogging, ElsewhereLinesKeepGlogsFormat) {
  const std::vector<std::string> lines = FailedStartLines(/*journal=*/false);
  ASSERT_GE(lines.size(), 2u);
  EXPECT_THAT(lines.front(), StartsWith("I"));
  EXPECT_THAT(lines.back(), StartsWith("E"));
  EXPECT_THAT(lines.back(), HasSubstr("main.cc:"));
  EXPECT_THAT(lines.back(), HasSubstr("] Failed to start server."));
}

}  // namespace
}  // namespace model_server
