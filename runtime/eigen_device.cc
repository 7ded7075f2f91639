#include "runtime/eigen_device.h"

#include <algorithm>
#include <atomic>
#include <thread>

#include "runtime/intra_op_threads.h"

namespace model_server {
namespace {

std::atomic<int> requested_threads{0};
std::atomic<bool> pool_created{false};

int DefaultThreads() {
  return static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
}

}  // namespace

bool SetIntraOpThreads(int threads) {
  if (pool_created.load()) return false;
  requested_threads.store(threads);
  return true;
}

int IntraOpThreads() {
  const int requested = requested_threads.load();
  return requested > 0 ? requested : DefaultThreads();
}

const Eigen::ThreadPoolDevice& EigenDevice() {
  static const Eigen::ThreadPoolDevice* device = [] {
    pool_created.store(true);
    const int threads = IntraOpThreads();
    auto* pool = new Eigen::ThreadPool(threads);
    return new Eigen::ThreadPoolDevice(pool, threads);
  }();
  return *device;
}

}  // namespace model_server
