// --model_config_file: a text-format tensorflow.serving.ModelServerConfig,
// and what a ModelServerConfig (from the file or HandleReloadConfigRequest)
// asks the ModelManager to serve.
//
//   model_config_list {
//     config { name: "half_plus_two" base_path: "/models/half_plus_two"
//              model_platform: "tensorflow" }
//   }
//
// A file that does not parse is INVALID_ARGUMENT "Error parsing text-format
// tensorflow.serving.ModelServerConfig: <line>:<column>: <what>" (the text
// TF Serving's protobuf parser logs, which its tests match), followed by the
// file name.
#ifndef MODEL_SERVER_DAEMON_MODEL_CONFIG_FILE_H_
#define MODEL_SERVER_DAEMON_MODEL_CONFIG_FILE_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "loader/model_config.h"
#include "tensorflow_serving/config/model_server_config.pb.h"

namespace model_server {

// Parses `text`; `source` names it in errors (a file path).
absl::StatusOr<tensorflow::serving::ModelServerConfig> ParseModelServerConfig(
    absl::string_view text, absl::string_view source);

// The contents of the file at `path` (NOT_FOUND when unreadable).
absl::StatusOr<std::string> ReadModelConfigText(const std::string& path);

// Reads and parses the file at `path`.
absl::StatusOr<tensorflow::serving::ModelServerConfig> ReadModelConfigFile(
    const std::string& path);

// The models `config` lists, validated (ModelConfigsFromProto), or nullopt
// for an empty config (no model_config_list: TF Serving then takes no
// action). A custom_model_config is INVALID_ARGUMENT.
absl::StatusOr<std::optional<std::vector<ServedModelConfig>>> ModelsToServe(
    const tensorflow::serving::ModelServerConfig& config);

}  // namespace model_server

#endif  // MODEL_SERVER_DAEMON_MODEL_CONFIG_FILE_H_
