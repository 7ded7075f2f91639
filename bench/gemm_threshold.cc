// gemm_threshold: when handing a matrix product to the intra-op pool pays,
// and how: for runtime/kernels/math/gemm.cc's thresholds and strategy.
// For the products of the bench models (batch-1 layers are matrix-vector
// products) it times, side by side in one process:
//   serial      Gemm<float>(parallel=false): one Eigen GEMM on this thread;
//   Gemm        Gemm<float>(parallel=true): what the kernels run (float
//               matrix-matrix products: Eigen's tensor contraction);
//   row blocks  the alternative measured against it: one block of C's rows
//               (or columns, when wider than tall) per pool thread, each a
//               plain Eigen GEMM.
// Each: median wall time and mean process CPU time (every thread) per call.
// On a loaded machine trust the CPU columns and ratios, not the wall times.
//
//   gemm_threshold [--threads=2] [--seconds=0.3]
#include <time.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <random>
#include <string>
#include <vector>

#include "runtime/eigen_device.h"
#include "runtime/intra_op_threads.h"
#include "runtime/kernels/math/gemm.h"

namespace {

struct Shape {
  int64_t m, n, k;
  const char* what;
};

struct Timing {
  double wall_us;  // median
  double cpu_us;   // mean, all threads
};

double CpuMicros() {
  timespec t;
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
  return t.tv_sec * 1e6 + t.tv_nsec * 1e-3;
}

Timing Time(const std::function<void()>& product, double seconds) {
  using Clock = std::chrono::steady_clock;
  for (int i = 0; i < 5; ++i) product();
  std::vector<double> micros;
  const double cpu_start = CpuMicros();
  const auto start = Clock::now();
  while (micros.size() < 20 ||
         std::chrono::duration<double>(Clock::now() - start).count() <
             seconds) {
    const auto t0 = Clock::now();
    product();
    micros.push_back(
        std::chrono::duration<double, std::micro>(Clock::now() - t0).count());
  }
  const double cpu = (CpuMicros() - cpu_start) / micros.size();
  std::sort(micros.begin(), micros.end());
  return {micros[micros.size() / 2], cpu};
}

// C = A * B in one block of C's longer side per pool thread.
void RowBlocks(const float* a, const float* b, float* c, const Shape& s) {
  using Matrix =
      Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
  const Eigen::Map<const Matrix> am(a, s.m, s.k);
  const Eigen::Map<const Matrix> bm(b, s.k, s.n);
  Eigen::Map<Matrix> cm(c, s.m, s.n);
  const Eigen::ThreadPoolDevice& device = model_server::EigenDevice();
  const bool split_rows = s.m >= s.n;
  const int64_t side = split_rows ? s.m : s.n;
  const int64_t parts = std::min<int64_t>(device.numThreads(), side);
  const int64_t per_part = (side + parts - 1) / parts;
  device.parallelFor(
      parts, Eigen::TensorOpCost(0, 0, 1e9),
      [&](Eigen::Index first, Eigen::Index last) {
        for (Eigen::Index i = first; i < last; ++i) {
          const int64_t lo = i * per_part;
          const int64_t len = std::min(side, lo + per_part) - lo;
          if (len <= 0) continue;
          if (split_rows) {
            cm.middleRows(lo, len).noalias() = am.middleRows(lo, len) * bm;
          } else {
            cm.middleCols(lo, len).noalias() = am * bm.middleCols(lo, len);
          }
        }
      });
}

}  // namespace

int main(int argc, char** argv) {
  int threads = 2;
  double seconds = 0.3;
  for (int i = 1; i < argc; ++i) {
    if (std::strncmp(argv[i], "--threads=", 10) == 0) {
      threads = std::atoi(argv[i] + 10);
    } else if (std::strncmp(argv[i], "--seconds=", 10) == 0) {
      seconds = std::atof(argv[i] + 10);
    } else {
      std::fprintf(stderr,
                   "usage: gemm_threshold [--threads=2] "
                   "[--seconds=0.3]\n");
      return 2;
    }
  }
  model_server::SetIntraOpThreads(threads);
  const std::vector<Shape> shapes = {
      {1, 10, 256, "mlp layer 3, batch 1"},
      {1, 256, 512, "mlp layer 2, batch 1"},
      {1, 512, 784, "mlp layer 1, batch 1"},
      {1, 128, 12544, "cnn dense 1, batch 1"},
      {1, 1024, 1024, "1024x1024 matrix-vector"},
      {1, 2048, 2048, "2048x2048 matrix-vector"},
      {4, 512, 784, "mlp layer 1, batch 4"},
      {16, 256, 512, "mlp layer 2, batch 16"},
      {16, 512, 784, "mlp layer 1, batch 16"},
      {64, 256, 512, "mlp layer 2, batch 64"},
      {64, 512, 784, "mlp layer 1, batch 64"},
      {16, 512, 64, "lstm input, batch 16"},
      {16, 512, 128, "lstm recurrent, batch 16"},
      {64, 512, 64, "lstm input, batch 64"},
      {64, 512, 128, "lstm recurrent, batch 64"},
      {16, 128, 12544, "cnn dense 1, batch 16"},
      {64, 128, 12544, "cnn dense 1, batch 64"},
      {784, 128, 64, "mobilenet pointwise, batch 1"},
      {12544, 128, 64, "mobilenet pointwise, batch 16"},
      {512, 512, 512, "512x512x512"},
  };
  std::mt19937 rng(1);
  std::uniform_real_distribution<float> uniform(-1, 1);
  std::printf(
      "# %d pool threads; wall: median us per call, cpu: mean us of "
      "process CPU per call\n",
      threads);
  std::printf("%-30s %6s %5s %6s %9s %9s %9s %9s %9s %9s %9s\n", "product", "m",
              "n", "k", "MACs", "serial", "cpu", "Gemm", "cpu", "blocks",
              "cpu");
  for (const Shape& s : shapes) {
    std::vector<float> a(s.m * s.k), b(s.k * s.n), c(s.m * s.n);
    for (float& v : a) v = uniform(rng);
    for (float& v : b) v = uniform(rng);
    auto gemm = [&](bool parallel) {
      return [&, parallel] {
        model_server::Gemm<float>(a.data(), false, b.data(), false, c.data(),
                                  s.m, s.n, s.k, parallel);
      };
    };
    const Timing serial = Time(gemm(false), seconds);
    const Timing pool = Time(gemm(true), seconds);
    const Timing blocks =
        Time([&] { RowBlocks(a.data(), b.data(), c.data(), s); }, seconds);
    std::printf(
        "%-30s %6lld %5lld %6lld %9lld %9.1f %9.1f %9.1f %9.1f %9.1f "
        "%9.1f\n",
        s.what, static_cast<long long>(s.m), static_cast<long long>(s.n),
        static_cast<long long>(s.k), static_cast<long long>(s.m * s.n * s.k),
        serial.wall_us, serial.cpu_us, pool.wall_us, pool.cpu_us,
        blocks.wall_us, blocks.cpu_us);
  }
  return 0;
}
