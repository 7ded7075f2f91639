#include "signatures/predict.h"

#include <set>

#include "absl/container/inlined_vector.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "runtime/tensor_proto.h"

namespace model_server {
namespace {

using tensorflow::serving::PredictRequest;
using tensorflow::serving::PredictResponse;

std::string Braced(const std::set<std::string>& keys) {
  return absl::StrCat("{", absl::StrJoin(keys, ","), "}");
}

std::set<std::string> RequestKeys(const PredictRequest& request) {
  std::set<std::string> keys;
  for (const auto& [alias, tensor] : request.inputs()) keys.insert(alias);
  return keys;
}

// TF Serving's VerifyRequestInputsSize: more inputs than the signature has is
// always an error; fewer is one unless the signature has defaults.
absl::Status CheckInputCount(const Signature& signature,
                             const PredictRequest& request) {
  const size_t sent = request.inputs().size();
  const size_t expected = signature.inputs().size();
  if (sent == expected) return absl::OkStatus();
  if (sent < expected && !signature.def().defaults().empty()) {
    return absl::OkStatus();
  }
  std::set<std::string> sent_keys = RequestKeys(request), expected_keys;
  for (const SignatureInput& in : signature.inputs()) {
    expected_keys.insert(in.alias);
  }
  std::set<std::string> extra, missing;
  for (const auto& k : sent_keys) {
    if (!expected_keys.count(k)) extra.insert(k);
  }
  for (const auto& k : expected_keys) {
    if (!sent_keys.count(k)) missing.insert(k);
  }
  return absl::InvalidArgumentError(absl::StrCat(
      "input size does not match signature: ", sent, "!=", expected, " len(",
      Braced(sent_keys), ") != len(", Braced(expected_keys), "). Sent extra: ",
      Braced(extra), ". Missing but required: ", Braced(missing), "."));
}

// Decodes every signature input from the request (or its default).
absl::Status DecodeInputs(const Signature& signature,
                          const PredictRequest& request,
                          std::vector<Tensor>* decoded,
                          std::vector<const Tensor*>* feeds) {
  const auto& inputs = signature.inputs();
  decoded->resize(inputs.size());
  feeds->assign(inputs.size(), nullptr);
  size_t used = 0;
  for (size_t i = 0; i < inputs.size(); ++i) {
    const SignatureInput& in = inputs[i];
    auto it = request.inputs().find(in.alias);
    if (it == request.inputs().end()) {
      if (in.default_value != nullptr) continue;  // Signature::Run feeds it
      std::set<std::string> defaults;
      for (const auto& [alias, value] : signature.def().defaults()) {
        defaults.insert(alias);
      }
      return absl::InvalidArgumentError(absl::StrCat(
          "Signature input alias: ", in.alias, "(feed name: ", in.tensor_name,
          ") not found in request and no default value provided. Inputs "
          "expected to be in the request ",
          Braced(RequestKeys(request)), ", or default input alias set: ",
          absl::StrJoin(defaults, ","), " (signature '", signature.key(),
          "' takes ", inputs.size(), " inputs)"));
    }
    ++used;
    absl::StatusOr<Tensor> tensor = TensorFromProto(it->second);
    if (!tensor.ok()) {
      return absl::InvalidArgumentError(absl::StrCat(
          "tensor parsing error: ", in.alias, ": ", tensor.status().message()));
    }
    if (in.graph_dtype != DT_INVALID && tensor->dtype() != in.graph_dtype) {
      return absl::InvalidArgumentError(absl::StrCat(
          "Expects arg[", in.arg_index, "] to be ",
          DataTypeName(in.graph_dtype), " but ", DataTypeName(tensor->dtype()),
          " is provided (input '", in.alias, "' of signature '",
          signature.key(), "' feeds ", in.tensor_name, ")"));
    }
    (*decoded)[i] = *std::move(tensor);
    (*feeds)[i] = &(*decoded)[i];
  }
  if (used != request.inputs().size()) {
    std::set<std::string> used_keys;
    for (const SignatureInput& in : inputs) {
      if (request.inputs().count(in.alias)) used_keys.insert(in.alias);
    }
    return absl::InvalidArgumentError(absl::StrCat(
        "Inputs contains invalid name. Used request inputs: ",
        Braced(used_keys), ", request input: ", Braced(RequestKeys(request))));
  }
  return absl::OkStatus();
}

// Output indices to fetch: all (alias order) or output_filter's, in order.
absl::Status SelectOutputs(const Signature& signature,
                           const PredictRequest& request,
                           std::vector<int>* wanted) {
  if (request.output_filter().empty()) {
    for (size_t i = 0; i < signature.outputs().size(); ++i) {
      wanted->push_back(static_cast<int>(i));
    }
    return absl::OkStatus();
  }
  std::set<std::string> seen;
  for (const std::string& alias : request.output_filter()) {
    int index = signature.FindOutput(alias);
    if (index < 0) {
      std::set<std::string> valid;
      for (const SignatureOutput& out : signature.outputs()) {
        valid.insert(out.alias);
      }
      return absl::InvalidArgumentError(absl::StrCat(
          "output tensor alias not found in signature: ", alias,
          " Outputs expected to be in the set ", Braced(valid), "."));
    }
    if (!seen.insert(alias).second) {
      return absl::InvalidArgumentError(
          absl::StrCat("duplicate output tensor alias: ", alias));
    }
    wanted->push_back(index);
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status RunPredict(const SignatureMap& signatures,
                        const PredictRequest& request,
                        const RunOptions& options, PredictResponse* response,
                        std::string* signature_key,
                        const SignatureCheckOptions& checks) {
  *signature_key = ResolveSignatureKey(request.model_spec().signature_name());
  const Signature* signature = signatures.Find(*signature_key);
  if (signature == nullptr) {
    return absl::FailedPreconditionError(absl::StrCat(
        "Serving signature key \"", *signature_key,
        "\" not found. The model has signatures: ", signatures.KeyList()));
  }
  if (checks.check_method_name) {
    const std::string& method = signature->method_name();
    if (method != kPredictMethodName && method != kClassifyMethodName &&
        method != kRegressMethodName) {
      return absl::InternalError(absl::StrCat(
          "Expected prediction signature method_name to be one of {",
          kPredictMethodName, ", ", kClassifyMethodName, ", ",
          kRegressMethodName, "}. Was: ", method, " (signature '",
          signature->key(), "')"));
    }
  }
  if (!signature->status().ok()) return signature->status();
  if (absl::Status s = CheckInputCount(*signature, request); !s.ok()) return s;

  std::vector<Tensor> decoded;
  std::vector<const Tensor*> feeds;
  if (absl::Status s = DecodeInputs(*signature, request, &decoded, &feeds);
      !s.ok()) {
    return s;
  }
  std::vector<int> wanted;
  if (absl::Status s = SelectOutputs(*signature, request, &wanted); !s.ok()) {
    return s;
  }
  std::vector<Tensor> results;
  if (absl::Status s = signature->Run(feeds, wanted, &results, options);
      !s.ok()) {
    return s;
  }
  auto* outputs = response->mutable_outputs();
  for (size_t i = 0; i < wanted.size(); ++i) {
    const SignatureOutput& out = signature->outputs()[wanted[i]];
    absl::Status s = TensorToProto(results[i], &(*outputs)[out.alias],
                                   TensorEncoding::kTypedFields);
    if (!s.ok()) {
      return absl::InternalError(
          absl::StrCat("output '", out.alias, "' of signature '",
                       signature->key(), "': ", s.message()));
    }
  }
  return absl::OkStatus();
}

}  // namespace model_server
