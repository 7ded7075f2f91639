#include "daemon/rest/json_api.h"

#include "absl/strings/str_cat.h"
#include "daemon/rest/json_examples.h"
#include "daemon/rest/json_predict.h"
#include "signatures/classify_regress.h"
#include "signatures/predict.h"
#include "signatures/request_limits.h"

namespace model_server {

absl::StatusOr<std::string> JsonPredict(const SignatureMap& signatures,
                                        const JsonDocument& body,
                                        const SignatureCheckOptions& checks,
                                        const RunOptions& options) {
  auto find_signature =
      [&](absl::string_view name) -> absl::StatusOr<const Signature*> {
    const std::string key = ResolveSignatureKey(name);
    const Signature* signature = signatures.Find(key);
    if (signature == nullptr) {
      return absl::InvalidArgumentError(absl::StrCat(
          "Serving signature name: \"", key,
          "\" not found in signature def (the model has signatures: ",
          signatures.KeyList(), ")"));
    }
    return signature;
  };
  JsonPredictRequest request;
  absl::Status status = DecodePredictRequest(body, find_signature, &request);
  if (!status.ok()) return status;
  RequestTensorBudget budget(options);
  for (const auto& [alias, tensor] : request.inputs) {
    status = budget.Charge(alias, tensor.dtype(), tensor.shape());
    if (!status.ok()) return status;
  }
  std::string key;
  absl::StatusOr<const Signature*> signature =
      FindPredictSignature(signatures, request.signature_name, checks, &key);
  if (!signature.ok()) return signature.status();
  PredictOutputs outputs;
  status =
      RunPredictSignature(**signature, request.inputs, {}, options, &outputs);
  if (!status.ok()) return status;
  return EncodePredictResponse(outputs, request.format);
}

namespace {

// Classify and Regress: decode the examples, run the method the gRPC path
// runs, encode its result.
template <typename Result, typename Run, typename Encode>
absl::StatusOr<std::string> JsonExampleMethod(
    const SignatureMap& signatures, const JsonDocument& body,
    const SignatureCheckOptions& checks, const RunOptions& options, Run run,
    Encode encode) {
  JsonExampleRequest request;
  absl::Status status = DecodeExampleRequest(body, &request);
  if (!status.ok()) return status;
  Result result;
  std::string key;
  status = run(signatures, request.signature_name, checks, options,
               &request.input, &result, &key);
  if (!status.ok()) return status;
  return encode(result);
}

}  // namespace

absl::StatusOr<std::string> JsonClassify(const SignatureMap& signatures,
                                         const JsonDocument& body,
                                         const SignatureCheckOptions& checks,
                                         const RunOptions& options) {
  return JsonExampleMethod<tensorflow::serving::ClassificationResult>(
      signatures, body, checks, options, &RunClassify,
      &EncodeClassificationResult);
}

absl::StatusOr<std::string> JsonRegress(const SignatureMap& signatures,
                                        const JsonDocument& body,
                                        const SignatureCheckOptions& checks,
                                        const RunOptions& options) {
  return JsonExampleMethod<tensorflow::serving::RegressionResult>(
      signatures, body, checks, options, &RunRegress, &EncodeRegressionResult);
}

}  // namespace model_server
