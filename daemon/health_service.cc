#include "daemon/health_service.h"

#include <optional>

namespace model_server {
namespace {

using grpc::health::v1::HealthCheckRequest;
using grpc::health::v1::HealthCheckResponse;

bool IsKnownService(const std::string& service) {
  return service.empty() || service == "tensorflow.serving.PredictionService" ||
         service == "tensorflow.serving.ModelService";
}

}  // namespace

HealthCheckResponse::ServingStatus HealthServiceImpl::StatusOf(
    const std::string& service) const {
  if (!IsKnownService(service)) return HealthCheckResponse::SERVICE_UNKNOWN;
  return health_->Serving() ? HealthCheckResponse::SERVING
                            : HealthCheckResponse::NOT_SERVING;
}

grpc::Status HealthServiceImpl::Check(grpc::ServerContext* context,
                                      const HealthCheckRequest* request,
                                      HealthCheckResponse* response) {
  if (!IsKnownService(request->service())) {
    return grpc::Status(grpc::StatusCode::NOT_FOUND, "unknown service");
  }
  response->set_status(StatusOf(request->service()));
  return grpc::Status::OK;
}

grpc::Status HealthServiceImpl::Watch(
    grpc::ServerContext* context, const HealthCheckRequest* request,
    grpc::ServerWriter<HealthCheckResponse>* writer) {
  std::optional<HealthCheckResponse::ServingStatus> sent;
  while (true) {
    // Read before the status, so a drain that starts in between is sent on
    // the next round rather than missed.
    bool draining;
    {
      absl::MutexLock lock(&mu_);
      draining = draining_;
    }
    const HealthCheckResponse::ServingStatus now = StatusOf(request->service());
    if (now != sent) {
      HealthCheckResponse response;
      response.set_status(now);
      if (!writer->Write(response)) {
        return grpc::Status(grpc::StatusCode::CANCELLED,
                            "the client stopped watching");
      }
      sent = now;
    }
    if (draining) {
      return grpc::Status(grpc::StatusCode::UNAVAILABLE,
                          "the server is shutting down");
    }
    if (context->IsCancelled()) {
      return grpc::Status(grpc::StatusCode::CANCELLED,
                          "the client stopped watching");
    }
    absl::MutexLock lock(&mu_);
    mu_.AwaitWithTimeout(absl::Condition(&draining_), kWatchPollInterval);
  }
}

void HealthServiceImpl::Drain() {
  health_->MarkDraining();
  absl::MutexLock lock(&mu_);
  draining_ = true;
}

}  // namespace model_server
