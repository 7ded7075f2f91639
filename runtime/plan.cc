#include "runtime/plan.h"

#include <set>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "runtime/function_call_kernel.h"
#include "runtime/missing_ops.h"
#include "runtime/status_macros.h"
#include "runtime/tf1_loop_frames.h"
#include "runtime/tf1_while_loop.h"
#include "tensorflow/core/framework/node_def.pb.h"

namespace model_server {

// Builds one Plan. Split into phases: prune, order, create kernels, wire slots.
class PlanCompiler {
 public:
  PlanCompiler(const Graph& graph, const std::vector<TensorId>& feeds,
               const std::vector<TensorId>& fetches,
               const std::vector<int>& targets, const CompileEnv& env)
      : graph_(graph),
        feeds_(feeds),
        fetches_(fetches),
        targets_(targets),
        env_(env) {}

  absl::StatusOr<std::unique_ptr<Plan>> Compile() {
    plan_.reset(new Plan());
    plan_->name_ = graph_.function_name();
    MarkFedNodes();
    Prune();
    // Missing ops first: an unsupported construct (a TF1 while loop's
    // Enter/NextIteration ops) should be named, not reported as a cycle.
    MS_RETURN_IF_ERROR(CheckOpsRegistered());
    MS_RETURN_IF_ERROR(FindLoopFrames());
    MS_RETURN_IF_ERROR(Order());
    MS_RETURN_IF_ERROR(CreateSteps());
    WireSlots();
    ComputeLifetimes();
    return std::move(plan_);
  }

 private:
  bool IsPlaceholderWithDefault(int node) const {
    return graph_.node(node).op_type() == "PlaceholderWithDefault";
  }

  void MarkFedNodes() {
    for (int i = 0; i < static_cast<int>(feeds_.size()); ++i) {
      fed_outputs_[feeds_[i].node].push_back({feeds_[i].output, i});
    }
  }

  // Marks every node the fetches and targets need. Inputs of a fed node are
  // not needed, except for PlaceholderWithDefault whose default is used when
  // the feed is left out.
  void Prune() {
    needed_.assign(graph_.nodes().size(), false);
    std::vector<int> stack;
    for (const TensorId& id : fetches_) stack.push_back(id.node);
    for (int node : targets_) stack.push_back(node);
    while (!stack.empty()) {
      int node = stack.back();
      stack.pop_back();
      if (node < 0 || needed_[node]) continue;
      needed_[node] = true;
      if (fed_outputs_.contains(node) && !IsPlaceholderWithDefault(node)) {
        continue;
      }
      for (const TensorId& in : graph_.node(node).inputs)
        stack.push_back(in.node);
      for (int in : graph_.node(node).control_inputs) stack.push_back(in);
    }
  }

  absl::Status CheckOpsRegistered() const {
    std::set<std::string> missing;
    for (int node = 0; node < static_cast<int>(needed_.size()); ++node) {
      if (!needed_[node] || InputsPruned(node)) continue;
      const GraphNode& g = graph_.node(node);
      if (g.op == nullptr && g.function == nullptr) missing.insert(g.op_type());
    }
    if (missing.empty()) return absl::OkStatus();
    return MissingOpsError(missing, graph_.function_name());
  }

  bool InputsPruned(int node) const {
    return fed_outputs_.contains(node) && !IsPlaceholderWithDefault(node);
  }

  // Finds the TF1 while loops among the needed nodes. Each top-level loop
  // frame becomes one unit of the plan, represented by its first node.
  absl::Status FindLoopFrames() {
    const int n = static_cast<int>(graph_.nodes().size());
    std::vector<bool> sources(n, false);
    for (int node = 0; node < n; ++node) sources[node] = InputsPruned(node);
    MS_ASSIGN_OR_RETURN(frames_, LoopFrames::Find(graph_, needed_, sources));
    for (const TensorId& id : fetches_) {
      MS_RETURN_IF_ERROR(frames_.CheckReadableOutside(graph_, id.node));
    }
    for (int node : targets_) {
      if (node >= 0) {
        MS_RETURN_IF_ERROR(frames_.CheckReadableOutside(graph_, node));
      }
    }
    unit_of_.assign(n, -1);
    loop_frame_of_unit_.assign(n, -1);
    for (int node = 0; node < n; ++node) {
      if (needed_[node]) unit_of_[node] = node;
    }
    for (int frame : frames_.top_level_frames()) {
      const std::vector<int>& members = frames_.frames()[frame].members;
      for (int node : members) unit_of_[node] = members.front();
      loop_frame_of_unit_[members.front()] = frame;
    }
    return absl::OkStatus();
  }

  // Kahn's algorithm over the plan's units (needed nodes outside loops, and
  // whole top-level loops), keeping graph order among ready units so plans
  // are deterministic.
  absl::Status Order() {
    const int n = static_cast<int>(graph_.nodes().size());
    std::vector<int> pending(n, 0);
    std::vector<std::vector<int>> consumers(n);
    for (int node = 0; node < n; ++node) {
      if (!needed_[node] || InputsPruned(node)) continue;
      const GraphNode& g = graph_.node(node);
      const int unit = unit_of_[node];
      auto add_edge = [&](int src) {
        if (src < 0 || !needed_[src] || unit_of_[src] == unit) return;
        ++pending[unit];
        consumers[unit_of_[src]].push_back(unit);
      };
      for (const TensorId& in : g.inputs) add_edge(in.node);
      for (int in : g.control_inputs) add_edge(in);
    }
    std::vector<int> ready;
    for (int node = n - 1; node >= 0; --node) {
      if (needed_[node] && unit_of_[node] == node && pending[node] == 0) {
        ready.push_back(node);
      }
    }
    while (!ready.empty()) {
      int node = ready.back();
      ready.pop_back();
      order_.push_back(node);
      for (int consumer : consumers[node]) {
        if (--pending[consumer] == 0) ready.push_back(consumer);
      }
    }
    int unit_count = 0;
    for (int node = 0; node < n; ++node) {
      unit_count += needed_[node] && unit_of_[node] == node;
    }
    if (static_cast<int>(order_.size()) != unit_count) {
      for (int node = 0; node < n; ++node) {
        if (needed_[node] && unit_of_[node] == node && pending[node] > 0) {
          const GraphNode& g = graph_.node(node);
          return absl::InvalidArgumentError(absl::StrCat(
              PlanLabel(), "graph has a cycle through node '", g.name(),
              "' (op ", g.op_type(), ") that is not a TF1 while loop"));
        }
      }
    }
    return absl::OkStatus();
  }

  std::string PlanLabel() const {
    return graph_.function_name().empty()
               ? std::string()
               : absl::StrCat("function ", graph_.function_name(), ": ");
  }

  absl::Status CreateSteps() {
    std::set<std::string> missing;
    std::vector<std::string> errors;
    // The code of the first error: a kernel's own (e.g. UNIMPLEMENTED for a
    // dtype it lacks), INVALID_ARGUMENT for a malformed node.
    absl::StatusCode error_code = absl::StatusCode::kOk;
    step_of_node_.assign(graph_.nodes().size(), -1);
    output_offset_.assign(graph_.nodes().size(), 0);
    auto add_error = [&](const absl::Status& status) {
      if (std::set<std::string> nested = MissingOpsOf(status);
          !nested.empty()) {
        missing.insert(nested.begin(), nested.end());
        return;
      }
      errors.push_back(std::string(status.message()));
      if (error_code == absl::StatusCode::kOk) error_code = status.code();
    };
    for (int node : order_) {
      if (const int frame = loop_frame_of_unit_[node]; frame >= 0) {
        absl::StatusOr<PlanStep> step = CreateLoopStep(frames_.frames()[frame]);
        if (!step.ok()) {
          add_error(step.status());
        } else {
          plan_->steps_.push_back(*std::move(step));
        }
        continue;
      }
      const GraphNode& g = graph_.node(node);
      PlanStep step;
      step.node_name = g.name();
      step.op = g.op_type();
      NodeAttrs attrs(*g.def);
      DataType dtype;
      if (attrs.Get("dtype", &dtype).ok() || attrs.Get("T", &dtype).ok()) {
        step.declared_dtype = dtype;
      }
      auto fed = fed_outputs_.find(node);
      if (fed != fed_outputs_.end()) step.fed_outputs = fed->second;
      step.num_outputs = std::max(g.num_outputs, 0);
      if (fed != fed_outputs_.end()) {
        for (const auto& [output, feed] : fed->second) {
          step.num_outputs = std::max(step.num_outputs, output + 1);
        }
      }
      if (!InputsPruned(node)) {
        if (!g.error.empty()) {
          errors.push_back(absl::StrCat("node '", g.name(), "' (op ",
                                        g.op_type(), "): ", g.error));
          if (error_code == absl::StatusCode::kOk) {
            error_code = absl::StatusCode::kInvalidArgument;
          }
        } else if (g.op == nullptr && g.function == nullptr) {
          missing.insert(g.op_type());
        } else {
          absl::StatusOr<std::unique_ptr<OpKernel>> kernel = CreateKernel(g);
          if (kernel.ok()) {
            step.kernel = *std::move(kernel);
          } else {
            add_error(kernel.status());
          }
        }
        if (g.op != nullptr) {
          step.accepts_dead_inputs = g.op->spec.accepts_dead_inputs();
          step.takes_ref.assign(g.inputs.size(), 0);
          for (int ref : g.op->spec.ref_inputs()) {
            if (ref < static_cast<int>(g.inputs.size()))
              step.takes_ref[ref] = 1;
          }
        } else {
          step.takes_ref.assign(g.inputs.size(), 0);
        }
      }
      step_of_node_[node] = static_cast<int>(plan_->steps_.size());
      plan_->steps_.push_back(std::move(step));
    }
    if (!missing.empty()) {
      absl::Status status = MissingOpsError(
          missing,
          PlanLabel().empty() ? std::string() : graph_.function_name());
      if (!errors.empty()) {
        std::set<std::string> ops = MissingOpsOf(status);
        status = MissingOpsError(
            ops, absl::StrCat(graph_.function_name(),
                              graph_.function_name().empty() ? "" : " ",
                              "(also: ", absl::StrJoin(errors, "; "), ")"));
      }
      return status;
    }
    if (!errors.empty()) {
      return absl::Status(
          error_code, absl::StrCat(PlanLabel(), absl::StrJoin(errors, "; ")));
    }
    return absl::OkStatus();
  }

  // The step of a top-level loop frame: every member node maps to it, and
  // each Exit to one of its outputs.
  absl::StatusOr<PlanStep> CreateLoopStep(const LoopFrame& frame) {
    PlanStep step;
    step.node_name = frame.name;
    step.op = "(while loop)";
    step.num_outputs = static_cast<int>(frame.exits.size());
    MS_ASSIGN_OR_RETURN(step.kernel,
                        MakeTf1WhileLoopKernel(graph_, frame, env_));
    for (int enter : frame.enters) {
      const GraphNode& g = graph_.node(enter);
      if (g.inputs.size() != 1) {
        return absl::InvalidArgumentError(absl::StrCat(
            "while loop frame '", frame.name, "': ", g.op_type(), " node '",
            g.name(), "' must have exactly one input, has ", g.inputs.size()));
      }
      // A RefEnter reads its variable when the loop starts
      // (tf1_while_loop.h).
      step.takes_ref.push_back(0);
    }
    const int index = static_cast<int>(plan_->steps_.size());
    for (int node : frame.members) step_of_node_[node] = index;
    for (size_t k = 0; k < frame.exits.size(); ++k) {
      output_offset_[frame.exits[k]] = static_cast<int>(k);
    }
    return step;
  }

  absl::StatusOr<std::unique_ptr<OpKernel>> CreateKernel(const GraphNode& g) {
    NodeAttrs attrs(*g.def);
    if (g.function != nullptr) {
      return MakeFunctionCallKernel(env_.functions, g.op_type(),
                                    static_cast<int>(g.inputs.size()),
                                    g.num_outputs);
    }
    KernelConstruction construction{attrs, static_cast<int>(g.inputs.size()),
                                    env_.resources, env_.functions,
                                    env_.export_dir};
    return g.op->factory(construction);
  }

  void WireSlots() {
    int next = 0;
    for (PlanStep& step : plan_->steps_) {
      step.first_output = next;
      next += step.num_outputs;
    }
    plan_->num_slots_ = next;
    for (int node : order_) {
      PlanStep& step = plan_->steps_[step_of_node_[node]];
      if (InputsPruned(node)) continue;
      std::vector<int> nodes = {node};
      if (const int frame = loop_frame_of_unit_[node]; frame >= 0) {
        nodes = frames_.frames()[frame].enters;
      }
      for (int member : nodes) {
        const GraphNode& g = graph_.node(member);
        for (const TensorId& in : g.inputs) {
          step.input_slots.push_back(SlotOf(in));
        }
        for (int in : g.control_inputs) {
          if (step_of_node_[in] >= 0)
            step.control_steps.push_back(step_of_node_[in]);
        }
      }
    }
    for (const TensorId& id : feeds_) {
      plan_->feed_slots_.push_back(SlotOf(id));
      plan_->feed_names_.push_back(graph_.TensorName(id));
      int step = step_of_node_[id.node];
      plan_->feed_dtypes_.push_back(
          step >= 0 ? plan_->steps_[step].declared_dtype : DT_INVALID);
    }
    for (const TensorId& id : fetches_) {
      plan_->fetch_slots_.push_back(SlotOf(id));
      plan_->fetch_names_.push_back(graph_.TensorName(id));
    }
  }

  // Slot of a tensor; -1 if its node is not in the plan (a fed node's input).
  int SlotOf(const TensorId& id) const {
    int step = id.node < 0 ? -1 : step_of_node_[id.node];
    if (step < 0) return -1;
    return plan_->steps_[step].first_output + output_offset_[id.node] +
           id.output;
  }

  void ComputeLifetimes() {
    std::vector<int> last_reader(plan_->num_slots_, -1);
    for (int s = 0; s < static_cast<int>(plan_->steps_.size()); ++s) {
      for (int slot : plan_->steps_[s].input_slots) {
        if (slot >= 0) last_reader[slot] = s;
      }
    }
    for (int slot : plan_->fetch_slots_) {
      if (slot >= 0) last_reader[slot] = -2;  // kept until the end
    }
    for (int slot = 0; slot < plan_->num_slots_; ++slot) {
      if (last_reader[slot] >= 0) {
        plan_->steps_[last_reader[slot]].release_slots.push_back(slot);
      }
    }
  }

  const Graph& graph_;
  const std::vector<TensorId>& feeds_;
  const std::vector<TensorId>& fetches_;
  const std::vector<int>& targets_;
  const CompileEnv& env_;
  std::unique_ptr<Plan> plan_;
  absl::flat_hash_map<int, std::vector<std::pair<int, int>>> fed_outputs_;
  std::vector<bool> needed_;
  LoopFrames frames_;
  // Per node: the node representing its unit in order_ (itself, or the
  // first node of its top-level loop frame); -1 if not needed.
  std::vector<int> unit_of_;
  // Per unit node: its top-level loop frame, or -1.
  std::vector<int> loop_frame_of_unit_;
  std::vector<int> order_;
  std::vector<int> step_of_node_;
  // Per node: its first output's position among its step's outputs (an
  // Exit's index among its loop step's outputs; 0 otherwise).
  std::vector<int> output_offset_;
};

absl::StatusOr<std::unique_ptr<Plan>> Plan::Compile(
    const Graph& graph, const std::vector<TensorId>& feeds,
    const std::vector<TensorId>& fetches, const std::vector<int>& targets,
    const CompileEnv& env) {
  return PlanCompiler(graph, feeds, fetches, targets, env).Compile();
}

absl::StatusOr<std::unique_ptr<Plan>> Plan::CompileByName(
    const Graph& graph, const std::vector<std::string>& feeds,
    const std::vector<std::string>& fetches,
    const std::vector<std::string>& targets, const CompileEnv& env) {
  std::vector<TensorId> feed_ids, fetch_ids;
  std::vector<int> target_ids;
  for (const std::string& name : feeds) {
    MS_ASSIGN_OR_RETURN(TensorId id, graph.FindTensor(name));
    feed_ids.push_back(id);
  }
  for (const std::string& name : fetches) {
    MS_ASSIGN_OR_RETURN(TensorId id, graph.FindTensor(name));
    fetch_ids.push_back(id);
  }
  for (const std::string& name : targets) {
    // Targets may be written as tensor names ("init_op:0" style) too.
    std::string node_name = name;
    if (size_t colon = node_name.find(':'); colon != std::string::npos) {
      node_name.resize(colon);
    }
    if (!node_name.empty() && node_name[0] == '^') node_name.erase(0, 1);
    int node = graph.FindNode(node_name);
    if (node < 0) {
      return absl::NotFoundError(
          absl::StrCat("target node '", name, "' is not in the graph"));
    }
    target_ids.push_back(node);
  }
  return Compile(graph, feed_ids, fetch_ids, target_ids, env);
}

}  // namespace model_server
