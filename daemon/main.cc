// model_server: serves TensorFlow models over TensorFlow Serving's gRPC
// API and, with --rest_api_port, its HTTP/REST API and web console.
//
//   model_server --port=8500 --model_name=half_plus_two
//                --model_base_path=/models/half_plus_two
//   model_server --port=8500 --model_config_file=/etc/models.config
//
// Start-up: parse flags, read the model config (the file, or the one model
// of --model_name/--model_base_path), load the models' current versions (so
// the first request finds them), then listen; systemd hears READY=1 once
// every model serves (systemd_notifier.h). A
// config that does not parse or validate stops the start (exit 1); a model
// that cannot load leaves the server up with its error in GetModelStatus and
// the health service NOT_SERVING (server_health.h).
//
// SIGTERM/SIGINT: health turns NOT_SERVING and systemd hears STOPPING=1;
// then gRPC and REST stop accepting at the same moment and drain together:
// calls in flight get up to kShutdownGrace in all, then exit 0. See flags.h
// for the exit codes.
#include <algorithm>
#include <cstdlib>
#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "daemon/allocator_tuning.h"
#include "daemon/batching_parameters_file.h"
#include "daemon/config_reloader.h"
#include "daemon/console/console_routes.h"
#include "daemon/flags.h"
#include "daemon/grpc_channel_arguments.h"
#include "daemon/health_service.h"
#include "daemon/journald_logging.h"
#include "daemon/metrics/monitoring_config.h"
#include "daemon/metrics/server_metrics.h"
#include "daemon/model_config_file.h"
#include "daemon/rest/http_server.h"
#include "daemon/rest/rest_api_handler.h"
#include "daemon/server.h"
#include "daemon/server_health.h"
#include "daemon/ssl_config.h"
#include "daemon/systemd_notifier.h"
#include "daemon/termination_signals.h"
#include "glog/logging.h"
#include "loader/model_manager.h"
#include "runtime/intra_op_threads.h"

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
  options.num_load_threads = flags.num_load_threads;
  options.num_unload_threads = flags.num_unload_threads;
  options.allow_version_labels_for_unavailable_models =
      flags.allow_version_labels_for_unavailable_models;
  options.warmup.enabled = flags.enable_model_warmup;
  options.warmup.num_request_iterations =
      std::max(flags.num_request_iterations_for_warmup, 1);
  options.warmup.signature_checks.check_method_name =
      flags.enable_signature_method_name_check;
  return options;
}

// The start-up config: the file's models, or the single flag-named model.
// `file_text` receives the file's contents (for polling).
absl::StatusOr<std::vector<ServedModelConfig>> StartupModels(
    const DaemonFlags& flags, std::string* file_text) {
  if (flags.model_config_file.empty()) {
    LOG(INFO) << "Building single TensorFlow model file config: model_name: "
              << flags.model_name
              << " model_base_path: " << flags.model_base_path;
    return std::vector<ServedModelConfig>{
        SingleModelConfig(flags.model_name, flags.model_base_path)};
  }
  absl::StatusOr<std::string> text =
      ReadModelConfigText(flags.model_config_file);
  if (!text.ok()) return text.status();
  *file_text = *text;
  absl::StatusOr<tensorflow::serving::ModelServerConfig> config =
      ParseModelServerConfig(*text, flags.model_config_file);
  if (!config.ok()) return config.status();
  absl::StatusOr<std::optional<std::vector<ServedModelConfig>>> models =
      ModelsToServe(*config);
  if (!models.ok()) return models.status();
  if (!models->has_value()) {
    LOG(WARNING) << "The model config file " << flags.model_config_file
                 << " lists no models (no model_config_list)";
    return std::vector<ServedModelConfig>();
  }
  return **std::move(models);
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
    const DaemonFlags& flags,
    const std::optional<tensorflow::serving::SSLConfig>& ssl,
    const HttpRouter* router) {
  HttpServerOptions options;
  if (ssl.has_value()) {
    options.tls_key_pem = ssl->server_key();
    options.tls_cert_pem = ssl->server_cert();
    options.tls_client_ca_pem = ssl->custom_ca();
    options.tls_client_verify = ssl->client_verify();
  }
  options.port = flags.rest_api_port;
  options.num_threads = RestApiThreads(flags);
  if (flags.rest_api_timeout_in_ms > 0) {
    options.idle_timeout = absl::Milliseconds(flags.rest_api_timeout_in_ms);
  }
  options.enable_cors = flags.rest_api_enable_cors_support;
  options.max_body_bytes = flags.max_request_bytes;
  return HttpServer::Start(options, router);
}

// GET /v2/health/live: 200 while the process answers. GET
// /v2/health/ready: 200 when ServerHealth says serving, else 503 (the paths
// and codes of Triton, OpenVINO Model Server and KServe's v2 protocol).
void AddHealthRoutes(const ServerHealth* health, HttpRouter* router) {
  router->Add("GET", "/v2/health/live", [](const HttpRequest&) {
    HttpResponse response;
    response.body = "{\"live\": true}";
    return response;
  });
  router->Add("GET", "/v2/health/ready", [health](const HttpRequest&) {
    HttpResponse response;
    const bool ready = health->Serving();
    response.status = ready ? 200 : 503;
    response.body = ready ? "{\"ready\": true}" : "{\"ready\": false}";
    return response;
  });
}

// --tensorflow_intra_op_parallelism, else --tensorflow_session_parallelism;
// 0 leaves one thread per core.
void SizeIntraOpPool(const DaemonFlags& flags) {
  int64_t threads = flags.tensorflow_intra_op_parallelism;
  if (threads <= 0) threads = flags.tensorflow_session_parallelism;
  if (threads > 0)
    SetIntraOpThreads(static_cast<int>(std::min<int64_t>(threads, 1024)));
  LOG(INFO) << "Intra-op thread pool: " << IntraOpThreads() << " threads";
}

// --enable_batching: the shared batch scheduler every loaded signature
// queues on, with --batching_parameters_file's settings.
absl::Status ConfigureBatching(const DaemonFlags& flags,
                               ModelManagerOptions* options) {
  if (!flags.enable_batching) return absl::OkStatus();
  BatchingOptions batching;
  if (!flags.batching_parameters_file.empty()) {
    absl::StatusOr<BatchingOptions> read =
        ReadBatchingParametersFile(flags.batching_parameters_file);
    if (!read.ok()) return read.status();
    batching = *std::move(read);
  }
  options->load.batching = batching;
  options->load.batch_scheduler = BatchScheduler::Create(
      static_cast<int>(std::min<int64_t>(batching.num_batch_threads, 1024)));
  LOG(INFO) << "Batching: max_batch_size " << batching.max_batch_size
            << ", batch_timeout_micros " << batching.batch_timeout_micros
            << ", max_enqueued_batches " << batching.max_enqueued_batches
            << ", " << options->load.batch_scheduler->num_threads()
            << " batch threads";
  return absl::OkStatus();
}

int Run(const DaemonFlags& flags) {
  SizeIntraOpPool(flags);
  ModelManagerOptions manager_options = ManagerOptions(flags);
  if (absl::Status s = ConfigureBatching(flags, &manager_options); !s.ok()) {
    LOG(ERROR) << "Failed to start server. Error: " << s;
    ExitNow(kExitStartFailure);
  }
  std::string config_text;
  absl::StatusOr<std::vector<ServedModelConfig>> startup_models =
      StartupModels(flags, &config_text);
  if (!startup_models.ok()) {
    LOG(ERROR) << "Failed to start server. Error: " << startup_models.status();
    ExitNow(kExitStartFailure);
  }
  LOG(INFO) << "Loading with saved model tags "
            << absl::StrJoin(ParseSavedModelTags(flags.saved_model_tags), ",");
  std::optional<std::string> metrics_path;
  if (!flags.monitoring_config_file.empty()) {
    absl::StatusOr<std::optional<std::string>> monitoring =
        ReadMonitoringConfig(flags.monitoring_config_file);
    if (!monitoring.ok()) {
      LOG(ERROR) << "Failed to start server. Error: " << monitoring.status();
      ExitNow(kExitStartFailure);
    }
    metrics_path = *monitoring;
    if (metrics_path.has_value() && flags.rest_api_port == 0) {
      LOG(WARNING) << "Prometheus metrics are enabled but --rest_api_port is "
                      "0: the metrics page is served on the REST port only";
    }
  }
  ServerMetrics metrics;
  manager_options.load_observer = &metrics;
  ModelManager models(manager_options);
  metrics.set_models(&models);
  absl::Status loaded = models.ReloadConfig(*startup_models);
  if (loaded.code() == absl::StatusCode::kUnknown) {
    // Models that did not become available leave the server up: their
    // errors show in GetModelStatus, and they load once their files are
    // fixed.
    LOG(WARNING) << loaded;
  } else if (!loaded.ok()) {
    LOG(ERROR) << "Failed to start server. Error: " << loaded;
    ExitNow(kExitStartFailure);
  }
  ServerHealth health(&models);
  health.MarkStarted();
  HealthServiceImpl health_service(&health);
  ConfigReloader reloader(&models);
  if (!flags.model_config_file.empty() &&
      flags.model_config_file_poll_wait_seconds > 0) {
    reloader.WatchFile(
        flags.model_config_file, config_text,
        absl::Seconds(flags.model_config_file_poll_wait_seconds));
  }

  ServerOptions server_options;
  server_options.port = flags.port;
  server_options.socket_path = flags.grpc_socket_path;
  server_options.signature_checks.check_method_name =
      flags.enable_signature_method_name_check;
  // ParseDaemonFlags checked the syntax.
  server_options.channel_arguments =
      ParseGrpcChannelArguments(flags.grpc_channel_arguments)
          .value_or(std::vector<GrpcChannelArgument>());
  server_options.config_reloader = &reloader;
  server_options.metrics = &metrics;
  if (flags.enable_grpc_healthcheck_service) {
    server_options.health_service = &health_service;
  }
  server_options.max_request_bytes = static_cast<int>(flags.max_request_bytes);
  if (!flags.ssl_config_file.empty()) {
    absl::StatusOr<tensorflow::serving::SSLConfig> ssl =
        ReadSslConfigFile(flags.ssl_config_file);
    if (!ssl.ok()) {
      LOG(ERROR) << "Failed to start server. Error: " << ssl.status();
      ExitNow(kExitStartFailure);
    }
    server_options.ssl = *std::move(ssl);
  }
  server_options.request_limits.max_tensor_elements = flags.max_tensor_elements;
  // With batching each request waits for its batch, on a thread of its own:
  // enough threads to fill every batch thread's batch.
  if (flags.enable_batching) {
    const BatchingOptions& batching = manager_options.load.batching;
    server_options.blocking_request_threads =
        static_cast<int>(std::clamp<int64_t>(
            batching.max_batch_size *
                std::max<int64_t>(1, batching.num_batch_threads),
            64, 256));
  }
  server_options.predict_output_encoding =
      flags.enable_serialization_as_tensor_content
          ? TensorEncoding::kTensorContent
          : TensorEncoding::kTypedFields;
  server_options.request_limits.max_request_tensor_bytes =
      flags.max_request_tensor_bytes;
  // REST first: once gRPC answers (what tests and probes wait for), both do.
  RestApiOptions rest_options;
  rest_options.signature_checks = server_options.signature_checks;
  rest_options.run_timeout = absl::Milliseconds(flags.rest_api_timeout_in_ms);
  rest_options.metrics = &metrics;
  rest_options.request_limits = server_options.request_limits;
  const RestApiHandler rest_api(&models, rest_options);
  HttpRouter router;
  AddConsoleRoutes(&router);  // GET /: the web console
  rest_api.AddRoutes(&router);
  AddHealthRoutes(&health, &router);
  if (metrics_path.has_value()) {
    router.Add("GET", *metrics_path, [&metrics](const HttpRequest&) {
      HttpResponse response;
      response.content_type = "text/plain; version=0.0.4; charset=utf-8";
      response.body = metrics.PrometheusPage();
      return response;
    });
    LOG(INFO) << "Exporting Prometheus metrics at " << *metrics_path;
  }
  std::unique_ptr<HttpServer> http_server;
  if (flags.rest_api_port != 0) {
    absl::StatusOr<std::unique_ptr<HttpServer>> started =
        StartHttpServer(flags, server_options.ssl, &router);
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

  SystemdNotifier systemd([&health] { return health.Serving(); });

  const int signal_number = WaitForTerminationSignal();
  LOG(INFO) << "Received signal " << signal_number
            << ": shutting down (in-flight requests get up to "
            << kShutdownGrace << ")";
  health_service.Drain();
  systemd.Stopping();
  // Both front ends stop accepting at once and drain within one deadline.
  std::thread rest_drain([&http_server] {
    if (http_server != nullptr) http_server->Shutdown(kShutdownGrace);
  });
  (*server)->Shutdown(kShutdownGrace);
  rest_drain.join();
  LOG(INFO) << "Server stopped";
  ExitNow(0);
}

}  // namespace
}  // namespace model_server

int main(int argc, char** argv) {
  // Before any thread starts, so that every thread inherits the mask.
  model_server::BlockTerminationSignals();
  model_server::TuneAllocatorForServing();
#ifdef NDEBUG
  // Debian's absl checks lock order on every Mutex::Lock (a global graph
  // under a global lock): ~5% of the daemon's CPU under a small-Predict load
  // (bench/results/serving_overhead.md). Release builds skip it; Debug
  // builds keep it to catch lock-order inversions.
  absl::SetMutexDeadlockDetectionMode(absl::OnDeadlockCycle::kIgnore);
#endif

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

  model_server::InitDaemonLogging(program.c_str());
  return model_server::Run(parsed.flags);
}
