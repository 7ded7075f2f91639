#include "tests/testing/model_directory_daemon.h"

#include <unistd.h>

#include <fstream>
#include <sstream>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"

namespace model_server {
namespace testing {

namespace tfs = tensorflow::serving;

absl::StatusOr<std::unique_ptr<ModelDirectoryDaemon>>
ModelDirectoryDaemon::Start(const std::string& model_name,
                            const VersionWriter& write_version1,
                            const std::vector<std::string>& extra_flags,
                            bool rest_api) {
  std::unique_ptr<ModelDirectoryDaemon> served(new ModelDirectoryDaemon());
  served->model_name_ = model_name;
  absl::StatusOr<std::unique_ptr<TempDirectory>> base = TempDirectory::Create();
  if (!base.ok()) return base.status();
  served->base_ = *std::move(base);
  if (absl::Status status = write_version1(served->Path("1")); !status.ok()) {
    return status;
  }
  DaemonOptions options;
  options.model_name = model_name;
  options.model_base_path = served->base_->path();
  options.extra_flags = extra_flags;
  options.rest_api = rest_api;
  absl::StatusOr<std::unique_ptr<DaemonProcess>> daemon =
      DaemonProcess::Start(options);
  if (!daemon.ok()) return daemon.status();
  served->daemon_ = *std::move(daemon);
  return served;
}

std::string ModelDirectoryDaemon::Path(const std::string& name) const {
  return base_->path() + "/" + name;
}

std::optional<tfs::ModelVersionStatus> ModelDirectoryDaemon::VersionStatus(
    int64_t version) {
  tfs::GetModelStatusResponse response;
  if (!CallGetModelStatus(daemon_->model_service(), model_name_, &response)
           .ok()) {
    return std::nullopt;
  }
  for (const tfs::ModelVersionStatus& entry : response.model_version_status()) {
    if (entry.version() == version) return entry;
  }
  return std::nullopt;
}

std::optional<tfs::ModelVersionStatus> ModelDirectoryDaemon::WaitForState(
    int64_t version, tfs::ModelVersionStatus::State state,
    absl::Duration timeout) {
  const absl::Time deadline = absl::Now() + timeout;
  std::optional<tfs::ModelVersionStatus> status = VersionStatus(version);
  while ((!status || status->state() != state) && absl::Now() < deadline) {
    absl::SleepFor(absl::Milliseconds(20));
    status = VersionStatus(version);
  }
  return status;
}

absl::StatusOr<int> ModelDirectoryDaemon::Stop() { return daemon_->Stop(); }

absl::Duration ProcessCpuTime(pid_t pid) {
  std::ifstream file(absl::StrCat("/proc/", pid, "/stat"));
  std::string text((std::istreambuf_iterator<char>(file)),
                   std::istreambuf_iterator<char>());
  // The command name (field 2) may hold spaces: count fields after its ')'.
  const size_t close = text.rfind(')');
  if (close == std::string::npos) return absl::Seconds(-1);
  std::istringstream fields(text.substr(close + 2));
  std::string field;
  long long utime = -1, stime = -1;
  // Fields 3.. follow; utime and stime are fields 14 and 15.
  for (int index = 3; index <= 15 && fields >> field; ++index) {
    if (index == 14) utime = std::stoll(field);
    if (index == 15) stime = std::stoll(field);
  }
  if (utime < 0 || stime < 0) return absl::Seconds(-1);
  return absl::Seconds(static_cast<double>(utime + stime) /
                       static_cast<double>(sysconf(_SC_CLK_TCK)));
}

int64_t ProcessRssKb(pid_t pid) {
  std::ifstream status(absl::StrCat("/proc/", pid, "/status"));
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind("VmRSS:", 0) == 0) return std::stoll(line.substr(6));
  }
  return -1;
}

}  // namespace testing
}  // namespace model_server
