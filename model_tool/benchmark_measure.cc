#include "model_tool/benchmark_measure.h"

#include <sys/resource.h>

#include <algorithm>
#include <cmath>

#include "absl/time/clock.h"
#include "runtime/executor.h"
#include "runtime/status_macros.h"
#include "runtime/step_profile.h"

namespace model_server {
namespace {

// Stops a run-forever loop on a tiny model with a long --min_time.
constexpr int64_t kMaxTimedRuns = 10'000'000;

double ProcessCpuSeconds() {
  rusage usage;
  getrusage(RUSAGE_SELF, &usage);
  return static_cast<double>(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) +
         1e-6 * static_cast<double>(usage.ru_utime.tv_usec +
                                    usage.ru_stime.tv_usec);
}

}  // namespace

double Percentile(const std::vector<double>& sorted, double q) {
  if (sorted.empty()) return 0;
  const double rank = std::ceil(q * static_cast<double>(sorted.size()));
  const size_t index = rank < 1 ? 0 : static_cast<size_t>(rank) - 1;
  return sorted[std::min(index, sorted.size() - 1)];
}

absl::StatusOr<MeasuredRow> MeasureSignature(const Signature& signature,
                                             const std::vector<Tensor>& inputs,
                                             int64_t batch,
                                             const MeasureSettings& settings) {
  std::vector<const Tensor*> feeds;
  for (const Tensor& t : inputs) feeds.push_back(&t);
  std::vector<int> wanted(signature.outputs().size());
  for (size_t i = 0; i < wanted.size(); ++i) wanted[i] = static_cast<int>(i);
  std::vector<Tensor> results;
  const RunOptions plain;
  for (int i = 0; i < settings.warmup_runs; ++i) {
    MS_RETURN_IF_ERROR(signature.Run(feeds, wanted, &results, plain));
  }

  std::vector<double> micros;
  micros.reserve(std::max(settings.min_runs, 1024));
  const absl::Time start = absl::Now();
  const double cpu_start = ProcessCpuSeconds();
  absl::Time now = start;
  while (static_cast<int64_t>(micros.size()) < settings.min_runs ||
         now - start < settings.min_time) {
    const absl::Time run_start = now;
    MS_RETURN_IF_ERROR(signature.Run(feeds, wanted, &results, plain));
    now = absl::Now();
    micros.push_back(absl::ToDoubleMicroseconds(now - run_start));
    if (static_cast<int64_t>(micros.size()) >= kMaxTimedRuns) break;
  }
  const double seconds = absl::ToDoubleSeconds(now - start);
  const double cpu = ProcessCpuSeconds() - cpu_start;

  MeasuredRow row;
  row.batch = batch;
  row.runs = static_cast<int64_t>(micros.size());
  const double runs = static_cast<double>(row.runs);
  double sum = 0;
  for (double m : micros) sum += m;
  std::sort(micros.begin(), micros.end());
  row.p50_us = Percentile(micros, 0.5);
  row.p90_us = Percentile(micros, 0.9);
  row.p99_us = Percentile(micros, 0.99);
  row.mean_us = runs > 0 ? sum / runs : 0;
  row.cpu_us = runs > 0 ? 1e6 * cpu / runs : 0;
  row.runs_per_second = seconds > 0 ? runs / seconds : 0;
  row.rows_per_second = row.runs_per_second * static_cast<double>(batch);

  if (settings.profile_runs > 0) {
    StepProfile profile;
    RunOptions profiled;
    profiled.profile = &profile;
    for (int i = 0; i < settings.profile_runs; ++i) {
      MS_RETURN_IF_ERROR(signature.Run(feeds, wanted, &results, profiled));
    }
    for (const StepProfile::Node& node : profile.nodes()) {
      row.profile.push_back(
          {node.name, node.op,
           absl::ToDoubleMicroseconds(node.time) / settings.profile_runs});
    }
  }
  return row;
}

}  // namespace model_server
