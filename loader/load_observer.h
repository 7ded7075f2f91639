// What a load attempt of one model version reports to whoever watches
// loads (the daemon's metrics), without the loader knowing who that is.
//
// ServedModel calls OnLoadAttempt on the load thread after every attempt
// (each retry is an attempt), once the version is loaded and warmed up or
// once either step failed. Implementations must be thread-safe (several load
// threads report at once) and quick: the version becomes AVAILABLE only
// after the call returns.
//
// OnVersionUnloaded comes once a version that served has been destroyed
// (it reached END after its last request let go), on an unload thread, or
// on the thread that let go last once those have stopped. A version that
// failed to load is not reported: it never served.
#ifndef MODEL_SERVER_LOADER_LOAD_OBSERVER_H_
#define MODEL_SERVER_LOADER_LOAD_OBSERVER_H_

#include <cstdint>
#include <optional>
#include <string>

#include "absl/status/status.h"
#include "absl/time/time.h"

namespace model_server {

struct LoadAttempt {
  std::string model_name;
  int64_t version = 0;
  std::string path;  // the version directory
  // Reading the model, restoring its variables and running its init op.
  absl::Status load_status;
  absl::Duration load_time;
  // Replaying the warmup file; set when the load succeeded and the version
  // has a warmup file (and warmup is enabled).
  struct Warmup {
    absl::Status status;
    absl::Duration time;
    int64_t requests = 0;  // requests replayed (records x iterations)
  };
  std::optional<Warmup> warmup;

  // The attempt as a whole: the load's error, else the warmup's.
  absl::Status status() const {
    if (!load_status.ok() || !warmup.has_value()) return load_status;
    return warmup->status;
  }
};

class LoadObserver {
 public:
  virtual ~LoadObserver() = default;
  virtual void OnLoadAttempt(const LoadAttempt& attempt) = 0;
  // `path`: the version directory it was loaded from.
  virtual void OnVersionUnloaded(const std::string& model_name, int64_t version,
                                 const std::string& path) {}
};

}  // namespace model_server

#endif  // MODEL_SERVER_LOADER_LOAD_OBSERVER_H_
