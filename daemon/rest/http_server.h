// The daemon's HTTP/1.1 server (--rest_api_port), on GNU libmicrohttpd
// (docs/rest_api_libraries.md says why): a pool of --rest_api_num_threads
// threads, each polling its own connections (epoll) and running the handler
// of a complete request on itself. What the server does before a handler
// runs:
//   - a body larger than HttpServerOptions::max_body_bytes is refused with
//     413 and a JSON error naming both sizes: at once from its
//     Content-Length (nothing is read), or as soon as it grows past the
//     limit (chunked bodies);
//   - "Content-Encoding: gzip" bodies are inflated (inflated size bounded by
//     the same limit); any other encoding but "identity" is 415;
//   - with TLS client verification, a connection without a certificate
//     signed by the configured CA gets 403 and a JSON error;
//   - with enable_cors, every response carries TF Serving's CORS headers and
//     OPTIONS requests are answered 204 (preflight);
//   - while the handler runs, HttpRequest::cancellation is raised if the
//     client closes its connection (connection_watcher.h), so a Predict
//     whose client gave up stops.
// Routing is the HttpRouter's (http_router.h). SO_REUSEPORT is not used: a
// port held by another process makes Start fail.
//
// Thread-safety: Shutdown may be called from any thread, once or more.
#ifndef MODEL_SERVER_DAEMON_REST_HTTP_SERVER_H_
#define MODEL_SERVER_DAEMON_REST_HTTP_SERVER_H_

#include <cstdint>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "daemon/rest/http_router.h"

struct MHD_Daemon;

namespace model_server {

struct HttpServerOptions {
  int port = 0;  // TCP port on 0.0.0.0
  int num_threads = 4;
  // Connections idle (no bytes either way) this long are closed.
  absl::Duration idle_timeout = absl::Seconds(30);
  // Largest request body accepted, before and after gzip inflation.
  int64_t max_body_bytes = int64_t{256} << 20;
  bool enable_cors = false;
  // TLS (--ssl_config_file) when tls_key_pem is set: the server's PEM key
  // and certificate; with tls_client_verify, a request whose connection did
  // not present a certificate signed by tls_client_ca_pem is answered 403.
  std::string tls_key_pem;
  std::string tls_cert_pem;
  std::string tls_client_ca_pem;
  bool tls_client_verify = false;
};

class HttpServer {
 public:
  // Listens and serves `router` (which must outlive the server). Fails with
  // UNAVAILABLE naming the port when it cannot listen.
  static absl::StatusOr<std::unique_ptr<HttpServer>> Start(
      const HttpServerOptions& options, const HttpRouter* router);

  // Shuts down with no grace period if Shutdown was not called.
  ~HttpServer();

  // Stops accepting connections, lets requests being handled finish for up
  // to `grace`, then closes every connection.
  void Shutdown(absl::Duration grace);

  // Requests whose handler is running now (for Shutdown and tests).
  int active_requests() const;

  // What the server and its connections need; internal to http_server.cc.
  struct Shared;

 private:
  HttpServer() = default;

  std::unique_ptr<Shared> shared_;
  MHD_Daemon* daemon_ = nullptr;
  absl::Mutex shutdown_mu_;
  bool shut_down_ ABSL_GUARDED_BY(shutdown_mu_) = false;
};

}  // namespace model_server

#endif  // MODEL_SERVER_DAEMON_REST_HTTP_SERVER_H_
