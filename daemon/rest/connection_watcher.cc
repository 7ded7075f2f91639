#include "daemon/rest/connection_watcher.h"

#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "absl/strings/str_cat.h"
#include "glog/logging.h"

namespace model_server {
namespace {

// The wake eventfd's epoll data; registration ids start at 1.
constexpr uint64_t kWakeId = 0;

}  // namespace

absl::StatusOr<std::unique_ptr<ConnectionWatcher>> ConnectionWatcher::Start() {
  const int epoll_fd = epoll_create1(EPOLL_CLOEXEC);
  if (epoll_fd < 0) {
    return absl::InternalError(
        absl::StrCat("could not create an epoll instance to watch HTTP "
                     "connections: ",
                     std::strerror(errno)));
  }
  const int wake_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
  epoll_event wake{};
  wake.events = EPOLLIN;
  wake.data.u64 = kWakeId;
  if (wake_fd < 0 || epoll_ctl(epoll_fd, EPOLL_CTL_ADD, wake_fd, &wake) != 0) {
    const int error = errno;
    if (wake_fd >= 0) close(wake_fd);
    close(epoll_fd);
    return absl::InternalError(
        absl::StrCat("could not create the eventfd of the HTTP connection "
                     "watcher: ",
                     std::strerror(error)));
  }
  std::unique_ptr<ConnectionWatcher> watcher(
      new ConnectionWatcher(epoll_fd, wake_fd));
  watcher->thread_ = std::thread([w = watcher.get()] { w->Run(); });
  return watcher;
}

ConnectionWatcher::ConnectionWatcher(int epoll_fd, int wake_fd)
    : epoll_fd_(epoll_fd), wake_fd_(wake_fd) {}

ConnectionWatcher::~ConnectionWatcher() {
  const uint64_t one = 1;
  if (write(wake_fd_, &one, sizeof(one)) != sizeof(one)) {
    LOG(ERROR) << "could not wake the HTTP connection watcher: "
               << std::strerror(errno);
  }
  thread_.join();
  close(wake_fd_);
  close(epoll_fd_);
}

void ConnectionWatcher::Run() {
  epoll_event events[16];
  for (;;) {
    const int n = epoll_wait(epoll_fd_, events, 16, -1);
    if (n < 0) {
      if (errno == EINTR) continue;
      LOG(ERROR) << "HTTP connection watcher stops: epoll_wait: "
                 << std::strerror(errno);
      return;
    }
    absl::MutexLock lock(&mu_);
    for (int i = 0; i < n; ++i) {
      if (events[i].data.u64 == kWakeId) return;
      auto it = flags_.find(events[i].data.u64);
      if (it != flags_.end()) it->second->Cancel();
    }
  }
}

ConnectionWatcher::Registration::Registration(ConnectionWatcher* watcher,
                                              int fd, CancellationFlag* flag)
    : watcher_(watcher), fd_(fd) {
  uint64_t id;
  {
    absl::MutexLock lock(&watcher_->mu_);
    id = watcher_->next_id_++;
    watcher_->flags_.emplace(id, flag);
  }
  epoll_event event{};
  // One-shot: after a hang-up is reported once, the socket stays quiet
  // until the registration removes it.
  event.events = EPOLLRDHUP | EPOLLONESHOT;
  event.data.u64 = id;
  if (epoll_ctl(watcher_->epoll_fd_, EPOLL_CTL_ADD, fd, &event) != 0) {
    LOG_EVERY_N(WARNING, 1000)
        << "cannot watch HTTP connection " << fd
        << " for the client going away: " << std::strerror(errno);
    absl::MutexLock lock(&watcher_->mu_);
    watcher_->flags_.erase(id);
    return;
  }
  id_ = id;
}

ConnectionWatcher::Registration::~Registration() {
  if (id_ == 0) return;
  // An event already taken from epoll may still raise the flag until the
  // entry is gone; the flag outlives this destructor, so that is harmless.
  epoll_ctl(watcher_->epoll_fd_, EPOLL_CTL_DEL, fd_, nullptr);
  absl::MutexLock lock(&watcher_->mu_);
  watcher_->flags_.erase(id_);
}

}  // namespace model_server
