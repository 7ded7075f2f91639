#include "signatures/classify_regress.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "signatures/example_batch.h"
#include "signatures/example_results.h"

namespace model_server {
namespace {

// Steps 1 and 2.
absl::StatusOr<ExampleSignature> FindExampleSignature(
    const SignatureMap& signatures, absl::string_view signature_name,
    ExampleMethod method, const SignatureCheckOptions& options,
    std::string* signature_key) {
  *signature_key = ResolveSignatureKey(signature_name);
  const Signature* signature = signatures.Find(*signature_key);
  if (signature == nullptr) {
    return absl::InvalidArgumentError(absl::StrCat(
        "No signature was found with the name: ", *signature_key,
        " (the model has signatures: ", signatures.KeyList(), ")"));
  }
  return CheckExampleSignature(*signature, method, options);
}

// What steps 1 to 4 leave for step 5.
struct ExampleRun {
  ExampleSignature signature;
  int64_t num_examples = 0;
  std::vector<Tensor> outputs;  // as FetchExampleOutputs
};

absl::StatusOr<ExampleRun> RunExampleMethod(const SignatureMap& signatures,
                                            absl::string_view signature_name,
                                            ExampleMethod method,
                                            const SignatureCheckOptions& checks,
                                            const RunOptions& run_options,
                                            SerializedInput* input,
                                            std::string* signature_key) {
  absl::StatusOr<ExampleSignature> signature = FindExampleSignature(
      signatures, signature_name, method, checks, signature_key);
  if (!signature.ok()) return signature.status();
  absl::StatusOr<Tensor> batch = TakeSerializedExamples(input);
  if (!batch.ok()) return batch.status();
  ExampleRun run;
  run.signature = *signature;
  run.num_examples = batch->NumElements();
  absl::Status status =
      FetchExampleOutputs(run.signature, *batch, run_options, &run.outputs);
  if (!status.ok()) return status;
  return run;
}

const Tensor* OutputOrNull(const std::vector<Tensor>& outputs, int index) {
  return index < 0 ? nullptr : &outputs[index];
}

}  // namespace

absl::Status FetchExampleOutputs(const ExampleSignature& signature,
                                 const Tensor& batch,
                                 const RunOptions& run_options,
                                 std::vector<Tensor>* outputs) {
  const std::vector<int> wanted = signature.OutputsToFetch();
  const Tensor* feeds[] = {&batch};
  std::vector<Tensor> fetched;
  absl::Status status =
      signature.signature->Run(feeds, wanted, &fetched, run_options);
  if (!status.ok()) {
    return absl::Status(status.code(),
                        absl::StrCat(status.message(), " (signature '",
                                     signature.signature->key(), "')"));
  }
  outputs->clear();
  outputs->resize(signature.signature->outputs().size());
  for (size_t i = 0; i < wanted.size(); ++i) {
    (*outputs)[wanted[i]] = std::move(fetched[i]);
  }
  return absl::OkStatus();
}

absl::Status RunClassify(const SignatureMap& signatures,
                         absl::string_view signature_name,
                         const SignatureCheckOptions& checks,
                         const RunOptions& run_options, SerializedInput* input,
                         tensorflow::serving::ClassificationResult* result,
                         std::string* signature_key) {
  absl::StatusOr<ExampleRun> run =
      RunExampleMethod(signatures, signature_name, ExampleMethod::kClassify,
                       checks, run_options, input, signature_key);
  if (!run.ok()) return run.status();
  return ClassificationFromOutputs(
      run->signature, run->num_examples,
      OutputOrNull(run->outputs, run->signature.classes),
      OutputOrNull(run->outputs, run->signature.scores), result);
}

absl::Status RunRegress(const SignatureMap& signatures,
                        absl::string_view signature_name,
                        const SignatureCheckOptions& checks,
                        const RunOptions& run_options, SerializedInput* input,
                        tensorflow::serving::RegressionResult* result,
                        std::string* signature_key) {
  absl::StatusOr<ExampleRun> run =
      RunExampleMethod(signatures, signature_name, ExampleMethod::kRegress,
                       checks, run_options, input, signature_key);
  if (!run.ok()) return run.status();
  return RegressionFromOutputs(run->signature, run->num_examples,
                               run->outputs[run->signature.values], result);
}

}  // namespace model_server
