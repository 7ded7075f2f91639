#include "runtime/tf1_loop_frames.h"

#include <algorithm>
#include <deque>
#include <map>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "runtime/node_attrs.h"
#include "runtime/status_macros.h"
#include "tensorflow/core/framework/node_def.pb.h"

namespace model_server {

bool IsEnterOp(const std::string& op) {
  return op == "Enter" || op == "RefEnter";
}
bool IsExitOp(const std::string& op) { return op == "Exit" || op == "RefExit"; }
bool IsNextIterationOp(const std::string& op) {
  return op == "NextIteration" || op == "RefNextIteration";
}
bool IsMergeOp(const std::string& op) {
  return op == "Merge" || op == "RefMerge";
}
bool IsSwitchOp(const std::string& op) {
  return op == "Switch" || op == "RefSwitch";
}

namespace {

constexpr int kUnassigned = -2;
constexpr int kOutside = -1;

bool IsLoopCondOp(const std::string& op) { return op == "LoopCond"; }

}  // namespace

// Fills a LoopFrames: frame assignment by a breadth-first walk from the
// sources (TensorFlow's executor does the same), an edge check, then the
// loop structure of each top-level frame.
class LoopFrameFinder {
 public:
  LoopFrameFinder(const Graph& graph, const std::vector<bool>& needed,
                  const std::vector<bool>& sources, LoopFrames* out)
      : graph_(graph), needed_(needed), sources_(sources), out_(*out) {}

  absl::Status Run() {
    const int n = static_cast<int>(graph_.nodes().size());
    out_.frame_of_.assign(n, kUnassigned);
    out_.top_level_of_.assign(n, kOutside);
    BuildConsumers();
    MS_RETURN_IF_ERROR(AssignFrames());
    MS_RETURN_IF_ERROR(CheckEdges());
    if (out_.frames_.empty()) return absl::OkStatus();
    MS_RETURN_IF_ERROR(CheckNesting());
    FindTopLevelFrames();
    for (int frame : out_.top_level_) {
      MS_RETURN_IF_ERROR(RecogniseLoop(frame));
    }
    return absl::OkStatus();
  }

 private:
  const GraphNode& node(int i) const { return graph_.node(i); }
  const std::string& op(int i) const { return graph_.node(i).op_type(); }
  bool Followed(int i) const { return needed_[i] && !sources_[i]; }

  // The needed inputs (data and control) of a node whose inputs count.
  std::vector<int> InputsOf(int i) const {
    std::vector<int> inputs;
    if (!Followed(i)) return inputs;
    for (const TensorId& in : node(i).inputs) {
      if (in.node >= 0 && needed_[in.node]) inputs.push_back(in.node);
    }
    for (int in : node(i).control_inputs) {
      if (needed_[in]) inputs.push_back(in);
    }
    return inputs;
  }

  void BuildConsumers() {
    consumers_.assign(graph_.nodes().size(), {});
    for (int i = 0; i < static_cast<int>(graph_.nodes().size()); ++i) {
      for (int in : InputsOf(i)) consumers_[in].push_back(i);
    }
  }

  std::string FrameLabel(int frame) const {
    return absl::StrCat("while loop frame '", out_.frames_[frame].name, "'");
  }

  // The frame a node's outputs belong to.
  absl::StatusOr<int> OutputFrame(int i) const {
    const int frame = out_.frame_of_[i];
    if (IsExitOp(op(i)) && Followed(i)) {
      if (frame == kOutside) {
        return absl::InvalidArgumentError(absl::StrCat(
            op(i), " node '", node(i).name(),
            "' is not inside a while loop: no Enter node leads to it"));
      }
      return out_.frames_[frame].parent;
    }
    return frame;
  }

  // The frame node `consumer` runs in when it reads an output of `input`.
  absl::StatusOr<int> FrameFromInput(int consumer, int input) {
    MS_ASSIGN_OR_RETURN(int frame, OutputFrame(input));
    if (!IsEnterOp(op(consumer))) return frame;
    return ChildFrame(consumer, frame);
  }

  absl::StatusOr<int> ChildFrame(int enter, int parent) {
    NodeAttrs attrs(*node(enter).def);
    std::string name;
    MS_RETURN_IF_ERROR(attrs.Get("frame_name", &name));
    auto [it, inserted] =
        frame_index_.emplace(std::make_pair(parent, name), out_.frames_.size());
    if (inserted) {
      LoopFrame frame;
      frame.name = name;
      frame.parent = parent;
      int64_t parallel = 10;
      MS_RETURN_IF_ERROR(
          attrs.GetOr<int64_t>("parallel_iterations", 10, &parallel));
      if (parallel <= 0) {
        return attrs.Error(absl::StrCat(
            "parallel_iterations must be positive, got ", parallel));
      }
      frame.parallel_iterations =
          static_cast<int>(std::min<int64_t>(parallel, 1 << 30));
      out_.frames_.push_back(std::move(frame));
    }
    return it->second;
  }

  absl::Status AssignFrames() {
    std::deque<int> ready;
    for (int i = 0; i < static_cast<int>(graph_.nodes().size()); ++i) {
      if (!needed_[i]) continue;
      if (InputsOf(i).empty()) {
        // A source: it runs at the level being compiled, except an Enter
        // without inputs, which still starts its frame.
        if (IsEnterOp(op(i)) && Followed(i)) {
          MS_ASSIGN_OR_RETURN(out_.frame_of_[i], ChildFrame(i, kOutside));
        } else {
          out_.frame_of_[i] = kOutside;
        }
        ready.push_back(i);
      }
    }
    while (!ready.empty()) {
      const int i = ready.front();
      ready.pop_front();
      for (int consumer : consumers_[i]) {
        if (out_.frame_of_[consumer] != kUnassigned) continue;
        MS_ASSIGN_OR_RETURN(out_.frame_of_[consumer],
                            FrameFromInput(consumer, i));
        ready.push_back(consumer);
      }
    }
    // Nodes no source reaches sit on a cycle without an entry; the plan
    // compiler reports the cycle.
    for (int& frame : out_.frame_of_) {
      if (frame == kUnassigned) frame = kOutside;
    }
    return absl::OkStatus();
  }

  absl::Status CheckEdges() {
    for (int i = 0; i < static_cast<int>(graph_.nodes().size()); ++i) {
      if (!Followed(i)) continue;
      for (int in : InputsOf(i)) {
        MS_ASSIGN_OR_RETURN(int expected, FrameFromInput(i, in));
        if (expected != out_.frame_of_[i]) {
          return absl::InvalidArgumentError(
              absl::StrCat("All inputs to node ", node(i).name(),
                           " must be from the same frame."));
        }
      }
      const int frame = out_.frame_of_[i];
      if (frame == kOutside && (IsNextIterationOp(op(i)) ||
                                IsLoopCondOp(op(i)) || IsExitOp(op(i)))) {
        return absl::InvalidArgumentError(absl::StrCat(
            op(i), " node '", node(i).name(),
            "' is not inside a while loop: no Enter node leads to it"));
      }
    }
    return absl::OkStatus();
  }

  absl::Status CheckNesting() const {
    for (size_t f = 0; f < out_.frames_.size(); ++f) {
      int depth = 1;
      for (int p = out_.frames_[f].parent; p != kOutside;
           p = out_.frames_[p].parent) {
        if (++depth > kMaxLoopNesting) {
          return absl::InvalidArgumentError(absl::StrCat(
              FrameLabel(static_cast<int>(f)), " is nested deeper than ",
              kMaxLoopNesting, " loops"));
        }
      }
    }
    return absl::OkStatus();
  }

  void FindTopLevelFrames() {
    std::vector<int> top(out_.frames_.size());
    for (size_t f = 0; f < out_.frames_.size(); ++f) {
      int t = static_cast<int>(f);
      while (out_.frames_[t].parent != kOutside) t = out_.frames_[t].parent;
      top[f] = t;
    }
    std::vector<bool> listed(out_.frames_.size(), false);
    for (int i = 0; i < static_cast<int>(graph_.nodes().size()); ++i) {
      const int frame = out_.frame_of_[i];
      if (!needed_[i] || frame == kOutside) continue;
      const int t = top[frame];
      out_.top_level_of_[i] = t;
      out_.frames_[t].members.push_back(i);
      if (!listed[t]) {
        listed[t] = true;
        out_.top_level_.push_back(t);
      }
    }
  }

  absl::Status StructureError(int frame, int i, absl::string_view what) const {
    return absl::InvalidArgumentError(absl::StrCat(
        FrameLabel(frame), ": ", op(i), " node '", node(i).name(), "' ", what,
        "; only loops as tf.while_loop builds them are "
        "supported"));
  }

  // Finds the variables, LoopCond, Switches and Exits of top-level `frame`.
  absl::Status RecogniseLoop(int frame_index) {
    LoopFrame& frame = out_.frames_[frame_index];
    std::map<int, int> variable_of_merge;
    for (int i : frame.members) {
      if (out_.frame_of_[i] != frame_index) continue;
      if (IsEnterOp(op(i))) frame.enters.push_back(i);
      if (IsLoopCondOp(op(i))) {
        if (frame.loop_cond >= 0) {
          return StructureError(frame_index, i,
                                "is a second LoopCond of the frame");
        }
        frame.loop_cond = i;
      }
    }
    for (int i : frame.members) {
      if (out_.frame_of_[i] != frame_index || !IsMergeOp(op(i))) continue;
      const std::vector<TensorId>& in = node(i).inputs;
      bool has_next_iteration = false;
      for (const TensorId& id : in) {
        has_next_iteration |= id.node >= 0 && IsNextIterationOp(op(id.node));
      }
      if (!has_next_iteration) continue;  // a tf.cond's Merge in the loop
      LoopVariable variable;
      variable.merge = i;
      for (const TensorId& id : in) {
        if (id.node < 0) continue;
        if (IsEnterOp(op(id.node)) && out_.frame_of_[id.node] == frame_index &&
            variable.enter < 0) {
          variable.enter = id.node;
        } else if (IsNextIterationOp(op(id.node)) &&
                   variable.next_iteration < 0) {
          variable.next_iteration = id.node;
        } else {
          variable.enter = variable.next_iteration = -1;
          break;
        }
      }
      if (in.size() != 2 || variable.enter < 0 || variable.next_iteration < 0) {
        return StructureError(frame_index, i,
                              "must merge one Enter and one NextIteration");
      }
      variable_of_merge[i] = static_cast<int>(frame.variables.size());
      frame.variables.push_back(variable);
    }
    if (frame.loop_cond < 0) {
      return absl::InvalidArgumentError(absl::StrCat(
          FrameLabel(frame_index),
          " has no LoopCond node; only loops as tf.while_loop builds them are "
          "supported"));
    }
    for (int i : frame.members) {
      if (out_.frame_of_[i] != frame_index) continue;
      if (IsNextIterationOp(op(i))) {
        bool feeds_variable = false;
        for (const LoopVariable& v : frame.variables) {
          feeds_variable |= v.next_iteration == i;
        }
        if (!feeds_variable) {
          return StructureError(frame_index, i,
                                "does not feed a loop variable's Merge");
        }
      }
      if (IsSwitchOp(op(i))) {
        const std::vector<TensorId>& in = node(i).inputs;
        if (in.size() != 2 || in[1].node != frame.loop_cond) continue;
        auto var = variable_of_merge.find(in[0].node);
        if (in[0].output != 0 || var == variable_of_merge.end()) {
          return StructureError(frame_index, i,
                                "switches on the LoopCond but not a loop "
                                "variable's Merge");
        }
        frame.variables[var->second].switches.push_back(i);
      }
    }
    for (int i : frame.members) {
      if (out_.frame_of_[i] != frame_index || !IsExitOp(op(i))) continue;
      const std::vector<TensorId>& in = node(i).inputs;
      int variable = -1;
      if (in.size() == 1 && in[0].node >= 0 && in[0].output == 0) {
        for (size_t v = 0; v < frame.variables.size(); ++v) {
          for (int s : frame.variables[v].switches) {
            if (s == in[0].node) variable = static_cast<int>(v);
          }
        }
      }
      if (variable < 0) {
        return StructureError(frame_index, i,
                              "does not read the false output of a loop "
                              "variable's Switch");
      }
      frame.exits.push_back(i);
      frame.exit_variables.push_back(variable);
    }
    return absl::OkStatus();
  }

  const Graph& graph_;
  const std::vector<bool>& needed_;
  const std::vector<bool>& sources_;
  LoopFrames& out_;
  std::vector<std::vector<int>> consumers_;
  std::map<std::pair<int, std::string>, int> frame_index_;
};

absl::StatusOr<LoopFrames> LoopFrames::Find(const Graph& graph,
                                            const std::vector<bool>& needed,
                                            const std::vector<bool>& sources) {
  LoopFrames frames;
  LoopFrameFinder finder(graph, needed, sources, &frames);
  MS_RETURN_IF_ERROR(finder.Run());
  return frames;
}

absl::Status LoopFrames::CheckReadableOutside(const Graph& graph,
                                              int node) const {
  const int frame = frame_of_[node];
  if (frame == kOutside) return absl::OkStatus();
  const GraphNode& g = graph.node(node);
  if (IsExitOp(g.op_type()) && frames_[frame].parent == kOutside) {
    return absl::OkStatus();
  }
  return absl::InvalidArgumentError(absl::StrCat(
      "node '", g.name(), "' runs inside while loop frame '",
      frames_[frame].name,
      "' and cannot be fetched or run from outside it; fetch the loop's Exit "
      "nodes instead"));
}

}  // namespace model_server
