// model_server: serves one TensorFlow SavedModel over TensorFlow Serving's
// gRPC API and, with --rest_api_port, its HTTP/REST API.
//
//   model_server --port=8500 --model_name=half_plus_two
//                --model_base_path=/models/half_plus_two
//
// Start-up: parse flags, load the model's current versions (synchronously, so
// the first request finds the model), then listen. SIGTERM/SIGINT: stop
// accepting calls, let those in flight finish (up to kShutdownGrace), stop
// the model's polling, exit 0. See flags.h for the exit codes.
#include <cstdlib>
#include <iostream>
#include <memory>
#include <string>

#include "absl/strings/str_join.h"
#include "absl/time/time.h"
#include "daemon/flags.h"
#include "daemon/rest/http_server.h"
#include "daemon/rest/rest_api_handler.h"
#include "daemon/server.h"
#include "daemon/termination_signals.h"
#include "glog/logging.h"
#include "loader/model_manager.h"

namespace model_server {
namespace {

constexpr absl::Duration kShutdownGrace = absl::Seconds(10);
constexpr int kExitStartFailure = 1;

ModelManagerOptions ManagerOptions(const DaemonFlags& flags) {
  ModelManagerOptions options;
  options.load.tags = ParseSavedModelTags(flags.saved_model_tags);
  options.file_system_poll_wait =
      absl::Seconds(flags.file_system_poll_wait_seconds);
  options.max_num_load_retries = flags.max_num_load_retries;
  options.load_retry_interval =
      absl::Microseconds(flags.load_retry_interval_micros);
  options.warmup.signature_checks.check_method_name =
      flags.enable_signature_method_name_check;
  return options;
}

// Exits at once, without destructors: used once every call has ended and
// polling has stopped (or nothing was served). Destroying the gRPC server
// runs grpc_shutdown(), which can block for up to 10 s joining gRPC's
// executor thread, and unloading models only costs time; the OS reclaims
// both.
[[noreturn]] void ExitNow(int exit_code) {
  google::FlushLogFiles(google::GLOG_INFO);
  std::cout.flush();
  std::cerr.flush();
  std::_Exit(exit_code);
}

absl::StatusOr<std::unique_ptr<HttpServer>> StartHttpServer(
    const DaemonFlags& flags, const HttpRouter* router) {
  HttpServerOptions options;
  options.port = flags.rest_api_port;
  options.num_threads = RestApiThreads(flags);
  if (flags.rest_api_timeout_in_ms > 0) {
    options.idle_timeout = absl::Milliseconds(flags.rest_api_timeout_in_ms);
  }
  options.enable_cors = flags.rest_api_enable_cors_support;
  return HttpServer::Start(options, router);
}

int Run(const DaemonFlags& flags) {
  ModelManager models(ManagerOptions(flags));
  LOG(INFO) << "Serving model " << flags.model_name << " from "
            << flags.model_base_path << " (tags "
            << absl::StrJoin(ParseSavedModelTags(flags.saved_model_tags), ",")
            << ")";
  // A model that cannot be loaded yet leaves the server up: its error shows
  // in GetModelStatus, and it loads once its files are fixed.
  absl::Status loaded = models.ReloadConfig(
      {SingleModelConfig(flags.model_name, flags.model_base_path)});
  if (!loaded.ok()) LOG(WARNING) << loaded;

  ServerOptions server_options;
  server_options.port = flags.port;
  server_options.socket_path = flags.grpc_socket_path;
  server_options.signature_checks.check_method_name =
      flags.enable_signature_method_name_check;
  // REST first: once gRPC answers (what tests and probes wait for), both do.
  RestApiOptions rest_options;
  rest_options.signature_checks = server_options.signature_checks;
  rest_options.run_timeout = absl::Milliseconds(flags.rest_api_timeout_in_ms);
  const RestApiHandler rest_api(&models, rest_options);
  HttpRouter router;
  rest_api.AddRoutes(&router);
  std::unique_ptr<HttpServer> http_server;
  if (flags.rest_api_port != 0) {
    absl::StatusOr<std::unique_ptr<HttpServer>> started =
        StartHttpServer(flags, &router);
    if (!started.ok()) {
      LOG(ERROR) << "Failed to start server. Error: " << started.status();
      ExitNow(kExitStartFailure);
    }
    http_server = *std::move(started);
  }

  absl::StatusOr<std::unique_ptr<GrpcServer>> server =
      GrpcServer::Start(server_options, &models);
  if (!server.ok()) {
    LOG(ERROR) << "Failed to start server. Error: " << server.status();
    ExitNow(kExitStartFailure);
  }

  const int signal_number = WaitForTerminationSignal();
  LOG(INFO) << "Received signal " << signal_number
            << ": shutting down (in-flight requests get up to "
            << kShutdownGrace << ")";
  if (http_server != nullptr) http_server->Shutdown(kShutdownGrace);
  (*server)->Shutdown(kShutdownGrace);
  LOG(INFO) << "Server stopped";
  ExitNow(0);
}

}  // namespace
}  // namespace model_server

int main(int argc, char** argv) {
  // Before any thread starts, so that every thread inherits the mask.
  model_server::BlockTerminationSignals();

  const model_server::FlagParseResult parsed =
      model_server::ParseDaemonFlags(argc, argv);
  const std::string program = argc > 0 ? argv[0] : "model_server";
  if (!parsed.error.empty()) {
    std::cerr << "ERROR: " << parsed.error << "\n"
              << model_server::DaemonUsage(program);
    return parsed.exit_code;
  }
  if (parsed.flags.help) {
    std::cout << model_server::DaemonUsage(program);
    return 0;
  }
  if (parsed.flags.version) {
    std::cout << model_server::DaemonVersionText();
    return 0;
  }

  FLAGS_logtostderr = true;
  google::InitGoogleLogging(program.c_str());
  return model_server::Run(parsed.flags);
}
