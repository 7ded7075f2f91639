#include "daemon/journald_logging.h"

#include <sys/stat.h>

#include <cstdint>
#include <cstdlib>
#include <ostream>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_split.h"
#include "glog/logging.h"

namespace model_server {
namespace {

// glog calls this in place of its "Lmmdd hh:mm:ss.uuuuuu thread file:line]"
// prefix, and adds a space after it.
void JournalPrefix(std::ostream& out, const google::LogMessageInfo& info,
                   void* /*data*/) {
  out << SyslogPriorityPrefix(info.severity) << info.filename << ':'
      << info.line_number << ']';
}

}  // namespace

bool IsJournalStream(int fd, const char* journal_stream) {
  if (journal_stream == nullptr) return false;
  const std::vector<absl::string_view> parts =
      absl::StrSplit(journal_stream, ':');
  uint64_t device = 0;
  uint64_t inode = 0;
  if (parts.size() != 2 || !absl::SimpleAtoi(parts[0], &device) ||
      !absl::SimpleAtoi(parts[1], &inode)) {
    return false;
  }
  struct stat status;
  if (fstat(fd, &status) != 0) return false;
  return static_cast<uint64_t>(status.st_dev) == device &&
         static_cast<uint64_t>(status.st_ino) == inode;
}

const char* SyslogPriorityPrefix(absl::string_view severity) {
  if (severity == "WARNING") return "<4>";
  if (severity == "ERROR") return "<3>";
  if (severity == "FATAL") return "<2>";
  return "<6>";
}

void InitDaemonLogging(const char* program) {
  FLAGS_logtostderr = true;
  if (IsJournalStream(2, std::getenv("JOURNAL_STREAM"))) {
    google::InitGoogleLogging(program, &JournalPrefix, nullptr);
  } else {
    google::InitGoogleLogging(program);
  }
}

}  // namespace model_server
