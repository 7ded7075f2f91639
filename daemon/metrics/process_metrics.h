// The process_* metrics every Prometheus client library exports (names and
// units as theirs, so standard dashboards work), read from /proc/self at
// scrape time: process_cpu_seconds_total, process_resident_memory_bytes,
// process_virtual_memory_bytes, process_threads, process_open_fds,
// process_start_time_seconds. A value that cannot be read is left out.
#ifndef MODEL_SERVER_DAEMON_METRICS_PROCESS_METRICS_H_
#define MODEL_SERVER_DAEMON_METRICS_PROCESS_METRICS_H_

#include <string>

namespace model_server {

// Appends the metrics in Prometheus' text format.
void AppendProcessMetrics(std::string* out);

}  // namespace model_server

#endif  // MODEL_SERVER_DAEMON_METRICS_PROCESS_METRICS_H_
