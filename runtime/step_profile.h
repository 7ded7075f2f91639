// Where a run's time goes, per plan step (`model_tool benchmark --profile`).
// RunPlan adds each kernel's wall time here when RunOptions::profile is set;
// when it is null the executor pays one pointer test per step and nothing
// else. A function call (If, While, PartitionedCall, ...) counts its own
// time and its body's steps count theirs too, so totals overlap for nested
// plans. Not thread-safe: one profile per sequence of runs.
#ifndef MODEL_SERVER_RUNTIME_STEP_PROFILE_H_
#define MODEL_SERVER_RUNTIME_STEP_PROFILE_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"

namespace model_server {

class StepProfile {
 public:
  struct Node {
    std::string name;
    std::string op;
    int64_t runs = 0;
    absl::Duration time;
  };

  // One kernel call of `node` (of type `op`) that took `time`.
  void Add(absl::string_view node, absl::string_view op, absl::Duration time);
  void Clear();
  // Every node that ran, in the order each first ran.
  const std::vector<Node>& nodes() const { return nodes_; }

 private:
  std::vector<Node> nodes_;
  absl::flat_hash_map<std::string, size_t> index_;
};

}  // namespace model_server

#endif  // MODEL_SERVER_RUNTIME_STEP_PROFILE_H_
