#include "loader/model_config.h"

#include <set>
#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"

namespace model_server {
namespace {

namespace tfs = tensorflow::serving;

// TF Serving's UriIsRelativePath: no scheme, no host, and not an absolute
// path.
bool IsRelativePath(absl::string_view path) {
  const size_t scheme_end = path.find("://");
  if (scheme_end != absl::string_view::npos && scheme_end > 0) return false;
  return !absl::StartsWith(path, "/");
}

// The deprecated ModelConfig.model_type as a number (0: unset, 1:
// TENSORFLOW), read by reflection: the generated accessor is marked
// deprecated, and TF Serving still honours the field.
int ModelTypeOf(const tfs::ModelConfig& config) {
  const google::protobuf::FieldDescriptor* field =
      config.GetDescriptor()->FindFieldByName("model_type");
  if (field == nullptr) return 0;
  return config.GetReflection()->GetEnumValue(config, field);
}

// TF Serving's GetPlatform.
absl::StatusOr<std::string> PlatformOf(const tfs::ModelConfig& config) {
  constexpr int kModelTypeTensorFlow = 1;
  const int model_type = ModelTypeOf(config);
  if (model_type != 0) {
    if (!config.model_platform().empty()) {
      return absl::InvalidArgumentError(
          "Illegal setting both ModelServerConfig::model_type (deprecated) "
          "and ModelServerConfig::model_platform.");
    }
    if (model_type != kModelTypeTensorFlow) {
      return absl::InvalidArgumentError(
          absl::StrCat("ModelServerConfig::model_type choice ", model_type,
                       " not supported."));
    }
    return std::string(kTensorFlowModelPlatform);
  }
  if (config.model_platform().empty()) {
    return absl::InvalidArgumentError(
        "Illegal setting neither ModelServerConfig::model_type (deprecated) "
        "nor ModelServerConfig::model_platform.");
  }
  return config.model_platform();
}

}  // namespace

ServedModelConfig SingleModelConfig(std::string name, std::string base_path) {
  ServedModelConfig config;
  config.name = std::move(name);
  config.base_path = std::move(base_path);
  return config;
}

bool IsSupportedModelPlatform(absl::string_view platform) {
  return platform == kTensorFlowModelPlatform;
}

VersionPolicy VersionPolicyFromProto(
    const tfs::FileSystemStoragePathSourceConfig::ServableVersionPolicy&
        policy) {
  using Proto = tfs::FileSystemStoragePathSourceConfig::ServableVersionPolicy;
  switch (policy.policy_choice_case()) {
    case Proto::kLatest:
      return VersionPolicy::Latest(policy.latest().num_versions());
    case Proto::kAll:
      return VersionPolicy::All();
    case Proto::kSpecific:
      return VersionPolicy::Specific(
          std::set<int64_t>(policy.specific().versions().begin(),
                            policy.specific().versions().end()));
    case Proto::POLICY_CHOICE_NOT_SET:
      break;
  }
  return VersionPolicy::Latest(1);
}

absl::StatusOr<std::vector<ServedModelConfig>> ModelConfigsFromProto(
    const tfs::ModelConfigList& list) {
  // TF Serving's order: unique names, absolute paths, then platforms.
  std::set<std::string> names;
  for (const tfs::ModelConfig& model : list.config()) {
    if (!names.insert(model.name()).second) {
      return absl::InvalidArgumentError(
          absl::StrCat("Illegal to list model ", model.name(),
                       " multiple times in config list"));
    }
  }
  for (const tfs::ModelConfig& model : list.config()) {
    if (IsRelativePath(model.base_path())) {
      return absl::InvalidArgumentError(
          absl::StrCat("Expected model ", model.name(),
                       " to have an absolute path or URI; got base_path()=",
                       model.base_path()));
    }
  }
  std::vector<ServedModelConfig> models;
  for (const tfs::ModelConfig& model : list.config()) {
    absl::StatusOr<std::string> platform = PlatformOf(model);
    if (!platform.ok()) return platform.status();
    if (!IsSupportedModelPlatform(*platform)) {
      return absl::InvalidArgumentError(
          absl::StrCat("Model ", model.name(),
                       " requests unsupported platform ", *platform));
    }
    if (model.name().empty()) {
      return absl::InvalidArgumentError(
          absl::StrCat("a model with base_path ", model.base_path(),
                       " has no name: requests address models by name"));
    }
    ServedModelConfig config;
    config.name = model.name();
    config.base_path = model.base_path();
    config.version_policy =
        VersionPolicyFromProto(model.model_version_policy());
    config.version_labels.insert(model.version_labels().begin(),
                                 model.version_labels().end());
    models.push_back(std::move(config));
  }
  return models;
}

}  // namespace model_server
