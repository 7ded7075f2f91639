// ServedModel: one model's versions on disk, its version policy, loads on the
// load threads, availability-preserving swaps.
#include "loader/served_model.h"

#include <filesystem>
#include <fstream>
#include <future>
#include <map>
#include <thread>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "gtest/gtest.h"
#include "loader/load_observer.h"
#include "tests/testing/test_paths.h"

namespace model_server {
namespace {

namespace fs = std::filesystem;

// Serving tests use TF Serving's half_plus_two from the shared corpus.
const fs::path kModel =
    fs::path(testing::SharedDir()) / "models/tfs_half_plus_two_cpu/00000123";

class ServedModelTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!fs::exists(kModel)) {
      GTEST_SKIP() << "shared model corpus not found at " << kModel
                   << "; skipping ServedModel serving tests";
    }
    char pattern[] = "/tmp/served_model_test.XXXXXX";
    base_ = mkdtemp(pattern);
  }
  void TearDown() override {
    if (!base_.empty()) fs::remove_all(base_);
  }

  void AddVersion(int64_t version) {
    fs::copy(kModel, base_ / std::to_string(version),
             fs::copy_options::recursive);
  }

  // Retired versions are destroyed inline (no unload threads), so states
  // are final when a handle is released.
  std::shared_ptr<ServedModel> MakeModel(
      VersionPolicy policy = VersionPolicy::Latest()) {
    ServedModelOptions options;
    options.model_name = "half_plus_two";
    options.base_path = base_.native();
    options.version_policy = std::move(policy);
    options.max_num_load_retries = 0;
    return ServedModel::Create(
        options, ServingThreads{load_threads_, nullptr, nullptr}, nullptr);
  }

  // Freshly copied files need two polls: one to see them, one to see them
  // unchanged. Then the loads finish.
  static void PollTwice(ServedModel& model) {
    model.Poll();
    model.Poll();
    model.WaitForPendingLoads();
  }
  static void PollOnce(ServedModel& model) {
    model.Poll();
    model.WaitForPendingLoads();
  }

  static VersionStatus StatusOf(const ServedModel& model, int64_t version) {
    std::optional<VersionStatus> status = model.status_board()->Get(version);
    if (status.has_value()) return *status;
    return VersionStatus{version, VersionState::kStart,
                         absl::NotFoundError("no status")};
  }

  static int64_t ServedVersion(const ServedModel& model) {
    auto handle = model.GetHandle(std::nullopt);
    return handle.ok() ? (*handle)->version : -1;
  }

  fs::path base_;
  std::shared_ptr<WorkerPool> load_threads_ =
      std::make_shared<WorkerPool>("load", 1);
};

TEST_F(ServedModelTest, ServesTheHighestVersion) {
  AddVersion(1);
  AddVersion(3);
  auto model = MakeModel();
  PollTwice(*model);
  EXPECT_EQ(ServedVersion(*model), 3);
  EXPECT_EQ(StatusOf(*model, 3).state, VersionState::kAvailable);
  EXPECT_FALSE(model->IsAvailable(1));
}

TEST_F(ServedModelTest, UnknownVersionIsNotFoundWithTfServingText) {
  AddVersion(1);
  auto model = MakeModel();
  PollTwice(*model);
  auto handle = model->GetHandle(7);
  EXPECT_EQ(handle.status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(handle.status().message(),
            "Servable not found for request: Specific(half_plus_two, 7)");
}

TEST_F(ServedModelTest, NothingLoadedIsNotFoundForLatest) {
  auto model = MakeModel();
  PollOnce(*model);
  auto handle = model->GetHandle(std::nullopt);
  EXPECT_EQ(handle.status().message(),
            "Servable not found for request: Latest(half_plus_two)");
  EXPECT_EQ(model->LastPollProblem(),
            "No versions of servable half_plus_two found under base path " +
                base_.native());
}

TEST_F(ServedModelTest, NewVersionSwapsInAndOldUnloadsWhenReleased) {
  AddVersion(1);
  auto model = MakeModel();
  PollTwice(*model);
  auto old_handle = model->GetHandle(std::nullopt);
  ASSERT_TRUE(old_handle.ok());
  AddVersion(2);
  PollTwice(*model);
  EXPECT_EQ(ServedVersion(*model), 2);
  // The in-flight request still holds version 1.
  EXPECT_EQ(StatusOf(*model, 1).state, VersionState::kUnloading);
  EXPECT_EQ((*old_handle)->version, 1);
  old_handle->reset();
  EXPECT_EQ(StatusOf(*model, 1).state, VersionState::kEnd);
}

// Records the thread each load attempt ran on.
class LoadThreadRecorder : public LoadObserver {
 public:
  void OnLoadAttempt(const LoadAttempt& attempt) override {
    absl::MutexLock lock(&mu_);
    threads_[attempt.version] = std::this_thread::get_id();
  }
  std::thread::id ThreadOf(int64_t version) {
    absl::MutexLock lock(&mu_);
    return threads_[version];
  }

 private:
  absl::Mutex mu_;
  std::map<int64_t, std::thread::id> threads_ ABSL_GUARDED_BY(mu_);
};

std::thread::id ThreadOfPool(WorkerPool& pool) {
  std::promise<std::thread::id> id;
  pool.Schedule([&id] { id.set_value(std::this_thread::get_id()); });
  return id.get_future().get();
}

// While no version serves, requests for the model wait on its load: that
// load runs on the first-load threads (normal priority); a later version
// loads on the load threads (lower priority) while the first one serves.
TEST_F(ServedModelTest, FirstVersionLoadsOnTheFirstLoadThreads) {
  auto first_load_threads = std::make_shared<WorkerPool>("first load", 1);
  LoadThreadRecorder recorder;
  ServedModelOptions options;
  options.model_name = "half_plus_two";
  options.base_path = base_.native();
  options.max_num_load_retries = 0;
  options.load_observer = &recorder;
  auto model = ServedModel::Create(
      options, ServingThreads{load_threads_, nullptr, first_load_threads},
      nullptr);
  AddVersion(1);
  PollTwice(*model);
  ASSERT_EQ(ServedVersion(*model), 1);
  AddVersion(2);
  PollTwice(*model);
  EXPECT_EQ(ServedVersion(*model), 2);
  EXPECT_EQ(recorder.ThreadOf(1), ThreadOfPool(*first_load_threads));
  EXPECT_EQ(recorder.ThreadOf(2), ThreadOfPool(*load_threads_));
  model->Retire();
}

TEST_F(ServedModelTest, FailedVersionLeavesServingVersionAndReportsError) {
  AddVersion(1);
  auto model = MakeModel();
  PollTwice(*model);
  fs::create_directories(base_ / "2");
  std::ofstream(base_ / "2/saved_model.pb") << "not a protobuf";
  PollTwice(*model);
  EXPECT_EQ(ServedVersion(*model), 1);
  VersionStatus failed = StatusOf(*model, 2);
  EXPECT_EQ(failed.state, VersionState::kEnd);
  EXPECT_FALSE(failed.status.ok());
  EXPECT_NE(failed.status.message().find("saved_model.pb"), std::string::npos)
      << failed.status;
  // Not retried while its files stay the same.
  PollOnce(*model);
  EXPECT_EQ(StatusOf(*model, 2).state, VersionState::kEnd);
  EXPECT_EQ(ServedVersion(*model), 1);
}

TEST_F(ServedModelTest, RemovedVersionFallsBackToTheNextHighest) {
  AddVersion(1);
  AddVersion(2);
  auto model = MakeModel();
  PollTwice(*model);
  ASSERT_EQ(ServedVersion(*model), 2);
  fs::remove_all(base_ / "2");
  PollOnce(*model);
  EXPECT_EQ(ServedVersion(*model), 1);
  EXPECT_EQ(StatusOf(*model, 2).state, VersionState::kEnd);
}

TEST_F(ServedModelTest, EmptyBasePathUnloadsEverything) {
  AddVersion(1);
  auto model = MakeModel();
  PollTwice(*model);
  fs::remove_all(base_ / "1");
  PollOnce(*model);
  EXPECT_FALSE(model->GetHandle(std::nullopt).ok());
}

TEST_F(ServedModelTest, StatusesAreListedHighestFirst) {
  AddVersion(1);
  auto model = MakeModel();
  PollTwice(*model);
  AddVersion(2);
  PollTwice(*model);
  auto statuses = model->status_board()->List();
  ASSERT_GE(statuses.size(), 2u);
  EXPECT_EQ(statuses[0].version, 2);
  EXPECT_EQ(statuses[1].version, 1);
}

TEST_F(ServedModelTest, AllPolicyServesEveryVersionAtOnce) {
  AddVersion(1);
  AddVersion(2);
  AddVersion(3);
  auto model = MakeModel(VersionPolicy::All());
  PollTwice(*model);
  EXPECT_TRUE(model->IsAvailable(1));
  EXPECT_TRUE(model->IsAvailable(2));
  EXPECT_TRUE(model->IsAvailable(3));
  EXPECT_EQ(ServedVersion(*model), 3);
  auto first = model->GetHandle(1);
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_EQ((*first)->version, 1);
}

TEST_F(ServedModelTest, LatestTwoServesTheTwoHighest) {
  AddVersion(1);
  AddVersion(2);
  AddVersion(3);
  auto model = MakeModel(VersionPolicy::Latest(2));
  PollTwice(*model);
  EXPECT_FALSE(model->IsAvailable(1));
  EXPECT_TRUE(model->IsAvailable(2));
  EXPECT_TRUE(model->IsAvailable(3));
}

TEST_F(ServedModelTest, SpecificPolicyServesOnlyTheListedVersion) {
  AddVersion(1);
  AddVersion(2);
  auto model = MakeModel(VersionPolicy::Specific({1}));
  PollTwice(*model);
  EXPECT_TRUE(model->IsAvailable(1));
  EXPECT_FALSE(model->IsAvailable(2));
  EXPECT_EQ(ServedVersion(*model), 1);
  EXPECT_EQ(StatusOf(*model, 2).state, VersionState::kStart)
      << "version 2 was never loaded";
}

TEST_F(ServedModelTest, MissingSpecificVersionIsTheLastPollProblem) {
  AddVersion(1);
  auto model = MakeModel(VersionPolicy::Specific({7}));
  PollTwice(*model);
  EXPECT_FALSE(model->HasAvailableVersion());
  EXPECT_EQ(model->LastPollProblem(),
            "Version 7 of servable half_plus_two, which was requested to be "
            "served as a 'specific' version in the servable's version "
            "policy, was not found in the file system");
}

TEST_F(ServedModelTest, PolicyChangeLoadsTheNewVersionBeforeUnloadingTheOld) {
  AddVersion(1);
  AddVersion(2);
  auto model = MakeModel(VersionPolicy::Specific({1}));
  PollTwice(*model);
  ASSERT_EQ(ServedVersion(*model), 1);
  EXPECT_TRUE(model->Reconfigure(base_.native(), VersionPolicy::Specific({2})));
  EXPECT_FALSE(
      model->Reconfigure(base_.native(), VersionPolicy::Specific({2})));
  model->Poll();
  // Until version 2 is loaded, version 1 keeps serving.
  EXPECT_TRUE(model->IsAvailable(1) || model->IsAvailable(2));
  model->WaitForPendingLoads();
  EXPECT_EQ(ServedVersion(*model), 2);
  EXPECT_FALSE(model->IsAvailable(1));
  EXPECT_EQ(StatusOf(*model, 1).state, VersionState::kEnd);
}

TEST_F(ServedModelTest, VersionStillBeingWrittenKeepsTheServingOne) {
  AddVersion(1);
  auto model = MakeModel();
  PollTwice(*model);
  fs::create_directories(base_ / "2/variables");  // no saved_model.pb yet
  PollTwice(*model);
  EXPECT_EQ(ServedVersion(*model), 1);
  EXPECT_TRUE(model->HasIncompleteVersions());
}

TEST_F(ServedModelTest, NewBasePathServesOnceItsVersionsHaveLoaded) {
  AddVersion(1);
  auto model = MakeModel();
  PollTwice(*model);
  const fs::path other = base_ / "elsewhere";
  fs::create_directories(other);
  fs::copy(kModel, other / "2", fs::copy_options::recursive);
  EXPECT_TRUE(model->Reconfigure(other.native(), VersionPolicy::Latest()));
  // The fresh copy is not complete on the first scan: version 1 serves on.
  PollOnce(*model);
  EXPECT_EQ(ServedVersion(*model), 1);
  PollOnce(*model);
  EXPECT_EQ(ServedVersion(*model), 2);
  EXPECT_FALSE(model->IsAvailable(1));
}

TEST_F(ServedModelTest, RetireUnloadsEveryVersionAndStopsPolling) {
  AddVersion(1);
  auto model = MakeModel();
  PollTwice(*model);
  model->Retire();
  EXPECT_FALSE(model->HasAvailableVersion());
  EXPECT_EQ(StatusOf(*model, 1).state, VersionState::kEnd);
  AddVersion(2);
  PollTwice(*model);
  EXPECT_FALSE(model->HasAvailableVersion());
}

TEST_F(ServedModelTest, FixedVersionIsRetriedWhenItsFilesChange) {
  fs::create_directories(base_ / "1");
  std::ofstream(base_ / "1/saved_model.pb") << "not a protobuf";
  auto model = MakeModel();
  PollTwice(*model);
  ASSERT_EQ(StatusOf(*model, 1).state, VersionState::kEnd);
  fs::remove_all(base_ / "1");
  AddVersion(1);
  PollTwice(*model);
  EXPECT_EQ(ServedVersion(*model), 1);
  EXPECT_EQ(StatusOf(*model, 1).state, VersionState::kAvailable);
}

}  // namespace
}  // namespace model_server
