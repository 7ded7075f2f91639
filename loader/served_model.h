// One model the server serves: finds its versions on disk, applies its
// version policy, loads versions on the load threads, and hands requests a
// refcounted handle on a version in service.
//
// Roles (after TF Serving's core/): VersionWatcher says which versions exist,
// LoadedModel::Load and RunWarmup load one, VersionPolicy says which to
// serve, and this class puts them in and out of service. Availability is
// preserved: a new version takes traffic only once it is loaded and warmed
// up; versions the policy no longer wants leave only when an aspired version
// serves (VersionsToUnload); a version that fails to load (after
// max_num_load_retries retries of transient failures) leaves the serving
// versions in place, shows its error in the status board, and is retried
// when its files change.
//
// Thread-safety: every method is thread-safe. GetHandle and IsAvailable are
// the request path: one atomic load of an immutable snapshot, no lock. The
// control methods (Poll, Reconfigure, Retire, WaitForPendingLoads) share one
// mutex that the request path never takes; loads run on the load threads
// and retired versions are destroyed on the unload threads.
#ifndef MODEL_SERVER_LOADER_SERVED_MODEL_H_
#define MODEL_SERVER_LOADER_SERVED_MODEL_H_

#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/synchronization/notification.h"
#include "absl/time/time.h"
#include "loader/load_observer.h"
#include "loader/loaded_model.h"
#include "loader/servable.h"
#include "loader/version_policy.h"
#include "loader/version_status_board.h"
#include "loader/version_watcher.h"
#include "loader/warmup.h"
#include "loader/worker_pool.h"

namespace model_server {

struct ServedModelOptions {
  std::string model_name;
  std::string base_path;
  VersionPolicy version_policy;
  LoadOptions load;
  WarmupOptions warmup;
  int max_num_load_retries = 5;
  absl::Duration load_retry_interval = absl::Seconds(60);
  // Told about every load attempt; null: nobody. Must outlive the model.
  LoadObserver* load_observer = nullptr;
};

// The threads a server's models share.
struct ServingThreads {
  // Loads and warms up versions of a model that already serves a version,
  // at a lower CPU priority: requests keep the CPU, the old version serves
  // meanwhile.
  std::shared_ptr<WorkerPool> load;
  std::shared_ptr<WorkerPool> unload;  // destroys retired versions
  // Loads versions of a model while none of its versions serves, at normal
  // priority: every request for the model waits for them. Null: `load`.
  std::shared_ptr<WorkerPool> first_load;
};

class ServedModel : public std::enable_shared_from_this<ServedModel> {
 public:
  // `board` records the versions' states; pass the board of an earlier
  // ServedModel of the same name to continue its history.
  static std::shared_ptr<ServedModel> Create(
      ServedModelOptions options, ServingThreads threads,
      std::shared_ptr<VersionStatusBoard> board);
  ~ServedModel();
  ServedModel(const ServedModel&) = delete;
  ServedModel& operator=(const ServedModel&) = delete;

  const std::string& name() const { return options_.model_name; }

  // --- Request path (lock-free) ---

  // The highest version in service, or exactly `version`. Fails with
  // NOT_FOUND "Servable not found for request: Latest(<name>)" /
  // "Specific(<name>, <version>)".
  absl::StatusOr<ServableHandle> GetHandle(
      std::optional<int64_t> version) const;
  // Whether `version` is in service (AVAILABLE).
  bool IsAvailable(int64_t version) const;
  bool HasAvailableVersion() const;

  // --- Control path ---

  // Scans the base path, takes out of service the versions the policy no
  // longer wants (availability-preserving) and queues loads of those it
  // wants. Returns without waiting for the loads. Problems (no base path, no
  // versions, a missing 'specific' version) are logged once each, not on
  // every poll. Does nothing after Retire().
  void Poll();
  // Applies a new base path and version policy at the next Poll. Returns
  // whether either changed.
  bool Reconfigure(const std::string& base_path, const VersionPolicy& policy);
  // Blocks until every load queued so far has finished or failed.
  void WaitForPendingLoads();
  // Takes every version out of service and abandons loads not yet done (the
  // model left the config, or the server stops). Idempotent.
  void Retire();

  // What the last poll found wrong (e.g. "No versions of servable m found
  // under base path /p", a missing 'specific' version); "" when nothing.
  std::string LastPollProblem() const;
  // The last poll saw version directories that are still being written.
  bool HasIncompleteVersions() const;

  const std::shared_ptr<VersionStatusBoard>& status_board() const {
    return board_;
  }
  // Warmup requests replayed on this model's versions so far.
  int64_t warmup_requests_replayed() const {
    return warmup_requests_replayed_.load();
  }

 private:
  using VersionMap = std::map<int64_t, ServableHandle>;

  ServedModel(ServedModelOptions options, ServingThreads threads,
              std::shared_ptr<VersionStatusBoard> board);

  // Unloads and queues loads per the policy (see Poll).
  void ReconcileLocked() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  void ScheduleLoadLocked(int64_t version, const VersionDirectory& directory)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // Runs on a load thread.
  void LoadVersion(int64_t version, const VersionDirectory& directory);
  absl::StatusOr<ServableHandle> LoadWithRetries(
      int64_t version, const VersionDirectory& directory);
  absl::StatusOr<ServableHandle> LoadOnce(int64_t version,
                                          const std::string& path);
  void FinishLoad(int64_t version, const VersionDirectory& directory,
                  absl::StatusOr<ServableHandle> loaded);
  // Installs `next`; versions it drops are marked UNLOADING.
  void PublishLocked(std::shared_ptr<const VersionMap> next)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  ServableHandle MakeHandle(int64_t version, std::unique_ptr<LoadedModel> model,
                            int64_t warmup_requests) const;
  // Logs each problem not logged by the previous poll.
  void LogProblemsLocked(std::set<std::string> problems)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  bool NoPendingLoads() const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    return pending_loads_ == 0;
  }
  std::string IdText(int64_t version) const;

  const ServedModelOptions options_;
  const ServingThreads threads_;
  const std::shared_ptr<VersionStatusBoard> board_;

  // The versions in service; replaced whole under mu_, read with
  // std::atomic_load by requests.
  std::shared_ptr<const VersionMap> serving_;

  mutable absl::Mutex mu_;
  std::string base_path_ ABSL_GUARDED_BY(mu_);
  VersionPolicy policy_ ABSL_GUARDED_BY(mu_);
  VersionWatcher watcher_ ABSL_GUARDED_BY(mu_);
  // The last scan's complete versions, and every version it saw (complete
  // or still being written).
  std::map<int64_t, VersionDirectory> complete_ ABSL_GUARDED_BY(mu_);
  std::set<int64_t> present_ ABSL_GUARDED_BY(mu_);
  bool incomplete_versions_ ABSL_GUARDED_BY(mu_) = false;
  std::string poll_problem_ ABSL_GUARDED_BY(mu_);
  std::set<std::string> logged_problems_ ABSL_GUARDED_BY(mu_);
  // Versions queued or loading.
  std::set<int64_t> loading_ ABSL_GUARDED_BY(mu_);
  int pending_loads_ ABSL_GUARDED_BY(mu_) = 0;
  // Versions that failed to load, with the fingerprint of the files they
  // failed with: retried only when those change.
  std::map<int64_t, std::string> failed_ ABSL_GUARDED_BY(mu_);
  bool retired_ ABSL_GUARDED_BY(mu_) = false;
  absl::Notification retire_;  // wakes loads waiting to retry

  std::atomic<int64_t> warmup_requests_replayed_{0};
};

}  // namespace model_server

#endif  // MODEL_SERVER_LOADER_SERVED_MODEL_H_
