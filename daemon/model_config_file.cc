#include "daemon/model_config_file.h"

#include <filesystem>
#include <fstream>
#include <iterator>
#include <system_error>
#include <utility>

#include "absl/strings/str_cat.h"
#include "google/protobuf/io/tokenizer.h"
#include "google/protobuf/text_format.h"

namespace model_server {
namespace {

namespace tfs = tensorflow::serving;

// Keeps the first error, 1-based like protobuf's own log line.
class FirstErrorCollector : public google::protobuf::io::ErrorCollector {
 public:
  void AddError(int line, google::protobuf::io::ColumnNumber column,
                const std::string& message) override {
    if (!error_.empty()) return;
    error_ = absl::StrCat(line + 1, ":", column + 1, ": ", message);
  }
  const std::string& error() const { return error_; }

 private:
  std::string error_;
};

}  // namespace

absl::StatusOr<tfs::ModelServerConfig> ParseModelServerConfig(
    absl::string_view text, absl::string_view source) {
  tfs::ModelServerConfig config;
  FirstErrorCollector errors;
  google::protobuf::TextFormat::Parser parser;
  parser.RecordErrorsTo(&errors);
  if (!parser.ParseFromString(std::string(text), &config)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "Error parsing text-format tensorflow.serving.ModelServerConfig: ",
        errors.error().empty() ? "invalid text" : errors.error(), " (in ",
        source, ")"));
  }
  return config;
}

absl::StatusOr<std::string> ReadModelConfigText(const std::string& path) {
  std::error_code error;
  if (!std::filesystem::is_regular_file(path, error)) {
    return absl::NotFoundError(absl::StrCat(
        "cannot read the model config file ", path, ": no such file"));
  }
  std::ifstream file(path, std::ios::binary);
  std::string contents((std::istreambuf_iterator<char>(file)),
                       std::istreambuf_iterator<char>());
  if (!file.is_open() || file.bad()) {
    return absl::NotFoundError(
        absl::StrCat("cannot read the model config file ", path));
  }
  return contents;
}

absl::StatusOr<tfs::ModelServerConfig> ReadModelConfigFile(
    const std::string& path) {
  absl::StatusOr<std::string> text = ReadModelConfigText(path);
  if (!text.ok()) return text.status();
  return ParseModelServerConfig(*text, path);
}

absl::StatusOr<std::optional<std::vector<ServedModelConfig>>> ModelsToServe(
    const tfs::ModelServerConfig& config) {
  switch (config.config_case()) {
    case tfs::ModelServerConfig::kModelConfigList: {
      absl::StatusOr<std::vector<ServedModelConfig>> models =
          ModelConfigsFromProto(config.model_config_list());
      if (!models.ok()) return models.status();
      return std::optional<std::vector<ServedModelConfig>>(*std::move(models));
    }
    case tfs::ModelServerConfig::kCustomModelConfig:
      return absl::InvalidArgumentError(
          "custom_model_config is not supported: list the models in "
          "model_config_list");
    case tfs::ModelServerConfig::CONFIG_NOT_SET:
      break;
  }
  return std::optional<std::vector<ServedModelConfig>>();
}

}  // namespace model_server
