// The models a server should serve, as plain values, and their validation
// from TF Serving's ModelServerConfig (the --model_config_file contents and
// HandleReloadConfigRequest's config), with TF Serving's texts
// (docs/research/tf_serving_behaviour.md §11):
//   - a name listed twice: INVALID_ARGUMENT "Illegal to list model <name>
//     multiple times in config list";
//   - a base path that is not absolute: INVALID_ARGUMENT "Expected model
//     <name> to have an absolute path or URI; got base_path()=<path>";
//   - model_type and model_platform both set, neither set, an unknown
//     model_type, or a platform we cannot serve: INVALID_ARGUMENT with TF
//     Serving's "Illegal setting ...", "Model <name> requests unsupported
//     platform <platform>" texts;
//   - beyond TF Serving: an empty model name is INVALID_ARGUMENT (no request
//     could address it).
// The version policy defaults to latest 1; latest.num_versions 0 means 1.
#ifndef MODEL_SERVER_LOADER_MODEL_CONFIG_H_
#define MODEL_SERVER_LOADER_MODEL_CONFIG_H_

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "loader/version_policy.h"
#include "tensorflow_serving/config/model_server_config.pb.h"

namespace model_server {

// The platform every model we serve uses.
inline constexpr char kTensorFlowModelPlatform[] = "tensorflow";

struct ServedModelConfig {
  std::string name;
  std::string base_path;
  VersionPolicy version_policy;
  // version_labels: label -> version, for ModelSpec.version_label.
  std::map<std::string, int64_t> version_labels;
};

// The single model of --model_name/--model_base_path (latest version, no
// labels). Its base path is not checked, as in TF Serving.
ServedModelConfig SingleModelConfig(std::string name, std::string base_path);

// Validates `list` (see the file comment) and converts it.
absl::StatusOr<std::vector<ServedModelConfig>> ModelConfigsFromProto(
    const tensorflow::serving::ModelConfigList& list);

// The version policy of `policy` (unset: latest 1).
VersionPolicy VersionPolicyFromProto(
    const tensorflow::serving::FileSystemStoragePathSourceConfig::
        ServableVersionPolicy& policy);

// Whether models of `platform` can be served.
bool IsSupportedModelPlatform(absl::string_view platform);

}  // namespace model_server

#endif  // MODEL_SERVER_LOADER_MODEL_CONFIG_H_
