// The states of one model's versions, as GetModelStatus reports them: every
// version the model has seen, with its latest state and, for a version that
// failed, its error (TF Serving's ServableStateMonitor keeps the same).
//
// Shared by the model's ServedModel, the deleters of its handles (which
// record END when the last request lets go of a retired version) and the
// ModelManager, which keeps the board of a model removed from the config so
// that its END states stay visible. Thread-safe; GetModelStatus is its only
// reader on an RPC path, and it never touches Predict's path.
#ifndef MODEL_SERVER_LOADER_VERSION_STATUS_BOARD_H_
#define MODEL_SERVER_LOADER_VERSION_STATUS_BOARD_H_

#include <cstdint>
#include <map>
#include <optional>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"
#include "loader/servable.h"

namespace model_server {

class VersionStatusBoard {
 public:
  // Records `version`'s new state (and, for kEnd, why it ended).
  void Set(int64_t version, VersionState state,
           absl::Status status = absl::OkStatus());

  // kUnloading -> kEnd once a retired version is destroyed. Does nothing if
  // the version has moved on meanwhile (e.g. it is loading again).
  void MarkUnloaded(int64_t version);

  // Every version seen, highest first (TF Serving's order).
  std::vector<VersionStatus> List() const;
  std::optional<VersionStatus> Get(int64_t version) const;

 private:
  mutable absl::Mutex mu_;
  std::map<int64_t, VersionStatus> statuses_ ABSL_GUARDED_BY(mu_);
};

}  // namespace model_server

#endif  // MODEL_SERVER_LOADER_VERSION_STATUS_BOARD_H_
