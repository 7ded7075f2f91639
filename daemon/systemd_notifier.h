// Tells systemd (a Type=notify unit) how the daemon's life goes, through
// sd_notify from Debian's libsystemd:
//   - READY=1 the first time the server is serving (server_health.h: both
//     front ends listen and every configured model has a version
//     AVAILABLE). Until then STATUS= says what it waits for; a model that
//     never loads keeps the unit "activating" until TimeoutStartSec= fails
//     it, which is what `systemctl start` should report.
//   - WATCHDOG=1 every half WatchdogSec= when the unit sets one
//     ($WATCHDOG_USEC, for this process: $WATCHDOG_PID). The pings say the
//     process is scheduled and its notifier thread runs; they continue
//     whether or not the models serve (a model that fails to load is a
//     health matter, not a reason to kill the process).
//   - STOPPING=1 when SIGTERM starts the drain (Stopping()).
// Without $NOTIFY_SOCKET (not under systemd) nothing is sent.
//
// Why libsystemd rather than writing the datagram ourselves: it is a
// Debian package present on every systemd host, and it gets the protocol's
// details right (abstract socket names, WATCHDOG_PID, credentials) without
// us keeping a copy of them.
#ifndef MODEL_SERVER_DAEMON_SYSTEMD_NOTIFIER_H_
#define MODEL_SERVER_DAEMON_SYSTEMD_NOTIFIER_H_

#include <functional>
#include <thread>

#include "absl/synchronization/notification.h"
#include "absl/time/time.h"

namespace model_server {

class SystemdNotifier {
 public:
  // How often `serving` is asked until it first says yes.
  static constexpr absl::Duration kReadyPollInterval = absl::Milliseconds(200);

  // Starts the notifier thread. `serving` is called on it and must stay
  // valid until Stopping() or destruction.
  explicit SystemdNotifier(std::function<bool()> serving);
  // Stops the thread (without sending STOPPING=1).
  ~SystemdNotifier();
  SystemdNotifier(const SystemdNotifier&) = delete;
  SystemdNotifier& operator=(const SystemdNotifier&) = delete;

  // Stops the thread and sends STOPPING=1. Call once.
  void Stopping();

 private:
  void Loop();
  void StopThread();

  const std::function<bool()> serving_;
  absl::Duration watchdog_interval_;  // zero: no watchdog
  absl::Notification stop_;
  std::thread thread_;
};

}  // namespace model_server

#endif  // MODEL_SERVER_DAEMON_SYSTEMD_NOTIFIER_H_
