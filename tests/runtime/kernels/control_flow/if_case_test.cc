// If, StatelessIf, Case, StatelessCase and ToBool on hand-built graphs whose
// branches are functions of the graph's library.
#include <complex>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "runtime/missing_ops.h"
#include "tests/runtime/kernels/control_flow/function_graph.h"
#include "tests/testing/kernel_harness.h"
#include "tools/function_builder.h"
#include "tools/graph_builder.h"

namespace model_server {
namespace {

using ::testing::HasSubstr;

// f(x: float) = x * factor + offset, as a library function.
void AddAffineFunction(GraphBuilder& g, const std::string& name, float factor,
                       float offset) {
  FunctionBuilder f(g, name);
  std::string x = f.Arg("x", DT_FLOAT);
  std::string a = f.Const("a", Tensor::Scalar(factor));
  std::string b = f.Const("b", Tensor::Scalar(offset));
  f.Op("mul", "Mul").Input(x).Input(a).Attr("T", DT_FLOAT);
  f.Op("add", "AddV2").Input("mul:z:0").Input(b).Attr("T", DT_FLOAT);
  f.Ret("y", DT_FLOAT, "add:z:0");
}

// y = If(cond, x) with then: 2x, else: x + 100.
tensorflow::GraphDef IfGraph(DataType cond_dtype,
                             const std::string& op = "If") {
  GraphBuilder g;
  AddAffineFunction(g, "double_it", 2, 0);
  AddAffineFunction(g, "add_hundred", 1, 100);
  std::string cond = g.Placeholder("cond", cond_dtype);
  std::string x = g.Placeholder("x", DT_FLOAT);
  g.Op("y", op)
      .Input(cond)
      .Input(x)
      .Attr("Tcond", cond_dtype)
      .Attr("Tin", std::vector<DataType>{DT_FLOAT})
      .Attr("Tout", std::vector<DataType>{DT_FLOAT})
      .FuncAttr("then_branch", "double_it")
      .FuncAttr("else_branch", "add_hundred")
      .Attr("_lower_using_switch_merge", true)
      .ShapeListAttr("output_shapes", {{-1}});
  return g.graph_def();
}

absl::StatusOr<Tensor> RunIf(const tensorflow::GraphDef& g, const Tensor& cond,
                             const Tensor& x) {
  MS_ASSIGN_OR_RETURN(auto graph,
                      FunctionGraph::Compile(g, {"cond", "x"}, {"y"}));
  MS_ASSIGN_OR_RETURN(std::vector<Tensor> out, graph->Run({cond, x}));
  return out[0];
}

TEST(If, RunsThenOrElseBranch) {
  for (const std::string op : {"If", "StatelessIf"}) {
    SCOPED_TRACE(op);
    tensorflow::GraphDef g = IfGraph(DT_BOOL, op);
    Tensor x = Tensor::Vector<float>({1, 2});
    auto y = RunIf(g, Tensor::Scalar(true), x);
    ASSERT_TRUE(y.ok()) << y.status();
    EXPECT_TENSOR_EQ(*y, Tensor::Vector<float>({2, 4}));
    y = RunIf(g, Tensor::Scalar(false), x);
    ASSERT_TRUE(y.ok()) << y.status();
    EXPECT_TENSOR_EQ(*y, Tensor::Vector<float>({101, 102}));
  }
}

TEST(If, ConvertsConditionsAsTensorFlowDoes) {
  Tensor x = Tensor::Scalar(1.0f);
  struct Case {
    Tensor cond;
    float expected;
  };
  const std::vector<Case> cases = {
      {Tensor::Scalar<int32_t>(0), 101},
      {Tensor::Scalar<int32_t>(-3), 2},
      {Tensor::Scalar<double>(0.5), 2},
      {Tensor::Scalar<std::string>(""), 101},
      {Tensor::Scalar<std::string>("no"), 2},
      // A non-scalar is true when it has elements, whatever they are.
      {Tensor::Vector<bool>({false}), 2},
      {Tensor::Vector<float>({}), 101},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.cond.DebugString());
    auto y = RunIf(IfGraph(c.cond.dtype()), c.cond, x);
    ASSERT_TRUE(y.ok()) << y.status();
    EXPECT_TENSOR_EQ(*y, Tensor::Scalar(c.expected));
  }
  auto y = RunIf(IfGraph(DT_COMPLEX64),
                 Tensor::Scalar(std::complex<float>(1, 0)), x);
  ASSERT_FALSE(y.ok());
  EXPECT_EQ(y.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(y.status().message(),
              HasSubstr("complex64 cannot be converted to a boolean"));
}

TEST(If, BranchReturningAnotherDtypeFails) {
  tensorflow::GraphDef g = IfGraph(DT_BOOL);
  // Declare an int32 result for a branch that computes float.
  g.mutable_node(2)->mutable_attr()->at("Tout").mutable_list()->set_type(
      0, tensorflow::DT_INT32);
  auto y = RunIf(g, Tensor::Scalar(true), Tensor::Scalar(1.0f));
  ASSERT_FALSE(y.ok());
  EXPECT_EQ(y.status().code(), absl::StatusCode::kInternal);
  EXPECT_THAT(y.status().message(),
              HasSubstr("Expect 0-th output is of type int32 but get float"));
}

TEST(If, MismatchedBranchSignatureFailsAtLoad) {
  tensorflow::GraphDef g = IfGraph(DT_BOOL);
  g.mutable_node(2)->mutable_attr()->at("Tin").mutable_list()->set_type(
      0, tensorflow::DT_INT32);
  auto graph = FunctionGraph::Compile(g, {"cond", "x"}, {"y"});
  ASSERT_FALSE(graph.ok());
  EXPECT_EQ(graph.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(graph.status().message(),
              HasSubstr("then_branch double_it: argument 0 is float but the "
                        "node passes int32"));
  GraphBuilder missing;
  std::string cond = missing.Placeholder("cond", DT_BOOL);
  missing.Op("y", "If")
      .Input(cond)
      .Attr("Tin", std::vector<DataType>{})
      .Attr("Tout", std::vector<DataType>{DT_FLOAT})
      .FuncAttr("then_branch", "nowhere")
      .FuncAttr("else_branch", "nowhere");
  graph = FunctionGraph::Compile(missing.graph_def(), {"cond"}, {"y"});
  ASSERT_FALSE(graph.ok());
  EXPECT_THAT(graph.status().message(),
              HasSubstr("function nowhere is not in the graph's library"));
}

TEST(If, MissingOpInABranchIsReportedAtLoad) {
  tensorflow::GraphDef g = IfGraph(DT_BOOL);
  g.mutable_library()->mutable_function(0)->mutable_node_def(2)->set_op(
      "NoSuchOp");
  auto graph = FunctionGraph::Compile(g, {"cond", "x"}, {"y"});
  ASSERT_FALSE(graph.ok());
  EXPECT_EQ(graph.status().code(), absl::StatusCode::kUnimplemented);
  EXPECT_EQ(MissingOpsOf(graph.status()), std::set<std::string>{"NoSuchOp"});
}

// The hand-built Case graph: y = Case(i, x) over three branches,
// x * 2, x + 10 and -x.
tensorflow::GraphDef CaseGraph(const std::string& op) {
  GraphBuilder g;
  AddAffineFunction(g, "times_two", 2, 0);
  AddAffineFunction(g, "plus_ten", 1, 10);
  AddAffineFunction(g, "negate", -1, 0);
  std::string index = g.Placeholder("i", DT_INT32);
  std::string x = g.Placeholder("x", DT_FLOAT);
  g.Op("y", op)
      .Input(index)
      .Input(x)
      .Attr("Tin", std::vector<DataType>{DT_FLOAT})
      .Attr("Tout", std::vector<DataType>{DT_FLOAT})
      .FuncListAttr("branches", {"times_two", "plus_ten", "negate"})
      .Attr("_lower_using_switch_merge", true)
      .ShapeListAttr("output_shapes", {{2}});
  return g.graph_def();
}

TEST(Case, RunsTheIndexedBranchAndTheLastOneOutOfRange) {
  for (const std::string op : {"Case", "StatelessCase"}) {
    SCOPED_TRACE(op);
    tensorflow::GraphDef g = CaseGraph(op);
    auto graph = FunctionGraph::Compile(g, {"i", "x"}, {"y"});
    ASSERT_TRUE(graph.ok()) << graph.status();
    Tensor x = Tensor::Vector<float>({1.5f, -4});
    struct Expect {
      int32_t index;
      std::vector<float> y;
    };
    for (const Expect& e : std::vector<Expect>{{0, {3, -8}},
                                               {1, {11.5f, 6}},
                                               {2, {-1.5f, 4}},
                                               {3, {-1.5f, 4}},
                                               {-1, {-1.5f, 4}},
                                               {1000, {-1.5f, 4}}}) {
      SCOPED_TRACE(e.index);
      auto out = (*graph)->Run({Tensor::Scalar(e.index), x});
      ASSERT_TRUE(out.ok()) << out.status();
      EXPECT_TENSOR_EQ(out->at(0), Tensor::Vector<float>(e.y));
    }
    auto out = (*graph)->Run({Tensor::Vector<int32_t>({0}), x});
    ASSERT_FALSE(out.ok());
    EXPECT_THAT(out.status().message(),
                HasSubstr("branch_index must be scalar"));
  }
}

TEST(Case, NeedsAtLeastOneBranch) {
  GraphBuilder g;
  std::string index = g.Placeholder("i", DT_INT32);
  g.Op("y", "Case")
      .Input(index)
      .Attr("Tin", std::vector<DataType>{})
      .Attr("Tout", std::vector<DataType>{DT_FLOAT})
      .FuncListAttr("branches", {});
  auto graph = FunctionGraph::Compile(g.graph_def(), {"i"}, {"y"});
  ASSERT_FALSE(graph.ok());
  EXPECT_THAT(graph.status().message(),
              HasSubstr("attr 'branches' must name at least one function"));
}

TEST(ToBool, FollowsTheConditionRule) {
  KernelHarness k("ToBool");
  auto out = k.Run({Tensor::Scalar<int64_t>(0)});
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_EQ(out->at(0), Tensor::Scalar(false));
  out = k.Run({Tensor::FromVector<int32_t>({0, 0}, TensorShape{1, 2})});
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_EQ(out->at(0), Tensor::Scalar(true));
  out = k.Run({Tensor::Scalar<uint16_t>(1)});
  ASSERT_FALSE(out.ok());
  EXPECT_THAT(out.status().message(),
              HasSubstr("uint16 cannot be converted to a boolean"));
}

}  // namespace
}  // namespace model_server
