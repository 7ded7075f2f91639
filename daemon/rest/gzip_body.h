// Inflating "Content-Encoding: gzip" request bodies, with a bound on the
// inflated size (a small body can inflate to gigabytes).
#ifndef MODEL_SERVER_DAEMON_REST_GZIP_BODY_H_
#define MODEL_SERVER_DAEMON_REST_GZIP_BODY_H_

#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace model_server {

// The inflated bytes of one or more concatenated gzip members. Fails with
// INVALID_ARGUMENT when `compressed` is not gzip data (or is truncated) and
// RESOURCE_EXHAUSTED when it inflates past `max_bytes`.
absl::StatusOr<std::string> GunzipBody(absl::string_view compressed,
                                       int64_t max_bytes);

}  // namespace model_server

#endif  // MODEL_SERVER_DAEMON_REST_GZIP_BODY_H_
