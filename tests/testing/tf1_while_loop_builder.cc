#include "tests/testing/tf1_while_loop_builder.h"

#include "absl/strings/str_cat.h"

namespace model_server {
namespace {

// tf.while_loop's suffixes: "Enter", "Enter_1", ...
std::string Numbered(const std::string& base, size_t i) {
  return i == 0 ? base : absl::StrCat(base, "_", i);
}

}  // namespace

Tf1WhileLoopBuilder::Tf1WhileLoopBuilder(
    GraphBuilder* graph, std::string name,
    std::vector<std::pair<std::string, DataType>> initial,
    int parallel_iterations)
    : graph_(*graph),
      name_(std::move(name)),
      frame_(name_ + "/while_context"),
      parallel_iterations_(parallel_iterations) {
  for (size_t i = 0; i < initial.size(); ++i) {
    const auto& [tensor, dtype] = initial[i];
    dtypes_.push_back(dtype);
    std::string enter = Name(Numbered("Enter", i));
    graph_.Op(enter, "Enter")
        .Input(tensor)
        .Attr("T", dtype)
        .Attr("frame_name", frame_)
        .Attr("is_constant", false)
        .Attr("parallel_iterations", parallel_iterations_);
    // The second input is replaced by the NextIteration in Body(), as
    // tf.while_loop does.
    std::string merge = Name(Numbered("Merge", i));
    graph_.Op(merge, "Merge")
        .Input(enter)
        .Input(enter)
        .Attr("T", dtype)
        .Attr("N", 2);
    merges_.push_back(merge + ":0");
  }
  if (!merges_.empty()) pivot_ = Name("Merge");
}

std::string Tf1WhileLoopBuilder::Name(const std::string& suffix) const {
  return absl::StrCat(name_, "/", suffix);
}

std::string Tf1WhileLoopBuilder::Invariant(const std::string& outer_tensor,
                                           DataType dtype) {
  std::string enter = Name(Numbered("InvariantEnter", invariants_++));
  graph_.Op(enter, "Enter")
      .Input(outer_tensor)
      .Attr("T", dtype)
      .Attr("frame_name", frame_)
      .Attr("is_constant", true)
      .Attr("parallel_iterations", parallel_iterations_);
  return enter + ":0";
}

std::string Tf1WhileLoopBuilder::Const(const std::string& suffix,
                                       const Tensor& value) {
  std::string tensor = graph_.Const(Name(suffix), value);
  if (!pivot_.empty()) {
    graph_.graph_def()
        .mutable_node(graph_.graph_def().node_size() - 1)
        ->add_input("^" + pivot_);
  }
  return tensor;
}

void Tf1WhileLoopBuilder::Cond(const std::string& pred) {
  std::string loop_cond = Name("LoopCond");
  graph_.Op(loop_cond, "LoopCond").Input(pred);
  for (size_t i = 0; i < merges_.size(); ++i) {
    std::string sw = Name(Numbered("Switch", i));
    graph_.Op(sw, "Switch")
        .Input(merges_[i])
        .Input(loop_cond)
        .Attr("T", dtypes_[i]);
    switches_.push_back(sw);
    identities_.push_back(
        graph_.Identity(Name(Numbered("Identity", i)), sw + ":1", dtypes_[i]));
  }
  if (!identities_.empty()) pivot_ = Name("Identity");
}

std::vector<std::string> Tf1WhileLoopBuilder::Body(
    const std::vector<std::string>& next) {
  std::vector<std::string> exits;
  for (size_t i = 0; i < merges_.size() && i < next.size(); ++i) {
    std::string next_iteration = Name(Numbered("NextIteration", i));
    graph_.Op(next_iteration, "NextIteration")
        .Input(next[i])
        .Attr("T", dtypes_[i]);
    // Merge's second input becomes the NextIteration.
    std::string merge = Name(Numbered("Merge", i));
    for (tensorflow::NodeDef& node : *graph_.graph_def().mutable_node()) {
      if (node.name() == merge) node.set_input(1, next_iteration);
    }
    std::string exit = Name(Numbered("Exit", i));
    graph_.Op(exit, "Exit").Input(switches_[i]).Attr("T", dtypes_[i]);
    exits.push_back(exit + ":0");
  }
  return exits;
}

}  // namespace model_server
