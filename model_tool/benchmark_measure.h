// The timing loop of `model_tool benchmark`: warm-up runs of a signature on
// fixed inputs, then timed runs until both a run count and a duration are
// reached, summarised as latency percentiles and throughput; optionally a
// separate series of profiled runs (runtime/step_profile.h) gives each node's
// kernel time, so the profile's own cost never shows in the latencies.
#ifndef MODEL_SERVER_MODEL_TOOL_BENCHMARK_MEASURE_H_
#define MODEL_SERVER_MODEL_TOOL_BENCHMARK_MEASURE_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "runtime/tensor.h"
#include "signatures/signature.h"

namespace model_server {

struct MeasureSettings {
  int warmup_runs = 10;
  int min_runs = 50;
  absl::Duration min_time = absl::Seconds(1);
  // Profiled runs after the timed ones; 0: no profile.
  int profile_runs = 0;
};

struct NodeTime {
  std::string node;
  std::string op;
  double micros_per_run = 0;
};

struct MeasuredRow {
  int64_t batch = 0;
  int64_t runs = 0;
  double p50_us = 0, p90_us = 0, p99_us = 0, mean_us = 0;
  // Process CPU time (every thread) per run: above the wall time when other
  // cores helped.
  double cpu_us = 0;
  double runs_per_second = 0;
  double rows_per_second = 0;
  // Every node that ran in the profiled runs, in first-run order; empty
  // without a profile.
  std::vector<NodeTime> profile;
};

// Runs `signature` on `inputs` (one per signature input, in order), asking
// for every output. `batch` is only reported (rows/s). Fails with the run's
// error, annotated by the executor with the failing node.
absl::StatusOr<MeasuredRow> MeasureSignature(const Signature& signature,
                                             const std::vector<Tensor>& inputs,
                                             int64_t batch,
                                             const MeasureSettings& settings);

// Nearest-rank percentile (q in [0, 1]) of ascending `sorted`; 0 when empty.
double Percentile(const std::vector<double>& sorted, double q);

}  // namespace model_server

#endif  // MODEL_SERVER_MODEL_TOOL_BENCHMARK_MEASURE_H_
