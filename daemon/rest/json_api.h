// The REST API's Predict, Classify and Regress on one loaded model version:
// a parsed JSON body in, the JSON response body out. They decode JSON
// straight into tensors (or serialized tf.Examples), call the same
// signatures/ entry points as the gRPC services, and encode the results
// straight from the output tensors. The HTTP handler (rest_api_handler.h)
// resolves the version first; tests call these directly on a LoadedModel.
//
// Errors are TF Serving's: an unknown signature in Predict is
// INVALID_ARGUMENT 'Serving signature name: "<k>" not found in signature
// def' (the REST API's text, not gRPC's FAILED_PRECONDITION), plus the
// signatures the model has; everything else as json_predict.h,
// json_examples.h and signatures/. Thread-safe.
#ifndef MODEL_SERVER_DAEMON_REST_JSON_API_H_
#define MODEL_SERVER_DAEMON_REST_JSON_API_H_

#include <string>

#include "absl/status/statusor.h"
#include "daemon/rest/json_document.h"
#include "runtime/executor.h"
#include "signatures/method_names.h"
#include "signatures/signature_map.h"

namespace model_server {

absl::StatusOr<std::string> JsonPredict(const SignatureMap& signatures,
                                        const JsonDocument& body,
                                        const SignatureCheckOptions& checks,
                                        const RunOptions& options);

absl::StatusOr<std::string> JsonClassify(const SignatureMap& signatures,
                                         const JsonDocument& body,
                                         const SignatureCheckOptions& checks,
                                         const RunOptions& options);

absl::StatusOr<std::string> JsonRegress(const SignatureMap& signatures,
                                        const JsonDocument& body,
                                        const SignatureCheckOptions& checks,
                                        const RunOptions& options);

}  // namespace model_server

#endif  // MODEL_SERVER_DAEMON_REST_JSON_API_H_
