#include "daemon/metrics/monitoring_config.h"

#include <fstream>
#include <iterator>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "google/protobuf/io/tokenizer.h"
#include "google/protobuf/text_format.h"
#include "tensorflow_serving/config/monitoring_config.pb.h"

namespace model_server {
namespace {

// Keeps the first error, 1-based.
class FirstError : public google::protobuf::io::ErrorCollector {
 public:
  void AddError(int line, google::protobuf::io::ColumnNumber column,
                const std::string& message) override {
    if (error_.empty()) {
      error_ = absl::StrCat(line + 1, ":", column + 1, ": ", message);
    }
  }
  const std::string& error() const { return error_; }

 private:
  std::string error_;
};

}  // namespace

absl::StatusOr<std::optional<std::string>> ReadMonitoringConfig(
    const std::string& file_path) {
  std::ifstream file(file_path, std::ios::binary);
  if (!file.is_open()) {
    return absl::NotFoundError(
        absl::StrCat("cannot read the monitoring config file ", file_path));
  }
  const std::string text((std::istreambuf_iterator<char>(file)),
                         std::istreambuf_iterator<char>());
  tensorflow::serving::MonitoringConfig config;
  FirstError errors;
  google::protobuf::TextFormat::Parser parser;
  parser.RecordErrorsTo(&errors);
  if (!parser.ParseFromString(text, &config)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "Error parsing text-format tensorflow.serving.MonitoringConfig: ",
        errors.error().empty() ? "invalid text" : errors.error(), " (in ",
        file_path, ")"));
  }
  const tensorflow::serving::PrometheusConfig& prometheus =
      config.prometheus_config();
  if (!prometheus.enable()) return std::optional<std::string>();
  if (prometheus.path().empty()) {
    return std::optional<std::string>(kDefaultPrometheusPath);
  }
  if (!absl::StartsWith(prometheus.path(), "/")) {
    return absl::InvalidArgumentError(
        absl::StrCat("prometheus_config.path must start with '/', got \"",
                     prometheus.path(), "\" (in ", file_path, ")"));
  }
  return std::optional<std::string>(prometheus.path());
}

}  // namespace model_server
