#include "daemon/server.h"

#include <chrono>
#include <climits>
#include <utility>
#include <variant>

#include "absl/strings/str_cat.h"
#include "daemon/config_reloader.h"
#include "daemon/health_service.h"
#include "daemon/model_service.h"
#include "daemon/prediction_service.h"
#include "glog/logging.h"
#include "grpcpp/ext/proto_server_reflection_plugin.h"
#include "grpcpp/grpcpp.h"
#include "tensorflow_serving/apis/model_service.pb.h"
#include "tensorflow_serving/apis/prediction_service.pb.h"

namespace model_server {

namespace {

// prediction_service.proto and model_service.proto define services only, so
// nothing refers to their generated .pb.cc and the linker drops it, and with
// it the registration of their descriptors; server reflection then answers
// "Symbol not found" for the services. Taking the descriptor tables'
// addresses keeps them linked.
void KeepServiceDescriptorsLinked() {
  static const void* volatile tables[] = {
      &descriptor_table_tensorflow_5fserving_2fapis_2fprediction_5fservice_2eproto,
      &descriptor_table_tensorflow_5fserving_2fapis_2fmodel_5fservice_2eproto,
  };
  (void)tables;
}

}  // namespace

namespace {

// TLS from the SSLConfig (TF Serving's mapping: custom_ca becomes the root
// certificates clients are checked against; client_verify requires and
// verifies a client certificate), else plaintext.
std::shared_ptr<grpc::ServerCredentials> TcpCredentials(
    const ServerOptions& options) {
  if (!options.ssl.has_value()) return grpc::InsecureServerCredentials();
  grpc::SslServerCredentialsOptions ssl(
      options.ssl->client_verify()
          ? GRPC_SSL_REQUEST_AND_REQUIRE_CLIENT_CERTIFICATE_AND_VERIFY
          : GRPC_SSL_DONT_REQUEST_CLIENT_CERTIFICATE);
  ssl.pem_root_certs = options.ssl->custom_ca();
  ssl.pem_key_cert_pairs.push_back(
      {options.ssl->server_key(), options.ssl->server_cert()});
  return grpc::SslServerCredentials(ssl);
}

}  // namespace

GrpcServer::GrpcServer() = default;

GrpcServer::~GrpcServer() { Shutdown(absl::ZeroDuration()); }

absl::StatusOr<std::unique_ptr<GrpcServer>> GrpcServer::Start(
    const ServerOptions& options, const ModelManager* models) {
  if (options.port == 0 && options.socket_path.empty()) {
    return absl::InvalidArgumentError(
        "no address to listen on: the port is 0 and no UNIX socket is set");
  }
  std::unique_ptr<GrpcServer> server(new GrpcServer());
  if (options.blocking_request_threads > 0) {
    server->blocking_pool_ = std::make_unique<WorkerPool>(
        "grpc-requests", options.blocking_request_threads);
  }
  server->prediction_service_ = std::make_unique<PredictionServiceImpl>(
      models, options.signature_checks, options.metrics, options.request_limits,
      options.predict_output_encoding, server->blocking_pool_.get());
  server->model_service_ =
      std::make_unique<ModelServiceImpl>(models, options.config_reloader);

  KeepServiceDescriptorsLinked();
  grpc::reflection::InitProtoReflectionServerBuilderPlugin();
  grpc::ServerBuilder builder;
  const std::string tcp_address = absl::StrCat("0.0.0.0:", options.port);
  const std::string unix_address = absl::StrCat("unix:", options.socket_path);
  int tcp_port = 0;
  int unix_port = 0;
  if (options.port != 0) {
    builder.AddListeningPort(tcp_address, TcpCredentials(options), &tcp_port);
  }
  if (!options.socket_path.empty()) {
    builder.AddListeningPort(unix_address, grpc::InsecureServerCredentials(),
                             &unix_port);
  }
  builder.RegisterService(server->prediction_service_.get());
  builder.RegisterService(server->model_service_.get());
  if (options.health_service != nullptr) {
    builder.RegisterService(options.health_service);
  }
  builder.SetMaxReceiveMessageSize(options.max_request_bytes);
  builder.SetMaxSendMessageSize(INT_MAX);
  // gRPC turns SO_REUSEPORT on by default: a second daemon on the same port
  // would then start and steal part of the traffic.
  builder.AddChannelArgument(GRPC_ARG_ALLOW_REUSEPORT, 0);
  for (const GrpcChannelArgument& argument : options.channel_arguments) {
    std::visit(
        [&](const auto& value) {
          builder.AddChannelArgument(argument.key, value);
        },
        argument.value);
  }

  server->server_ = builder.BuildAndStart();
  std::string failed;
  if (options.port != 0 && tcp_port == 0) failed = tcp_address;
  if (!options.socket_path.empty() && unix_port == 0) {
    absl::StrAppend(&failed, failed.empty() ? "" : " and ", unix_address);
  }
  if (server->server_ == nullptr || !failed.empty()) {
    if (failed.empty()) failed = "the requested addresses";
    return absl::UnavailableError(absl::StrCat(
        "could not listen on ", failed,
        " (is another process using the port, or is the socket path not "
        "writable?)"));
  }
  if (options.port != 0) {
    LOG(INFO) << "Running gRPC ModelServer at " << tcp_address
              << (options.ssl.has_value()
                      ? (options.ssl->client_verify()
                             ? " (TLS, client certificates required)"
                             : " (TLS)")
                      : "")
              << " ...";
  }
  if (!options.socket_path.empty()) {
    LOG(INFO) << "Running gRPC ModelServer at UNIX socket "
              << options.socket_path << " ...";
  }
  return server;
}

void GrpcServer::Shutdown(absl::Duration grace) {
  absl::MutexLock lock(&shutdown_mu_);
  if (shut_down_ || server_ == nullptr) return;
  shut_down_ = true;
  server_->Shutdown(std::chrono::system_clock::now() +
                    absl::ToChronoMilliseconds(grace));
  server_->Wait();
}

}  // namespace model_server
