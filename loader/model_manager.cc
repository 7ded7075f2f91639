#include "loader/model_manager.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/clock.h"
#include "glog/logging.h"

namespace model_server {
namespace {

// How long ReloadConfig keeps re-scanning a new model whose version
// directories are still being written (the watcher calls a version complete
// once its files stay unchanged across two scans, or for two seconds).
constexpr absl::Duration kIncompleteVersionWait = absl::Seconds(4);
constexpr absl::Duration kIncompleteVersionRescan = absl::Milliseconds(250);

}  // namespace

ModelManager::ModelManager(ModelManagerOptions options)
    : options_(std::move(options)),
      threads_{
          std::make_shared<WorkerPool>("load", options_.num_load_threads,
                                       options_.load_thread_nice_increment),
          std::make_shared<WorkerPool>("unload", options_.num_unload_threads,
                                       options_.load_thread_nice_increment),
          std::make_shared<WorkerPool>("first load", options_.num_load_threads,
                                       0)},
      state_(std::make_shared<const ServingState>()) {
  if (options_.file_system_poll_wait > absl::ZeroDuration()) {
    poll_thread_ = std::thread([this] { PollLoop(); });
  }
}

ModelManager::~ModelManager() { Stop(); }

void ModelManager::Stop() {
  if (stop_requested_.exchange(true)) return;
  stop_polling_.Notify();
  // Retiring first cancels the loads a reload in progress may be waiting
  // for, so taking config_mu_ below does not wait out their retries.
  RetireAll();
  {
    absl::MutexLock lock(&config_mu_);
    stopped_ = true;
  }
  RetireAll();  // models that reload added meanwhile
  if (poll_thread_.joinable()) poll_thread_.join();
  threads_.load->Stop();
  threads_.first_load->Stop();
  threads_.unload->Stop();
}

void ModelManager::RetireAll() {
  std::shared_ptr<const ServingState> state = std::atomic_load(&state_);
  for (const auto& [name, model] : state->models) model->Retire();
}

void ModelManager::PollLoop() {
  while (!stop_polling_.WaitForNotificationWithTimeout(
      options_.file_system_poll_wait)) {
    PollAll();
  }
}

void ModelManager::PollAll() {
  std::shared_ptr<const ServingState> state = std::atomic_load(&state_);
  for (const auto& [name, model] : state->models) model->Poll();
}

std::shared_ptr<ServedModel> ModelManager::NewServedModel(
    const ServedModelConfig& config,
    std::shared_ptr<VersionStatusBoard> board) const {
  ServedModelOptions model_options;
  model_options.model_name = config.name;
  model_options.base_path = config.base_path;
  model_options.version_policy = config.version_policy;
  model_options.load = options_.load;
  model_options.warmup = options_.warmup;
  model_options.max_num_load_retries = options_.max_num_load_retries;
  model_options.load_retry_interval = options_.load_retry_interval;
  model_options.load_observer = options_.load_observer;
  return ServedModel::Create(std::move(model_options), threads_,
                             std::move(board));
}

absl::Status ModelManager::CheckLabels(
    const ServingState& current,
    const std::vector<ServedModelConfig>& models) const {
  for (const ServedModelConfig& config : models) {
    auto model = current.models.find(config.name);
    auto old_labels = current.labels.find(config.name);
    for (const auto& [label, version] : config.version_labels) {
      bool allow_unavailable = false;
      if (options_.allow_version_labels_for_unavailable_models) {
        // A new label, or one that keeps its version; moving a label still
        // needs its new version to serve.
        const bool moves = old_labels != current.labels.end() &&
                           old_labels->second.count(label) &&
                           old_labels->second.at(label) != version;
        allow_unavailable = !moves;
      }
      const bool available =
          model != current.models.end() && model->second->IsAvailable(version);
      if (!allow_unavailable && !available) {
        return absl::FailedPreconditionError(absl::StrCat(
            "Request to assign label to version ", version, " of model ",
            config.name, ", which is not currently available for inference"));
      }
    }
  }
  return absl::OkStatus();
}

absl::Status ModelManager::ReloadConfig(
    const std::vector<ServedModelConfig>& models) {
  absl::MutexLock lock(&config_mu_);
  if (stopped_) {
    return absl::FailedPreconditionError("the server is shutting down");
  }
  std::shared_ptr<const ServingState> current = std::atomic_load(&state_);
  absl::Status labels = CheckLabels(*current, models);
  if (!labels.ok()) return labels;

  auto next = std::make_shared<ServingState>();
  next->boards = current->boards;
  std::vector<std::shared_ptr<ServedModel>> added;
  std::vector<std::shared_ptr<ServedModel>> changed;
  for (const ServedModelConfig& config : models) {
    std::shared_ptr<ServedModel> model;
    auto existing = current->models.find(config.name);
    if (existing != current->models.end()) {
      model = existing->second;
      if (model->Reconfigure(config.base_path, config.version_policy)) {
        changed.push_back(model);
      }
    } else {
      auto board = current->boards.find(config.name);
      model = NewServedModel(
          config, board != current->boards.end() ? board->second : nullptr);
      added.push_back(model);
      LOG(INFO) << "Adding model " << config.name << " from "
                << config.base_path << " (version policy "
                << DescribeVersionPolicy(config.version_policy) << ")";
    }
    next->models[config.name] = model;
    next->boards[config.name] = model->status_board();
    if (!config.version_labels.empty()) {
      next->labels[config.name] = config.version_labels;
    }
  }
  std::vector<std::shared_ptr<ServedModel>> removed;
  for (const auto& [name, model] : current->models) {
    if (!next->models.count(name)) removed.push_back(model);
  }
  std::atomic_store(&state_, std::shared_ptr<const ServingState>(next));

  for (const std::shared_ptr<ServedModel>& model : removed) {
    LOG(INFO) << "Removing model " << model->name()
              << ": it is no longer in the config";
    model->Retire();
    retired_warmup_requests_ += model->warmup_requests_replayed();
  }
  for (const std::shared_ptr<ServedModel>& model : changed) model->Poll();
  for (const std::shared_ptr<ServedModel>& model : added) model->Poll();
  return AwaitAvailable(added);
}

absl::Status ModelManager::AwaitAvailable(
    const std::vector<std::shared_ptr<ServedModel>>& added) const {
  for (const std::shared_ptr<ServedModel>& model : added) {
    // A model copied in just before the config names it: its versions count
    // as complete once their files settle.
    const absl::Time deadline = absl::Now() + kIncompleteVersionWait;
    model->WaitForPendingLoads();
    while (!model->HasAvailableVersion() && model->HasIncompleteVersions() &&
           absl::Now() < deadline) {
      absl::SleepFor(kIncompleteVersionRescan);
      model->Poll();
      model->WaitForPendingLoads();
    }
  }
  std::vector<std::string> unavailable;
  for (const std::shared_ptr<ServedModel>& model : added) {
    if (model->HasAvailableVersion()) continue;
    std::string reasons;
    for (const VersionStatus& status : model->status_board()->List()) {
      if (status.state != VersionState::kEnd || status.status.ok()) continue;
      absl::StrAppend(&reasons, "{",
                      ServableIdText(model->name(), status.version),
                      " due to error: ", status.status.ToString(), "}, ");
    }
    if (reasons.empty()) {
      std::string problem = model->LastPollProblem();
      if (problem.empty()) {
        problem = model->HasIncompleteVersions()
                      ? "its version directories are still being written"
                      : "no version directory to load";
      }
      reasons = absl::StrCat("{{name: ", model->name(),
                             "} due to error: ", problem, "}, ");
    }
    unavailable.push_back(std::move(reasons));
  }
  if (unavailable.empty()) return absl::OkStatus();
  return absl::UnknownError(
      absl::StrCat(unavailable.size(), " model(s) did not become available: {",
                   absl::StrJoin(unavailable, ""), "}"));
}

absl::StatusOr<ServableHandle> ModelManager::GetHandle(
    const ServableRequest& request) const {
  if (request.model_name.empty()) {
    return absl::InvalidArgumentError("ModelSpec has no name specified.");
  }
  std::shared_ptr<const ServingState> state = std::atomic_load(&state_);
  std::optional<int64_t> version = request.version;
  if (request.label.has_value()) {
    auto labels = state->labels.find(request.model_name);
    if (labels == state->labels.end() ||
        !labels->second.count(*request.label)) {
      return absl::InvalidArgumentError(absl::StrCat(
          "Unrecognized servable version label: ", *request.label));
    }
    version = labels->second.at(*request.label);
  }
  auto model = state->models.find(request.model_name);
  if (model == state->models.end()) {
    return absl::NotFoundError(
        absl::StrCat("Servable not found for request: ",
                     ServableRequestText(request.model_name, version)));
  }
  return model->second->GetHandle(version);
}

absl::StatusOr<std::vector<VersionStatus>> ModelManager::GetModelStatus(
    absl::string_view model_name, std::optional<int64_t> version) const {
  std::shared_ptr<const ServingState> state = std::atomic_load(&state_);
  std::vector<VersionStatus> statuses;
  auto board = state->boards.find(model_name);
  if (board != state->boards.end()) statuses = board->second->List();
  if (version.has_value()) {
    for (const VersionStatus& status : statuses) {
      if (status.version == *version) return std::vector<VersionStatus>{status};
    }
    return absl::NotFoundError(absl::StrCat("Could not find version ", *version,
                                            " of model ", model_name));
  }
  if (statuses.empty()) {
    return absl::NotFoundError(
        absl::StrCat("Could not find any versions of model ", model_name));
  }
  return statuses;
}

std::vector<std::string> ModelManager::ModelNames() const {
  std::shared_ptr<const ServingState> state = std::atomic_load(&state_);
  std::vector<std::string> names;
  for (const auto& [name, model] : state->models) names.push_back(name);
  return names;
}

std::map<std::string, int64_t> ModelManager::VersionLabels(
    absl::string_view model_name) const {
  std::shared_ptr<const ServingState> state = std::atomic_load(&state_);
  auto labels = state->labels.find(model_name);
  if (labels == state->labels.end()) return {};
  return labels->second;
}

int64_t ModelManager::warmup_requests_replayed() const {
  std::shared_ptr<const ServingState> state = std::atomic_load(&state_);
  int64_t total = retired_warmup_requests_.load();
  for (const auto& [name, model] : state->models) {
    total += model->warmup_requests_replayed();
  }
  return total;
}

}  // namespace model_server
