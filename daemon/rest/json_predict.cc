#include "daemon/rest/json_predict.h"

#include <algorithm>
#include <map>
#include <memory>
#include <set>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "daemon/rest/json_request.h"
#include "daemon/rest/json_tensor_decode.h"
#include "daemon/rest/json_tensor_encode.h"
#include "daemon/rest/json_writer.h"

namespace model_server {
namespace {

// Input alias -> the dtype its values decode to: the graph's placeholder
// dtype, which Predict checks feeds against (design.md: "the placeholder
// wins"), else the SignatureDef's TensorInfo dtype (TF Serving decodes by the
// TensorInfo alone; the two differ only in inconsistent exports such as
// tfs_half_plus_three's regress signature).
using InputDtypes = std::map<std::string, DataType>;

InputDtypes InputDtypesOf(const Signature& signature) {
  InputDtypes dtypes;
  for (const SignatureInput& input : signature.inputs()) {
    DataType dtype = input.graph_dtype;
    auto info = signature.def().inputs().find(input.alias);
    if (dtype == DT_INVALID && info != signature.def().inputs().end()) {
      dtype = BaseType(info->second.dtype());
    }
    dtypes[input.alias] = dtype;
  }
  return dtypes;
}

std::string AliasList(const InputDtypes& dtypes) {
  std::vector<std::string> aliases;
  for (const auto& [alias, dtype] : dtypes) aliases.push_back(alias);
  return absl::StrJoin(aliases, ",");
}

template <typename V>
bool IsInstanceObject(const V& value) {
  return value.type() == JsonType::kObject && !IsBase64Object(value);
}

// The row format (TF Serving's FillTensorMapFromInstancesList).
template <typename V>
absl::Status DecodeInstances(const V& instances, const InputDtypes& dtypes,
                             PredictInputs* inputs) {
  const V first = instances.First();
  if (!IsInstanceObject(first) && dtypes.size() > 1) {
    return absl::InvalidArgumentError(absl::StrCat(
        "instances is a plain list, but expecting list of objects as multiple "
        "input tensors required as per tensorinfo_map (inputs: ",
        AliasList(dtypes), ")"));
  }
  const bool objects = IsInstanceObject(first);
  const int64_t count = static_cast<int64_t>(instances.Size());
  std::map<std::string, std::unique_ptr<InstanceStacker>> stackers;
  for (const auto& [alias, dtype] : dtypes) {
    stackers[alias] = std::make_unique<InstanceStacker>(dtype, count);
  }
  int64_t index = 0;
  absl::Status status = instances.ForEachElement([&](const V& element) {
    const int64_t item = index++;
    if (!objects) {
      if (IsInstanceObject(element)) {
        return absl::InvalidArgumentError(
            absl::StrCat("Expecting value/list but got object at item ", item,
                         " of input list"));
      }
      absl::Status s = stackers.begin()->second->Add(element);
      if (!s.ok()) {
        return absl::InvalidArgumentError(
            absl::StrCat("Failed to process element: ", item,
                         " of 'instances' list. Error: ", s.ToString()));
      }
      return absl::OkStatus();
    }
    if (!IsInstanceObject(element)) {
      return absl::InvalidArgumentError(absl::StrCat(
          "Expecting object but got list at item ", item, " of input list"));
    }
    std::set<std::string> keys;
    absl::Status members =
        element.ForEachMember([&](absl::string_view key, const V& value) {
          auto stacker = stackers.find(std::string(key));
          absl::Status s;
          if (stacker == stackers.end()) {
            s = absl::InvalidArgumentError(
                absl::StrCat("JSON object: does not have named input: ", key,
                             " (inputs: ", AliasList(dtypes), ")"));
          } else if (!keys.insert(std::string(key)).second) {
            s = absl::InvalidArgumentError(
                absl::StrCat("JSON object: names input ", key, " twice"));
          } else {
            s = stacker->second->Add(value);
          }
          if (!s.ok()) {
            return absl::InvalidArgumentError(
                absl::StrCat("Failed to process element: ", item, " key: ", key,
                             " of 'instances' list. Error: ", s.ToString()));
          }
          return absl::OkStatus();
        });
    if (!members.ok()) return members;
    if (keys.size() != dtypes.size()) {
      return absl::InvalidArgumentError(
          absl::StrCat("Failed to process element: ", item,
                       " of 'instances' list. JSON object: ", JsonText(element),
                       " keys must be equal to: ", AliasList(dtypes)));
    }
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  for (auto& [alias, stacker] : stackers) {
    if (objects || alias == stackers.begin()->first) {
      inputs->emplace(alias, stacker->Finish());
    }
  }
  return absl::OkStatus();
}

// The columnar format (TF Serving's FillTensorMapFromInputsMap).
template <typename V>
absl::Status DecodeInputs(const V& value, const InputDtypes& dtypes,
                          PredictInputs* inputs) {
  if (value.type() != JsonType::kObject || IsBase64Object(value)) {
    if (dtypes.size() > 1) {
      return absl::InvalidArgumentError(absl::StrCat(
          "inputs is a plain value/list, but expecting an object as multiple "
          "input tensors required as per tensorinfo_map (inputs: ",
          AliasList(dtypes), ")"));
    }
    const auto& [alias, dtype] = *dtypes.begin();
    absl::StatusOr<Tensor> tensor = DecodeJsonTensor(value, dtype);
    if (!tensor.ok()) return tensor.status();
    inputs->emplace(alias, *std::move(tensor));
    return absl::OkStatus();
  }
  absl::Status unknown = value.ForEachMember([&](absl::string_view key,
                                                 const V&) {
    if (dtypes.count(std::string(key))) return absl::OkStatus();
    return absl::InvalidArgumentError(absl::StrCat(
        "'inputs' object has key ", key,
        ", which is not an input of the signature (inputs: ", AliasList(dtypes),
        ")"));
  });
  if (!unknown.ok()) return unknown;
  for (const auto& [alias, dtype] : dtypes) {
    std::optional<V> item = value.Find(alias);
    if (!item.has_value()) {
      return absl::InvalidArgumentError(
          absl::StrCat("Missing named input: ", alias, " in 'inputs' object."));
    }
    absl::StatusOr<Tensor> tensor = DecodeJsonTensor(*item, dtype);
    if (!tensor.ok()) return tensor.status();
    inputs->emplace(alias, *std::move(tensor));
  }
  return absl::OkStatus();
}

template <typename V>
absl::Status Decode(const V& document, const SignatureFinder& find_signature,
                    JsonPredictRequest* request) {
  absl::Status status = ReadRequestObject(document, &request->signature_name);
  if (!status.ok()) return status;
  absl::StatusOr<const Signature*> signature =
      find_signature(request->signature_name);
  if (!signature.ok()) return signature.status();
  const InputDtypes dtypes = InputDtypesOf(**signature);
  std::optional<V> instances = document.Find("instances");
  std::optional<V> inputs = document.Find("inputs");
  if (dtypes.empty()) {
    // Beyond TF Serving, which refuses every call here: a signature without
    // inputs (a counter's read or increment) runs on {} or {"inputs": {}}.
    if (!instances.has_value() &&
        (!inputs.has_value() ||
         (inputs->type() == JsonType::kObject && inputs->MemberCount() == 0))) {
      request->format = JsonPredictFormat::kColumnar;
      return absl::OkStatus();
    }
    return absl::InvalidArgumentError(absl::StrCat(
        "Failed to get input map for signature: ",
        request->signature_name.empty() ? "DEFAULT" : request->signature_name,
        " (it takes no inputs: send {} or {\"inputs\": {}})"));
  }
  if (instances.has_value() && inputs.has_value()) {
    return JsonFormatError(document,
                           "Not formatted correctly expecting only one of "
                           "'inputs' or 'instances' keys to exist ");
  }
  if (instances.has_value()) {
    if (instances->type() != JsonType::kArray) {
      return JsonFormatError(document,
                             "Excepting 'instances' to be an list/array");
    }
    if (instances->Size() == 0) {
      return JsonFormatError(document, "No values in 'instances' array");
    }
    request->format = JsonPredictFormat::kRow;
    return DecodeInstances(*instances, dtypes, &request->inputs);
  }
  if (inputs.has_value()) {
    request->format = JsonPredictFormat::kColumnar;
    return DecodeInputs(*inputs, dtypes, &request->inputs);
  }
  return absl::InvalidArgumentError("Missing 'inputs' or 'instances' key");
}

// The most JSON a Predict answer may take: past this the client gets
// RESOURCE_EXHAUSTED (HTTP 429) instead of the server building it.
constexpr int64_t kMaxJsonResponseBytes = int64_t{2} << 30;

// An upper bound of the JSON for `outputs`: 32 bytes per number, and per
// string six bytes per byte (\u00XX escapes) plus quotes and separators.
int64_t JsonBytesBound(const PredictOutputs& outputs) {
  int64_t bytes = 0;
  for (const auto& [alias, tensor] : outputs) {
    if (tensor.dtype() != DT_STRING) {
      bytes += 32 * tensor.NumElements();
      continue;
    }
    for (const std::string& s : tensor.flat<std::string>()) {
      bytes += 6 * static_cast<int64_t>(s.size()) + 16;
    }
  }
  return bytes;
}

absl::Status WriteRows(const PredictOutputs& outputs, JsonWriter* writer) {
  int64_t batch_size = -1;
  for (const auto& [alias, tensor] : outputs) {
    if (tensor.rank() == 0) {
      return absl::InvalidArgumentError(
          absl::StrCat("Tensor name: ", alias, " has no shape information "));
    }
    if (batch_size >= 0 && batch_size != tensor.dim(0)) {
      return absl::InvalidArgumentError(
          absl::StrCat("Tensor name: ", alias, " has inconsistent batch size: ",
                       tensor.dim(0), " expecting: ", batch_size));
    }
    batch_size = tensor.dim(0);
  }
  std::vector<int64_t> offsets(outputs.size(), 0);
  const bool objects = outputs.size() > 1;
  writer->StartObject();
  writer->Key("predictions");
  writer->StartArray();
  for (int64_t item = 0; item < batch_size; ++item) {
    if (objects) writer->StartObject();
    writer->SetFormatOptions(rapidjson::kFormatSingleLineArray);
    for (size_t i = 0; i < outputs.size(); ++i) {
      const auto& [alias, tensor] = outputs[i];
      if (objects) writer->Key(alias.c_str());
      absl::Status status = WriteTensorJson(
          tensor, 1, IsBytesOutput(alias, tensor.dtype()), &offsets[i], writer);
      if (!status.ok()) return status;
    }
    writer->SetFormatOptions(rapidjson::kFormatDefault);
    if (objects) writer->EndObject();
  }
  writer->EndArray();
  writer->EndObject();
  return absl::OkStatus();
}

absl::Status WriteColumns(const PredictOutputs& outputs, JsonWriter* writer) {
  const bool objects = outputs.size() > 1;
  writer->StartObject();
  writer->Key("outputs");
  if (objects) writer->StartObject();
  for (const auto& [alias, tensor] : outputs) {
    if (objects) writer->Key(alias.c_str());
    int64_t offset = 0;
    absl::Status status = WriteTensorJson(
        tensor, 0, IsBytesOutput(alias, tensor.dtype()), &offset, writer);
    if (!status.ok()) return status;
  }
  if (objects) writer->EndObject();
  writer->EndObject();
  return absl::OkStatus();
}

}  // namespace

absl::Status DecodePredictRequest(const JsonDocument& document,
                                  const SignatureFinder& find_signature,
                                  JsonPredictRequest* request) {
  return document.Visit(
      [&](const auto& root) { return Decode(root, find_signature, request); });
}

absl::StatusOr<std::string> EncodePredictResponse(const PredictOutputs& outputs,
                                                  JsonPredictFormat format) {
  if (outputs.empty()) {
    return absl::InvalidArgumentError(
        "Cannot convert empty tensor map to JSON");
  }
  if (const int64_t bound = JsonBytesBound(outputs);
      bound > kMaxJsonResponseBytes) {
    return absl::ResourceExhaustedError(absl::StrCat(
        "the answer could take up to ", bound, " bytes of JSON, more than the ",
        kMaxJsonResponseBytes,
        " a REST response may hold; send fewer instances per request or call "
        "Predict over gRPC"));
  }
  // Alias order, as documented (TF Serving's order is its map's).
  PredictOutputs sorted = outputs;
  std::sort(sorted.begin(), sorted.end(),
            [](const auto& a, const auto& b) { return a.first < b.first; });
  rapidjson::StringBuffer buffer;
  JsonWriter writer(buffer);
  absl::Status status = format == JsonPredictFormat::kRow
                            ? WriteRows(sorted, &writer)
                            : WriteColumns(sorted, &writer);
  if (!status.ok()) return status;
  return std::string(buffer.GetString(), buffer.GetSize());
}

}  // namespace model_server
