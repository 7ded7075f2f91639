// Applies new model configs to the ModelManager, one at a time, on a thread
// of its own: HandleReloadConfigRequest's (so the RPC's gRPC thread is not
// held while models load) and those of a polled --model_config_file.
//
// A config that fails validation (parse error, duplicate name, relative
// base path, unsupported platform, label on an unavailable version) changes
// nothing; the error is logged ("ReloadConfig failed: ...", as TF Serving)
// and handed to the caller. A polled file is applied when its contents
// change (TF Serving re-applies it on every poll, which also undoes
// configs sent by RPC in between; here those stay until the file changes);
// a file that fails to parse is logged once per distinct contents.
//
// Thread-safe.
#ifndef MODEL_SERVER_DAEMON_CONFIG_RELOADER_H_
#define MODEL_SERVER_DAEMON_CONFIG_RELOADER_H_

#include <functional>
#include <string>
#include <thread>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"
#include "absl/synchronization/notification.h"
#include "absl/time/time.h"
#include "loader/model_manager.h"
#include "loader/worker_pool.h"
#include "tensorflow_serving/config/model_server_config.pb.h"

namespace model_server {

class ConfigReloader {
 public:
  // `models` must outlive the reloader.
  explicit ConfigReloader(ModelManager* models);
  // Stop().
  ~ConfigReloader();

  // Applies `config` after the reloads queued before it, then calls `done`
  // with the outcome (on the reloader's thread). An empty config (no
  // model_config_list) is INVALID_ARGUMENT "ServerModelConfig type not
  // supported by HandleReloadConfigRequest. Only ModelConfigList is
  // currently supported", as TF Serving's ModelService answers.
  void Reload(tensorflow::serving::ModelServerConfig config,
              std::function<void(const absl::Status&)> done);

  // Re-reads `path` every `interval` (> 0) and applies it when its contents
  // differ from the last contents read (`initial_contents`: what start-up
  // applied).
  void WatchFile(std::string path, std::string initial_contents,
                 absl::Duration interval);

  // Stops watching and waits for the reload in progress (queued ones are
  // answered CANCELLED). Idempotent.
  void Stop();

 private:
  void PollFile(const std::string& path);
  // Validates and applies `config` (on the worker thread).
  absl::Status Apply(const tensorflow::serving::ModelServerConfig& config);

  ModelManager* const models_;
  WorkerPool worker_;  // one thread: reloads run one at a time
  absl::Notification stop_;
  std::thread watch_thread_;
  absl::Mutex mu_;
  std::string last_contents_ ABSL_GUARDED_BY(mu_);
};

}  // namespace model_server

#endif  // MODEL_SERVER_DAEMON_CONFIG_RELOADER_H_
