// Runs a compiled Plan for one request.
//
// Steps run in plan order on the calling thread (kernels use the shared Eigen
// thread pool for intra-op parallelism). Values live in per-run slots and are
// released right after their last reader. Dead values (the untaken side of a
// Switch) propagate: a step with a dead input or control dependency is skipped
// and its outputs are dead, except for steps that accept dead inputs (Merge),
// which run and are dead only if they make every output dead.
//
// Errors from a kernel are returned with the node appended as TensorFlow does
// ("...\n\t [[{{node name}}]]"). Nothing a request sends can abort the
// process; function nesting is bounded.
//
// A run stops early, between two steps or before a function (loop body or
// condition) runs, once past RunOptions::deadline (DEADLINE_EXCEEDED) or once
// RunOptions::cancellation is raised (CANCELLED); the step in progress runs
// to its end, which the per-tensor element limit keeps bounded.
#ifndef MODEL_SERVER_RUNTIME_EXECUTOR_H_
#define MODEL_SERVER_RUNTIME_EXECUTOR_H_

#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "absl/types/span.h"
#include "runtime/plan.h"

namespace model_server {

class CancellationSignal;  // cancellation.h
class StepProfile;         // step_profile.h

// What the runs of one request report back to the code that asked for them
// (request metrics). Filled by signatures/ (Signature::Run).
struct RunReport {
  // Wall time spent running signature plans, summed when one request runs
  // several (MultiInference). Excludes decoding inputs and encoding outputs.
  absl::Duration run_time;
  // The key of the signature that ran last; "" if none ran.
  std::string signature_key;
};

struct RunOptions {
  // Deepest nesting of function calls (and loop bodies) allowed.
  int max_call_depth = 100;
  // Runs still going at the deadline fail with DEADLINE_EXCEEDED (checked
  // between steps and loop iterations).
  absl::Time deadline = absl::InfiniteFuture();
  // Runs fail with CANCELLED once this is raised (checked where the
  // deadline is): the client went away. Null: never cancelled. Must
  // outlive the run.
  const CancellationSignal* cancellation = nullptr;
  // Where signature runs report; null: nowhere. Not thread-safe: one
  // request's runs are sequential.
  RunReport* report = nullptr;
  // Most elements one tensor a kernel allocates (allocate_output) may hold:
  // RESOURCE_EXHAUSTED before allocating beyond it. This is what stops
  // Range, Fill, Tile, OneHot, Pad, BroadcastTo and the like from allocating
  // whatever a request's values ask for. Tensor::kMaxBytes applies either
  // way. The daemon sets it from --max_tensor_elements.
  int64_t max_tensor_elements = std::numeric_limits<int64_t>::max();
  // Most bytes the tensors one request sends may take together (see
  // signatures/request_limits.h); --max_request_tensor_bytes.
  int64_t max_request_tensor_bytes = std::numeric_limits<int64_t>::max();
  // Where each kernel call's time goes (model_tool benchmark --profile);
  // null, the default: nowhere, at the cost of one test per step.
  StepProfile* profile = nullptr;
};

// Per-run state shared by a run and the functions it calls.
class RunState {
 public:
  explicit RunState(const RunOptions& options) : options_(options) {}
  const RunOptions& options() const { return options_; }
  int depth() const { return depth_; }
  // Whether the run should go on: DEADLINE_EXCEEDED past the deadline,
  // CANCELLED once the cancellation is raised, else OK.
  absl::Status CheckInterrupted() const;

 private:
  friend class DepthGuard;
  const RunOptions& options_;
  int depth_ = 0;
};

// Runs `plan`. `feeds[i]` supplies feed i (null leaves it unfed; see plan.h).
// On success `fetches` holds one tensor per plan fetch.
absl::Status RunPlan(const Plan& plan, absl::Span<const Tensor* const> feeds,
                     std::vector<Tensor>* fetches, RunState* state);

// Convenience for tests and simple callers: every feed supplied.
absl::Status RunPlan(const Plan& plan, absl::Span<const Tensor> feeds,
                     std::vector<Tensor>* fetches,
                     const RunOptions& options = RunOptions());

}  // namespace model_server

#endif  // MODEL_SERVER_RUNTIME_EXECUTOR_H_
