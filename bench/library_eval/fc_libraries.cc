// fc_libraries: one fully connected layer (y = relu(x W + b)) by our Eigen
// GEMM (runtime/kernels/math/gemm.h, then bias and relu in one pass, as our
// MatMul + BiasAdd + Relu kernels do in three), by oneDNN's matmul with bias
// and a relu post-op, and by XNNPACK's fully-connected operator (bias and
// clamp fused, weights packed at creation), on the bench MLP's layer shapes.
// For docs/kernel_performance.md's library evaluation; built only with
// -DMODEL_SERVER_BENCH_LIBRARIES=ON (needs libdnnl-dev, libxnnpack-dev,
// libpthreadpool-dev).
//
//   OMP_NUM_THREADS=T fc_libraries --threads=T [--seconds=0.3]
// (oneDNN's Debian build threads with OpenMP, so OMP_NUM_THREADS sizes it.)
#include <pthreadpool.h>
#include <xnnpack.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <limits>
#include <random>
#include <vector>

#include "oneapi/dnnl/dnnl.hpp"
#include "runtime/intra_op_threads.h"
#include "runtime/kernels/math/gemm.h"

namespace {

double MedianMicros(const std::function<void()>& run, double seconds) {
  using Clock = std::chrono::steady_clock;
  for (int i = 0; i < 5; ++i) run();
  std::vector<double> micros;
  const auto start = Clock::now();
  while (micros.size() < 20 ||
         std::chrono::duration<double>(Clock::now() - start).count() <
             seconds) {
    const auto t0 = Clock::now();
    run();
    micros.push_back(
        std::chrono::duration<double, std::micro>(Clock::now() - t0).count());
  }
  std::sort(micros.begin(), micros.end());
  return micros[micros.size() / 2];
}

float MaxDiff(const std::vector<float>& a, const std::vector<float>& b) {
  float worst = 0;
  for (size_t i = 0; i < a.size(); ++i) {
    worst = std::max(worst, std::abs(a[i] - b[i]));
  }
  return worst;
}

}  // namespace

int main(int argc, char** argv) {
  int threads = 1;
  double seconds = 0.3;
  for (int i = 1; i < argc; ++i) {
    if (std::strncmp(argv[i], "--threads=", 10) == 0) {
      threads = std::atoi(argv[i] + 10);
    } else if (std::strncmp(argv[i], "--seconds=", 10) == 0) {
      seconds = std::atof(argv[i] + 10);
    } else {
      std::fprintf(stderr, "usage: fc_libraries [--threads=1] "
                           "[--seconds=0.3]\n");
      return 2;
    }
  }
  model_server::SetIntraOpThreads(threads);
  if (xnn_initialize(nullptr) != xnn_status_success) {
    std::fprintf(stderr, "xnn_initialize failed\n");
    return 1;
  }
  pthreadpool_t pool =
      threads > 1 ? pthreadpool_create(static_cast<size_t>(threads)) : nullptr;
  dnnl::engine engine(dnnl::engine::kind::cpu, 0);
  dnnl::stream stream(engine);

  struct Layer {
    int64_t in, out;
  };
  const std::vector<Layer> layers = {{784, 512}, {512, 256}, {256, 10}};
  std::printf("threads %d\n%-6s %-10s %10s %10s %10s %9s %9s\n", threads,
              "batch", "layer", "eigen_us", "onednn_us", "xnnpack_us",
              "dnnl/eig", "xnn/eig");
  std::mt19937 rng(1);
  std::uniform_real_distribution<float> uniform(-1, 1);
  for (int64_t batch : {1, 16, 64}) {
    for (const Layer& l : layers) {
      std::vector<float> x(batch * l.in), w(l.in * l.out), w_t(l.in * l.out),
          b(l.out);
      for (float& v : x) v = uniform(rng);
      for (float& v : w) v = uniform(rng);
      for (float& v : b) v = uniform(rng);
      for (int64_t i = 0; i < l.in; ++i) {
        for (int64_t o = 0; o < l.out; ++o) w_t[o * l.in + i] = w[i * l.out + o];
      }
      std::vector<float> y_eigen(batch * l.out), y_dnnl(batch * l.out),
          y_xnn(batch * l.out);

      auto eigen = [&] {
        model_server::Gemm<float>(x.data(), false, w.data(), false,
                                  y_eigen.data(), batch, l.out, l.in, true);
        for (int64_t r = 0; r < batch; ++r) {
          float* row = y_eigen.data() + r * l.out;
          for (int64_t o = 0; o < l.out; ++o) {
            row[o] = std::max(row[o] + b[o], 0.0f);
          }
        }
      };

      using tag = dnnl::memory::format_tag;
      using dt = dnnl::memory::data_type;
      dnnl::memory::desc x_md({batch, l.in}, dt::f32, tag::ab);
      dnnl::memory::desc w_md({l.in, l.out}, dt::f32, tag::ab);
      dnnl::memory::desc b_md({1, l.out}, dt::f32, tag::ab);
      dnnl::memory::desc y_md({batch, l.out}, dt::f32, tag::ab);
      dnnl::post_ops ops;
      ops.append_eltwise(1.0f, dnnl::algorithm::eltwise_relu, 0.0f, 0.0f);
      dnnl::primitive_attr attr;
      attr.set_post_ops(ops);
      dnnl::matmul::primitive_desc pd(
          dnnl::matmul::desc(x_md, w_md, b_md, y_md), attr, engine);
      dnnl::matmul matmul(pd);
      dnnl::memory x_mem(x_md, engine, x.data()), w_mem(w_md, engine, w.data()),
          b_mem(b_md, engine, b.data()), y_mem(y_md, engine, y_dnnl.data());
      auto onednn = [&] {
        matmul.execute(stream, {{DNNL_ARG_SRC, x_mem},
                                {DNNL_ARG_WEIGHTS, w_mem},
                                {DNNL_ARG_BIAS, b_mem},
                                {DNNL_ARG_DST, y_mem}});
        stream.wait();
      };

      xnn_operator_t fc = nullptr;
      if (xnn_create_fully_connected_nc_f32(
              l.in, l.out, l.in, l.out, w_t.data(), b.data(), 0.0f,
              std::numeric_limits<float>::infinity(), 0, &fc) !=
              xnn_status_success ||
          xnn_setup_fully_connected_nc_f32(fc, batch, x.data(), y_xnn.data(),
                                           pool) != xnn_status_success) {
        std::fprintf(stderr, "XNNPACK fully connected setup failed\n");
        return 1;
      }
      auto xnnpack = [&] { xnn_run_operator(fc, pool); };

      const double e = MedianMicros(eigen, seconds);
      const double d = MedianMicros(onednn, seconds);
      const double n = MedianMicros(xnnpack, seconds);
      if (MaxDiff(y_eigen, y_dnnl) > 1e-3f || MaxDiff(y_eigen, y_xnn) > 1e-3f) {
        std::fprintf(stderr, "results differ: oneDNN %g, XNNPACK %g\n",
                     MaxDiff(y_eigen, y_dnnl), MaxDiff(y_eigen, y_xnn));
        return 1;
      }
      char name[32];
      std::snprintf(name, sizeof(name), "%lldx%lld",
                    static_cast<long long>(l.in), static_cast<long long>(l.out));
      std::printf("%-6lld %-10s %10.1f %10.1f %10.1f %9.2f %9.2f\n",
                  static_cast<long long>(batch), name, e, d, n, d / e, n / e);
      xnn_delete_operator(fc);
    }
  }
  if (pool != nullptr) pthreadpool_destroy(pool);
  return 0;
}
