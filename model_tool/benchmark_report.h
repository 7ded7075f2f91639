// What `model_tool benchmark` prints. Each thread count is measured in its
// own process, which hands its results back as one JSON object (a "block"):
//   {"threads": 2, "load_ms": 3.1,
//    "rows": [{"batch": 1, "inputs": ["x: float [1,784]"], "runs": 1200,
//              "p50_us": ..., "p90_us": ..., "p99_us": ..., "mean_us": ...,
//              "cpu_us": ..., "runs_per_s": ..., "rows_per_s": ...,
//              "profile": {"runs": 200,
//                          "ops": [{"op", "nodes", "us_per_run", "share"}],
//                          "nodes": [{"node", "op", "us_per_run",
//                                     "share"}]}}]}
// ("profile" only with --profile; ops and nodes by time, largest first;
// share = fraction of the profiled kernel time). --json prints
// {"model", "signature", "warmup_runs", "min_runs", "min_time_s",
//  "results": [block, ...]}; the text form prints the same as a table.
#ifndef MODEL_SERVER_MODEL_TOOL_BENCHMARK_REPORT_H_
#define MODEL_SERVER_MODEL_TOOL_BENCHMARK_REPORT_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "model_tool/benchmark_measure.h"

namespace model_server {

struct BenchmarkHeader {
  std::string model;
  std::string signature;
  int warmup_runs = 0;
  int min_runs = 0;
  double min_time_s = 0;
};

struct BlockRow {
  MeasuredRow row;
  // "alias: dtype [d0,d1,...]" per input.
  std::vector<std::string> inputs;
  int profile_runs = 0;
};

// One thread count's results as a JSON block (above).
std::string BlockJson(int threads, double load_ms,
                      const std::vector<BlockRow>& rows);

// The whole output from the blocks in thread-count order; INTERNAL if a
// block is not what BlockJson writes.
absl::StatusOr<std::string> RenderBenchmark(
    const BenchmarkHeader& header, const std::vector<std::string>& blocks,
    bool json);

}  // namespace model_server

#endif  // MODEL_SERVER_MODEL_TOOL_BENCHMARK_REPORT_H_
