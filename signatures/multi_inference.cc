#include "signatures/multi_inference.h"

#include <set>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "signatures/classify_regress.h"
#include "signatures/example_batch.h"
#include "signatures/example_results.h"

namespace model_server {
namespace {

namespace tfs = tensorflow::serving;

struct CheckedTask {
  std::string signature_key;
  ExampleSignature signature;
};

absl::StatusOr<ExampleMethod> MethodOf(const tfs::InferenceTask& task) {
  if (task.method_name() == kClassifyMethodName) {
    return ExampleMethod::kClassify;
  }
  if (task.method_name() == kRegressMethodName) return ExampleMethod::kRegress;
  return absl::UnimplementedError(
      absl::StrCat("Unsupported signature method_name: ", task.method_name(),
                   " (a MultiInference task's method_name must be ",
                   kClassifyMethodName, " or ", kRegressMethodName, ")"));
}

// The per-task checks of the file comment, in TF Serving's order.
absl::Status CheckTasks(const SignatureMap& signatures,
                        const SignatureCheckOptions& options,
                        const SerializedMultiInferenceRequest& request,
                        std::vector<CheckedTask>* checked) {
  if (request.tasks().empty()) {
    return absl::InvalidArgumentError(
        "MultiInferenceRequest has no tasks: expected at least one");
  }
  const std::string& model_name = request.tasks(0).model_spec().name();
  std::set<std::string> seen;
  for (const tfs::InferenceTask& task : request.tasks()) {
    if (task.model_spec().name().empty()) {
      return absl::InvalidArgumentError(
          "Found ModelSpec with an empty model name.");
    }
    if (task.model_spec().name() != model_name) {
      return absl::InvalidArgumentError(absl::StrCat(
          "All ModelSpecs in a MultiInferenceRequest must access the same "
          "model name. (tasks name '",
          model_name, "' and '", task.model_spec().name(), "')"));
    }
    CheckedTask entry;
    entry.signature_key =
        ResolveSignatureKey(task.model_spec().signature_name());
    if (!seen.insert(entry.signature_key).second) {
      return absl::InvalidArgumentError(absl::StrCat(
          "Duplicate evaluation of signature: ", entry.signature_key));
    }
    const Signature* signature = signatures.Find(entry.signature_key);
    if (signature == nullptr) {
      return absl::InvalidArgumentError(absl::StrCat(
          "Requested signature not found in model graph: ", entry.signature_key,
          " (the model has signatures: ", signatures.KeyList(), ")"));
    }
    absl::StatusOr<ExampleMethod> method = MethodOf(task);
    if (!method.ok()) return method.status();
    absl::StatusOr<ExampleSignature> example_signature =
        CheckExampleSignature(*signature, *method, options);
    if (!example_signature.ok()) return example_signature.status();
    entry.signature = *example_signature;
    checked->push_back(std::move(entry));
  }
  return absl::OkStatus();
}

absl::Status RunTask(const CheckedTask& task, const Tensor& batch,
                     const RunOptions& run_options,
                     tfs::InferenceResult* result) {
  std::vector<Tensor> outputs;
  absl::Status status =
      FetchExampleOutputs(task.signature, batch, run_options, &outputs);
  if (!status.ok()) return status;
  const int64_t num_examples = batch.NumElements();
  const ExampleSignature& signature = task.signature;
  if (signature.method == ExampleMethod::kRegress) {
    return RegressionFromOutputs(signature, num_examples,
                                 outputs[signature.values],
                                 result->mutable_regression_result());
  }
  return ClassificationFromOutputs(
      signature, num_examples,
      signature.classes < 0 ? nullptr : &outputs[signature.classes],
      signature.scores < 0 ? nullptr : &outputs[signature.scores],
      result->mutable_classification_result());
}

}  // namespace

absl::Status RunMultiInference(const SignatureMap& signatures, int64_t version,
                               const SignatureCheckOptions& checks,
                               const RunOptions& run_options,
                               SerializedMultiInferenceRequest* request,
                               tfs::MultiInferenceResponse* response) {
  std::vector<CheckedTask> tasks;
  absl::Status status = CheckTasks(signatures, checks, *request, &tasks);
  if (!status.ok()) return status;
  absl::StatusOr<Tensor> batch =
      TakeSerializedExamples(request->mutable_input());
  if (!batch.ok()) return batch.status();
  for (size_t i = 0; i < tasks.size(); ++i) {
    tfs::InferenceResult* result = response->add_results();
    status = RunTask(tasks[i], *batch, run_options, result);
    if (!status.ok()) return status;
    tfs::ModelSpec* spec = result->mutable_model_spec();
    spec->set_name(request->tasks(static_cast<int>(i)).model_spec().name());
    spec->set_signature_name(tasks[i].signature_key);
    spec->mutable_version()->set_value(version);
  }
  return absl::OkStatus();
}

}  // namespace model_server
