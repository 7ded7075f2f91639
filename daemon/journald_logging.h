// The daemon's logging: glog, to stderr. When stderr is systemd's journal
// (the stream that $JOURNAL_STREAM names as "<device>:<inode>", which
// systemd sets for a service whose output goes to the journal), each line
// starts with its syslog priority instead of glog's date and time: "<6>"
// INFO, "<4>" WARNING, "<3>" ERROR, "<2>" FATAL. journald strips the
// prefix and records the priority (SyslogLevelPrefix=, on by default) and
// stamps the time itself, so `journalctl -u model_server -p warning` shows
// warnings and errors only and no line carries two timestamps. Anywhere
// else (a terminal, a file, tests) lines keep glog's usual format.
#ifndef MODEL_SERVER_DAEMON_JOURNALD_LOGGING_H_
#define MODEL_SERVER_DAEMON_JOURNALD_LOGGING_H_

#include "absl/strings/string_view.h"

namespace model_server {

// Whether `fd` is the stream `journal_stream` (a $JOURNAL_STREAM value,
// possibly null or malformed: false) names.
bool IsJournalStream(int fd, const char* journal_stream);

// "<N>": the syslog priority of a glog severity name ("INFO", "WARNING",
// "ERROR", "FATAL"; anything else is treated as INFO).
const char* SyslogPriorityPrefix(absl::string_view severity);

// Sets glog up as the file comment says. Call once, before any LOG.
void InitDaemonLogging(const char* program);

}  // namespace model_server

#endif  // MODEL_SERVER_DAEMON_JOURNALD_LOGGING_H_
