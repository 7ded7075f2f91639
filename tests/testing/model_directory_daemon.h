// A daemon serving one model from a fresh temporary base directory that the
// test owns: it writes version 1 before the start, then adds, breaks,
// replaces or deletes version directories while the daemon watches (the
// fault, deadline and warmup tests).
//
//   auto served = ModelDirectoryDaemon::Start("m", WriteMyModel,
//                                             {"--file_system_poll_wait_seconds=1"});
//   WriteMyModel((*served)->Path("incoming"));
//   fs::rename((*served)->Path("incoming"), (*served)->Path("2"));
//   auto status = (*served)->WaitForState(2, ModelVersionStatus::AVAILABLE,
//                                         absl::Seconds(20));
//
// The daemon is stopped (SIGTERM, exit code 0 expected) by Stop(); the
// destructor kills it if the test did not.
#ifndef MODEL_SERVER_TESTS_TESTING_MODEL_DIRECTORY_DAEMON_H_
#define MODEL_SERVER_TESTS_TESTING_MODEL_DIRECTORY_DAEMON_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "tensorflow_serving/apis/get_model_status.pb.h"
#include "tests/testing/daemon_process.h"

namespace model_server {
namespace testing {

class ModelDirectoryDaemon {
 public:
  // Writes one complete version into the directory it is given.
  using VersionWriter = std::function<absl::Status(const std::string& dir)>;

  // Writes version 1 with `write_version1` into a new base directory and
  // starts the daemon on it (model `model_name`, `extra_flags` added, the
  // REST API on daemon().rest_port() with `rest_api`), waiting until
  // version 1 is AVAILABLE.
  static absl::StatusOr<std::unique_ptr<ModelDirectoryDaemon>> Start(
      const std::string& model_name, const VersionWriter& write_version1,
      const std::vector<std::string>& extra_flags, bool rest_api = false);

  DaemonProcess& daemon() { return *daemon_; }
  const std::string& model_name() const { return model_name_; }
  // <base directory>/<name>, e.g. Path("2") for version 2.
  std::string Path(const std::string& name) const;

  // The version's entry in GetModelStatus; nullopt when it has none (or the
  // call failed).
  std::optional<tensorflow::serving::ModelVersionStatus> VersionStatus(
      int64_t version);
  // Polls GetModelStatus until `version` is in `state` or `timeout` passes;
  // the last entry seen (check its state).
  std::optional<tensorflow::serving::ModelVersionStatus> WaitForState(
      int64_t version, tensorflow::serving::ModelVersionStatus::State state,
      absl::Duration timeout);

  // SIGTERM and wait: the exit code.
  absl::StatusOr<int> Stop();

 private:
  ModelDirectoryDaemon() = default;

  std::string model_name_;
  std::unique_ptr<TempDirectory> base_;
  std::unique_ptr<DaemonProcess> daemon_;
};

// The process's CPU time so far (user + system, all threads), from
// /proc/<pid>/stat; a negative duration when it cannot be read.
absl::Duration ProcessCpuTime(pid_t pid);

// The process's resident set size in kB, from /proc/<pid>/status; -1 when
// it cannot be read.
int64_t ProcessRssKb(pid_t pid);

}  // namespace testing
}  // namespace model_server

#endif  // MODEL_SERVER_TESTS_TESTING_MODEL_DIRECTORY_DAEMON_H_
