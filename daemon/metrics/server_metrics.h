// The daemon's metrics: TF Serving's names and labels, so its dashboards
// and alerts work unchanged, and our own per model/version/signature,
// load, in-flight and process metrics (docs/operations.md lists them all).
//
// TF Serving's (its exporter turns "/" into ":"; values in microseconds;
// histogram buckets 10 * 1.8^i, i < 33, then +Inf):
//   :tensorflow:serving:request_count{model_name,status}          counter
//   :tensorflow:serving:request_latency{model_name,API,entrypoint} histogram
//       (successful requests only, as TF Serving; entrypoint GRPC or REST)
//   :tensorflow:serving:runtime_latency{model_name,API,runtime}   histogram
//       (time running the graph; runtime="TF1", the value TF Serving's
//       SavedModel path reports, kept so its queries match)
//   :tensorflow:cc:saved_model:load_attempt_count{model_path,status}
//       counter, status "success" or "fail"
//   :tensorflow:cc:saved_model:load_latency{model_path}  counter (usec,
//       successful loads)
//   :tensorflow:serving:model_warmup_latency{model_path}  histogram
// Ours (Prometheus conventions: seconds, _total):
//   model_server_requests_total{model,version,signature,api,entrypoint,code}
//   model_server_request_duration_seconds{model,version,signature,api,
//       entrypoint}  histogram
//   model_server_requests_in_flight{entrypoint}  gauge
//   model_server_model_load_attempts_total{model,status}
//   model_server_model_load_duration_seconds{model,version}  gauge (last)
//   model_server_model_warmup_duration_seconds{model,version}  gauge (last)
//   model_server_model_warmup_requests{model,version}  gauge (last)
//   process_cpu_seconds_total, process_resident_memory_bytes,
//   process_virtual_memory_bytes, process_threads, process_open_fds,
//   process_start_time_seconds  (read from /proc at scrape time)
//
// Label values are bounded: a request's model name counts only when it
// names a configured model (else model_name=""), and version and signature
// only once resolved. The series of one version (every series with its
// {model, version}, and TensorFlow's with its model_path) are dropped when
// the version unloads (OnVersionUnloaded), so a server whose versions come
// and go lists only the versions it has; the per-model series
// (request_count, load attempts) keep the totals. A request holds its
// version's handle until it is recorded, so no series of an unloaded
// version comes back. Thread-safe.
#ifndef MODEL_SERVER_DAEMON_METRICS_SERVER_METRICS_H_
#define MODEL_SERVER_DAEMON_METRICS_SERVER_METRICS_H_

#include <atomic>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "daemon/metrics/metric_family.h"
#include "loader/load_observer.h"
#include "runtime/executor.h"

namespace model_server {

class ModelManager;
struct ServedVersion;  // loader/servable.h

class ServerMetrics final : public LoadObserver {
 public:
  ServerMetrics();

  // Which model names count as configured (see the file comment); null:
  // every name counts. Set before requests arrive; must outlive this.
  void set_models(const ModelManager* models) { models_ = models; }

  void OnLoadAttempt(const LoadAttempt& attempt) override;
  // Drops the version's series (see the file comment).
  void OnVersionUnloaded(const std::string& model_name, int64_t version,
                         const std::string& path) override;

  // One request, from arrival to answer: in flight while it exists;
  // Finish (or destruction, as UNKNOWN) records it.
  class Request {
   public:
    // `api`: Predict, Classify, Regress, MultiInference, GetModelMetadata;
    // `entrypoint`: GRPC or REST. `metrics` may be null (records nothing).
    Request(ServerMetrics* metrics, absl::string_view api,
            absl::string_view entrypoint);
    ~Request();
    Request(const Request&) = delete;
    Request& operator=(const Request&) = delete;

    // What the handler learns as it goes.
    void set_model_name(absl::string_view name) {
      model_name_ = std::string(name);
    }
    // The version that serves the request, kept loaded until the request
    // is recorded (so its series cannot outlive it; see the file comment).
    void set_served_version(std::shared_ptr<const ServedVersion> served);
    void set_signature(absl::string_view key) { signature_ = std::string(key); }
    // For RunOptions::report: the signatures layer fills it.
    RunReport* run_report() { return &run_report_; }

    void Finish(const absl::Status& status);

   private:
    friend class ServerMetrics;  // RecordRequest reads the facts

    ServerMetrics* const metrics_;
    const std::string api_;
    const std::string entrypoint_;
    const absl::Time start_;
    std::string model_name_;
    std::optional<int64_t> version_;
    std::shared_ptr<const ServedVersion> served_;
    std::string signature_;
    RunReport run_report_;
    bool finished_ = false;
  };

  // The whole page, Prometheus text format 0.0.4.
  std::string PrometheusPage() const;

 private:
  bool IsConfigured(const std::string& model_name) const;
  void RecordRequest(const Request& request, const absl::Status& status);

  const ModelManager* models_ = nullptr;
  MetricFamily tf_request_count_;
  MetricFamily tf_request_latency_;
  MetricFamily tf_runtime_latency_;
  MetricFamily tf_load_attempt_count_;
  MetricFamily tf_load_latency_;
  MetricFamily tf_warmup_latency_;
  MetricFamily requests_;
  MetricFamily request_duration_;
  MetricFamily in_flight_;
  MetricFamily load_attempts_;
  MetricFamily load_duration_;
  MetricFamily warmup_duration_;
  MetricFamily warmup_requests_;
};

}  // namespace model_server

#endif  // MODEL_SERVER_DAEMON_METRICS_SERVER_METRICS_H_
