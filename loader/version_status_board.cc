#include "loader/version_status_board.h"

#include <utility>

namespace model_server {

void VersionStatusBoard::Set(int64_t version, VersionState state,
                             absl::Status status) {
  absl::MutexLock lock(&mu_);
  statuses_[version] = VersionStatus{version, state, std::move(status)};
}

void VersionStatusBoard::MarkUnloaded(int64_t version) {
  absl::MutexLock lock(&mu_);
  auto it = statuses_.find(version);
  if (it != statuses_.end() && it->second.state == VersionState::kUnloading) {
    it->second.state = VersionState::kEnd;
  }
}

std::vector<VersionStatus> VersionStatusBoard::List() const {
  absl::MutexLock lock(&mu_);
  std::vector<VersionStatus> statuses;
  statuses.reserve(statuses_.size());
  for (auto it = statuses_.rbegin(); it != statuses_.rend(); ++it) {
    statuses.push_back(it->second);
  }
  return statuses;
}

std::optional<VersionStatus> VersionStatusBoard::Get(int64_t version) const {
  absl::MutexLock lock(&mu_);
  auto it = statuses_.find(version);
  if (it == statuses_.end()) return std::nullopt;
  return it->second;
}

}  // namespace model_server
