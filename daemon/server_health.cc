#include "daemon/server_health.h"

#include <optional>
#include <string>
#include <vector>

namespace model_server {

bool ServerHealth::Serving() const {
  if (!started_.load() || draining_.load()) return false;
  for (const std::string& name : models_->ModelNames()) {
    absl::StatusOr<std::vector<VersionStatus>> versions =
        models_->GetModelStatus(name, std::nullopt);
    if (!versions.ok()) return false;
    bool available = false;
    for (const VersionStatus& version : *versions) {
      available = available || version.state == VersionState::kAvailable;
    }
    if (!available) return false;
  }
  return true;
}

}  // namespace model_server
