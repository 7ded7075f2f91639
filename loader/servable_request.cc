#include "loader/servable_request.h"

#include <utility>

#include "absl/strings/str_cat.h"

namespace model_server {

ServableRequest ServableRequest::Latest(std::string model_name) {
  ServableRequest request;
  request.model_name = std::move(model_name);
  return request;
}

ServableRequest ServableRequest::Specific(std::string model_name,
                                          int64_t version) {
  ServableRequest request;
  request.model_name = std::move(model_name);
  request.version = version;
  return request;
}

ServableRequest ServableRequest::Labeled(std::string model_name,
                                         std::string label) {
  ServableRequest request;
  request.model_name = std::move(model_name);
  request.label = std::move(label);
  return request;
}

std::string ServableRequestText(absl::string_view model_name,
                                std::optional<int64_t> version) {
  if (!version.has_value()) return absl::StrCat("Latest(", model_name, ")");
  return absl::StrCat("Specific(", model_name, ", ", *version, ")");
}

std::string ServableIdText(absl::string_view model_name, int64_t version) {
  return absl::StrCat("{name: ", model_name, " version: ", version, "}");
}

}  // namespace model_server
