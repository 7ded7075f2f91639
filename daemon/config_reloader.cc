#include "daemon/config_reloader.h"

#include <optional>
#include <utility>
#include <vector>

#include "daemon/model_config_file.h"
#include "glog/logging.h"

namespace model_server {

namespace tfs = tensorflow::serving;

ConfigReloader::ConfigReloader(ModelManager* models)
    : models_(models), worker_("config", 1) {}

ConfigReloader::~ConfigReloader() { Stop(); }

void ConfigReloader::Stop() {
  if (!stop_.HasBeenNotified()) stop_.Notify();
  if (watch_thread_.joinable()) watch_thread_.join();
  worker_.Stop();
}

absl::Status ConfigReloader::Apply(const tfs::ModelServerConfig& config) {
  absl::StatusOr<std::optional<std::vector<ServedModelConfig>>> models =
      ModelsToServe(config);
  if (!models.ok()) return models.status();
  if (!models->has_value()) {
    LOG(INFO) << "Taking no action for empty config.";
    return absl::OkStatus();
  }
  for (const ServedModelConfig& model : **models) {
    LOG(INFO) << "Config entry: name " << model.name << ", path "
              << model.base_path << ", version policy "
              << DescribeVersionPolicy(model.version_policy);
  }
  return models_->ReloadConfig(**models);
}

void ConfigReloader::Reload(tfs::ModelServerConfig config,
                            std::function<void(const absl::Status&)> done) {
  if (config.config_case() != tfs::ModelServerConfig::kModelConfigList) {
    done(absl::InvalidArgumentError(
        "ServerModelConfig type not supported by HandleReloadConfigRequest. "
        "Only ModelConfigList is currently supported"));
    return;
  }
  auto task = [this, config = std::move(config), done] {
    absl::Status status =
        stop_.HasBeenNotified()
            ? absl::CancelledError("the server is shutting down")
            : Apply(config);
    if (!status.ok()) LOG(ERROR) << "ReloadConfig failed: " << status.message();
    done(status);
  };
  if (!worker_.Schedule(task)) {
    done(absl::CancelledError("the server is shutting down"));
  }
}

void ConfigReloader::WatchFile(std::string path, std::string initial_contents,
                               absl::Duration interval) {
  {
    absl::MutexLock lock(&mu_);
    last_contents_ = std::move(initial_contents);
  }
  watch_thread_ = std::thread([this, path = std::move(path), interval] {
    while (!stop_.WaitForNotificationWithTimeout(interval)) PollFile(path);
  });
}

void ConfigReloader::PollFile(const std::string& path) {
  absl::StatusOr<std::string> text = ReadModelConfigText(path);
  {
    absl::MutexLock lock(&mu_);
    const std::string contents = text.ok() ? *text : "";
    if (contents == last_contents_) return;
    last_contents_ = contents;
  }
  if (!text.ok()) {
    LOG(ERROR) << "Failed to read ModelServerConfig file: "
               << text.status().message();
    return;
  }
  absl::StatusOr<tfs::ModelServerConfig> config =
      ParseModelServerConfig(*text, path);
  if (!config.ok()) {
    LOG(ERROR) << "Failed to read ModelServerConfig file: "
               << config.status().message();
    return;
  }
  LOG(INFO) << "The model config file " << path << " changed: reloading";
  auto task = [this, config = *std::move(config)] {
    if (stop_.HasBeenNotified()) return;
    absl::Status status = Apply(config);
    if (!status.ok()) {
      LOG(ERROR) << "PollFilesystemAndReloadConfig failed to ReloadConfig: "
                 << status.message();
    }
  };
  worker_.Schedule(task);
}

}  // namespace model_server
