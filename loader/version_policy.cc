#include "loader/version_policy.h"

#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace model_server {

VersionPolicy VersionPolicy::Latest(int64_t num_versions) {
  VersionPolicy policy;
  policy.kind = Kind::kLatest;
  policy.num_versions = num_versions;
  return policy;
}

VersionPolicy VersionPolicy::All() {
  VersionPolicy policy;
  policy.kind = Kind::kAll;
  return policy;
}

VersionPolicy VersionPolicy::Specific(std::set<int64_t> versions) {
  VersionPolicy policy;
  policy.kind = Kind::kSpecific;
  policy.versions = std::move(versions);
  return policy;
}

bool VersionPolicy::operator==(const VersionPolicy& other) const {
  if (kind != other.kind) return false;
  switch (kind) {
    case Kind::kLatest:
      return std::max<int64_t>(num_versions, 1) ==
             std::max<int64_t>(other.num_versions, 1);
    case Kind::kAll:
      return true;
    case Kind::kSpecific:
      return versions == other.versions;
  }
  return false;
}

std::string DescribeVersionPolicy(const VersionPolicy& policy) {
  switch (policy.kind) {
    case VersionPolicy::Kind::kLatest:
      return absl::StrCat("latest ", std::max<int64_t>(policy.num_versions, 1));
    case VersionPolicy::Kind::kAll:
      return "all";
    case VersionPolicy::Kind::kSpecific:
      return absl::StrCat("specific {", absl::StrJoin(policy.versions, ", "),
                          "}");
  }
  return "unknown";
}

std::set<int64_t> AspiredVersions(const VersionPolicy& policy,
                                  const std::set<int64_t>& candidates) {
  switch (policy.kind) {
    case VersionPolicy::Kind::kLatest: {
      std::set<int64_t> latest;
      const int64_t wanted = std::max<int64_t>(policy.num_versions, 1);
      for (auto it = candidates.rbegin();
           it != candidates.rend() &&
           static_cast<int64_t>(latest.size()) < wanted;
           ++it) {
        latest.insert(*it);
      }
      return latest;
    }
    case VersionPolicy::Kind::kAll:
      return candidates;
    case VersionPolicy::Kind::kSpecific: {
      std::set<int64_t> listed;
      for (int64_t version : policy.versions) {
        if (candidates.count(version)) listed.insert(version);
      }
      return listed;
    }
  }
  return {};
}

std::set<int64_t> VersionsToUnload(const std::set<int64_t>& aspired,
                                   const std::set<int64_t>& serving) {
  std::set<int64_t> retired;
  bool aspired_in_service = false;
  for (int64_t version : serving) {
    if (aspired.count(version)) {
      aspired_in_service = true;
    } else {
      retired.insert(version);
    }
  }
  // Keep the highest retired version until an aspired one serves.
  if (!aspired.empty() && !aspired_in_service && !retired.empty()) {
    retired.erase(std::prev(retired.end()));
  }
  return retired;
}

}  // namespace model_server
