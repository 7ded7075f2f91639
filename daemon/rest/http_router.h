// Requests, responses and the routing table of the HTTP server.
//
// Routes are added before the server starts; afterwards the router is
// immutable and Dispatch is thread-safe. A route matches a method ("" for
// any) and either an exact path or a path prefix; exact routes win over
// prefixes, longer prefixes over shorter ones. So later features add their
// own paths without touching the API's handler:
//
//   router.Add("GET", "/v2/health/live", LivenessHandler);
//   router.AddPrefix("", "/v1/", rest_api_handler);
//
// Unmatched requests get 404 with a JSON error body naming the path.
#ifndef MODEL_SERVER_DAEMON_REST_HTTP_ROUTER_H_
#define MODEL_SERVER_DAEMON_REST_HTTP_ROUTER_H_

#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/string_view.h"

namespace model_server {

class CancellationSignal;  // runtime/cancellation.h

struct HttpRequest {
  std::string method;  // "GET", "POST", ...
  std::string path;    // the URL's path, as sent (not %-decoded)
  std::string body;    // gzip already inflated
  // Raised when the client closes its connection while the handler runs
  // (for RunOptions::cancellation); null when nobody watches.
  const CancellationSignal* cancellation = nullptr;
};

struct HttpResponse {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;
  // Further headers, e.g. {"Cache-Control", "no-cache"}.
  std::vector<std::pair<std::string, std::string>> headers;
};

using HttpHandler = std::function<HttpResponse(const HttpRequest&)>;

// A JSON error response: {"error": "<message>"} with `status`.
HttpResponse JsonErrorResponse(int status, absl::string_view message);

class HttpRouter {
 public:
  void Add(std::string method, std::string path, HttpHandler handler);
  void AddPrefix(std::string method, std::string prefix, HttpHandler handler);

  HttpResponse Dispatch(const HttpRequest& request) const;

 private:
  struct Route {
    std::string method;
    std::string path;
    bool prefix;
    HttpHandler handler;
  };
  std::vector<Route> routes_;
};

}  // namespace model_server

#endif  // MODEL_SERVER_DAEMON_REST_HTTP_ROUTER_H_
