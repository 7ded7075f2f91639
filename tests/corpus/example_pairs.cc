#include "tests/corpus/example_pairs.h"

#include "absl/strings/match.h"

namespace model_server {

bool MethodFor(const Signature& signature, ExampleMethod* method) {
  if (signature.method_name() == kClassifyMethodName) {
    *method = ExampleMethod::kClassify;
  } else if (signature.method_name() == kRegressMethodName) {
    *method = ExampleMethod::kRegress;
  } else if (signature.FindOutput(kRegressionOutputAlias) >= 0) {
    *method = ExampleMethod::kRegress;
  } else {
    *method = ExampleMethod::kClassify;
  }
  return CheckExampleSignature(signature, *method, SignatureCheckOptions())
      .ok();
}

bool IsRpcResultAlias(const std::string& alias, ExampleMethod* method) {
  if (alias == "score" || absl::StartsWith(alias, "classifications")) {
    *method = ExampleMethod::kClassify;
    return true;
  }
  if (alias == "value" || absl::StartsWith(alias, "regressions")) {
    *method = ExampleMethod::kRegress;
    return true;
  }
  return false;
}

const GoldTensor* ExamplesOf(const GoldPair& pair) {
  for (const auto& [alias, gold] : pair.inputs) {
    if ((alias == kExampleInputAlias || alias == "examples") &&
        gold.kind == GoldTensor::Kind::kString) {
      return &gold;
    }
  }
  return nullptr;
}

bool ExampleMethodOf(const GoldPair& pair, const Signature* signature,
                     ExampleMethod* method) {
  if (ExamplesOf(pair) == nullptr) return false;
  bool rpc_result = false;
  for (const auto& [alias, gold] : pair.outputs) {
    rpc_result = rpc_result || IsRpcResultAlias(alias, method);
  }
  return rpc_result || (signature != nullptr && MethodFor(*signature, method));
}

SerializedInput InputOf(const GoldTensor& examples) {
  SerializedInput input;
  for (const std::string& bytes : examples.strings) {
    input.mutable_example_list()->add_examples(bytes);
  }
  return input;
}

}  // namespace model_server
