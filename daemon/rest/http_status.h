// absl::Status codes as HTTP statuses, TF Serving's mapping
// (model_servers/http_server.cc ToHTTPStatusCode):
//   OK 200; CANCELLED 499; UNKNOWN, INTERNAL, DATA_LOSS 500;
//   INVALID_ARGUMENT, FAILED_PRECONDITION, OUT_OF_RANGE 400;
//   DEADLINE_EXCEEDED 504; NOT_FOUND 404; ALREADY_EXISTS, ABORTED 409;
//   PERMISSION_DENIED 403; RESOURCE_EXHAUSTED 429; UNIMPLEMENTED 501;
//   UNAVAILABLE 503; UNAUTHENTICATED 401.
#ifndef MODEL_SERVER_DAEMON_REST_HTTP_STATUS_H_
#define MODEL_SERVER_DAEMON_REST_HTTP_STATUS_H_

#include "absl/status/status.h"
#include "daemon/rest/http_router.h"

namespace model_server {

int HttpStatusFromCode(absl::StatusCode code);

// {"error": "<message>"} with the mapped status. REQUIRES: !status.ok().
HttpResponse ErrorResponse(const absl::Status& status);

}  // namespace model_server

#endif  // MODEL_SERVER_DAEMON_REST_HTTP_STATUS_H_
