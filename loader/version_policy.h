// Which versions of a model are served: TF Serving's ServableVersionPolicy
// (latest N, all, specific) and its availability-preserving rule for taking
// versions out of service.
//
// Both functions are pure: ServedModel calls them on every poll with what
// the version watcher found and what is in service.
#ifndef MODEL_SERVER_LOADER_VERSION_POLICY_H_
#define MODEL_SERVER_LOADER_VERSION_POLICY_H_

#include <cstdint>
#include <set>
#include <string>

namespace model_server {

struct VersionPolicy {
  enum class Kind { kLatest, kAll, kSpecific };

  Kind kind = Kind::kLatest;
  // kLatest: how many of the highest versions (0 counts as 1, as in TF
  // Serving).
  int64_t num_versions = 1;
  // kSpecific: exactly these versions.
  std::set<int64_t> versions;

  static VersionPolicy Latest(int64_t num_versions = 1);
  static VersionPolicy All();
  static VersionPolicy Specific(std::set<int64_t> versions);

  bool operator==(const VersionPolicy& other) const;
  bool operator!=(const VersionPolicy& other) const {
    return !(*this == other);
  }
};

// "latest 2", "all", "specific {123, 124}": for logs.
std::string DescribeVersionPolicy(const VersionPolicy& policy);

// The versions `policy` asks for among `candidates` (the complete versions
// on disk, including ones that failed to load). A `specific` version that
// is not a candidate is simply absent from the result.
std::set<int64_t> AspiredVersions(const VersionPolicy& policy,
                                  const std::set<int64_t>& candidates);

// Which of the versions in service (`serving`) to take out, given the
// `aspired` versions (TF Serving's AvailabilityPreservingPolicy):
//   - versions still aspired stay;
//   - when nothing is aspired, or an aspired version is in service, every
//     version that is no longer aspired goes;
//   - otherwise (the aspired versions are still loading, or failed) the
//     highest version no longer aspired stays, so the model keeps serving.
std::set<int64_t> VersionsToUnload(const std::set<int64_t>& aspired,
                                   const std::set<int64_t>& serving);

}  // namespace model_server

#endif  // MODEL_SERVER_LOADER_VERSION_POLICY_H_
