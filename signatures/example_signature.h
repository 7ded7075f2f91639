// What Classify, Regress and MultiInference need from a signature, checked
// before anything runs (TF Serving's PreProcessClassification and
// PreProcessRegression, docs/research/tf_serving_behaviour.md section 5).
//
// A classification signature has exactly one input, alias "inputs", and one
// or two outputs among "classes" and "scores"; a regression signature has one
// input "inputs" and one output "outputs". Every failed check is
// INVALID_ARGUMENT with TF Serving's text first (clients match on it), then
// which signature and what it has. Beyond TF Serving:
//   - the input must be a string tensor, since it receives serialized
//     tf.Examples. TF Serving would fail later in the session with "Expects
//     arg[0] to be float but string is provided"; we fail with that same text
//     plus what to do instead (call the signature through Predict);
//   - a signature that needs unsupported ops answers its UNIMPLEMENTED error.
//
// TF Serving compares the SignatureDef's method_name only when
// --enable_signature_method_name_check is set (it is off by default, and TF2
// exports often leave method_name as predict); SignatureCheckOptions carries
// that choice.
#ifndef MODEL_SERVER_SIGNATURES_EXAMPLE_SIGNATURE_H_
#define MODEL_SERVER_SIGNATURES_EXAMPLE_SIGNATURE_H_

#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "signatures/method_names.h"
#include "signatures/signature.h"

namespace model_server {

enum class ExampleMethod { kClassify, kRegress };

// A signature checked for one method. Output indices are into
// signature->outputs(), or -1 when the signature lacks that output.
struct ExampleSignature {
  const Signature* signature = nullptr;
  ExampleMethod method = ExampleMethod::kClassify;
  int classes = -1;  // classify
  int scores = -1;   // classify
  int values = -1;   // regress: the "outputs" output

  // The output indices to fetch, ascending.
  std::vector<int> OutputsToFetch() const;
};

// "tensorflow/serving/classify" or "tensorflow/serving/regress".
absl::string_view MethodName(ExampleMethod method);

// Checks `signature` for `method` (see the file comment).
absl::StatusOr<ExampleSignature> CheckExampleSignature(
    const Signature& signature, ExampleMethod method,
    const SignatureCheckOptions& options);

}  // namespace model_server

#endif  // MODEL_SERVER_SIGNATURES_EXAMPLE_SIGNATURE_H_
