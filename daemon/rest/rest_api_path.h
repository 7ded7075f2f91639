// The paths of TF Serving's REST API (model_servers/http_rest_api_util.cc),
// matched as its regular expressions match them (case-insensitively):
//   POST
//   /v1/models/<name>[/versions/<n>|/labels/<label>]:(predict|classify|regress)
//   GET  /v1/models[/<name>[/versions/<n>|/labels/<label>]][/metadata]
// <name> and <label> are one path segment without ':' and are %-decoded;
// <n> is decimal digits.
#ifndef MODEL_SERVER_DAEMON_REST_REST_API_PATH_H_
#define MODEL_SERVER_DAEMON_REST_REST_API_PATH_H_

#include <cstdint>
#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace model_server {

struct RestApiPath {
  std::string model_name;  // "" for GET /v1/models
  std::optional<int64_t> version;
  std::optional<std::string> label;
  // POST: "predict", "classify" or "regress"; GET: "" or "metadata".
  std::string verb;
};

// nullopt when `path` is not of the form for `method`; INVALID_ARGUMENT for
// a version that does not fit int64 ("Failed to convert version: <v> to
// numeric.") or a bad %-escape.
absl::StatusOr<std::optional<RestApiPath>> ParseRestApiPath(
    absl::string_view method, absl::string_view path);

}  // namespace model_server

#endif  // MODEL_SERVER_DAEMON_REST_REST_API_PATH_H_
