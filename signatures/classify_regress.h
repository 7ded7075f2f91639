// Classify and Regress on one loaded model version (TF Serving's RunClassify
// and RunRegress, docs/research/tf_serving_behaviour.md section 5):
//   1. the signature the request names ("" means serving_default); an unknown
//      one is INVALID_ARGUMENT "No signature was found with the name: <name>",
//      followed by the signatures the model has;
//   2. the checks of example_signature.h;
//   3. the request's examples as one batch (example_batch.h): "Input is
//      empty." when there are none;
//   4. one run of the signature, fetching the outputs the method reads;
//   5. the results of example_results.h, one per example, in request order.
// The caller fills the response's model_spec. Thread-safe.
#ifndef MODEL_SERVER_SIGNATURES_CLASSIFY_REGRESS_H_
#define MODEL_SERVER_SIGNATURES_CLASSIFY_REGRESS_H_

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "model_server/serialized_input.pb.h"
#include "runtime/executor.h"
#include "signatures/example_signature.h"
#include "signatures/signature_map.h"
#include "tensorflow_serving/apis/classification.pb.h"
#include "tensorflow_serving/apis/regression.pb.h"

namespace model_server {

// Runs Classify. On success fills *result and sets *signature_key to the
// resolved key. Moves the examples out of *input.
absl::Status RunClassify(const SignatureMap& signatures,
                         absl::string_view signature_name,
                         const SignatureCheckOptions& checks,
                         const RunOptions& run_options, SerializedInput* input,
                         tensorflow::serving::ClassificationResult* result,
                         std::string* signature_key);

// Runs Regress, as RunClassify.
absl::Status RunRegress(const SignatureMap& signatures,
                        absl::string_view signature_name,
                        const SignatureCheckOptions& checks,
                        const RunOptions& run_options, SerializedInput* input,
                        tensorflow::serving::RegressionResult* result,
                        std::string* signature_key);

// Step 4 alone: runs `signature` on `batch` and stores each fetched output at
// its output index in *outputs (sized to the signature's outputs; outputs
// the method does not read stay uninitialized).
absl::Status FetchExampleOutputs(const ExampleSignature& signature,
                                 const Tensor& batch,
                                 const RunOptions& run_options,
                                 std::vector<Tensor>* outputs);

}  // namespace model_server

#endif  // MODEL_SERVER_SIGNATURES_CLASSIFY_REGRESS_H_
