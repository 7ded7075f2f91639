// The daemon's gRPC server: PredictionService and ModelService on the
// callback API, listening on 0.0.0.0:<port> and/or unix:<socket path>; with
// the options, also grpc.health.v1.Health (health_service.h). gRPC server
// reflection (grpc.reflection.v1alpha, Debian's libgrpc++_reflection) is
// always on, so generic tools such as grpcurl list and call the services
// without .proto files; it shows only the services' public schemas. (Loading
// that library turns reflection on process-wide: it cannot be switched off
// per server.)
//
// Requests up to ServerOptions::max_request_bytes are accepted (gRPC answers
// RESOURCE_EXHAUSTED to larger ones); responses up to 2 GB are sent (INT_MAX,
// gRPC's own limit). SO_REUSEPORT is
// off, so a port held by another process (e.g. a stale daemon) makes Start
// fail instead of silently sharing the port.
//
// Thread-safety: Shutdown may be called from any thread, once or more.
#ifndef MODEL_SERVER_DAEMON_SERVER_H_
#define MODEL_SERVER_DAEMON_SERVER_H_

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "daemon/grpc_channel_arguments.h"
#include "loader/model_manager.h"
#include "loader/worker_pool.h"
#include "runtime/executor.h"
#include "runtime/tensor_proto.h"
#include "signatures/example_signature.h"
#include "tensorflow_serving/config/ssl_config.pb.h"

namespace grpc {
class Server;
}  // namespace grpc

namespace model_server {

class ConfigReloader;
class HealthServiceImpl;
class ModelServiceImpl;
class PredictionServiceImpl;
class ServerMetrics;

struct ServerOptions {
  int port = 8500;          // TCP port on 0.0.0.0; 0: no TCP listener
  std::string socket_path;  // UNIX socket path; "": none
  // --enable_signature_method_name_check, for every API.
  SignatureCheckOptions signature_checks;
  // --grpc_channel_arguments, applied after our own defaults (so they may
  // override them).
  std::vector<GrpcChannelArgument> channel_arguments;
  // Applies HandleReloadConfigRequest's configs; null: the RPC answers
  // UNIMPLEMENTED. Must outlive the server.
  ConfigReloader* config_reloader = nullptr;
  // Registered when set; must outlive the server.
  HealthServiceImpl* health_service = nullptr;
  // Counts every PredictionService call when set; must outlive the server.
  ServerMetrics* metrics = nullptr;
  // --ssl_config_file: TLS on the TCP port when set (the UNIX socket stays
  // plaintext).
  std::optional<tensorflow::serving::SSLConfig> ssl;
  // --max_request_bytes: the largest request message accepted.
  int max_request_bytes = 256 << 20;
  // The limits every request runs with (RunOptions' tensor limits; the
  // deadline comes from each call).
  RunOptions request_limits;
  // --enable_serialization_as_tensor_content: how Predict writes outputs.
  TensorEncoding predict_output_encoding = TensorEncoding::kTypedFields;
  // > 0: Predict, Classify, Regress and MultiInference run on a pool of
  // this many threads of their own rather than on gRPC's callback threads
  // (with --enable_batching, where a request blocks until its batch ran).
  int blocking_request_threads = 0;
};

class GrpcServer {
 public:
  // Binds every requested address and starts serving the models of
  // `models`, which must outlive the server. Fails with UNAVAILABLE naming
  // the address when one cannot be bound (port in use, bad path).
  static absl::StatusOr<std::unique_ptr<GrpcServer>> Start(
      const ServerOptions& options, const ModelManager* models);

  // Shuts down with no grace period if Shutdown was not called.
  ~GrpcServer();

  // Stops accepting calls, lets the calls in flight finish for up to `grace`,
  // cancels those still running then, and returns once all have ended.
  void Shutdown(absl::Duration grace);

 private:
  GrpcServer();

  // Outlives the services and the server (declared first).
  std::unique_ptr<WorkerPool> blocking_pool_;
  std::unique_ptr<PredictionServiceImpl> prediction_service_;
  std::unique_ptr<ModelServiceImpl> model_service_;
  std::unique_ptr<grpc::Server> server_;
  absl::Mutex shutdown_mu_;
  bool shut_down_ ABSL_GUARDED_BY(shutdown_mu_) = false;
};

}  // namespace model_server

#endif  // MODEL_SERVER_DAEMON_SERVER_H_
