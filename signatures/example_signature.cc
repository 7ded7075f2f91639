#include "signatures/example_signature.h"

#include <algorithm>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace model_server {
namespace {

// "'key' (inputs: a, b; outputs: c)": appended to TF Serving's texts.
std::string Described(const Signature& signature) {
  std::vector<std::string> inputs, outputs;
  for (const SignatureInput& in : signature.inputs())
    inputs.push_back(in.alias);
  for (const SignatureOutput& out : signature.outputs()) {
    outputs.push_back(out.alias);
  }
  return absl::StrCat("signature '", signature.key(), "' has inputs {",
                      absl::StrJoin(inputs, ", "), "} and outputs {",
                      absl::StrJoin(outputs, ", "), "}");
}

absl::string_view Noun(ExampleMethod method) {
  return method == ExampleMethod::kClassify ? "classification" : "regression";
}

absl::Status CheckStructure(const Signature& signature, ExampleMethod method,
                            ExampleSignature* checked) {
  const std::string described = Described(signature);
  if (signature.inputs().size() != 1) {
    return absl::InvalidArgumentError(
        absl::StrCat("Expected one input Tensor. (", described, ")"));
  }
  const size_t num_outputs = signature.outputs().size();
  if (method == ExampleMethod::kClassify) {
    if (num_outputs != 1 && num_outputs != 2) {
      return absl::InvalidArgumentError(
          absl::StrCat("Expected one or two output Tensors, found ",
                       num_outputs, " (", described, ")"));
    }
  } else if (num_outputs != 1) {
    return absl::InvalidArgumentError(
        absl::StrCat("Expected one output Tensor. (", described, ")"));
  }
  if (signature.FindInput(kExampleInputAlias) < 0) {
    return absl::InvalidArgumentError(absl::StrCat(
        "No ", Noun(method),
        " inputs found in SignatureDef: ", signature.def().DebugString(), "(",
        described, "; the input must be \"", kExampleInputAlias, "\")"));
  }
  if (method == ExampleMethod::kClassify) {
    checked->classes = signature.FindOutput(kClassesOutputAlias);
    checked->scores = signature.FindOutput(kScoresOutputAlias);
    if (checked->classes < 0 && checked->scores < 0) {
      return absl::InvalidArgumentError(absl::StrCat(
          "Expected classification signature outputs to contain at least one "
          "of \"classes\" or \"scores\". Signature was: ",
          signature.def().DebugString(), "(", described, ")"));
    }
  } else {
    checked->values = signature.FindOutput(kRegressionOutputAlias);
    if (checked->values < 0) {
      return absl::InvalidArgumentError(absl::StrCat(
          "No regression outputs found in SignatureDef: ",
          signature.def().DebugString(), "(", described,
          "; the output must be \"", kRegressionOutputAlias, "\")"));
    }
  }
  return absl::OkStatus();
}

// The input receives serialized tf.Examples: it must take strings.
absl::Status CheckTakesStrings(const Signature& signature,
                               ExampleMethod method) {
  const SignatureInput& input = signature.inputs()[0];
  if (input.graph_dtype == DT_INVALID || input.graph_dtype == DT_STRING) {
    return absl::OkStatus();
  }
  const absl::string_view rpc =
      method == ExampleMethod::kClassify ? "Classify" : "Regress";
  return absl::InvalidArgumentError(absl::StrCat(
      "Expects arg[", input.arg_index, "] to be ",
      DataTypeName(input.graph_dtype), " but string is provided: ", rpc,
      " feeds the request's tf.Examples, serialized, to input '", input.alias,
      "' of signature '", signature.key(), "', but that input (",
      input.tensor_name, ") takes ", DataTypeName(input.graph_dtype),
      " values, not serialized tf.Examples. Call this signature through "
      "Predict with a ",
      DataTypeName(input.graph_dtype), " tensor instead."));
}

}  // namespace

std::vector<int> ExampleSignature::OutputsToFetch() const {
  std::vector<int> wanted;
  for (int index : {classes, scores, values}) {
    if (index >= 0) wanted.push_back(index);
  }
  std::sort(wanted.begin(), wanted.end());
  return wanted;
}

absl::string_view MethodName(ExampleMethod method) {
  return method == ExampleMethod::kClassify ? kClassifyMethodName
                                            : kRegressMethodName;
}

absl::StatusOr<ExampleSignature> CheckExampleSignature(
    const Signature& signature, ExampleMethod method,
    const SignatureCheckOptions& options) {
  if (options.check_method_name &&
      signature.method_name() != MethodName(method)) {
    return absl::InvalidArgumentError(
        absl::StrCat("Expected ", Noun(method), " signature method_name to be ",
                     MethodName(method), ". Was: ", signature.method_name(),
                     " (signature '", signature.key(), "')"));
  }
  ExampleSignature checked;
  checked.signature = &signature;
  checked.method = method;
  if (absl::Status s = CheckStructure(signature, method, &checked); !s.ok()) {
    return s;
  }
  if (!signature.status().ok()) return signature.status();
  if (absl::Status s = CheckTakesStrings(signature, method); !s.ok()) return s;
  return checked;
}

}  // namespace model_server
