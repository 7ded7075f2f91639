// MultiInference on one loaded model version (TF Serving's
// TensorFlowMultiInferenceRunner::Infer, docs/research/tf_serving_behaviour.md
// section 5): several classify/regress tasks answered from one batch of
// examples. Each task is checked in order, before anything runs:
//   - an empty model name: INVALID_ARGUMENT
//     "Found ModelSpec with an empty model name.";
//   - a model name unlike the first task's: INVALID_ARGUMENT "All ModelSpecs
//     in a MultiInferenceRequest must access the same model name.";
//   - a signature named twice ("" means serving_default): INVALID_ARGUMENT
//     "Duplicate evaluation of signature: <name>";
//   - an unknown signature: INVALID_ARGUMENT
//     "Requested signature not found in model graph: <name>";
//   - a method_name other than tensorflow/serving/classify or
//     tensorflow/serving/regress: UNIMPLEMENTED
//     "Unsupported signature method_name: <method>";
//   - the checks of example_signature.h for that method.
// Then the examples become one batch (example_batch.h), every task's
// signature runs on it, and the results come back in task order, each with
// model_spec = (task's model name, its signature or serving_default,
// `version`).
//
// Tasks may read different input tensors: TF2 exports give every signature
// its own input placeholder, and TF Serving's own test (testMultiInferenceTf2
// on half_plus_two_tf2_cpu) expects regress_x_to_y and classify_x_to_y to
// answer together. Older TF Serving releases refused that with "Input tensor
// must be the same for all Signatures."; we follow the current behaviour.
//
// TF Serving runs all tasks in one session run; each task here runs its own
// compiled signature on the shared batch, so a graph with state (a counter)
// sees one run per task. Thread-safe.
#ifndef MODEL_SERVER_SIGNATURES_MULTI_INFERENCE_H_
#define MODEL_SERVER_SIGNATURES_MULTI_INFERENCE_H_

#include <cstdint>

#include "absl/status/status.h"
#include "model_server/serialized_input.pb.h"
#include "runtime/executor.h"
#include "signatures/example_signature.h"
#include "signatures/signature_map.h"
#include "tensorflow_serving/apis/inference.pb.h"

namespace model_server {

// Moves the examples out of request->input.
absl::Status RunMultiInference(
    const SignatureMap& signatures, int64_t version,
    const SignatureCheckOptions& checks, const RunOptions& run_options,
    SerializedMultiInferenceRequest* request,
    tensorflow::serving::MultiInferenceResponse* response);

}  // namespace model_server

#endif  // MODEL_SERVER_SIGNATURES_MULTI_INFERENCE_H_
