// Plan compilation and execution over small hand-built graphs.
#include "runtime/plan.h"

#include "absl/strings/match.h"
#include "absl/time/clock.h"
#include "gtest/gtest.h"
#include "runtime/cancellation.h"
#include "runtime/executor.h"
#include "runtime/function_library.h"
#include "runtime/missing_ops.h"
#include "tensorflow/core/framework/function.pb.h"
#include "tensorflow/core/framework/graph.pb.h"
#include "tensorflow/core/framework/node_def.pb.h"
#include "tensorflow/core/framework/op_def.pb.h"
#include "tests/testing/kernel_harness.h"

namespace model_server {
namespace {

using tensorflow::GraphDef;
using tensorflow::NodeDef;

NodeDef* AddNode(GraphDef* graph, const std::string& name,
                 const std::string& op, std::vector<std::string> inputs = {}) {
  NodeDef* node = graph->add_node();
  node->set_name(name);
  node->set_op(op);
  for (auto& in : inputs) node->add_input(in);
  (*node->mutable_attr())["T"].set_type(tensorflow::DT_FLOAT);
  return node;
}

NodeDef* AddPlaceholder(GraphDef* graph, const std::string& name) {
  NodeDef* node = AddNode(graph, name, "Placeholder");
  (*node->mutable_attr())["dtype"].set_type(tensorflow::DT_FLOAT);
  return node;
}

NodeDef* AddConst(GraphDef* graph, const std::string& name, float value) {
  NodeDef* node = AddNode(graph, name, "Const");
  (*node->mutable_attr())["dtype"].set_type(tensorflow::DT_FLOAT);
  auto* tensor = (*node->mutable_attr())["value"].mutable_tensor();
  tensor->set_dtype(tensorflow::DT_FLOAT);
  tensor->add_float_val(value);
  return node;
}

struct Compiled {
  std::unique_ptr<Graph> graph;
  std::unique_ptr<Plan> plan;
};

absl::StatusOr<Compiled> Compile(const GraphDef& graph_def,
                                 std::vector<std::string> feeds,
                                 std::vector<std::string> fetches,
                                 std::vector<std::string> targets = {},
                                 FunctionLibrary* functions = nullptr,
                                 ResourceManager* resources = nullptr) {
  Compiled compiled;
  auto graph = Graph::FromGraphDef(graph_def, functions);
  if (!graph.ok()) return graph.status();
  compiled.graph = *std::move(graph);
  CompileEnv env{resources, functions, ""};
  auto plan =
      Plan::CompileByName(*compiled.graph, feeds, fetches, targets, env);
  if (!plan.ok()) return plan.status();
  compiled.plan = *std::move(plan);
  return compiled;
}

// y = x * 2.
absl::StatusOr<Compiled> CompileDoubling() {
  GraphDef g;
  AddPlaceholder(&g, "x");
  AddConst(&g, "two", 2.0f);
  AddNode(&g, "y", "Mul", {"x", "two"});
  return Compile(g, {"x:0"}, {"y:0"});
}

TEST(Plan, RunsFedGraphAndFetchesResult) {
  auto compiled = CompileDoubling();
  ASSERT_TRUE(compiled.ok()) << compiled.status();
  std::vector<Tensor> out;
  ASSERT_TRUE(
      RunPlan(*compiled->plan, {Tensor::Vector<float>({1, 2, 3})}, &out).ok());
  EXPECT_TENSOR_EQ(out[0], Tensor::Vector<float>({2, 4, 6}));
}

TEST(Plan, ACancelledRunStopsBeforeItsNextKernelWithCancelled) {
  auto compiled = CompileDoubling();
  ASSERT_TRUE(compiled.ok()) << compiled.status();
  CancellationFlag cancelled;
  RunOptions options;
  options.cancellation = &cancelled;
  std::vector<Tensor> out;
  ASSERT_TRUE(
      RunPlan(*compiled->plan, {Tensor::Scalar(1.0f)}, &out, options).ok());
  cancelled.Cancel();
  absl::Status status =
      RunPlan(*compiled->plan, {Tensor::Scalar(1.0f)}, &out, options);
  EXPECT_EQ(status.code(), absl::StatusCode::kCancelled) << status;
  EXPECT_TRUE(
      absl::StrContains(status.message(), "the client cancelled the request"))
      << status;
}

TEST(Plan, ARunPastItsDeadlineStopsBeforeItsNextKernel) {
  GraphDef g;
  AddConst(&g, "two", 2.0f);
  AddNode(&g, "y", "Identity", {"two"});
  auto compiled = Compile(g, {}, {"y:0"});
  ASSERT_TRUE(compiled.ok()) << compiled.status();
  RunOptions options;
  options.deadline = absl::Now() - absl::Seconds(1);
  std::vector<Tensor> out;
  absl::Status status = RunPlan(*compiled->plan, {}, &out, options);
  EXPECT_EQ(status.code(), absl::StatusCode::kDeadlineExceeded) << status;
}

TEST(Plan, PrunesNodesTheFetchesDoNotNeed) {
  GraphDef g;
  AddPlaceholder(&g, "x");
  AddNode(&g, "y", "Identity", {"x"});
  AddNode(&g, "training_only", "ApplyAdamNotSupported", {"x"});
  auto compiled = Compile(g, {"x:0"}, {"y:0"});
  ASSERT_TRUE(compiled.ok()) << compiled.status();
  EXPECT_EQ(compiled->plan->steps().size(), 2u);
}

TEST(Plan, ListsEveryMissingOpInOneError) {
  GraphDef g;
  AddPlaceholder(&g, "x");
  AddNode(&g, "a", "ZeroOut", {"x"});
  AddNode(&g, "b", "FancyOp", {"a"});
  AddNode(&g, "c", "ZeroOut", {"b"});
  auto compiled = Compile(g, {"x:0"}, {"c:0"});
  ASSERT_FALSE(compiled.ok());
  EXPECT_EQ(compiled.status().code(), absl::StatusCode::kUnimplemented);
  EXPECT_TRUE(
      absl::StrContains(compiled.status().message(), "FancyOp, ZeroOut"))
      << compiled.status();
  EXPECT_EQ(MissingOpsOf(compiled.status()),
            (std::set<std::string>{"FancyOp", "ZeroOut"}));
}

TEST(Plan, FeedCutsOffUpstreamMissingOps) {
  GraphDef g;
  AddNode(&g, "source", "UnsupportedReader");
  AddNode(&g, "y", "Identity", {"source"});
  auto compiled = Compile(g, {"source:0"}, {"y:0"});
  ASSERT_TRUE(compiled.ok()) << compiled.status();
}

TEST(Plan, UnfedPlaceholderFailsWithTensorFlowText) {
  GraphDef g;
  AddPlaceholder(&g, "x");
  AddNode(&g, "y", "Identity", {"x"});
  auto compiled = Compile(g, {}, {"y:0"});
  ASSERT_TRUE(compiled.ok()) << compiled.status();
  std::vector<Tensor> out;
  absl::Status status = RunPlan(*compiled->plan, {}, &out);
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(absl::StartsWith(
      status.message(),
      "You must feed a value for placeholder tensor 'x' with dtype float"))
      << status;
}

TEST(Plan, PlaceholderWithDefaultUsesDefaultWhenNotFed) {
  GraphDef g;
  AddConst(&g, "default", 7.0f);
  NodeDef* pwd = AddNode(&g, "x", "PlaceholderWithDefault", {"default"});
  (*pwd->mutable_attr())["dtype"].set_type(tensorflow::DT_FLOAT);
  pwd->mutable_attr()->erase("T");
  (*pwd->mutable_attr())["shape"].mutable_shape();
  AddNode(&g, "y", "Identity", {"x"});
  auto compiled = Compile(g, {"x:0"}, {"y:0"});
  ASSERT_TRUE(compiled.ok()) << compiled.status();
  std::vector<Tensor> out;
  RunOptions options;
  RunState state(options);
  const Tensor* unfed[] = {nullptr};
  ASSERT_TRUE(RunPlan(*compiled->plan, unfed, &out, &state).ok());
  EXPECT_TENSOR_EQ(out[0], Tensor::Scalar(7.0f));
  Tensor fed = Tensor::Scalar(1.0f);
  const Tensor* feeds[] = {&fed};
  ASSERT_TRUE(RunPlan(*compiled->plan, feeds, &out, &state).ok());
  EXPECT_TENSOR_EQ(out[0], Tensor::Scalar(1.0f));
}

TEST(Plan, CycleIsReportedWithTheNode) {
  GraphDef g;
  AddNode(&g, "a", "Identity", {"b"});
  AddNode(&g, "b", "Identity", {"a"});
  auto compiled = Compile(g, {}, {"a:0"});
  ASSERT_FALSE(compiled.ok());
  EXPECT_EQ(compiled.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(absl::StrContains(compiled.status().message(), "cycle"));
}

TEST(Plan, UnknownFetchIsNotFound) {
  GraphDef g;
  AddPlaceholder(&g, "x");
  auto compiled = Compile(g, {"x:0"}, {"nope:0"});
  EXPECT_EQ(compiled.status().code(), absl::StatusCode::kNotFound);
}

TEST(Plan, DuplicateNodeNamesAreRejected) {
  GraphDef g;
  AddPlaceholder(&g, "x");
  AddPlaceholder(&g, "x");
  EXPECT_FALSE(Graph::FromGraphDef(g, nullptr).ok());
}

TEST(Plan, KernelErrorsNameTheNode) {
  GraphDef g;
  AddPlaceholder(&g, "x");
  AddPlaceholder(&g, "z");
  AddNode(&g, "sum", "AddV2", {"x", "z"});
  auto compiled = Compile(g, {"x:0", "z:0"}, {"sum:0"});
  ASSERT_TRUE(compiled.ok()) << compiled.status();
  std::vector<Tensor> out;
  absl::Status status = RunPlan(
      *compiled->plan,
      {Tensor::Vector<float>({1, 2, 3}), Tensor::Vector<float>({1, 2})}, &out);
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(absl::StrContains(status.message(), "{{node sum}}")) << status;
}

NodeDef* AddBoolPlaceholder(GraphDef* graph, const std::string& name) {
  NodeDef* node = AddNode(graph, name, "Placeholder");
  (*node->mutable_attr())["dtype"].set_type(tensorflow::DT_BOOL);
  return node;
}

NodeDef* AddMerge(GraphDef* graph, const std::string& name,
                  std::vector<std::string> inputs) {
  NodeDef* node = AddNode(graph, name, "Merge", inputs);
  (*node->mutable_attr())["N"].set_i(static_cast<int64_t>(inputs.size()));
  return node;
}

// Runs a plan fed with x (float) and pred (bool) and returns the status.
absl::Status RunWithPred(const Plan& plan, bool pred,
                         std::vector<Tensor>* out) {
  return RunPlan(plan, {Tensor::Scalar(1.0f), Tensor::Scalar(pred)}, out);
}

TEST(Plan, ControlEdgeFromADeadNodeMakesTheDependentDead) {
  GraphDef g;
  AddPlaceholder(&g, "x");
  AddBoolPlaceholder(&g, "pred");
  AddNode(&g, "switch", "Switch", {"x", "pred"});
  AddNode(&g, "on_true", "Identity", {"switch:1"});
  AddConst(&g, "c", 5.0f);
  AddNode(&g, "after_true", "Identity", {"c", "^on_true"});
  auto compiled = Compile(g, {"x:0", "pred:0"}, {"after_true:0"});
  ASSERT_TRUE(compiled.ok()) << compiled.status();
  std::vector<Tensor> out;
  ASSERT_TRUE(RunWithPred(*compiled->plan, true, &out).ok());
  EXPECT_TENSOR_EQ(out[0], Tensor::Scalar(5.0f));
  absl::Status status = RunWithPred(*compiled->plan, false, &out);
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(absl::StrContains(status.message(), "does not have value"))
      << status;
}

TEST(Plan, ControlEdgeFromASwitchThatRanIsLive) {
  GraphDef g;
  AddPlaceholder(&g, "x");
  AddBoolPlaceholder(&g, "pred");
  AddNode(&g, "switch", "Switch", {"x", "pred"});
  AddConst(&g, "c", 5.0f);
  AddNode(&g, "after_switch", "Identity", {"c", "^switch"});
  auto compiled = Compile(g, {"x:0", "pred:0"}, {"after_switch:0"});
  ASSERT_TRUE(compiled.ok()) << compiled.status();
  std::vector<Tensor> out;
  ASSERT_TRUE(RunWithPred(*compiled->plan, false, &out).ok());
  EXPECT_TENSOR_EQ(out[0], Tensor::Scalar(5.0f));
}

TEST(Plan, MergeRunsDespiteADeadControlInput) {
  GraphDef g;
  AddPlaceholder(&g, "x");
  AddBoolPlaceholder(&g, "pred");
  AddNode(&g, "switch", "Switch", {"x", "pred"});
  AddNode(&g, "on_true", "Identity", {"switch:1"});
  AddMerge(&g, "merge", {"switch:0", "switch:1"})->add_input("^on_true");
  auto compiled = Compile(g, {"x:0", "pred:0"}, {"merge:0", "merge:1"});
  ASSERT_TRUE(compiled.ok()) << compiled.status();
  std::vector<Tensor> out;
  ASSERT_TRUE(RunWithPred(*compiled->plan, false, &out).ok());
  EXPECT_TENSOR_EQ(out[0], Tensor::Scalar(1.0f));
  EXPECT_TENSOR_EQ(out[1], Tensor::Scalar<int32_t>(0));
}

TEST(Plan, MergeOfOnlyDeadInputsIsDeadForControlEdgesToo) {
  // `inner` merges two dead values, so `gated` (control-dependent on it) is
  // dead and `outer` picks its other input. Were `inner` treated as live,
  // `outer` would forward `gated` (value_index 0).
  GraphDef g;
  AddPlaceholder(&g, "x");
  AddBoolPlaceholder(&g, "pred");
  AddNode(&g, "switch", "Switch", {"x", "pred"});
  AddMerge(&g, "inner", {"switch:1", "switch:1"});
  AddConst(&g, "c", 5.0f);
  AddNode(&g, "gated", "Identity", {"c", "^inner"});
  AddMerge(&g, "outer", {"gated", "switch:0"});
  auto compiled = Compile(g, {"x:0", "pred:0"}, {"outer:0", "outer:1"});
  ASSERT_TRUE(compiled.ok()) << compiled.status();
  std::vector<Tensor> out;
  ASSERT_TRUE(RunWithPred(*compiled->plan, false, &out).ok());
  EXPECT_TENSOR_EQ(out[0], Tensor::Scalar(1.0f));
  EXPECT_TENSOR_EQ(out[1], Tensor::Scalar<int32_t>(1));
}

// A FunctionDef computing 2 * x, called through StatefulPartitionedCall and
// directly by name.
tensorflow::FunctionDefLibrary TimesTwoLibrary() {
  tensorflow::FunctionDefLibrary library;
  tensorflow::FunctionDef* f = library.add_function();
  f->mutable_signature()->set_name("times_two");
  auto* arg = f->mutable_signature()->add_input_arg();
  arg->set_name("x");
  arg->set_type(tensorflow::DT_FLOAT);
  auto* ret = f->mutable_signature()->add_output_arg();
  ret->set_name("y");
  ret->set_type(tensorflow::DT_FLOAT);
  NodeDef* two = f->add_node_def();
  two->set_name("two");
  two->set_op("Const");
  (*two->mutable_attr())["dtype"].set_type(tensorflow::DT_FLOAT);
  auto* value = (*two->mutable_attr())["value"].mutable_tensor();
  value->set_dtype(tensorflow::DT_FLOAT);
  value->add_float_val(2.0f);
  NodeDef* mul = f->add_node_def();
  mul->set_name("mul");
  mul->set_op("Mul");
  mul->add_input("x");
  mul->add_input("two:output:0");
  (*mul->mutable_attr())["T"].set_type(tensorflow::DT_FLOAT);
  (*f->mutable_ret())["y"] = "mul:z:0";
  return library;
}

TEST(Plan, RunsFunctionThroughStatefulPartitionedCall) {
  tensorflow::FunctionDefLibrary library = TimesTwoLibrary();
  ResourceManager resources;
  FunctionLibrary functions(library, &resources, "");
  GraphDef g;
  AddPlaceholder(&g, "x");
  NodeDef* call = AddNode(&g, "call", "StatefulPartitionedCall", {"x"});
  (*call->mutable_attr())["f"].mutable_func()->set_name("times_two");
  (*call->mutable_attr())["Tin"].mutable_list()->add_type(tensorflow::DT_FLOAT);
  (*call->mutable_attr())["Tout"].mutable_list()->add_type(
      tensorflow::DT_FLOAT);
  AddNode(&g, "direct", "times_two", {"call"});
  auto compiled = Compile(g, {"x:0"}, {"direct:0"}, {}, &functions, &resources);
  ASSERT_TRUE(compiled.ok()) << compiled.status();
  std::vector<Tensor> out;
  ASSERT_TRUE(
      RunPlan(*compiled->plan, {Tensor::Vector<float>({1, 3})}, &out).ok());
  EXPECT_TENSOR_EQ(out[0], Tensor::Vector<float>({4, 12}));
}

TEST(Plan, RecursiveFunctionIsRejectedAtCompile) {
  tensorflow::FunctionDefLibrary library;
  tensorflow::FunctionDef* f = library.add_function();
  f->mutable_signature()->set_name("loop");
  auto* arg = f->mutable_signature()->add_input_arg();
  arg->set_name("x");
  arg->set_type(tensorflow::DT_FLOAT);
  auto* ret = f->mutable_signature()->add_output_arg();
  ret->set_name("y");
  ret->set_type(tensorflow::DT_FLOAT);
  NodeDef* self = f->add_node_def();
  self->set_name("again");
  self->set_op("loop");
  self->add_input("x");
  (*f->mutable_ret())["y"] = "again:y:0";
  ResourceManager resources;
  FunctionLibrary functions(library, &resources, "");
  auto plan = functions.Instantiate("loop");
  ASSERT_FALSE(plan.ok());
  EXPECT_TRUE(absl::StrContains(plan.status().message(), "recursively"))
      << plan.status();
}

TEST(Plan, MissingOpInsideFunctionIsReportedByTheCaller) {
  tensorflow::FunctionDefLibrary library = TimesTwoLibrary();
  library.mutable_function(0)->mutable_node_def(1)->set_op("NotAnOp");
  ResourceManager resources;
  FunctionLibrary functions(library, &resources, "");
  GraphDef g;
  AddPlaceholder(&g, "x");
  AddNode(&g, "direct", "times_two", {"x"});
  auto compiled = Compile(g, {"x:0"}, {"direct:0"}, {}, &functions, &resources);
  ASSERT_FALSE(compiled.ok());
  EXPECT_EQ(MissingOpsOf(compiled.status()), std::set<std::string>{"NotAnOp"});
}

}  // namespace
}  // namespace model_server
