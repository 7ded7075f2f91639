#include "runtime/step_profile.h"

#include <utility>

namespace model_server {

void StepProfile::Add(absl::string_view node, absl::string_view op,
                      absl::Duration time) {
  auto [it, inserted] = index_.try_emplace(node, nodes_.size());
  if (inserted) {
    Node added;
    added.name = std::string(node);
    added.op = std::string(op);
    nodes_.push_back(std::move(added));
  }
  Node& entry = nodes_[it->second];
  ++entry.runs;
  entry.time += time;
}

void StepProfile::Clear() {
  nodes_.clear();
  index_.clear();
}

}  // namespace model_server
