#include "daemon/rest/http_router.h"

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "daemon/rest/json_writer.h"

namespace model_server {

HttpResponse JsonErrorResponse(int status, absl::string_view message) {
  HttpResponse response;
  response.status = status;
  response.body = JsonErrorBody(message);
  return response;
}

void HttpRouter::Add(std::string method, std::string path,
                     HttpHandler handler) {
  routes_.push_back(
      {std::move(method), std::move(path), false, std::move(handler)});
}

void HttpRouter::AddPrefix(std::string method, std::string prefix,
                           HttpHandler handler) {
  routes_.push_back(
      {std::move(method), std::move(prefix), true, std::move(handler)});
}

HttpResponse HttpRouter::Dispatch(const HttpRequest& request) const {
  const Route* best = nullptr;
  for (const Route& route : routes_) {
    if (!route.method.empty() && route.method != request.method) continue;
    if (!route.prefix) {
      if (route.path == request.path) {
        best = &route;
        break;
      }
      continue;
    }
    if (absl::StartsWith(request.path, route.path) &&
        (best == nullptr || route.path.size() > best->path.size())) {
      best = &route;
    }
  }
  if (best == nullptr) {
    return JsonErrorResponse(
        404, absl::StrCat("No handler for ", request.method, " ", request.path,
                          ": the API is under /v1/ (e.g. GET /v1/models)"));
  }
  return best->handler(request);
}

}  // namespace model_server
