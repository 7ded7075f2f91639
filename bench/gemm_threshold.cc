// gemm_threshold: where handing a matrix product to the intra-op pool starts
// to pay, for runtime/kernels/math/gemm.cc's kParallelGemmWork. Times
// Gemm<float> on the calling thread and with the pool (2 threads by
// default) for the products of the bench models (batch-1 layers are
// matrix-vector products) and prints both medians and the ratio.
//
//   gemm_threshold [--threads=2] [--seconds=0.3]
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <random>
#include <string>
#include <vector>

#include "runtime/intra_op_threads.h"
#include "runtime/kernels/math/gemm.h"

namespace {

struct Shape {
  int64_t m, n, k;
  const char* what;
};

double MedianMicros(const Shape& s, bool parallel, double seconds,
                    std::vector<float>& a, std::vector<float>& b,
                    std::vector<float>& c) {
  using Clock = std::chrono::steady_clock;
  for (int i = 0; i < 5; ++i) {
    model_server::Gemm<float>(a.data(), false, b.data(), false, c.data(), s.m,
                              s.n, s.k, parallel);
  }
  std::vector<double> micros;
  const auto start = Clock::now();
  while (micros.size() < 20 ||
         std::chrono::duration<double>(Clock::now() - start).count() <
             seconds) {
    const auto t0 = Clock::now();
    model_server::Gemm<float>(a.data(), false, b.data(), false, c.data(), s.m,
                              s.n, s.k, parallel);
    micros.push_back(
        std::chrono::duration<double, std::micro>(Clock::now() - t0).count());
  }
  std::sort(micros.begin(), micros.end());
  return micros[micros.size() / 2];
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
      {784, 32, 9, "cnn conv 1 (im2col), batch 1"},
      {784, 64, 288, "cnn conv 2 (im2col), batch 1"},
      {784, 128, 64, "mobilenet pointwise, batch 1"},
  };
  std::mt19937 rng(1);
  std::uniform_real_distribution<float> uniform(-1, 1);
  std::printf("%-32s %6s %6s %6s %10s %12s %12s %8s\n", "product", "m", "n",
              "k", "MACs", "serial_us", "pool_us", "pool/serial");
  for (const Shape& s : shapes) {
    std::vector<float> a(s.m * s.k), b(s.k * s.n), c(s.m * s.n);
    for (float& v : a) v = uniform(rng);
    for (float& v : b) v = uniform(rng);
    const double serial = MedianMicros(s, false, seconds, a, b, c);
    const double pool = MedianMicros(s, true, seconds, a, b, c);
    std::printf("%-32s %6lld %6lld %6lld %10lld %12.1f %12.1f %8.2f\n", s.what,
                static_cast<long long>(s.m), static_cast<long long>(s.n),
                static_cast<long long>(s.k),
                static_cast<long long>(s.m * s.n * s.k), serial, pool,
                pool / serial);
  }
  return 0;
}
