// The Predict API on one loaded model version, with TF Serving's checks and
// error texts (docs/research/tf_serving_behaviour.md, section 1):
//   - unknown signature: FAILED_PRECONDITION 'Serving signature key "k" not
//     found.' (plus the keys the model has);
//   - input alias errors, unparsable TensorProtos, dtypes that differ from
//     the graph's placeholder, unknown or repeated output_filter aliases:
//     INVALID_ARGUMENT naming what was expected and what was sent;
//   - a signature that needs missing ops: UNIMPLEMENTED naming them;
//   - with checks.check_method_name, a signature whose method_name is not
//     predict, classify or regress: INTERNAL "Expected prediction signature
//     method_name to be one of {...}. Was: <m>" (TF Serving's VerifySignature).
// Shapes are not checked against the SignatureDef (TensorFlow does not);
// kernels report real shape errors.
//
// Two levels: the tensor-level entry points (FindPredictSignature, then
// RunPredictSignature on decoded tensors) are what every front end calls;
// the gRPC service decodes TensorProtos into tensors, the REST service JSON.
// RunPredict is the gRPC wrapper: TensorProtos in, typed TensorProto fields
// out (as TF Serving answers); the caller fills the response's model_spec.
#ifndef MODEL_SERVER_SIGNATURES_PREDICT_H_
#define MODEL_SERVER_SIGNATURES_PREDICT_H_

#include <map>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "runtime/executor.h"
#include "runtime/tensor_proto.h"
#include "signatures/method_names.h"
#include "signatures/signature_map.h"
#include "tensorflow_serving/apis/predict.pb.h"

namespace model_server {

// Request tensors by input alias.
using PredictInputs = std::map<std::string, Tensor>;
// Response tensors: (output alias, tensor), in the order fetched (the
// signature's alias order, or output_filter's order).
using PredictOutputs = std::vector<std::pair<std::string, Tensor>>;

// The signature `signature_name` names ("" means serving_default), checked
// for Predict: FAILED_PRECONDITION when unknown (naming the keys the model
// has), INTERNAL for a method_name the check refuses, the signature's own
// status (UNIMPLEMENTED naming missing ops) when it cannot run. Sets
// *signature_key to the resolved key even on failure.
absl::StatusOr<const Signature*> FindPredictSignature(
    const SignatureMap& signatures, absl::string_view signature_name,
    const SignatureCheckOptions& checks, std::string* signature_key);

// Runs `signature` on `inputs` with TF Serving's input checks (count,
// missing aliases without defaults, unknown aliases, dtype against the
// graph's placeholder) and `output_filter` (empty: every output).
absl::Status RunPredictSignature(const Signature& signature,
                                 const PredictInputs& inputs,
                                 absl::Span<const std::string> output_filter,
                                 const RunOptions& options,
                                 PredictOutputs* outputs);

// The gRPC form: runs `request` against `signatures`; on success fills
// response->outputs (encoded as `output_encoding`: TF Serving writes the
// typed *_val fields unless --enable_serialization_as_tensor_content) and
// sets *signature_key to the resolved key.
absl::Status RunPredict(
    const SignatureMap& signatures,
    const tensorflow::serving::PredictRequest& request,
    const RunOptions& options, tensorflow::serving::PredictResponse* response,
    std::string* signature_key, const SignatureCheckOptions& checks = {},
    TensorEncoding output_encoding = TensorEncoding::kTypedFields);

}  // namespace model_server

#endif  // MODEL_SERVER_SIGNATURES_PREDICT_H_
