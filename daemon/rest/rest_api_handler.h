// TF Serving's REST API (everything under /v1/) on the daemon's
// ModelManager: the HTTP-facing half of the REST front end. It parses the
// path (rest_api_path.h), resolves the model version, calls json_api.h or
// the shared status/metadata code, and maps errors to HTTP statuses
// (http_status.h) with {"error": "..."} bodies.
//
//   POST /v1/models/<m>[/versions/<v>|/labels/<l>]:predict|classify|regress
//   GET  /v1/models/<m>[/versions/<v>|/labels/<l>]           model status
//   GET  /v1/models/<m>[/versions/<v>|/labels/<l>]/metadata  signature defs
//   GET  /v1/models       every model with its versions and labels (beyond
//                         TF Serving)
//
// Any other request under /v1/ is 400 "Malformed request: <method> <path>",
// as in TF Serving. Status and metadata are printed by protobuf's JSON
// printer with TF Serving's options, so they match its output exactly.
// Thread-safe; holds no mutable state.
#ifndef MODEL_SERVER_DAEMON_REST_REST_API_HANDLER_H_
#define MODEL_SERVER_DAEMON_REST_REST_API_HANDLER_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "daemon/metrics/server_metrics.h"
#include "daemon/rest/http_router.h"
#include "daemon/rest/rest_api_path.h"
#include "loader/model_manager.h"
#include "runtime/executor.h"
#include "signatures/method_names.h"

namespace model_server {

struct RestApiOptions {
  SignatureCheckOptions signature_checks;
  // --rest_api_timeout_in_ms: how long one Predict/Classify/Regress may run
  // (DEADLINE_EXCEEDED, HTTP 504, after). Zero or less: no limit. A run
  // also stops (CANCELLED) when HttpRequest::cancellation is raised.
  absl::Duration run_timeout = absl::Milliseconds(30000);
  // Counts predict/classify/regress calls when set; must outlive the
  // handler.
  ServerMetrics* metrics = nullptr;
  // The tensor limits every request runs with (--max_tensor_elements,
  // --max_request_tensor_bytes); the deadline comes from run_timeout.
  RunOptions request_limits;
};

class RestApiHandler {
 public:
  // `models` must outlive the handler.
  RestApiHandler(const ModelManager* models, const RestApiOptions& options)
      : models_(models), options_(options) {}

  HttpResponse Handle(const HttpRequest& request) const;

  // Routes everything under /v1/ to this handler (which must outlive
  // `router`).
  void AddRoutes(HttpRouter* router) const;

 private:
  absl::StatusOr<std::string> Process(const HttpRequest& request) const;
  absl::StatusOr<std::string> Run(const RestApiPath& path,
                                  const HttpRequest& request,
                                  ServerMetrics::Request* record) const;
  absl::StatusOr<std::string> ListModels() const;

  const ModelManager* const models_;
  const RestApiOptions options_;
};

}  // namespace model_server

#endif  // MODEL_SERVER_DAEMON_REST_REST_API_HANDLER_H_
