#include "loader/served_model.h"

#include <filesystem>
#include <system_error>
#include <utility>
#include <vector>

#include "absl/cleanup/cleanup.h"
#include "absl/strings/str_cat.h"
#include "glog/logging.h"
#include "loader/servable_request.h"

namespace model_server {
namespace {

// Failures that a retry with the same files cannot fix: unsupported ops,
// malformed models and warmup files. They are retried when the version's
// files change.
bool IsRetryable(const absl::Status& status) {
  switch (status.code()) {
    case absl::StatusCode::kUnimplemented:
    case absl::StatusCode::kInvalidArgument:
    case absl::StatusCode::kNotFound:
    case absl::StatusCode::kFailedPrecondition:
    case absl::StatusCode::kDataLoss:
      return false;
    default:
      return true;
  }
}

}  // namespace

std::shared_ptr<ServedModel> ServedModel::Create(
    ServedModelOptions options, ServingThreads threads,
    std::shared_ptr<VersionStatusBoard> board) {
  return std::shared_ptr<ServedModel>(new ServedModel(
      std::move(options), std::move(threads),
      board != nullptr ? std::move(board)
                       : std::make_shared<VersionStatusBoard>()));
}

ServedModel::ServedModel(ServedModelOptions options, ServingThreads threads,
                         std::shared_ptr<VersionStatusBoard> board)
    : options_(std::move(options)),
      threads_(std::move(threads)),
      board_(std::move(board)),
      serving_(std::make_shared<const VersionMap>()),
      base_path_(options_.base_path),
      policy_(options_.version_policy),
      watcher_(options_.base_path) {}

ServedModel::~ServedModel() = default;

std::string ServedModel::IdText(int64_t version) const {
  return ServableIdText(options_.model_name, version);
}

absl::StatusOr<ServableHandle> ServedModel::GetHandle(
    std::optional<int64_t> version) const {
  std::shared_ptr<const VersionMap> serving = std::atomic_load(&serving_);
  if (!version.has_value()) {
    if (!serving->empty()) return serving->rbegin()->second;
  } else {
    auto it = serving->find(*version);
    if (it != serving->end()) return it->second;
  }
  return absl::NotFoundError(
      absl::StrCat("Servable not found for request: ",
                   ServableRequestText(options_.model_name, version)));
}

bool ServedModel::IsAvailable(int64_t version) const {
  return std::atomic_load(&serving_)->count(version) > 0;
}

bool ServedModel::HasAvailableVersion() const {
  return !std::atomic_load(&serving_)->empty();
}

bool ServedModel::Reconfigure(const std::string& base_path,
                              const VersionPolicy& policy) {
  absl::MutexLock lock(&mu_);
  const bool changed = base_path != base_path_ || policy != policy_;
  if (base_path != base_path_) {
    LOG(INFO) << "Model " << options_.model_name << ": base path " << base_path_
              << " -> " << base_path;
    base_path_ = base_path;
    watcher_ = VersionWatcher(base_path);
    // complete_ and present_ stay until the new path's first scan: a load
    // finishing meanwhile must not see an empty model and unload everything.
    failed_.clear();
  }
  if (policy != policy_) {
    LOG(INFO) << "Model " << options_.model_name << ": version policy "
              << DescribeVersionPolicy(policy_) << " -> "
              << DescribeVersionPolicy(policy);
    policy_ = policy;
  }
  return changed;
}

void ServedModel::Poll() {
  absl::MutexLock lock(&mu_);
  if (retired_) return;
  absl::StatusOr<VersionWatcher::Scan> scan = watcher_.Poll();
  if (!scan.ok()) {
    // Keep serving what we have (TF Serving logs and keeps polling).
    poll_problem_ = std::string(scan.status().message());
    LogProblemsLocked({absl::StrCat(
        "FileSystemStoragePathSource encountered a filesystem access error: ",
        poll_problem_)});
    return;
  }
  std::set<std::string> problems;
  poll_problem_.clear();
  if (scan->present.empty()) {
    poll_problem_ =
        absl::StrCat("No versions of servable ", options_.model_name,
                     " found under base path ", base_path_);
    problems.insert(poll_problem_);
  }
  if (policy_.kind == VersionPolicy::Kind::kSpecific) {
    for (int64_t version : policy_.versions) {
      if (scan->present.count(version)) continue;
      problems.insert(absl::StrCat(
          "Version ", version, " of servable ", options_.model_name,
          ", which was requested to be served as a 'specific' version in the "
          "servable's version policy, was not found in the file system"));
    }
  }
  if (poll_problem_.empty() && !problems.empty()) {
    poll_problem_ = *problems.begin();
  }
  LogProblemsLocked(std::move(problems));

  // Forget failures whose files changed, so a fixed version is retried.
  for (auto it = failed_.begin(); it != failed_.end();) {
    auto complete = scan->complete.find(it->first);
    const bool changed = !scan->present.count(it->first) ||
                         (complete != scan->complete.end() &&
                          complete->second.fingerprint != it->second);
    it = changed ? failed_.erase(it) : std::next(it);
  }
  incomplete_versions_ = scan->present.size() > scan->complete.size();
  complete_ = std::move(scan->complete);
  present_ = std::move(scan->present);
  ReconcileLocked();
}

void ServedModel::LogProblemsLocked(std::set<std::string> problems) {
  for (const std::string& problem : problems) {
    if (!logged_problems_.count(problem)) LOG(WARNING) << problem;
  }
  logged_problems_ = std::move(problems);
}

void ServedModel::ReconcileLocked() {
  std::set<int64_t> candidates;
  for (const auto& [version, directory] : complete_) candidates.insert(version);
  // What to load: the policy over complete versions.
  const std::set<int64_t> aspired = AspiredVersions(policy_, candidates);
  // What to keep: also versions the policy wants that are still being
  // written, so the versions they replace serve until they have loaded.
  std::set<int64_t> kept = AspiredVersions(policy_, present_);
  kept.insert(aspired.begin(), aspired.end());

  std::shared_ptr<const VersionMap> current = std::atomic_load(&serving_);
  std::set<int64_t> serving;
  for (const auto& [version, handle] : *current) serving.insert(version);
  const std::set<int64_t> retired = VersionsToUnload(kept, serving);
  if (!retired.empty()) {
    auto next = std::make_shared<VersionMap>();
    for (const auto& [version, handle] : *current) {
      if (!retired.count(version)) next->emplace(version, handle);
    }
    PublishLocked(std::move(next));
  }
  // Highest first, as TF Serving loads.
  for (auto it = aspired.rbegin(); it != aspired.rend(); ++it) {
    const int64_t version = *it;
    if (serving.count(version) || loading_.count(version) ||
        failed_.count(version)) {
      continue;
    }
    ScheduleLoadLocked(version, complete_.at(version));
  }
}

void ServedModel::ScheduleLoadLocked(int64_t version,
                                     const VersionDirectory& directory) {
  loading_.insert(version);
  ++pending_loads_;
  board_->Set(version, VersionState::kLoading);
  std::shared_ptr<ServedModel> self = shared_from_this();
  const bool none_serving = std::atomic_load(&serving_)->empty();
  WorkerPool& pool = none_serving && threads_.first_load != nullptr
                         ? *threads_.first_load
                         : *threads_.load;
  const bool queued = pool.Schedule(
      [self, version, directory] { self->LoadVersion(version, directory); });
  if (!queued) {
    loading_.erase(version);
    --pending_loads_;
    board_->Set(version, VersionState::kEnd,
                absl::CancelledError("the server is shutting down"));
  }
}

void ServedModel::LoadVersion(int64_t version,
                              const VersionDirectory& directory) {
  absl::StatusOr<ServableHandle> loaded =
      retire_.HasBeenNotified()
          ? absl::CancelledError("the model is no longer served")
          : LoadWithRetries(version, directory);
  FinishLoad(version, directory, std::move(loaded));
}

absl::StatusOr<ServableHandle> ServedModel::LoadWithRetries(
    int64_t version, const VersionDirectory& directory) {
  absl::Status status;
  for (int attempt = 0; attempt <= options_.max_num_load_retries; ++attempt) {
    if (attempt > 0) {
      if (retire_.WaitForNotificationWithTimeout(
              options_.load_retry_interval)) {
        return absl::CancelledError("the model is no longer served");
      }
      LOG(INFO) << "Retrying load on servable version: " << IdText(version)
                << " retry: " << attempt;
    }
    absl::StatusOr<ServableHandle> handle = LoadOnce(version, directory.path);
    if (handle.ok()) return handle;
    status = handle.status();
    LOG(ERROR) << "Servable: " << IdText(version)
               << " load failure: " << status;
    if (!IsRetryable(status)) break;
  }
  return status;
}

absl::StatusOr<ServableHandle> ServedModel::LoadOnce(int64_t version,
                                                     const std::string& path) {
  LOG(INFO) << "Loading servable version " << IdText(version) << " from "
            << path;
  LoadAttempt attempt;
  attempt.model_name = options_.model_name;
  attempt.version = version;
  attempt.path = path;
  // Tells the observer how this attempt went, however it ends.
  absl::Cleanup report = [this, &attempt] {
    if (options_.load_observer != nullptr) {
      options_.load_observer->OnLoadAttempt(attempt);
    }
  };

  const absl::Time start = absl::Now();
  absl::StatusOr<std::unique_ptr<LoadedModel>> model =
      LoadedModel::Load(path, options_.load);
  attempt.load_time = absl::Now() - start;
  attempt.load_status = model.status();
  if (!model.ok()) return model.status();
  const absl::Time warmup_start = absl::Now();
  absl::StatusOr<int64_t> warmup = RunWarmup(**model, options_.warmup);
  std::error_code no_file;
  if (options_.warmup.enabled &&
      std::filesystem::exists(
          absl::StrCat((*model)->export_dir(), "/", kWarmupRequestsFile),
          no_file)) {
    attempt.warmup = LoadAttempt::Warmup{
        warmup.status(), absl::Now() - warmup_start, warmup.value_or(0)};
  }
  if (!warmup.ok()) return warmup.status();
  warmup_requests_replayed_ += *warmup;
  LOG(INFO) << "Successfully loaded servable version " << IdText(version)
            << " in " << absl::FormatDuration(absl::Now() - start)
            << (*warmup > 0
                    ? absl::StrCat(" (", *warmup, " warmup requests replayed)")
                    : "");
  return MakeHandle(version, *std::move(model), *warmup);
}

void ServedModel::FinishLoad(int64_t version, const VersionDirectory& directory,
                             absl::StatusOr<ServableHandle> loaded) {
  absl::MutexLock lock(&mu_);
  loading_.erase(version);
  --pending_loads_;
  if (retired_) {
    // The model left the config while this version loaded: it never serves.
    board_->Set(version, VersionState::kEnd,
                loaded.ok() ? absl::OkStatus() : loaded.status());
    return;
  }
  if (!loaded.ok()) {
    failed_[version] = directory.fingerprint;
    board_->Set(version, VersionState::kEnd, loaded.status());
    return;
  }
  auto next = std::make_shared<VersionMap>(*std::atomic_load(&serving_));
  (*next)[version] = *std::move(loaded);
  board_->Set(version, VersionState::kAvailable);
  PublishLocked(std::move(next));
  // Retire what the new version replaces.
  ReconcileLocked();
}

ServableHandle ServedModel::MakeHandle(int64_t version,
                                       std::unique_ptr<LoadedModel> model,
                                       int64_t warmup_requests) const {
  auto* served = new ServedVersion{options_.model_name, version,
                                   std::move(model), warmup_requests};
  std::shared_ptr<VersionStatusBoard> board = board_;
  std::shared_ptr<WorkerPool> unload = threads_.unload;
  std::string id = IdText(version);
  LoadObserver* observer = options_.load_observer;
  return ServableHandle(served, [board, unload, id, version,
                                 observer](const ServedVersion* retired) {
    auto destroy = [board, id, version, observer, retired] {
      const std::string model_name = retired->model_name;
      const std::string path = retired->model->export_dir();
      delete retired;
      board->MarkUnloaded(version);
      LOG(INFO) << "Done unloading servable version " << id;
      if (observer != nullptr) {
        observer->OnVersionUnloaded(model_name, version, path);
      }
    };
    // The last request to let go may be on a gRPC thread: destroy the
    // version on an unload thread instead (inline once those stopped).
    if (unload == nullptr || !unload->Schedule(destroy)) destroy();
  });
}

void ServedModel::PublishLocked(std::shared_ptr<const VersionMap> next) {
  std::shared_ptr<const VersionMap> previous =
      std::atomic_exchange(&serving_, std::shared_ptr<const VersionMap>(next));
  for (const auto& [version, handle] : *previous) {
    if (next->count(version)) continue;
    LOG(INFO) << "Unloading servable version " << IdText(version);
    board_->Set(version, VersionState::kUnloading);
  }
  // `previous` goes out of scope here; a retired version is destroyed when
  // the last in-flight request releases its handle.
}

void ServedModel::WaitForPendingLoads() {
  absl::MutexLock lock(&mu_);
  mu_.Await(absl::Condition(this, &ServedModel::NoPendingLoads));
}

void ServedModel::Retire() {
  absl::MutexLock lock(&mu_);
  if (retired_) return;
  retired_ = true;
  retire_.Notify();
  PublishLocked(std::make_shared<const VersionMap>());
}

std::string ServedModel::LastPollProblem() const {
  absl::MutexLock lock(&mu_);
  return poll_problem_;
}

bool ServedModel::HasIncompleteVersions() const {
  absl::MutexLock lock(&mu_);
  return incomplete_versions_;
}

}  // namespace model_server
