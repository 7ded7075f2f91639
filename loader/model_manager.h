// The models a server serves: one manager per server applies the model
// config (which models, their version policies and labels), polls the base
// paths, and resolves requests to handles (TF Serving's ServerCore).
//
// Lookups (GetHandle) follow TF Serving's ServerCore::GetServableHandle
// (docs/research/tf_serving_behaviour.md §2), in this order:
//   1. empty model name: INVALID_ARGUMENT "ModelSpec has no name specified.";
//   2. a label the model does not have (or an unknown model with a label):
//      INVALID_ARGUMENT "Unrecognized servable version label: <label>";
//      a known label resolves to its version;
//   3. a model not served, or a version not AVAILABLE: NOT_FOUND
//      "Servable not found for request: Latest(<name>)" /
//      "Specific(<name>, <version>)".
// GetModelStatus answers TF Serving's GetModelStatus data (§4): every version
// the model has seen, highest first, with its state and error; NOT_FOUND
// "Could not find version <v> of model <name>" / "Could not find any
// versions of model <name>". Models removed from the config keep their
// history (their versions end in END).
//
// Thread-safety: all methods are thread-safe. GetHandle is the request path:
// two atomic loads of immutable snapshots (the model set, then the model's
// versions), no lock. ReloadConfig calls are serialized; loads and warmups
// run on the load threads, destruction of retired versions on the unload
// threads, and polling on a thread of its own, so none of them blocks a
// request.
#ifndef MODEL_SERVER_LOADER_MODEL_MANAGER_H_
#define MODEL_SERVER_LOADER_MODEL_MANAGER_H_

#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "absl/synchronization/notification.h"
#include "absl/time/time.h"
#include "loader/loaded_model.h"
#include "loader/model_config.h"
#include "loader/servable.h"
#include "loader/servable_request.h"
#include "loader/served_model.h"
#include "loader/version_status_board.h"
#include "loader/warmup.h"
#include "loader/worker_pool.h"

namespace model_server {

struct ModelManagerOptions {
  LoadOptions load;
  WarmupOptions warmup;
  // --file_system_poll_wait_seconds: how often every model's base path is
  // scanned. <= 0: a model's base path is scanned once, when the model
  // joins the config.
  absl::Duration file_system_poll_wait = absl::Seconds(1);
  int max_num_load_retries = 5;
  absl::Duration load_retry_interval = absl::Seconds(60);
  // --num_load_threads / --num_unload_threads; 0 means one thread (loads
  // then run one at a time, still off the request path).
  int num_load_threads = 0;
  int num_unload_threads = 0;
  // How much lower than request threads the load and unload threads run
  // (nice increment), so that loads use the CPU requests leave idle. Loads
  // of a model none of whose versions serves yet (at start, a new model) run
  // at normal priority on threads of their own (served_model.h).
  int load_thread_nice_increment = 10;
  // --allow_version_labels_for_unavailable_models.
  bool allow_version_labels_for_unavailable_models = false;
  // Told about every load attempt of every model (metrics); null: nobody.
  // Must outlive the manager.
  LoadObserver* load_observer = nullptr;
};

class ModelManager {
 public:
  explicit ModelManager(ModelManagerOptions options);
  // Stop().
  ~ModelManager();
  ModelManager(const ModelManager&) = delete;
  ModelManager& operator=(const ModelManager&) = delete;

  // Makes `models` the set served (TF Serving's ServerCore::ReloadConfig):
  // models new to the set are added and their versions loaded, models no
  // longer listed are unloaded, changed base paths, policies and labels
  // apply. Returns once the new models are AVAILABLE, or with UNKNOWN
  // "<n> model(s) did not become available: {...}" naming those that are not
  // and why (the other changes stay applied).
  //
  // Labels are checked first (TF Serving's UpdateModelVersionLabelMap): a
  // label on a version that is not AVAILABLE is FAILED_PRECONDITION
  // "Request to assign label to version <v> of model <m>, which is not
  // currently available for inference", unless
  // allow_version_labels_for_unavailable_models is set and the label is new
  // or keeps its version. A refused config changes nothing.
  // `models` must be valid (ModelConfigsFromProto). Calls are serialized.
  absl::Status ReloadConfig(const std::vector<ServedModelConfig>& models);

  // Stops polling and loading, and takes every model out of service.
  // Idempotent.
  void Stop();

  // See the file comment.
  absl::StatusOr<ServableHandle> GetHandle(
      const ServableRequest& request) const;
  absl::StatusOr<std::vector<VersionStatus>> GetModelStatus(
      absl::string_view model_name, std::optional<int64_t> version) const;

  // The models of the current config, by name.
  std::vector<std::string> ModelNames() const;
  // The current config's labels of `model_name` (label -> version).
  std::map<std::string, int64_t> VersionLabels(
      absl::string_view model_name) const;
  // Warmup requests replayed on every model since the server started (a
  // counter for tests and logs).
  int64_t warmup_requests_replayed() const;

  // Scans every model's base path once now (the poll thread's work).
  void PollAll();

 private:
  // What requests see: replaced whole on every config change.
  struct ServingState {
    std::map<std::string, std::shared_ptr<ServedModel>, std::less<>> models;
    std::map<std::string, std::map<std::string, int64_t>, std::less<>> labels;
    // Every model ever configured, including removed ones.
    std::map<std::string, std::shared_ptr<VersionStatusBoard>, std::less<>>
        boards;
  };

  absl::Status CheckLabels(const ServingState& current,
                           const std::vector<ServedModelConfig>& models) const;
  std::shared_ptr<ServedModel> NewServedModel(
      const ServedModelConfig& config,
      std::shared_ptr<VersionStatusBoard> board) const;
  // Waits for the first loads of `added` and reports those not AVAILABLE.
  absl::Status AwaitAvailable(
      const std::vector<std::shared_ptr<ServedModel>>& added) const;
  void PollLoop();
  void RetireAll();

  const ModelManagerOptions options_;
  const ServingThreads threads_;
  // Accessed with std::atomic_load/atomic_store only.
  std::shared_ptr<const ServingState> state_;
  // Removed models' warmup counts (the live ones count in their models).
  std::atomic<int64_t> retired_warmup_requests_{0};

  absl::Mutex config_mu_;  // serializes ReloadConfig and Stop
  bool stopped_ ABSL_GUARDED_BY(config_mu_) = false;
  std::atomic<bool> stop_requested_{false};
  absl::Notification stop_polling_;
  std::thread poll_thread_;
};

}  // namespace model_server

#endif  // MODEL_SERVER_LOADER_MODEL_MANAGER_H_
