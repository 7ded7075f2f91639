#include "daemon/ssl_config.h"

#include <fstream>
#include <iterator>

#include "absl/strings/str_cat.h"
#include "google/protobuf/text_format.h"

namespace model_server {

absl::StatusOr<tensorflow::serving::SSLConfig> ReadSslConfigFile(
    const std::string& path) {
  std::ifstream file(path, std::ios::binary);
  if (!file.is_open()) {
    return absl::NotFoundError(
        absl::StrCat("cannot read the SSL config file ", path));
  }
  const std::string text((std::istreambuf_iterator<char>(file)),
                         std::istreambuf_iterator<char>());
  if (file.bad()) {
    return absl::NotFoundError(
        absl::StrCat("cannot read the SSL config file ", path));
  }
  tensorflow::serving::SSLConfig config;
  if (!google::protobuf::TextFormat::ParseFromString(text, &config)) {
    return absl::InvalidArgumentError(
        absl::StrCat("the SSL config file ", path,
                     " is not a text-format tensorflow.serving.SSLConfig"));
  }
  if (config.server_key().empty() || config.server_cert().empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat("the SSL config file ", path,
                     " needs both server_key and server_cert (PEM)"));
  }
  if (config.client_verify() && config.custom_ca().empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat("the SSL config file ", path,
                     " sets client_verify but no custom_ca to verify "
                     "client certificates against"));
  }
  return config;
}

}  // namespace model_server
