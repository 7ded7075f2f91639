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
// kernels report real shape errors. Outputs use TensorProto's typed fields,
// as TF Serving does. The caller fills the response's model_spec.
#ifndef MODEL_SERVER_SIGNATURES_PREDICT_H_
#define MODEL_SERVER_SIGNATURES_PREDICT_H_

#include "absl/status/status.h"
#include "runtime/executor.h"
#include "signatures/method_names.h"
#include "signatures/signature_map.h"
#include "tensorflow_serving/apis/predict.pb.h"

namespace model_server {

// Runs `request` against `signatures`; on success fills response->outputs
// and sets *signature_key to the resolved key.
absl::Status RunPredict(const SignatureMap& signatures,
                        const tensorflow::serving::PredictRequest& request,
                        const RunOptions& options,
                        tensorflow::serving::PredictResponse* response,
                        std::string* signature_key,
                        const SignatureCheckOptions& checks = {});

}  // namespace model_server

#endif  // MODEL_SERVER_SIGNATURES_PREDICT_H_
