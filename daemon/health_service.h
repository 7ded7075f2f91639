// grpc.health.v1.Health: the standard gRPC health service, so load
// balancers, Kubernetes gRPC probes and grpc_health_probe can tell whether
// this server should get traffic (ServerHealth decides).
//
// Services answered: "" (the server as a whole),
// "tensorflow.serving.PredictionService" and "tensorflow.serving.ModelService";
// all three share ServerHealth's answer. Check of any other name is
// NOT_FOUND "unknown service" (the protocol's rule); Watch of one sends
// SERVICE_UNKNOWN.
//
// Watch sends the status at once and then each change, noticed within
// kWatchPollInterval. Drain() makes every open Watch send NOT_SERVING and end
// with UNAVAILABLE, so watchers learn of the drain and do not hold up the
// server's shutdown.
//
// On gRPC's synchronous API: each open Watch holds one of gRPC's sync-server
// threads (watchers are a few load balancers, not clients). Thread-safe.
#ifndef MODEL_SERVER_DAEMON_HEALTH_SERVICE_H_
#define MODEL_SERVER_DAEMON_HEALTH_SERVICE_H_

#include <string>

#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "daemon/server_health.h"
#include "grpc/health/v1/health.grpc.pb.h"

namespace model_server {

class HealthServiceImpl final : public grpc::health::v1::Health::Service {
 public:
  static constexpr absl::Duration kWatchPollInterval = absl::Milliseconds(200);

  // `health` must outlive the service.
  explicit HealthServiceImpl(ServerHealth* health) : health_(health) {}

  grpc::Status Check(grpc::ServerContext* context,
                     const grpc::health::v1::HealthCheckRequest* request,
                     grpc::health::v1::HealthCheckResponse* response) override;

  grpc::Status Watch(grpc::ServerContext* context,
                     const grpc::health::v1::HealthCheckRequest* request,
                     grpc::ServerWriter<grpc::health::v1::HealthCheckResponse>*
                         writer) override;

  // Marks the server draining (ServerHealth::MarkDraining) and ends every
  // Watch as the file comment says. Idempotent.
  void Drain();

 private:
  grpc::health::v1::HealthCheckResponse::ServingStatus StatusOf(
      const std::string& service) const;

  ServerHealth* const health_;
  absl::Mutex mu_;  // Watch sleeps on it; Drain wakes them
  bool draining_ ABSL_GUARDED_BY(mu_) = false;
};

}  // namespace model_server

#endif  // MODEL_SERVER_DAEMON_HEALTH_SERVICE_H_
