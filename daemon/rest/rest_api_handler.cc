#include "daemon/rest/rest_api_handler.h"

#include <memory>
#include <optional>
#include <vector>

#include "absl/strings/str_cat.h"
#include "daemon/model_metadata.h"
#include "daemon/model_status.h"
#include "daemon/rest/http_status.h"
#include "daemon/rest/json_api.h"
#include "daemon/rest/json_writer.h"
#include "daemon/rest/rest_api_path.h"
#include "google/protobuf/util/json_util.h"
#include "tensorflow/core/protobuf/error_codes.pb.h"

namespace model_server {
namespace {

namespace tfs = tensorflow::serving;
using google::protobuf::util::JsonPrintOptions;

// TF Serving's FillModelSpecWithNameVersionAndLabel.
tfs::ModelSpec SpecFor(const RestApiPath& path) {
  tfs::ModelSpec spec;
  spec.set_name(path.model_name);
  if (path.version.has_value())
    spec.mutable_version()->set_value(*path.version);
  if (path.label.has_value()) spec.set_version_label(*path.label);
  return spec;
}

ServableRequest RequestFor(const RestApiPath& path) {
  ServableRequest request;
  request.model_name = path.model_name;
  request.version = path.version;
  request.label = path.label;
  return request;
}

JsonPrintOptions TfServingPrintOptions(bool preserve_field_names) {
  JsonPrintOptions options;
  options.add_whitespace = true;
  options.always_print_primitive_fields = true;
  options.preserve_proto_field_names = preserve_field_names;
  return options;
}

absl::StatusOr<std::string> ToJson(const google::protobuf::Message& message,
                                   bool preserve_field_names) {
  std::string json;
  const auto status = google::protobuf::util::MessageToJsonString(
      message, &json, TfServingPrintOptions(preserve_field_names));
  if (!status.ok()) {
    return absl::InternalError(absl::StrCat(
        "Failed to convert proto to json. Error: ", status.ToString()));
  }
  return json;
}

absl::StatusOr<std::string> StatusJson(const ModelManager& models,
                                       const RestApiPath& path) {
  tfs::GetModelStatusRequest request;
  *request.mutable_model_spec() = SpecFor(path);
  tfs::GetModelStatusResponse response;
  absl::Status status = GetModelStatus(models, request, &response);
  if (!status.ok()) return status;
  return ToJson(response, false);
}

// TF Serving's ToJsonString(GetModelMetadataResponse): the model_spec and
// the SignatureDefMap printed separately and glued together.
absl::StatusOr<std::string> MetadataJson(const ModelManager& models,
                                         const RestApiPath& path) {
  tfs::GetModelMetadataRequest request;
  request.add_metadata_field(kSignatureDefField);
  *request.mutable_model_spec() = SpecFor(path);
  tfs::GetModelMetadataResponse response;
  absl::Status status = GetModelMetadata(models, request, &response);
  if (!status.ok()) return status;
  absl::StatusOr<std::string> spec = ToJson(response.model_spec(), true);
  if (!spec.ok()) return spec.status();
  tfs::SignatureDefMap signature_defs;
  if (!response.metadata().at(kSignatureDefField).UnpackTo(&signature_defs)) {
    return absl::InternalError(
        "Failed to unpack 'Any' object to 'SignatureDefMap'.");
  }
  absl::StatusOr<std::string> defs = ToJson(signature_defs, true);
  if (!defs.ok()) return defs.status();
  return absl::StrCat("{\n\"model_spec\":", *spec, ",\n",
                      "\"metadata\": {\"signature_def\": ", *defs, "}\n}\n");
}

}  // namespace

void RestApiHandler::AddRoutes(HttpRouter* router) const {
  router->AddPrefix("", "/v1/", [this](const HttpRequest& request) {
    return Handle(request);
  });
}

HttpResponse RestApiHandler::Handle(const HttpRequest& request) const {
  absl::StatusOr<std::string> body = Process(request);
  if (!body.ok()) return ErrorResponse(body.status());
  HttpResponse response;
  response.body = *std::move(body);
  return response;
}

absl::StatusOr<std::string> RestApiHandler::Process(
    const HttpRequest& request) const {
  absl::StatusOr<std::optional<RestApiPath>> parsed =
      ParseRestApiPath(request.method, request.path);
  if (!parsed.ok()) return parsed.status();
  if (!parsed->has_value()) {
    return absl::InvalidArgumentError(
        absl::StrCat("Malformed request: ", request.method, " ", request.path));
  }
  const RestApiPath& path = **parsed;
  if (path.version.has_value() && path.label.has_value()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "Both model version (", *path.version, ") and model version label (",
        *path.label, ") cannot be supplied."));
  }
  if (request.method == "GET") {
    if (path.model_name.empty()) return ListModels();
    if (path.verb == "metadata") return MetadataJson(*models_, path);
    return StatusJson(*models_, path);
  }
  const char* api = path.verb == "classify"  ? "Classify"
                    : path.verb == "regress" ? "Regress"
                                             : "Predict";
  ServerMetrics::Request record(options_.metrics, api, "REST");
  absl::StatusOr<std::string> body = Run(path, request, &record);
  record.Finish(body.status());
  return body;
}

absl::StatusOr<std::string> RestApiHandler::Run(
    const RestApiPath& path, const HttpRequest& request,
    ServerMetrics::Request* record) const {
  record->set_model_name(path.model_name);
  absl::StatusOr<std::unique_ptr<JsonDocument>> document =
      JsonDocument::Parse(request.body);
  if (!document.ok()) return document.status();
  absl::StatusOr<ServableHandle> handle = models_->GetHandle(RequestFor(path));
  if (!handle.ok()) return handle.status();
  record->set_served_version(*handle);
  RunOptions run_options = options_.request_limits;
  run_options.report = record->run_report();
  run_options.cancellation = request.cancellation;
  if (options_.run_timeout > absl::ZeroDuration()) {
    run_options.deadline = absl::Now() + options_.run_timeout;
  }
  const SignatureMap& signatures = (*handle)->model->signatures();
  if (path.verb == "classify") {
    return JsonClassify(signatures, **document, options_.signature_checks,
                        run_options);
  }
  if (path.verb == "regress") {
    return JsonRegress(signatures, **document, options_.signature_checks,
                       run_options);
  }
  return JsonPredict(signatures, **document, options_.signature_checks,
                     run_options);
}

absl::StatusOr<std::string> RestApiHandler::ListModels() const {
  rapidjson::StringBuffer buffer;
  JsonWriter writer(buffer);
  writer.StartObject();
  writer.Key("models");
  writer.StartArray();
  for (const std::string& name : models_->ModelNames()) {
    absl::StatusOr<std::vector<VersionStatus>> versions =
        models_->GetModelStatus(name, std::nullopt);
    writer.StartObject();
    writer.Key("name");
    writer.String(name.c_str(), static_cast<rapidjson::SizeType>(name.size()));
    writer.Key("model_version_status");
    writer.StartArray();
    for (const VersionStatus& version :
         versions.ok() ? *versions : std::vector<VersionStatus>()) {
      writer.StartObject();
      writer.Key("version");
      writer.String(absl::StrCat(version.version).c_str());
      writer.Key("state");
      writer.String(
          tfs::ModelVersionStatus::State_Name(
              static_cast<tfs::ModelVersionStatus::State>(version.state))
              .c_str());
      writer.Key("status");
      writer.StartObject();
      writer.Key("error_code");
      writer.String(
          tensorflow::error::Code_Name(
              static_cast<tensorflow::error::Code>(version.status.code()))
              .c_str());
      writer.Key("error_message");
      const std::string message(version.status.message());
      writer.String(message.c_str(),
                    static_cast<rapidjson::SizeType>(message.size()));
      writer.EndObject();
      writer.EndObject();
    }
    writer.EndArray();
    writer.Key("labels");
    writer.StartObject();
    for (const auto& [label, version] : models_->VersionLabels(name)) {
      writer.Key(label.c_str(), static_cast<rapidjson::SizeType>(label.size()));
      writer.String(absl::StrCat(version).c_str());
    }
    writer.EndObject();
    writer.EndObject();
  }
  writer.EndArray();
  writer.EndObject();
  return std::string(buffer.GetString(), buffer.GetSize());
}

}  // namespace model_server
