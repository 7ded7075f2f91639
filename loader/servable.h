// What the serving path hands out and reports: a loaded model version
// behind a refcounted handle, and the states a version goes through (TF
// Serving's ModelVersionStatus).
//
// A ServableHandle keeps its version loaded: a version taken out of service
// is destroyed only when the last request holding it lets go. Handles are
// plain shared_ptrs, safe to copy and release from any thread.
#ifndef MODEL_SERVER_LOADER_SERVABLE_H_
#define MODEL_SERVER_LOADER_SERVABLE_H_

#include <cstdint>
#include <memory>
#include <string>

#include "absl/status/status.h"
#include "loader/loaded_model.h"

namespace model_server {

// One version in service. Immutable once published.
struct ServedVersion {
  std::string model_name;
  int64_t version = 0;
  std::unique_ptr<LoadedModel> model;
  // Warmup requests replayed on this version before it became AVAILABLE
  // (records times --num_request_iterations_for_warmup).
  int64_t warmup_requests_replayed = 0;
};
using ServableHandle = std::shared_ptr<const ServedVersion>;

// TF Serving's ModelVersionStatus.State values.
enum class VersionState {
  kStart = 10,
  kLoading = 20,
  kAvailable = 30,
  kUnloading = 40,
  kEnd = 50
};

// "START", "LOADING", ... as TF Serving's enum names them.
const char* VersionStateName(VersionState state);

struct VersionStatus {
  int64_t version = 0;
  VersionState state = VersionState::kStart;
  // OK, or why the version ended: its load error, or the reason it was
  // cancelled.
  absl::Status status;
};

}  // namespace model_server

#endif  // MODEL_SERVER_LOADER_SERVABLE_H_
