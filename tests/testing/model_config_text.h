// Text-format ModelServerConfigs for tests that start the daemon with
// --model_config_file or send HandleReloadConfigRequest.
//
//   std::string text = ModelConfigText({
//       {"half_plus_two", SharedModelPath("tfs_half_plus_two_cpu")},
//       {"m", path, "specific { versions: 123 }", {{"stable", 123}}}});
//   WriteFileAtomically(config_path, text);
#ifndef MODEL_SERVER_TESTS_TESTING_MODEL_CONFIG_TEXT_H_
#define MODEL_SERVER_TESTS_TESTING_MODEL_CONFIG_TEXT_H_

#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "tensorflow_serving/config/model_server_config.pb.h"

namespace model_server {
namespace testing {

struct ConfigModel {
  ConfigModel(std::string name, std::string base_path,
              std::string version_policy = "",
              std::map<std::string, int64_t> version_labels = {})
      : name(std::move(name)),
        base_path(std::move(base_path)),
        version_policy(std::move(version_policy)),
        version_labels(std::move(version_labels)) {}

  std::string name;
  std::string base_path;
  // The body of model_version_policy, e.g. "all {}" or
  // "specific { versions: 123 }"; "" for none (latest 1).
  std::string version_policy;
  std::map<std::string, int64_t> version_labels;
};

// model_config_list { config { ... model_platform: "tensorflow" } ... }
std::string ModelConfigText(const std::vector<ConfigModel>& models);

// The same config as a message (for HandleReloadConfigRequest).
tensorflow::serving::ModelServerConfig ModelConfigProto(
    const std::vector<ConfigModel>& models);

// Writes `text` to `path` through a temporary file and a rename, so a reader
// never sees it half-written.
absl::Status WriteFileAtomically(const std::string& path,
                                 const std::string& text);

}  // namespace testing
}  // namespace model_server

#endif  // MODEL_SERVER_TESTS_TESTING_MODEL_CONFIG_TEXT_H_
