// systemd's notify protocol, with the test playing systemd: it binds a
// datagram socket, points the daemon's $NOTIFY_SOCKET at it (and sets
// $WATCHDOG_USEC), and reads what arrives. The model's base path starts
// empty, so READY=1 must wait until the test copies a version in and it is
// AVAILABLE; SIGTERM must bring STOPPING=1.
#include <signal.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstring>
#include <memory>
#include <string>

#include "absl/strings/match.h"
#include "absl/time/clock.h"
#include "gtest/gtest.h"
#include "tests/testing/daemon_process.h"

namespace model_server {
namespace {

namespace tfs = tensorflow::serving;
using testing::DaemonOptions;
using testing::DaemonProcess;
using testing::TempDirectory;

// A bound AF_UNIX datagram socket standing in for systemd's.
class NotifySocket {
 public:
  explicit NotifySocket(const std::string& path) : path_(path) {
    fd_ = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    sockaddr_un address{};
    address.sun_family = AF_UNIX;
    std::strncpy(address.sun_path, path.c_str(), sizeof(address.sun_path) - 1);
    bound_ = fd_ >= 0 && bind(fd_, reinterpret_cast<sockaddr*>(&address),
                              sizeof(address)) == 0;
  }
  ~NotifySocket() {
    if (fd_ >= 0) close(fd_);
  }
  bool bound() const { return bound_; }

  // The next datagram, or "" if none arrives within `timeout`.
  std::string Receive(absl::Duration timeout) {
    timeval tv = absl::ToTimeval(timeout);
    setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
    char buffer[4096];
    const ssize_t n = recv(fd_, buffer, sizeof(buffer), 0);
    return n > 0 ? std::string(buffer, n) : std::string();
  }

  // Reads datagrams until one contains `line` (as a whole line); false
  // after `timeout`. Every datagram read is appended to *seen.
  bool WaitFor(const std::string& line, absl::Duration timeout,
               std::string* seen) {
    const absl::Time deadline = absl::Now() + timeout;
    while (absl::Now() < deadline) {
      const std::string message = Receive(deadline - absl::Now());
      if (message.empty()) continue;
      seen->append(message).append("|");
      if (absl::StrContains("\n" + message + "\n", "\n" + line + "\n")) {
        return true;
      }
    }
    return false;
  }

 private:
  std::string path_;
  int fd_ = -1;
  bool bound_ = false;
};

bool Available(DaemonProcess& daemon) {
  tfs::GetModelStatusResponse status;
  if (!testing::CallGetModelStatus(daemon.model_service(), "half_plus_two",
                                   &status)
           .ok()) {
    return false;
  }
  for (const auto& version : status.model_version_status()) {
    if (version.state() == tfs::ModelVersionStatus::AVAILABLE) return true;
  }
  return false;
}

TEST(SystemdNotify, ReadyOnlyOnceTheModelIsAvailableStoppingOnSigterm) {
  const std::string model = testing::SharedModelPath("tfs_half_plus_two_cpu");
  if (model.empty()) {
    GTEST_SKIP() << "../shared/models/tfs_half_plus_two_cpu is absent: skipped";
  }
  auto scratch = TempDirectory::Create();
  ASSERT_TRUE(scratch.ok()) << scratch.status();
  const std::string base_path = (*scratch)->path() + "/half_plus_two";
  ASSERT_EQ(mkdir(base_path.c_str(), 0755), 0);
  NotifySocket systemd((*scratch)->path() + "/notify");
  ASSERT_TRUE(systemd.bound());

  // The daemon inherits the environment; this test runs in its own process.
  setenv("NOTIFY_SOCKET", ((*scratch)->path() + "/notify").c_str(), 1);
  setenv("WATCHDOG_USEC", "400000", 1);
  DaemonOptions options;
  options.model_name = "half_plus_two";
  options.model_base_path = base_path;
  options.wait_until_available = false;
  options.extra_flags = {"--file_system_poll_wait_seconds=1"};
  auto daemon = DaemonProcess::Start(options);
  unsetenv("NOTIFY_SOCKET");
  unsetenv("WATCHDOG_USEC");
  ASSERT_TRUE(daemon.ok()) << daemon.status();

  // Up, watchdog pings flowing, but no model: not ready.
  std::string seen;
  EXPECT_TRUE(systemd.WaitFor("WATCHDOG=1", absl::Seconds(5), &seen)) << seen;
  EXPECT_FALSE(systemd.WaitFor("READY=1", absl::Seconds(1), &seen)) << seen;
  EXPECT_FALSE(Available(**daemon));

  ASSERT_TRUE(
      testing::CopyDirectoryTree(model + "/00000123", base_path + "/123").ok());
  ASSERT_TRUE(systemd.WaitFor("READY=1", absl::Seconds(30), &seen))
      << seen << "\n"
      << (*daemon)->Stderr();
  EXPECT_TRUE(Available(**daemon));

  (*daemon)->Signal(SIGTERM);
  EXPECT_TRUE(systemd.WaitFor("STOPPING=1", absl::Seconds(10), &seen)) << seen;
  auto exit_code = (*daemon)->WaitForExit(absl::Seconds(20));
  ASSERT_TRUE(exit_code.ok()) << exit_code.status();
  EXPECT_EQ(*exit_code, 0);
}

}  // namespace
}  // namespace model_server
