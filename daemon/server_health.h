// Whether the server is ready for traffic: the one answer that the gRPC
// health service (grpc.health.v1.Health), the REST readiness URL
// (/v2/health/ready) and systemd's READY=1 all give.
//
// Serving means: the start-up load has finished, the server is not
// draining, and every model of the current config has a version AVAILABLE.
// A model still loading, or one whose versions all failed, makes the whole
// server not serving (as Triton's strict readiness does): a load balancer
// should send it no traffic until it can answer for every model it is
// configured with. Once draining (SIGTERM), never serving again.
//
// Thread-safe.
#ifndef MODEL_SERVER_DAEMON_SERVER_HEALTH_H_
#define MODEL_SERVER_DAEMON_SERVER_HEALTH_H_

#include <atomic>

#include "loader/model_manager.h"

namespace model_server {

class ServerHealth {
 public:
  // `models` must outlive this object.
  explicit ServerHealth(const ModelManager* models) : models_(models) {}

  // The start-up load (ReloadConfig of the start-up config) has returned.
  void MarkStarted() { started_.store(true); }
  // SIGTERM: not serving from now on.
  void MarkDraining() { draining_.store(true); }
  bool draining() const { return draining_.load(); }

  // See the file comment. Looks at every model's status: cheap (a few
  // locks per model), but not for a per-request path.
  bool Serving() const;

 private:
  const ModelManager* const models_;
  std::atomic<bool> started_{false};
  std::atomic<bool> draining_{false};
};

}  // namespace model_server

#endif  // MODEL_SERVER_DAEMON_SERVER_HEALTH_H_
