// The REST Predict body, both ways (TF Serving's FillPredictRequestFromJson
// and MakeJsonFromTensors; docs/research/tf_serving_behaviour.md section 10).
//
// Request: an object with an optional "signature_name" string and exactly
// one of
//   - "instances" (row format): a non-empty list with one entry per batch
//     element: a value/list for a one-input signature, or an object with one
//     key per input; each input's entries are stacked into one tensor
//     [len(instances), ...];
//   - "inputs" (columnar format): a value/list for a one-input signature, or
//     an object with every input by alias, each a whole tensor.
// Each input decodes to the dtype of the graph's placeholder (what Predict
// checks; TF Serving uses the TensorInfo dtype, which agrees but in
// inconsistent exports), see json_tensor_decode.h. Beyond TF Serving: an
// "inputs" object with a key that is not an input is refused (TF Serving
// ignores it); an "instances" object naming an input twice is refused; a
// signature without inputs runs on {} or {"inputs": {}} (TF Serving answers
// "Failed to get input map for signature").
//
// Response: {"predictions": [...]} for row requests (one entry per batch
// element: the value of a single output, or an object of every output; all
// outputs must share dimension 0) and {"outputs": ...} for columnar ones
// (the single output's value, or an object of every output), laid out as TF
// Serving's RapidJSON PrettyWriter lays them out. Several outputs appear in
// alias order.
#ifndef MODEL_SERVER_DAEMON_REST_JSON_PREDICT_H_
#define MODEL_SERVER_DAEMON_REST_JSON_PREDICT_H_

#include <functional>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "daemon/rest/json_document.h"
#include "signatures/predict.h"
#include "signatures/signature.h"

namespace model_server {

enum class JsonPredictFormat { kRow, kColumnar };

struct JsonPredictRequest {
  std::string signature_name;  // "" when the body names none
  JsonPredictFormat format = JsonPredictFormat::kRow;
  PredictInputs inputs;
};

// Resolves the body's signature_name ("" when absent) to the signature whose
// inputs say how to decode; a failure is returned as is.
using SignatureFinder =
    std::function<absl::StatusOr<const Signature*>(absl::string_view)>;

// Decodes a Predict body (every error is INVALID_ARGUMENT with TF Serving's
// text, unless `find_signature` fails otherwise).
absl::Status DecodePredictRequest(const JsonDocument& document,
                                  const SignatureFinder& find_signature,
                                  JsonPredictRequest* request);

// Encodes Predict outputs for a request of `format`. Outputs whose JSON
// could exceed 2 GiB are RESOURCE_EXHAUSTED (nothing is built).
absl::StatusOr<std::string> EncodePredictResponse(const PredictOutputs& outputs,
                                                  JsonPredictFormat format);

}  // namespace model_server

#endif  // MODEL_SERVER_DAEMON_REST_JSON_PREDICT_H_
