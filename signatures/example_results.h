// Turns the output tensors of a classification or regression signature into
// TF Serving's result messages (its PostProcessClassificationResult and
// PostProcessRegressionResult, docs/research/tf_serving_behaviour.md
// section 5), with its checks and texts. Every failed check is
// INVALID_ARGUMENT naming the output and the signature.
//
// Classification: "classes" (DT_STRING) and/or "scores" (DT_FLOAT), each
// [batch_size, num_classes]; both present must agree on num_classes. One
// Classifications per example, one Class per column; a label only when the
// signature has classes, a score only when it has scores (so scores alone give
// classes with empty labels). Unlike TF Serving, a rank-1 [batch_size] output
// is also accepted, as one class per example.
//
// Regression: "outputs" (DT_FLOAT), [batch_size] or [batch_size, 1]; one
// Regression per example.
#ifndef MODEL_SERVER_SIGNATURES_EXAMPLE_RESULTS_H_
#define MODEL_SERVER_SIGNATURES_EXAMPLE_RESULTS_H_

#include <cstdint>

#include "absl/status/status.h"
#include "runtime/tensor.h"
#include "signatures/example_signature.h"
#include "tensorflow_serving/apis/classification.pb.h"
#include "tensorflow_serving/apis/regression.pb.h"

namespace model_server {

// `classes`/`scores` are the fetched outputs, null when the signature has no
// such output. REQUIRES: signature.method == kClassify.
absl::Status ClassificationFromOutputs(
    const ExampleSignature& signature, int64_t num_examples,
    const Tensor* classes, const Tensor* scores,
    tensorflow::serving::ClassificationResult* result);

// REQUIRES: signature.method == kRegress.
absl::Status RegressionFromOutputs(
    const ExampleSignature& signature, int64_t num_examples,
    const Tensor& values, tensorflow::serving::RegressionResult* result);

}  // namespace model_server

#endif  // MODEL_SERVER_SIGNATURES_EXAMPLE_RESULTS_H_
