// What AVX-512 buys for the Eigen code our kernels are made of, without
// building the whole kernel library twice: matrix products (MatMul, Conv2D
// via im2col), a matrix-vector product (batch-1 Dense), transcendental
// element-wise functions (tanh, exp: activations, softmax) and a
// memory-bound multiply-add. bench/avx512_probe.sh compiles this file for
// x86-64-v3 and x86-64-v4 and runs both interleaved on one core.
//
// Prints one line per case: "<case> <best microseconds of the repetitions>".
// The best (not the median) is printed because a shared machine's
// preemptions only ever add time.
#include <Eigen/Dense>
#include <algorithm>
#include <chrono>
#include <cstdio>

namespace {

template <class Work>
double BestMicroseconds(Work work, int repetitions) {
  double best = 1e300;
  for (int i = 0; i < repetitions; ++i) {
    const auto start = std::chrono::steady_clock::now();
    work();
    const std::chrono::duration<double, std::micro> took =
        std::chrono::steady_clock::now() - start;
    best = std::min(best, took.count());
  }
  return best;
}

}  // namespace

int main() {
  for (int n : {64, 256, 512}) {
    const Eigen::MatrixXf a = Eigen::MatrixXf::Random(n, n);
    const Eigen::MatrixXf b = Eigen::MatrixXf::Random(n, n);
    Eigen::MatrixXf c(n, n);
    std::printf(
        "gemm_%dx%d %.1f\n", n, n,
        BestMicroseconds([&] { c.noalias() = a * b; }, n < 512 ? 200 : 40));
  }
  const Eigen::MatrixXf weights = Eigen::MatrixXf::Random(512, 784);
  const Eigen::VectorXf input = Eigen::VectorXf::Random(784);
  Eigen::VectorXf output(512);
  std::printf(
      "gemv_512x784 %.1f\n",
      BestMicroseconds([&] { output.noalias() = weights * input; }, 500));
  const Eigen::ArrayXf x = Eigen::ArrayXf::Random(1 << 20);
  Eigen::ArrayXf y = Eigen::ArrayXf::Zero(1 << 20);
  std::printf("tanh_1M %.1f\n", BestMicroseconds([&] { y = x.tanh(); }, 50));
  std::printf("exp_1M %.1f\n", BestMicroseconds([&] { y = x.exp(); }, 50));
  std::printf("multiply_add_1M %.1f\n",
              BestMicroseconds([&] { y = x * 1.5f + y; }, 200));
  return 0;
}
