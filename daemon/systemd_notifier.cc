#include "daemon/systemd_notifier.h"

#include <systemd/sd-daemon.h>

#include <algorithm>
#include <cstdint>
#include <string>
#include <utility>

#include "absl/time/clock.h"
#include "glog/logging.h"

namespace model_server {
namespace {

void Notify(const char* message) {
  const int sent = sd_notify(/*unset_environment=*/0, message);
  if (sent < 0) {
    LOG(WARNING) << "sd_notify failed (error " << -sent << "): " << message;
  }
}

}  // namespace

SystemdNotifier::SystemdNotifier(std::function<bool()> serving)
    : serving_(std::move(serving)) {
  uint64_t usec = 0;
  if (sd_watchdog_enabled(/*unset_environment=*/0, &usec) > 0 && usec > 0) {
    watchdog_interval_ = absl::Microseconds(usec) / 2;
    LOG(INFO) << "systemd watchdog on: pinging every " << watchdog_interval_;
  }
  thread_ = std::thread([this] { Loop(); });
}

SystemdNotifier::~SystemdNotifier() { StopThread(); }

void SystemdNotifier::StopThread() {
  if (!stop_.HasBeenNotified()) stop_.Notify();
  if (thread_.joinable()) thread_.join();
}

void SystemdNotifier::Stopping() {
  StopThread();
  Notify("STOPPING=1\nSTATUS=Draining: requests in flight are finishing");
}

void SystemdNotifier::Loop() {
  bool ready = false;
  absl::Time next_ping = absl::Now();
  Notify(
      "STATUS=Waiting for every configured model to have a version "
      "AVAILABLE");
  while (true) {
    const absl::Time now = absl::Now();
    if (!ready && serving_()) {
      ready = true;
      LOG(INFO) << "Serving every configured model";
      Notify("READY=1\nSTATUS=Serving");
    }
    if (watchdog_interval_ > absl::ZeroDuration() && now >= next_ping) {
      Notify("WATCHDOG=1");
      next_ping = now + watchdog_interval_;
    }
    absl::Duration wait = absl::InfiniteDuration();
    if (!ready) wait = kReadyPollInterval;
    if (watchdog_interval_ > absl::ZeroDuration()) {
      wait = std::min(wait, next_ping - absl::Now());
    }
    if (stop_.WaitForNotificationWithTimeout(
            std::max(wait, absl::ZeroDuration()))) {
      return;
    }
  }
}

}  // namespace model_server
