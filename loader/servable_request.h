// What a request asks for, independent of any RPC type: a model by name and
// at most one of a version number or a version label. Neither means the
// highest AVAILABLE version (TF Serving's ServableRequest::Latest).
//
// Front ends (gRPC's ModelSpec, REST's /v1/models/<name>[/versions/<v> |
// /labels/<l>]) build one and pass it to ModelManager::GetHandle, which
// answers with TF Serving's texts (model_manager.h).
#ifndef MODEL_SERVER_LOADER_SERVABLE_REQUEST_H_
#define MODEL_SERVER_LOADER_SERVABLE_REQUEST_H_

#include <cstdint>
#include <optional>
#include <string>

#include "absl/strings/string_view.h"

namespace model_server {

struct ServableRequest {
  std::string model_name;
  // At most one of these is set.
  std::optional<int64_t> version;
  std::optional<std::string> label;

  static ServableRequest Latest(std::string model_name);
  static ServableRequest Specific(std::string model_name, int64_t version);
  static ServableRequest Labeled(std::string model_name, std::string label);
};

// TF Serving's ServableRequest::DebugString, which its NOT_FOUND texts embed:
// "Latest(<name>)" without a version, "Specific(<name>, <version>)" with one.
std::string ServableRequestText(absl::string_view model_name,
                                std::optional<int64_t> version);

// TF Serving's ServableId::DebugString: "{name: <name> version: <version>}",
// as its load and unload logs print it.
std::string ServableIdText(absl::string_view model_name, int64_t version);

}  // namespace model_server

#endif  // MODEL_SERVER_LOADER_SERVABLE_REQUEST_H_
