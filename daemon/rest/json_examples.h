// The REST Classify and Regress bodies, both ways (TF Serving's
// FillClassificationRequestFromJson / FillRegressionRequestFromJson and
// MakeJsonFromClassificationResult / MakeJsonFromRegressionResult).
//
// Request: an object with an optional "signature_name" string, an optional
// "context" example and a non-empty "examples" list. An example is an object
// of features; a feature is a value or a list of values, all of one kind:
//   - numbers written with a fraction or exponent: float_list (checked to fit
//     a float without loss of precision);
//   - integer literals and true/false (as 1/0): int64_list;
//   - strings and {"b64": ...} objects: bytes_list.
// The examples are serialized tensorflow.Example messages in the
// SerializedInput the gRPC path also builds (example_list, or
// example_list_with_context when "context" is present), so both paths run
// the same signatures/ code.
//
// Response: {"results": [...]}: for Classify one list per example of
// [label, score] pairs, for Regress one number per example, laid out as TF
// Serving's PrettyWriter lays them out.
#ifndef MODEL_SERVER_DAEMON_REST_JSON_EXAMPLES_H_
#define MODEL_SERVER_DAEMON_REST_JSON_EXAMPLES_H_

#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "daemon/rest/json_document.h"
#include "model_server/serialized_input.pb.h"
#include "tensorflow_serving/apis/classification.pb.h"
#include "tensorflow_serving/apis/regression.pb.h"

namespace model_server {

struct JsonExampleRequest {
  std::string signature_name;  // "" when the body names none
  SerializedInput input;
};

// Decodes a Classify or Regress body (INVALID_ARGUMENT with TF Serving's
// texts on failure; a missing "examples" key says "When method is classify"
// for both APIs, as TF Serving's does).
absl::Status DecodeExampleRequest(const JsonDocument& document,
                                  JsonExampleRequest* request);

absl::StatusOr<std::string> EncodeClassificationResult(
    const tensorflow::serving::ClassificationResult& result);
absl::StatusOr<std::string> EncodeRegressionResult(
    const tensorflow::serving::RegressionResult& result);

}  // namespace model_server

#endif  // MODEL_SERVER_DAEMON_REST_JSON_EXAMPLES_H_
