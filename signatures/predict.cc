#include "signatures/predict.h"

#include <set>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "runtime/tensor_proto.h"
#include "signatures/request_limits.h"

namespace model_server {
namespace {

using tensorflow::serving::PredictRequest;
using tensorflow::serving::PredictResponse;

std::string Braced(const std::set<std::string>& keys) {
  return absl::StrCat("{", absl::StrJoin(keys, ","), "}");
}

std::set<std::string> InputKeys(const PredictInputs& inputs) {
  std::set<std::string> keys;
  for (const auto& [alias, tensor] : inputs) keys.insert(alias);
  return keys;
}

// TF Serving's VerifyRequestInputsSize: more inputs than the signature has is
// always an error; fewer is one unless the signature has defaults.
// `sent_keys()` gives the sent aliases, only for the error message.
template <typename SentKeys>
absl::Status CheckInputCount(const Signature& signature, size_t sent,
                             const SentKeys& sent_keys_of) {
  const size_t expected = signature.inputs().size();
  if (sent == expected) return absl::OkStatus();
  if (sent < expected && !signature.def().defaults().empty()) {
    return absl::OkStatus();
  }
  const std::set<std::string> sent_keys = sent_keys_of();
  std::set<std::string> expected_keys;
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

// Checks every signature input against `inputs` (or its default) and fills
// the feeds (null: Signature::Run feeds the default).
absl::Status BindInputs(const Signature& signature, const PredictInputs& inputs,
                        std::vector<const Tensor*>* feeds) {
  const auto& signature_inputs = signature.inputs();
  feeds->assign(signature_inputs.size(), nullptr);
  size_t used = 0;
  for (size_t i = 0; i < signature_inputs.size(); ++i) {
    const SignatureInput& in = signature_inputs[i];
    auto it = inputs.find(in.alias);
    if (it == inputs.end()) {
      if (in.default_value != nullptr) continue;  // Signature::Run feeds it
      std::set<std::string> defaults;
      for (const auto& [alias, value] : signature.def().defaults()) {
        defaults.insert(alias);
      }
      return absl::InvalidArgumentError(absl::StrCat(
          "Signature input alias: ", in.alias, "(feed name: ", in.tensor_name,
          ") not found in request and no default value provided. Inputs "
          "expected to be in the request ",
          Braced(InputKeys(inputs)), ", or default input alias set: ",
          absl::StrJoin(defaults, ","), " (signature '", signature.key(),
          "' takes ", signature_inputs.size(), " inputs)"));
    }
    ++used;
    const Tensor& tensor = it->second;
    if (in.graph_dtype != DT_INVALID && tensor.dtype() != in.graph_dtype) {
      return absl::InvalidArgumentError(absl::StrCat(
          "Expects arg[", in.arg_index, "] to be ",
          DataTypeName(in.graph_dtype), " but ", DataTypeName(tensor.dtype()),
          " is provided (input '", in.alias, "' of signature '",
          signature.key(), "' feeds ", in.tensor_name, ")"));
    }
    (*feeds)[i] = &tensor;
  }
  if (used != inputs.size()) {
    std::set<std::string> used_keys;
    for (const SignatureInput& in : signature_inputs) {
      if (inputs.count(in.alias)) used_keys.insert(in.alias);
    }
    return absl::InvalidArgumentError(absl::StrCat(
        "Inputs contains invalid name. Used request inputs: ",
        Braced(used_keys), ", request input: ", Braced(InputKeys(inputs))));
  }
  return absl::OkStatus();
}

// Output indices to fetch: all (alias order) or output_filter's, in order.
absl::Status SelectOutputs(const Signature& signature,
                           absl::Span<const std::string> output_filter,
                           std::vector<int>* wanted) {
  if (output_filter.empty()) {
    for (size_t i = 0; i < signature.outputs().size(); ++i) {
      wanted->push_back(static_cast<int>(i));
    }
    return absl::OkStatus();
  }
  std::set<std::string> seen;
  for (const std::string& alias : output_filter) {
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

absl::StatusOr<const Signature*> FindPredictSignature(
    const SignatureMap& signatures, absl::string_view signature_name,
    const SignatureCheckOptions& checks, std::string* signature_key) {
  *signature_key = ResolveSignatureKey(signature_name);
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
  return signature;
}

absl::Status RunPredictSignature(const Signature& signature,
                                 const PredictInputs& inputs,
                                 absl::Span<const std::string> output_filter,
                                 const RunOptions& options,
                                 PredictOutputs* outputs) {
  if (absl::Status s = CheckInputCount(signature, inputs.size(),
                                       [&] { return InputKeys(inputs); });
      !s.ok()) {
    return s;
  }
  std::vector<const Tensor*> feeds;
  if (absl::Status s = BindInputs(signature, inputs, &feeds); !s.ok()) {
    return s;
  }
  std::vector<int> wanted;
  if (absl::Status s = SelectOutputs(signature, output_filter, &wanted);
      !s.ok()) {
    return s;
  }
  std::vector<Tensor> results;
  if (absl::Status s = signature.Run(feeds, wanted, &results, options);
      !s.ok()) {
    return s;
  }
  outputs->clear();
  outputs->reserve(wanted.size());
  for (size_t i = 0; i < wanted.size(); ++i) {
    outputs->emplace_back(signature.outputs()[wanted[i]].alias,
                          std::move(results[i]));
  }
  return absl::OkStatus();
}

absl::Status RunPredict(const SignatureMap& signatures,
                        const PredictRequest& request,
                        const RunOptions& options, PredictResponse* response,
                        std::string* signature_key,
                        const SignatureCheckOptions& checks,
                        TensorEncoding output_encoding) {
  absl::StatusOr<const Signature*> signature = FindPredictSignature(
      signatures, request.model_spec().signature_name(), checks, signature_key);
  if (!signature.ok()) return signature.status();
  auto sent_keys = [&request] {
    std::set<std::string> keys;
    for (const auto& [alias, proto] : request.inputs()) keys.insert(alias);
    return keys;
  };
  if (absl::Status s =
          CheckInputCount(**signature, request.inputs().size(), sent_keys);
      !s.ok()) {
    return s;
  }
  PredictInputs inputs;
  RequestTensorBudget budget(options);
  for (const auto& [alias, proto] : request.inputs()) {
    // The limits are checked on the declared shape, before decoding; a
    // shape or dtype that does not decode is reported by TensorFromProto.
    absl::StatusOr<TensorShape> shape = ShapeFromProto(proto.tensor_shape());
    if (shape.ok() && IsSupportedDataType(proto.dtype())) {
      absl::Status s =
          budget.Charge(alias, static_cast<DataType>(proto.dtype()), *shape);
      if (!s.ok()) return s;
    }
    absl::StatusOr<Tensor> tensor = TensorFromProto(proto);
    if (!tensor.ok()) {
      return absl::InvalidArgumentError(absl::StrCat(
          "tensor parsing error: ", alias, ": ", tensor.status().message()));
    }
    inputs.emplace(alias, *std::move(tensor));
  }
  const std::vector<std::string> output_filter(request.output_filter().begin(),
                                               request.output_filter().end());
  PredictOutputs outputs;
  if (absl::Status s = RunPredictSignature(**signature, inputs, output_filter,
                                           options, &outputs);
      !s.ok()) {
    return s;
  }
  auto* response_outputs = response->mutable_outputs();
  for (const auto& [alias, tensor] : outputs) {
    absl::Status s =
        TensorToProto(tensor, &(*response_outputs)[alias], output_encoding);
    if (!s.ok()) {
      return absl::InternalError(
          absl::StrCat("output '", alias, "' of signature '", *signature_key,
                       "': ", s.message()));
    }
  }
  return absl::OkStatus();
}

}  // namespace model_server
