// --monitoring_config_file: TF Serving's text-format MonitoringConfig
// (tensorflow_serving/config/monitoring_config.proto), e.g.
//   prometheus_config { enable: true, path: "/monitoring/prometheus/metrics" }
// With enable, the REST port (--rest_api_port) serves the metrics page at
// the path ("" means kDefaultPrometheusPath).
#ifndef MODEL_SERVER_DAEMON_METRICS_MONITORING_CONFIG_H_
#define MODEL_SERVER_DAEMON_METRICS_MONITORING_CONFIG_H_

#include <optional>
#include <string>

#include "absl/status/statusor.h"

namespace model_server {

inline constexpr char kDefaultPrometheusPath[] =
    "/monitoring/prometheus/metrics";

// The metrics page's path, or nullopt when Prometheus export is off. Errors:
// NOT_FOUND (unreadable file), INVALID_ARGUMENT (bad text, naming line and
// column; a path that does not start with '/').
absl::StatusOr<std::optional<std::string>> ReadMonitoringConfig(
    const std::string& file_path);

}  // namespace model_server

#endif  // MODEL_SERVER_DAEMON_METRICS_MONITORING_CONFIG_H_
