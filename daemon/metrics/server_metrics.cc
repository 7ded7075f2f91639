#include "daemon/metrics/server_metrics.h"

#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "daemon/metrics/process_metrics.h"
#include "loader/model_manager.h"
#include "loader/servable.h"

namespace model_server {
namespace {

// TF Serving's latency buckets: 10 usec * 1.8^i for i < 33 (~20 minutes).
std::vector<double> TfServingLatencyBounds() {
  return MetricFamily::ExponentialBounds(10, 1.8, 33);
}

// Ours, in seconds: 100 usec * 2^i for i < 20 (~52 s).
std::vector<double> SecondsBounds() {
  return MetricFamily::ExponentialBounds(0.0001, 2, 20);
}

double Micros(absl::Duration duration) {
  return absl::ToDoubleMicroseconds(duration);
}

std::string StatusName(const absl::Status& status) {
  return absl::StatusCodeToString(status.code());
}

}  // namespace

ServerMetrics::ServerMetrics()
    : tf_request_count_(":tensorflow:serving:request_count",
                        "The total number of requests (TF Serving's name).",
                        MetricType::kCounter, {"model_name", "status"}),
      tf_request_latency_(
          ":tensorflow:serving:request_latency",
          "Wall time of successful requests in microseconds (TF Serving's "
          "name).",
          MetricType::kHistogram, {"model_name", "API", "entrypoint"},
          TfServingLatencyBounds()),
      tf_runtime_latency_(
          ":tensorflow:serving:runtime_latency",
          "Wall time running the model's graph in microseconds (TF "
          "Serving's name).",
          MetricType::kHistogram, {"model_name", "API", "runtime"},
          TfServingLatencyBounds()),
      tf_load_attempt_count_(
          ":tensorflow:cc:saved_model:load_attempt_count",
          "SavedModel load attempts by outcome (TensorFlow's name).",
          MetricType::kCounter, {"model_path", "status"}),
      tf_load_latency_(
          ":tensorflow:cc:saved_model:load_latency",
          "Microseconds spent in successful SavedModel loads (TensorFlow's "
          "name).",
          MetricType::kCounter, {"model_path"}),
      tf_warmup_latency_(
          ":tensorflow:serving:model_warmup_latency",
          "Wall time replaying a version's warmup requests in microseconds "
          "(TF Serving's name).",
          MetricType::kHistogram, {"model_path"}, TfServingLatencyBounds()),
      requests_("model_server_requests_total",
                "Requests answered, by model, version, signature, API, "
                "entrypoint and status code.",
                MetricType::kCounter,
                {"model", "version", "signature", "api", "entrypoint", "code"}),
      request_duration_("model_server_request_duration_seconds",
                        "Wall time from a request's arrival to its answer.",
                        MetricType::kHistogram,
                        {"model", "version", "signature", "api", "entrypoint"},
                        SecondsBounds()),
      in_flight_("model_server_requests_in_flight",
                 "Requests being handled now.", MetricType::kGauge,
                 {"entrypoint"}),
      load_attempts_("model_server_model_load_attempts_total",
                     "Load attempts of model versions (each retry counts), "
                     "by outcome.",
                     MetricType::kCounter, {"model", "status"}),
      load_duration_("model_server_model_load_duration_seconds",
                     "How long the last load attempt of a version took "
                     "(reading, restoring variables, init op).",
                     MetricType::kGauge, {"model", "version"}),
      warmup_duration_("model_server_model_warmup_duration_seconds",
                       "How long replaying a version's warmup requests took "
                       "(last attempt).",
                       MetricType::kGauge, {"model", "version"}),
      warmup_requests_("model_server_model_warmup_requests",
                       "Warmup requests replayed for a version (last "
                       "attempt).",
                       MetricType::kGauge, {"model", "version"}) {
  // Present from the start, so rate() and alerts see zeros, not gaps.
  for (const char* entrypoint : {"GRPC", "REST"}) {
    in_flight_.Set({entrypoint}, 0);
  }
}

void ServerMetrics::OnLoadAttempt(const LoadAttempt& attempt) {
  const absl::Status status = attempt.status();
  const std::string version = absl::StrCat(attempt.version);
  tf_load_attempt_count_.Increment(
      {attempt.path, attempt.load_status.ok() ? "success" : "fail"});
  if (attempt.load_status.ok()) {
    tf_load_latency_.Increment({attempt.path}, Micros(attempt.load_time));
  }
  load_attempts_.Increment({attempt.model_name, StatusName(status)});
  load_duration_.Set({attempt.model_name, version},
                     absl::ToDoubleSeconds(attempt.load_time));
  if (attempt.warmup.has_value()) {
    tf_warmup_latency_.Observe({attempt.path}, Micros(attempt.warmup->time));
    warmup_duration_.Set({attempt.model_name, version},
                         absl::ToDoubleSeconds(attempt.warmup->time));
    warmup_requests_.Set({attempt.model_name, version},
                         static_cast<double>(attempt.warmup->requests));
  }
}

void ServerMetrics::OnVersionUnloaded(const std::string& model_name,
                                      int64_t version,
                                      const std::string& path) {
  const std::string version_text = absl::StrCat(version);
  for (MetricFamily* family : {&requests_, &request_duration_, &load_duration_,
                               &warmup_duration_, &warmup_requests_}) {
    family->RemoveCells("model", model_name, "version", version_text);
  }
  for (MetricFamily* family :
       {&tf_load_attempt_count_, &tf_load_latency_, &tf_warmup_latency_}) {
    family->RemoveCells("model_path", path);
  }
}

bool ServerMetrics::IsConfigured(const std::string& model_name) const {
  if (models_ == nullptr) return true;
  for (const std::string& name : models_->ModelNames()) {
    if (name == model_name) return true;
  }
  return false;
}

ServerMetrics::Request::Request(ServerMetrics* metrics, absl::string_view api,
                                absl::string_view entrypoint)
    : metrics_(metrics),
      api_(api),
      entrypoint_(entrypoint),
      start_(absl::Now()) {
  if (metrics_ != nullptr) metrics_->in_flight_.Cell({entrypoint_})->Add(1);
}

void ServerMetrics::Request::set_served_version(
    std::shared_ptr<const ServedVersion> served) {
  version_ = served->version;
  served_ = std::move(served);
}

ServerMetrics::Request::~Request() {
  if (!finished_) Finish(absl::UnknownError("the request was abandoned"));
}

void ServerMetrics::Request::Finish(const absl::Status& status) {
  if (finished_) return;
  finished_ = true;
  if (metrics_ == nullptr) return;
  metrics_->in_flight_.Cell({entrypoint_})->Add(-1);
  metrics_->RecordRequest(*this, status);
  served_.reset();
}

void ServerMetrics::RecordRequest(const Request& request,
                                  const absl::Status& status) {
  const absl::Duration elapsed = absl::Now() - request.start_;
  // A resolved version proves the name is configured; only failed lookups
  // pay for the check.
  const std::string model =
      request.version_.has_value() || IsConfigured(request.model_name_)
          ? request.model_name_
          : "";
  const std::string version =
      request.version_.has_value() ? absl::StrCat(*request.version_) : "";
  const std::string& signature = request.signature_.empty()
                                     ? request.run_report_.signature_key
                                     : request.signature_;
  tf_request_count_.Increment({model, StatusName(status)});
  if (status.ok()) {
    tf_request_latency_.Observe({model, request.api_, request.entrypoint_},
                                Micros(elapsed));
    if (request.run_report_.run_time > absl::ZeroDuration()) {
      tf_runtime_latency_.Observe({model, request.api_, "TF1"},
                                  Micros(request.run_report_.run_time));
    }
  }
  requests_.Increment({model, version, signature, request.api_,
                       request.entrypoint_, StatusName(status)});
  request_duration_.Observe(
      {model, version, signature, request.api_, request.entrypoint_},
      absl::ToDoubleSeconds(elapsed));
}

std::string ServerMetrics::PrometheusPage() const {
  std::string page;
  for (const MetricFamily* family :
       {&tf_request_count_, &tf_request_latency_, &tf_runtime_latency_,
        &tf_load_attempt_count_, &tf_load_latency_, &tf_warmup_latency_,
        &requests_, &request_duration_, &in_flight_, &load_attempts_,
        &load_duration_, &warmup_duration_, &warmup_requests_}) {
    family->Render(&page);
  }
  AppendProcessMetrics(&page);
  return page;
}

}  // namespace model_server
