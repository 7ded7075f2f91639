#include "tests/testing/model_config_text.h"

#include <cstdio>
#include <fstream>

#include "absl/strings/str_cat.h"
#include "google/protobuf/text_format.h"

namespace model_server {
namespace testing {

std::string ModelConfigText(const std::vector<ConfigModel>& models) {
  std::string text = "model_config_list {\n";
  for (const ConfigModel& model : models) {
    absl::StrAppend(&text, "  config {\n    name: \"", model.name,
                    "\"\n    base_path: \"", model.base_path,
                    "\"\n    model_platform: \"tensorflow\"\n");
    if (!model.version_policy.empty()) {
      absl::StrAppend(&text, "    model_version_policy { ",
                      model.version_policy, " }\n");
    }
    for (const auto& [label, version] : model.version_labels) {
      absl::StrAppend(&text, "    version_labels { key: \"", label,
                      "\" value: ", version, " }\n");
    }
    absl::StrAppend(&text, "  }\n");
  }
  absl::StrAppend(&text, "}\n");
  return text;
}

tensorflow::serving::ModelServerConfig ModelConfigProto(
    const std::vector<ConfigModel>& models) {
  tensorflow::serving::ModelServerConfig config;
  google::protobuf::TextFormat::ParseFromString(ModelConfigText(models),
                                                &config);
  return config;
}

absl::Status WriteFileAtomically(const std::string& path,
                                 const std::string& text) {
  const std::string temporary = path + ".tmp";
  {
    std::ofstream file(temporary, std::ios::binary | std::ios::trunc);
    file << text;
    if (!file.flush()) {
      return absl::InternalError(absl::StrCat("cannot write ", temporary));
    }
  }
  if (std::rename(temporary.c_str(), path.c_str()) != 0) {
    return absl::InternalError(
        absl::StrCat("cannot rename ", temporary, " to ", path));
  }
  return absl::OkStatus();
}

}  // namespace testing
}  // namespace model_server
