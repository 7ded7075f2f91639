// Notices when an HTTP client goes away while its request is being handled,
// so the request's run can stop (RunOptions::cancellation) instead of
// computing an answer nobody will read.
//
// The HTTP server handles a request on the thread that polls its
// connection, so libmicrohttpd itself cannot see the connection close until
// the handler returns. The watcher's own thread waits (epoll, no timeout)
// on the sockets of the requests being handled and raises a request's
// CancellationFlag when its peer closes its end (EPOLLRDHUP: the client
// closed the socket or shut down writing) or the connection breaks
// (EPOLLHUP, EPOLLERR). A client that half-closes after sending its request
// and then waits for the answer is therefore taken as gone.
//
//   ConnectionWatcher::Registration watch(watcher, fd, &cancelled);
//   ... handle the request; `cancelled` may be raised meanwhile ...
//   // watching stops when `watch` is destroyed
//
// Thread-safe. Watching a request costs two epoll_ctl calls and a short
// lock; the watcher's thread sleeps until a watched peer hangs up.
#ifndef MODEL_SERVER_DAEMON_REST_CONNECTION_WATCHER_H_
#define MODEL_SERVER_DAEMON_REST_CONNECTION_WATCHER_H_

#include <cstdint>
#include <memory>
#include <thread>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "runtime/cancellation.h"

namespace model_server {

class ConnectionWatcher {
 public:
  // Starts the watcher's thread. Fails with INTERNAL when the kernel
  // refuses an epoll instance or an eventfd.
  static absl::StatusOr<std::unique_ptr<ConnectionWatcher>> Start();
  // Stops and joins the thread. REQUIRES: no Registration is alive.
  ~ConnectionWatcher();
  ConnectionWatcher(const ConnectionWatcher&) = delete;
  ConnectionWatcher& operator=(const ConnectionWatcher&) = delete;

  // Raises `flag` if the peer of connected socket `fd` hangs up while the
  // registration exists. `fd` must stay open, and `flag` alive, until the
  // registration is destroyed. A socket epoll refuses is not watched (the
  // request then just runs to its end or deadline).
  class Registration {
   public:
    Registration(ConnectionWatcher* watcher, int fd, CancellationFlag* flag);
    ~Registration();
    Registration(const Registration&) = delete;
    Registration& operator=(const Registration&) = delete;

   private:
    ConnectionWatcher* const watcher_;
    const int fd_;
    uint64_t id_ = 0;  // 0: not watched
  };

 private:
  ConnectionWatcher(int epoll_fd, int wake_fd);
  void Run();

  const int epoll_fd_;
  const int wake_fd_;  // eventfd that ends Run()
  absl::Mutex mu_;
  // Registrations by id (ids are never reused, so an event that arrives for
  // a registration already gone cannot raise a newer one on the same fd).
  absl::flat_hash_map<uint64_t, CancellationFlag*> flags_ ABSL_GUARDED_BY(mu_);
  uint64_t next_id_ ABSL_GUARDED_BY(mu_) = 1;
  std::thread thread_;
};

}  // namespace model_server

#endif  // MODEL_SERVER_DAEMON_REST_CONNECTION_WATCHER_H_
