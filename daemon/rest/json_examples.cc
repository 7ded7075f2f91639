#include "daemon/rest/json_examples.h"

#include <cmath>
#include <limits>
#include <utility>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "daemon/rest/json_request.h"
#include "daemon/rest/json_tensor_decode.h"
#include "daemon/rest/json_writer.h"
#include "tensorflow/core/example/example.pb.h"

namespace model_server {
namespace {

using tensorflow::Feature;

const char* KindName(Feature::KindCase kind) {
  switch (kind) {
    case Feature::kBytesList:
      return "bytes";
    case Feature::kFloatList:
      return "float";
    case Feature::kInt64List:
      return "int64";
    default:
      return "UNKNOWN";
  }
}

bool IsKind(const Feature& feature, Feature::KindCase kind) {
  return feature.kind_case() == Feature::KIND_NOT_SET ||
         feature.kind_case() == kind;
}

absl::Status KindError(absl::string_view name, const Feature& feature) {
  return absl::InvalidArgumentError(
      absl::StrCat("Unexpected element type in feature: ", name,
                   " expecting type: ", KindName(feature.kind_case())));
}

template <typename V>
absl::Status UnexpectedType(absl::string_view name, const V& value) {
  return absl::InvalidArgumentError(absl::StrCat(
      "Feature: ", name,
      " has element with unexpected JSON type: ", JsonTypeName(value.type())));
}

// TF Serving's AddValueToFeature.
template <typename V>
absl::Status AddValue(const V& value, absl::string_view name,
                      Feature* feature) {
  switch (value.type()) {
    case JsonType::kNull:
    case JsonType::kArray:
      return UnexpectedType(name, value);
    case JsonType::kBool:
      if (!IsKind(*feature, Feature::kInt64List))
        return KindError(name, *feature);
      feature->mutable_int64_list()->add_value(value.GetBool() ? 1 : 0);
      return absl::OkStatus();
    case JsonType::kObject: {
      if (!IsBase64Object(value)) return UnexpectedType(name, value);
      if (!IsKind(*feature, Feature::kBytesList))
        return KindError(name, *feature);
      std::string decoded;
      if (!absl::Base64Unescape(value.Find("b64")->GetString(), &decoded)) {
        return absl::InvalidArgumentError(
            absl::StrCat("Unable to base64 decode feature: ", name));
      }
      feature->mutable_bytes_list()->add_value(std::move(decoded));
      return absl::OkStatus();
    }
    case JsonType::kString:
      if (!IsKind(*feature, Feature::kBytesList))
        return KindError(name, *feature);
      feature->mutable_bytes_list()->add_value(std::string(value.GetString()));
      return absl::OkStatus();
    case JsonType::kNumber:
      if (value.IsDouble()) {
        if (!IsKind(*feature, Feature::kFloatList)) {
          return KindError(name, *feature);
        }
        const double v = value.GetDouble();
        if (std::isfinite(v) && (v > std::numeric_limits<float>::max() ||
                                 v < std::numeric_limits<float>::lowest())) {
          return absl::InvalidArgumentError(
              absl::StrCat("Cannot convert JSON value: ", JsonText(value),
                           " to float without loss of precision."));
        }
        feature->mutable_float_list()->add_value(static_cast<float>(v));
        return absl::OkStatus();
      }
      if (!IsKind(*feature, Feature::kInt64List))
        return KindError(name, *feature);
      if (value.IsUint64()) {
        return absl::InvalidArgumentError(
            absl::StrCat("Feature: ", name,
                         " has uint64 element. Only int64 is supported."));
      }
      feature->mutable_int64_list()->add_value(value.GetInt64());
      return absl::OkStatus();
  }
  return absl::OkStatus();
}

// TF Serving's MakeExampleFromJsonObject, serialized.
template <typename V>
absl::StatusOr<std::string> SerializedExample(const V& value) {
  if (value.type() != JsonType::kObject) {
    return absl::InvalidArgumentError(
        absl::StrCat("Example must be JSON object but got JSON ",
                     JsonTypeName(value.type())));
  }
  tensorflow::Example example;
  auto* features = example.mutable_features()->mutable_feature();
  absl::Status status =
      value.ForEachMember([&](absl::string_view name, const V& content) {
        Feature feature;
        absl::Status s;
        if (content.type() == JsonType::kArray) {
          s = content.ForEachElement(
              [&](const V& item) { return AddValue(item, name, &feature); });
        } else {
          s = AddValue(content, name, &feature);
        }
        if (!s.ok()) return s;
        (*features)[std::string(name)] = std::move(feature);
        return absl::OkStatus();
      });
  if (!status.ok()) return status;
  return example.SerializeAsString();
}

template <typename V>
absl::Status Decode(const V& document, JsonExampleRequest* request) {
  absl::Status status = ReadRequestObject(document, &request->signature_name);
  if (!status.ok()) return status;
  std::optional<V> context = document.Find("context");
  if (context.has_value()) {
    absl::StatusOr<std::string> serialized = SerializedExample(*context);
    if (!serialized.ok()) return serialized.status();
    request->input.mutable_example_list_with_context()->add_context(
        *std::move(serialized));
  }
  std::optional<V> examples = document.Find("examples");
  if (!examples.has_value()) {
    return JsonFormatError(
        document,
        "When method is classify, key 'examples' is expected "
        "and was not found");
  }
  if (examples->type() != JsonType::kArray) {
    return JsonFormatError(document,
                           "Expecting 'examples' value to be an list/array");
  }
  if (examples->Size() == 0) {
    return JsonFormatError(document, "'examples' value is an empty array");
  }
  return examples->ForEachElement([&](const V& example) {
    absl::StatusOr<std::string> serialized = SerializedExample(example);
    if (!serialized.ok()) return serialized.status();
    if (context.has_value()) {
      request->input.mutable_example_list_with_context()->add_examples(
          *std::move(serialized));
    } else {
      request->input.mutable_example_list()->add_examples(
          *std::move(serialized));
    }
    return absl::OkStatus();
  });
}

}  // namespace

absl::Status DecodeExampleRequest(const JsonDocument& document,
                                  JsonExampleRequest* request) {
  return document.Visit(
      [&](const auto& root) { return Decode(root, request); });
}

absl::StatusOr<std::string> EncodeClassificationResult(
    const tensorflow::serving::ClassificationResult& result) {
  if (result.classifications().empty()) {
    return absl::InvalidArgumentError(
        "Cannot convert empty ClassificationResults to JSON");
  }
  rapidjson::StringBuffer buffer;
  JsonWriter writer(buffer);
  writer.StartObject();
  writer.Key("results");
  writer.StartArray();
  for (const auto& classifications : result.classifications()) {
    writer.SetFormatOptions(rapidjson::kFormatSingleLineArray);
    writer.StartArray();
    for (const auto& one : classifications.classes()) {
      writer.StartArray();
      writer.String(one.label().data(),
                    static_cast<rapidjson::SizeType>(one.label().size()));
      WriteJsonDecimal(one.score(), &writer);
      writer.EndArray();
    }
    writer.EndArray();
    writer.SetFormatOptions(rapidjson::kFormatDefault);
  }
  writer.EndArray();
  writer.EndObject();
  return std::string(buffer.GetString(), buffer.GetSize());
}

absl::StatusOr<std::string> EncodeRegressionResult(
    const tensorflow::serving::RegressionResult& result) {
  if (result.regressions().empty()) {
    return absl::InvalidArgumentError(
        "Cannot convert empty RegressionResults to JSON");
  }
  rapidjson::StringBuffer buffer;
  JsonWriter writer(buffer);
  writer.StartObject();
  writer.Key("results");
  writer.SetFormatOptions(rapidjson::kFormatSingleLineArray);
  writer.StartArray();
  for (const auto& regression : result.regressions()) {
    WriteJsonDecimal(regression.value(), &writer);
  }
  writer.EndArray();
  writer.EndObject();
  return std::string(buffer.GetString(), buffer.GetSize());
}

}  // namespace model_server
