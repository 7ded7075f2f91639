#include "daemon/metrics/process_metrics.h"

#include <dirent.h>
#include <unistd.h>

#include <fstream>
#include <optional>
#include <sstream>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"

namespace model_server {
namespace {

std::string ReadSmallFile(const char* path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

void AppendGauge(const char* name, const char* type, const char* help,
                 double value, std::string* out) {
  absl::StrAppend(out, "# HELP ", name, " ", help, "\n# TYPE ", name, " ", type,
                  "\n", name, " ", absl::StrFormat("%.15g", value), "\n");
}

// Seconds since the epoch at which the system booted (/proc/stat btime).
std::optional<double> BootTime() {
  for (absl::string_view line :
       absl::StrSplit(ReadSmallFile("/proc/stat"), '\n')) {
    if (!absl::ConsumePrefix(&line, "btime ")) continue;
    double seconds = 0;
    if (absl::SimpleAtod(line, &seconds)) return seconds;
  }
  return std::nullopt;
}

int CountOpenFds() {
  DIR* dir = opendir("/proc/self/fd");
  if (dir == nullptr) return -1;
  int count = 0;
  while (dirent* entry = readdir(dir)) {
    if (entry->d_name[0] != '.') ++count;
  }
  closedir(dir);
  return count - 1;  // the directory stream's own descriptor
}

}  // namespace

void AppendProcessMetrics(std::string* out) {
  // /proc/self/stat: "pid (comm) state ppid ..."; comm may hold spaces, so
  // split after the last ')'. Then fields[0] is stat field 3 (state), and
  // stat field n is fields[n - 3]: utime 14, stime 15, num_threads 20,
  // starttime 22, vsize 23, rss 24 (pages).
  const std::string stat = ReadSmallFile("/proc/self/stat");
  const size_t paren = stat.rfind(')');
  if (paren == std::string::npos || paren + 2 > stat.size()) return;
  const std::vector<std::string> fields =
      absl::StrSplit(stat.substr(paren + 2), ' ', absl::SkipEmpty());
  auto field = [&fields](size_t n) -> double {
    double value = 0;
    if (n - 3 < fields.size() && absl::SimpleAtod(fields[n - 3], &value)) {
      return value;
    }
    return -1;
  };
  const double ticks = static_cast<double>(sysconf(_SC_CLK_TCK));
  const double page = static_cast<double>(sysconf(_SC_PAGESIZE));
  const double utime = field(14), stime = field(15);
  if (utime >= 0 && stime >= 0 && ticks > 0) {
    AppendGauge("process_cpu_seconds_total", "counter",
                "Total user and system CPU time spent in seconds.",
                (utime + stime) / ticks, out);
  }
  const double rss = field(24);
  if (rss >= 0) {
    AppendGauge("process_resident_memory_bytes", "gauge",
                "Resident memory size in bytes.", rss * page, out);
  }
  const double vsize = field(23);
  if (vsize >= 0) {
    AppendGauge("process_virtual_memory_bytes", "gauge",
                "Virtual memory size in bytes.", vsize, out);
  }
  const double threads = field(20);
  if (threads >= 0) {
    AppendGauge("process_threads", "gauge", "Number of OS threads.", threads,
                out);
  }
  const int fds = CountOpenFds();
  if (fds >= 0) {
    AppendGauge("process_open_fds", "gauge", "Number of open file descriptors.",
                fds, out);
  }
  const double start_ticks = field(22);
  const std::optional<double> boot = BootTime();
  if (start_ticks >= 0 && boot.has_value() && ticks > 0) {
    AppendGauge("process_start_time_seconds", "gauge",
                "Start time of the process since unix epoch in seconds.",
                *boot + start_ticks / ticks, out);
  }
}

}  // namespace model_server
