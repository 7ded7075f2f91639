#include "runtime/tf1_while_loop.h"

#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "runtime/status_macros.h"

namespace model_server {
namespace {

// Where each fed value of the two plans comes from in an iteration.
enum class FeedSource {
  kVariable,        // the variable's current value
  kValueIndex,      // the Merge's value_index output
  kEnter,           // the loop step's input
  kLoopCondIsTrue,  // the LoopCond's output inside the body
};

struct Feed {
  TensorId tensor;
  FeedSource source;
  int index = 0;  // variable or Enter index
};

class Tf1WhileLoopKernel final : public OpKernel {
 public:
  struct Layout {
    std::string frame_name;
    std::vector<Feed> cond_feeds;
    std::vector<Feed> body_feeds;
    // Per variable: its Enter's index among the step's inputs, and its
    // Merge's value_index in the first and in later iterations.
    std::vector<int> variable_enter;
    std::vector<Tensor> first_value_index;
    std::vector<Tensor> next_value_index;
    std::vector<int> exit_variables;
  };

  Tf1WhileLoopKernel(Layout layout, std::unique_ptr<Plan> cond,
                     std::unique_ptr<Plan> body)
      : layout_(std::move(layout)),
        cond_(std::move(cond)),
        body_(std::move(body)) {}

  absl::Status Compute(OpKernelContext& ctx) const override {
    const size_t num_variables = layout_.variable_enter.size();
    std::vector<Tensor> current(num_variables), next;
    for (size_t v = 0; v < num_variables; ++v) {
      current[v] = ctx.input(layout_.variable_enter[v]);
    }
    std::vector<Tensor> cond_feeds(layout_.cond_feeds.size());
    std::vector<Tensor> body_feeds(layout_.body_feeds.size());
    std::vector<Tensor> cond_result;
    // RunFunction checks the deadline before each run, so a loop whose
    // condition never turns false ends with DEADLINE_EXCEEDED.
    for (bool first = true;; first = false) {
      Bind(layout_.cond_feeds, ctx, current, first, &cond_feeds);
      MS_RETURN_IF_ERROR(ctx.RunFunction(*cond_, cond_feeds, &cond_result));
      MS_ASSIGN_OR_RETURN(bool go_on, ReadPredicate(cond_result[0]));
      if (!go_on) break;
      Bind(layout_.body_feeds, ctx, current, first, &body_feeds);
      MS_RETURN_IF_ERROR(ctx.RunFunction(*body_, body_feeds, &next));
      current.swap(next);
    }
    for (size_t e = 0; e < layout_.exit_variables.size(); ++e) {
      ctx.set_output(static_cast<int>(e), current[layout_.exit_variables[e]]);
    }
    return absl::OkStatus();
  }

 private:
  void Bind(const std::vector<Feed>& feeds, const OpKernelContext& ctx,
            const std::vector<Tensor>& current, bool first,
            std::vector<Tensor>* out) const {
    for (size_t i = 0; i < feeds.size(); ++i) {
      const Feed& feed = feeds[i];
      switch (feed.source) {
        case FeedSource::kVariable:
          (*out)[i] = current[feed.index];
          break;
        case FeedSource::kValueIndex:
          (*out)[i] = first ? layout_.first_value_index[feed.index]
                            : layout_.next_value_index[feed.index];
          break;
        case FeedSource::kEnter:
          (*out)[i] = ctx.input(feed.index);
          break;
        case FeedSource::kLoopCondIsTrue:
          (*out)[i] = true_;
          break;
      }
    }
  }

  absl::StatusOr<bool> ReadPredicate(const Tensor& pred) const {
    if (pred.dtype() != DT_BOOL || pred.rank() != 0) {
      return absl::InvalidArgumentError(absl::StrCat(
          "while loop frame '", layout_.frame_name,
          "': the LoopCond input must be a bool scalar, but it is ",
          DataTypeName(pred.dtype()), " ", pred.shape().DebugString()));
    }
    return pred.scalar<bool>();
  }

  const Layout layout_;
  const std::unique_ptr<Plan> cond_;
  const std::unique_ptr<Plan> body_;
  const Tensor true_ = Tensor::Scalar<bool>(true);
};

// The single data input of a loop node (LoopCond, NextIteration).
absl::StatusOr<TensorId> OnlyInput(const Graph& graph, int node,
                                   const std::string& frame_name) {
  const GraphNode& g = graph.node(node);
  if (g.inputs.size() != 1 || g.inputs[0].node < 0) {
    return absl::InvalidArgumentError(absl::StrCat(
        "while loop frame '", frame_name, "': ", g.op_type(), " node '",
        g.name(), "' must have exactly one input, has ", g.inputs.size()));
  }
  return g.inputs[0];
}

Tensor Int32Value(int value) { return Tensor::Scalar<int32_t>(value); }

std::vector<TensorId> TensorsOf(const std::vector<Feed>& feeds) {
  std::vector<TensorId> tensors;
  for (const Feed& feed : feeds) tensors.push_back(feed.tensor);
  return tensors;
}

}  // namespace

absl::StatusOr<std::unique_ptr<OpKernel>> MakeTf1WhileLoopKernel(
    const Graph& graph, const LoopFrame& frame, const CompileEnv& env) {
  Tf1WhileLoopKernel::Layout layout;
  layout.frame_name = frame.name;
  std::vector<Feed> common;
  for (size_t v = 0; v < frame.variables.size(); ++v) {
    const LoopVariable& variable = frame.variables[v];
    const int index = static_cast<int>(v);
    common.push_back({{variable.merge, 0}, FeedSource::kVariable, index});
    common.push_back({{variable.merge, 1}, FeedSource::kValueIndex, index});
    const std::vector<TensorId>& merge_inputs =
        graph.node(variable.merge).inputs;
    const int enter_position = merge_inputs[0].node == variable.enter ? 0 : 1;
    layout.first_value_index.push_back(Int32Value(enter_position));
    layout.next_value_index.push_back(Int32Value(1 - enter_position));
    layout.variable_enter.push_back(-1);
    for (size_t e = 0; e < frame.enters.size(); ++e) {
      if (frame.enters[e] == variable.enter) {
        layout.variable_enter.back() = static_cast<int>(e);
      }
    }
  }
  for (size_t e = 0; e < frame.enters.size(); ++e) {
    common.push_back(
        {{frame.enters[e], 0}, FeedSource::kEnter, static_cast<int>(e)});
  }
  layout.cond_feeds = common;
  layout.body_feeds = common;
  for (size_t v = 0; v < frame.variables.size(); ++v) {
    for (int s : frame.variables[v].switches) {
      layout.body_feeds.push_back(
          {{s, 1}, FeedSource::kVariable, static_cast<int>(v)});
    }
  }
  layout.body_feeds.push_back(
      {{frame.loop_cond, 0}, FeedSource::kLoopCondIsTrue, 0});
  layout.exit_variables = frame.exit_variables;

  MS_ASSIGN_OR_RETURN(TensorId pred,
                      OnlyInput(graph, frame.loop_cond, frame.name));
  std::vector<int> cond_targets = graph.node(frame.loop_cond).control_inputs;
  std::vector<TensorId> next_values;
  std::vector<int> body_targets;
  for (const LoopVariable& variable : frame.variables) {
    MS_ASSIGN_OR_RETURN(TensorId next,
                        OnlyInput(graph, variable.next_iteration, frame.name));
    next_values.push_back(next);
    const std::vector<int>& control =
        graph.node(variable.next_iteration).control_inputs;
    body_targets.insert(body_targets.end(), control.begin(), control.end());
  }

  MS_ASSIGN_OR_RETURN(std::unique_ptr<Plan> cond,
                      Plan::Compile(graph, TensorsOf(layout.cond_feeds), {pred},
                                    cond_targets, env));
  MS_ASSIGN_OR_RETURN(std::unique_ptr<Plan> body,
                      Plan::Compile(graph, TensorsOf(layout.body_feeds),
                                    next_values, body_targets, env));
  return std::unique_ptr<OpKernel>(new Tf1WhileLoopKernel(
      std::move(layout), std::move(cond), std::move(body)));
}

}  // namespace model_server
