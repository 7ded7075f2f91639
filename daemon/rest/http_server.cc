#include "daemon/rest/http_server.h"

#include <gnutls/gnutls.h>
#include <microhttpd.h>
#include <unistd.h>

#include <algorithm>
#include <cstdarg>
#include <cstdio>
#include <optional>
#include <string>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "daemon/rest/connection_watcher.h"
#include "daemon/rest/gzip_body.h"
#include "glog/logging.h"
#include "runtime/cancellation.h"

namespace model_server {

struct HttpServer::Shared {
  HttpServerOptions options;
  const HttpRouter* router = nullptr;
  // Raises a request's cancellation when its client goes away.
  std::unique_ptr<ConnectionWatcher> watcher;
  mutable absl::Mutex mu;
  int active ABSL_GUARDED_BY(mu) = 0;
};

namespace {

// One request in progress on a connection (MHD's per-request pointer).
struct RequestState {
  HttpRequest request;
  // Set once the body is known to be refused; the rest is discarded.
  bool body_too_large = false;
  // Set when TLS client verification failed: answered 403 once the request
  // is in, its body discarded.
  bool client_refused = false;
  uint64_t bytes_received = 0;
};

std::string Header(MHD_Connection* connection, const char* name) {
  const char* value =
      MHD_lookup_connection_value(connection, MHD_HEADER_KIND, name);
  return value == nullptr ? "" : value;
}

void AddCorsHeaders(HttpResponse* response) {
  response->headers.push_back({"Access-Control-Allow-Origin", "*"});
  response->headers.push_back({"Access-Control-Allow-Methods", "POST, GET"});
  response->headers.push_back({"Access-Control-Allow-Headers", "Content-Type"});
}

MHD_Result Send(MHD_Connection* connection, const HttpServer::Shared& shared,
                HttpResponse response) {
  if (shared.options.enable_cors) AddCorsHeaders(&response);
  auto* body = new std::string(std::move(response.body));
  MHD_Response* mhd = MHD_create_response_from_buffer_with_free_callback_cls(
      body->size(), body->data(),
      [](void* owned) { delete static_cast<std::string*>(owned); }, body);
  if (mhd == nullptr) {
    delete body;
    return MHD_NO;
  }
  if (!response.content_type.empty()) {
    MHD_add_response_header(mhd, MHD_HTTP_HEADER_CONTENT_TYPE,
                            response.content_type.c_str());
  }
  for (const auto& [name, value] : response.headers) {
    MHD_add_response_header(mhd, name.c_str(), value.c_str());
  }
  const MHD_Result result =
      MHD_queue_response(connection, response.status, mhd);
  MHD_destroy_response(mhd);
  return result;
}

HttpResponse TooLarge(uint64_t sent, int64_t limit) {
  return JsonErrorResponse(
      413, absl::StrCat("Request body of ", sent,
                        " bytes is larger than the limit of ", limit,
                        " bytes; send fewer instances per request"));
}

// The whole request is in: inflate, route, answer.
HttpResponse Complete(MHD_Connection* connection, HttpServer::Shared& shared,
                      RequestState* state) {
  if (state->client_refused) {
    return JsonErrorResponse(403,
                             "a client certificate signed by the server's "
                             "custom_ca is required (SSLConfig client_verify)");
  }
  if (state->body_too_large) {
    return TooLarge(state->bytes_received, shared.options.max_body_bytes);
  }
  const std::string encoding =
      absl::AsciiStrToLower(Header(connection, "Content-Encoding"));
  if (encoding == "gzip" || encoding == "x-gzip") {
    absl::StatusOr<std::string> inflated =
        GunzipBody(state->request.body, shared.options.max_body_bytes);
    if (!inflated.ok()) {
      return JsonErrorResponse(
          inflated.status().code() == absl::StatusCode::kResourceExhausted
              ? 413
              : 400,
          inflated.status().message());
    }
    state->request.body = *std::move(inflated);
  } else if (!encoding.empty() && encoding != "identity") {
    return JsonErrorResponse(
        415, absl::StrCat("Content-Encoding ", encoding,
                          " is not supported; send gzip or identity"));
  }
  if (shared.options.enable_cors && state->request.method == "OPTIONS") {
    HttpResponse preflight;
    preflight.status = 204;
    preflight.content_type.clear();
    return preflight;
  }
  {
    absl::MutexLock lock(&shared.mu);
    ++shared.active;
  }
  HttpResponse response;
  {
    CancellationFlag client_gone;
    std::optional<ConnectionWatcher::Registration> watch;
    const MHD_ConnectionInfo* info =
        MHD_get_connection_info(connection, MHD_CONNECTION_INFO_CONNECTION_FD);
    if (info != nullptr) {
      watch.emplace(shared.watcher.get(), info->connect_fd, &client_gone);
      state->request.cancellation = &client_gone;
    }
    response = shared.router->Dispatch(state->request);
    state->request.cancellation = nullptr;
  }
  {
    absl::MutexLock lock(&shared.mu);
    --shared.active;
  }
  return response;
}

// Whether the connection's TLS peer presented a certificate that verifies
// against the configured client CA.
bool ClientCertificateVerified(MHD_Connection* connection) {
  const MHD_ConnectionInfo* info =
      MHD_get_connection_info(connection, MHD_CONNECTION_INFO_GNUTLS_SESSION);
  if (info == nullptr || info->tls_session == nullptr) return false;
  auto session = static_cast<gnutls_session_t>(info->tls_session);
  unsigned int verify_status = 0;
  return gnutls_certificate_verify_peers2(session, &verify_status) ==
             GNUTLS_E_SUCCESS &&
         verify_status == 0;
}

MHD_Result OnRequest(void* cls, MHD_Connection* connection, const char* url,
                     const char* method, const char* version,
                     const char* upload_data, size_t* upload_data_size,
                     void** request_cls) {
  auto& shared = *static_cast<HttpServer::Shared*>(cls);
  auto* state = static_cast<RequestState*>(*request_cls);
  if (state == nullptr) {
    // Headers are in; no body has been read yet.
    state = new RequestState();
    *request_cls = state;
    state->request.method = method;
    state->request.path = url;
    state->client_refused = shared.options.tls_client_verify &&
                            !ClientCertificateVerified(connection);
    if (state->client_refused) return MHD_YES;
    const std::string length = Header(connection, "Content-Length");
    uint64_t declared = 0;
    if (!length.empty() && absl::SimpleAtoi(length, &declared) &&
        declared > static_cast<uint64_t>(shared.options.max_body_bytes)) {
      state->body_too_large = true;
      return Send(connection, shared,
                  TooLarge(declared, shared.options.max_body_bytes));
    }
    // Reserve what was declared, but not more than a few MiB before the
    // bytes actually arrive.
    if (declared > 0) {
      state->request.body.reserve(std::min<uint64_t>(declared, 4u << 20));
    }
    return MHD_YES;
  }
  if (*upload_data_size != 0) {
    state->bytes_received += *upload_data_size;
    if (state->bytes_received >
        static_cast<uint64_t>(shared.options.max_body_bytes)) {
      state->body_too_large = true;
      state->request.body.clear();
      state->request.body.shrink_to_fit();
    }
    if (!state->body_too_large && !state->client_refused) {
      state->request.body.append(upload_data, *upload_data_size);
    }
    *upload_data_size = 0;
    return MHD_YES;
  }
  return Send(connection, shared, Complete(connection, shared, state));
}

void OnRequestDone(void* cls, MHD_Connection* connection, void** request_cls,
                   MHD_RequestTerminationCode code) {
  delete static_cast<RequestState*>(*request_cls);
  *request_cls = nullptr;
}

void LogMhdError(void* cls, const char* format, va_list args) {
  char text[512];
  std::vsnprintf(text, sizeof(text), format, args);
  LOG(WARNING) << "HTTP server: " << text;
}

}  // namespace

absl::StatusOr<std::unique_ptr<HttpServer>> HttpServer::Start(
    const HttpServerOptions& options, const HttpRouter* router) {
  std::unique_ptr<HttpServer> server(new HttpServer());
  server->shared_ = std::make_unique<Shared>();
  server->shared_->options = options;
  server->shared_->router = router;
  absl::StatusOr<std::unique_ptr<ConnectionWatcher>> watcher =
      ConnectionWatcher::Start();
  if (!watcher.ok()) return watcher.status();
  server->shared_->watcher = *std::move(watcher);
  const unsigned int idle_seconds = static_cast<unsigned int>(
      std::max<int64_t>(1, absl::ToInt64Seconds(absl::Ceil(options.idle_timeout,
                                                           absl::Seconds(1)))));
  const unsigned int threads =
      static_cast<unsigned int>(std::max(1, options.num_threads));
  const bool tls = !options.tls_key_pem.empty();
  if (tls && MHD_is_feature_supported(MHD_FEATURE_TLS) != MHD_YES) {
    return absl::UnimplementedError(
        "this libmicrohttpd was built without TLS: REST cannot serve HTTPS");
  }
  // The TLS options go last; MHD_OPTION_END in their place ends the list
  // when TLS is off. (The PEM strings live in shared_->options.)
  const HttpServerOptions& kept = server->shared_->options;
  const bool trust = tls && !kept.tls_client_ca_pem.empty();
  server->daemon_ = MHD_start_daemon(
      MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_ITC |
          MHD_USE_ERROR_LOG | (tls ? MHD_USE_TLS : 0),
      static_cast<uint16_t>(options.port), nullptr, nullptr, &OnRequest,
      server->shared_.get(), MHD_OPTION_EXTERNAL_LOGGER, &LogMhdError, nullptr,
      MHD_OPTION_THREAD_POOL_SIZE, threads, MHD_OPTION_CONNECTION_TIMEOUT,
      idle_seconds, MHD_OPTION_NOTIFY_COMPLETED, &OnRequestDone, nullptr,
      tls ? MHD_OPTION_HTTPS_MEM_KEY : MHD_OPTION_END, kept.tls_key_pem.c_str(),
      MHD_OPTION_HTTPS_MEM_CERT, kept.tls_cert_pem.c_str(),
      trust ? MHD_OPTION_HTTPS_MEM_TRUST : MHD_OPTION_END,
      kept.tls_client_ca_pem.c_str(), MHD_OPTION_END);
  if (server->daemon_ == nullptr) {
    return absl::UnavailableError(
        absl::StrCat("could not listen for HTTP/REST on 0.0.0.0:", options.port,
                     " (is another process using the port?)"));
  }
  LOG(INFO) << "Exporting HTTP/REST API at:localhost:" << options.port
            << (tls ? " (HTTPS)" : "") << " ...";
  return server;
}

HttpServer::~HttpServer() { Shutdown(absl::ZeroDuration()); }

int HttpServer::active_requests() const {
  absl::MutexLock lock(&shared_->mu);
  return shared_->active;
}

void HttpServer::Shutdown(absl::Duration grace) {
  absl::MutexLock lock(&shutdown_mu_);
  if (shut_down_ || daemon_ == nullptr) return;
  shut_down_ = true;
  const MHD_socket listener = MHD_quiesce_daemon(daemon_);
  const absl::Time deadline = absl::Now() + grace;
  {
    absl::MutexLock active_lock(&shared_->mu);
    auto idle = [this]() ABSL_SHARED_LOCKS_REQUIRED(shared_->mu) {
      return shared_->active == 0;
    };
    shared_->mu.AwaitWithDeadline(absl::Condition(&idle), deadline);
  }
  MHD_stop_daemon(daemon_);
  if (listener != MHD_INVALID_SOCKET) close(listener);
  daemon_ = nullptr;
}

}  // namespace model_server
