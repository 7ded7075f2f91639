// Switch, RefSwitch, Merge and RefMerge, alone and as the tf.cond pattern they
// form.
#include <memory>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "runtime/executor.h"
#include "runtime/graph.h"
#include "runtime/plan.h"
#include "runtime/resource.h"
#include "runtime/tensor_proto.h"
#include "tensorflow/core/framework/graph.pb.h"
#include "tensorflow/core/framework/node_def.pb.h"
#include "tests/testing/kernel_harness.h"

namespace model_server {
namespace {

using ::testing::HasSubstr;

// A hand-built GraphDef run with every Placeholder fed.
class TestGraph {
 public:
  tensorflow::NodeDef* Add(const std::string& name, const std::string& op,
                           const std::vector<std::string>& inputs,
                           DataType t = DT_FLOAT) {
    tensorflow::NodeDef* node = graph_.add_node();
    node->set_name(name);
    node->set_op(op);
    for (const std::string& input : inputs) node->add_input(input);
    SetType(node, "T", t);
    return node;
  }
  void Placeholder(const std::string& name, DataType dtype) {
    tensorflow::NodeDef* node = Add(name, "Placeholder", {});
    SetType(node, "dtype", dtype);
    feeds_.push_back(name + ":0");
  }
  void Const(const std::string& name, const Tensor& value) {
    tensorflow::NodeDef* node = Add(name, "Const", {});
    SetType(node, "dtype", value.dtype());
    EXPECT_TRUE(
        TensorToProto(value, (*node->mutable_attr())["value"].mutable_tensor())
            .ok());
  }
  void Merge(const std::string& name, const std::vector<std::string>& inputs,
             DataType t = DT_FLOAT) {
    tensorflow::NodeDef* node = Add(name, "Merge", inputs, t);
    (*node->mutable_attr())["N"].set_i(static_cast<int64_t>(inputs.size()));
  }

  // Feeds `feeds` (in Placeholder order), fetches `fetches` and runs
  // `targets`.
  absl::StatusOr<std::vector<Tensor>> Run(
      const std::vector<Tensor>& feeds, const std::vector<std::string>& fetches,
      const std::vector<std::string>& targets = {}) {
    auto graph = Graph::FromGraphDef(graph_, nullptr);
    if (!graph.ok()) return graph.status();
    CompileEnv env{resources_.get(), nullptr, ""};
    auto plan = Plan::CompileByName(**graph, feeds_, fetches, targets, env);
    if (!plan.ok()) return plan.status();
    std::vector<Tensor> out;
    absl::Status status = RunPlan(**plan, feeds, &out);
    if (!status.ok()) return status;
    return out;
  }

 private:
  static void SetType(tensorflow::NodeDef* node, const std::string& attr,
                      DataType dtype) {
    (*node->mutable_attr())[attr].set_type(
        static_cast<tensorflow::DataType>(dtype));
  }

  tensorflow::GraphDef graph_;
  std::vector<std::string> feeds_;
  // Behind a pointer so a TestGraph can be returned by value.
  std::unique_ptr<ResourceManager> resources_ =
      std::make_unique<ResourceManager>();
};

// y = pred ? x * 2 : -x, built as TF1's tf.cond builds it.
TestGraph CondGraph() {
  TestGraph g;
  g.Placeholder("x", DT_FLOAT);
  g.Placeholder("pred", DT_BOOL);
  g.Add("cond/Switch", "Switch", {"x", "pred"});
  g.Const("cond/two", Tensor::Scalar(2.0f));
  g.Add("cond/true", "Mul", {"cond/Switch:1", "cond/two"});
  g.Add("cond/false", "Neg", {"cond/Switch"});
  g.Merge("cond/Merge", {"cond/false", "cond/true"});
  return g;
}

TEST(Switch, ForwardsDataToTheTakenOutput) {
  TestGraph g = CondGraph();
  auto out = g.Run({Tensor::Vector<float>({1, 2}), Tensor::Scalar(true)},
                   {"cond/Switch:1"});
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_EQ(out->at(0), Tensor::Vector<float>({1, 2}));
  out = g.Run({Tensor::Vector<float>({1, 2}), Tensor::Scalar(false)},
              {"cond/Switch:0"});
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_EQ(out->at(0), Tensor::Vector<float>({1, 2}));
}

TEST(Switch, UntakenOutputAndItsConsumersAreDead) {
  TestGraph g = CondGraph();
  for (const char* fetch : {"cond/Switch:0", "cond/false:0"}) {
    auto out =
        g.Run({Tensor::Vector<float>({1}), Tensor::Scalar(true)}, {fetch});
    ASSERT_FALSE(out.ok()) << fetch;
    EXPECT_EQ(out.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_THAT(out.status().message(), HasSubstr("does not have value"));
  }
}

TEST(Switch, RejectsNonScalarPredicate) {
  TestGraph g = CondGraph();
  auto out = g.Run({Tensor::Vector<float>({1}), Tensor::Vector<bool>({true})},
                   {"cond/Merge:0"});
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(out.status().message(),
              HasSubstr("The second input must be a scalar, but it has shape "
                        "[1]"));
  EXPECT_THAT(out.status().message(), HasSubstr("{{node cond/Switch}}"));
}

TEST(Switch, RejectsNonBoolPredicate) {
  TestGraph g;
  g.Placeholder("x", DT_FLOAT);
  g.Placeholder("pred", DT_INT32);
  g.Add("s", "Switch", {"x", "pred"});
  auto out = g.Run({Tensor::Scalar(1.0f), Tensor::Scalar<int32_t>(1)}, {"s:1"});
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.status().code(), absl::StatusCode::kInvalidArgument);
}

TEST(Switch, RejectsWrongInputCountAtLoad) {
  TestGraph g;
  g.Placeholder("x", DT_FLOAT);
  g.Add("s", "Switch", {"x"});
  auto out = g.Run({Tensor::Scalar(1.0f)}, {"s:1"});
  ASSERT_FALSE(out.ok());
  EXPECT_THAT(out.status().message(), HasSubstr("expects 2 inputs"));
}

TEST(Merge, ForwardsTheLiveBranchAndItsIndex) {
  TestGraph g = CondGraph();
  auto out = g.Run({Tensor::Vector<float>({1, 2}), Tensor::Scalar(true)},
                   {"cond/Merge:0", "cond/Merge:1"});
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_EQ(out->at(0), Tensor::Vector<float>({2, 4}));
  EXPECT_TENSOR_EQ(out->at(1), Tensor::Scalar<int32_t>(1));
  out = g.Run({Tensor::Vector<float>({1, 2}), Tensor::Scalar(false)},
              {"cond/Merge:0", "cond/Merge:1"});
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_EQ(out->at(0), Tensor::Vector<float>({-1, -2}));
  EXPECT_TENSOR_EQ(out->at(1), Tensor::Scalar<int32_t>(0));
}

TEST(Merge, WithEveryInputDeadIsDead) {
  // An inner cond on the untaken side of an outer one.
  TestGraph g = CondGraph();
  g.Add("outer/Switch", "Switch", {"x", "pred"});
  g.Merge("inner/Merge", {"outer/Switch:1", "outer/Switch:1"});
  g.Add("after", "Identity", {"inner/Merge"});
  auto out =
      g.Run({Tensor::Scalar(1.0f), Tensor::Scalar(false)}, {"inner/Merge:1"});
  ASSERT_FALSE(out.ok());
  EXPECT_THAT(out.status().message(), HasSubstr("does not have value"));
  out = g.Run({Tensor::Scalar(1.0f), Tensor::Scalar(false)}, {"after:0"});
  ASSERT_FALSE(out.ok());
  EXPECT_THAT(out.status().message(), HasSubstr("does not have value"));
}

TEST(Merge, TakesTheFirstOfSeveralLiveInputs) {
  KernelHarness k("Merge");
  k.Attr("T", DT_INT32).Attr("N", 3);
  auto out = k.Run({Tensor::Scalar<int32_t>(7), Tensor::Scalar<int32_t>(8),
                    Tensor::Scalar<int32_t>(9)});
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_EQ(out->at(0), Tensor::Scalar<int32_t>(7));
  EXPECT_TENSOR_EQ(out->at(1), Tensor::Scalar<int32_t>(0));
}

TEST(Merge, ForwardsStrings) {
  KernelHarness k("Merge");
  k.Attr("T", DT_STRING).Attr("N", 1);
  auto out = k.Run({Tensor::Vector<std::string>({"a", "b"})});
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_EQ(out->at(0), Tensor::Vector<std::string>({"a", "b"}));
}

TEST(Merge, RejectsInputCountOtherThanNAtLoad) {
  KernelHarness k("Merge");
  k.Attr("T", DT_FLOAT).Attr("N", 3);
  auto out = k.Run({Tensor::Scalar(1.0f), Tensor::Scalar(2.0f)});
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(out.status().message(), HasSubstr("attr N = 3"));
}

TEST(Cond, AssertOnTheUntakenBranchDoesNotRun) {
  // tf.Assert's AssertGuard: the Assert sits on the false branch of
  // Switch(ok, ok), so it runs only when the check fails.
  TestGraph g;
  g.Placeholder("ok", DT_BOOL);
  g.Add("guard/Switch", "Switch", {"ok", "ok"}, DT_BOOL);
  g.Add("guard/switch_t", "Identity", {"guard/Switch:1"}, DT_BOOL);
  g.Add("guard/switch_f", "Identity", {"guard/Switch"}, DT_BOOL);
  g.Add("guard/pred_id", "Identity", {"ok"}, DT_BOOL);
  g.Add("guard/Assert/Switch", "Switch", {"ok", "guard/pred_id"}, DT_BOOL);
  g.Const("message", Tensor::Scalar<std::string>("x must be positive"));
  tensorflow::NodeDef* assert_node =
      g.Add("guard/Assert", "Assert", {"guard/Assert/Switch", "message"});
  auto* types = (*assert_node->mutable_attr())["T"].mutable_list();
  types->Clear();
  types->add_type(tensorflow::DT_STRING);
  g.Add("guard/cd_1", "Identity", {"guard/switch_f", "^guard/Assert"}, DT_BOOL);
  g.Add("guard/cd", "Identity", {"guard/switch_t"}, DT_BOOL);
  g.Merge("guard/Merge", {"guard/cd_1", "guard/cd"}, DT_BOOL);
  g.Placeholder("x", DT_FLOAT);
  g.Add("checked_x", "Identity", {"x", "^guard/Merge"});

  auto out =
      g.Run({Tensor::Scalar(true), Tensor::Scalar(3.0f)}, {"checked_x:0"});
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_EQ(out->at(0), Tensor::Scalar(3.0f));

  out = g.Run({Tensor::Scalar(false), Tensor::Scalar(3.0f)}, {"checked_x:0"});
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(out.status().message(),
              HasSubstr("assertion failed: [x must be positive]"));
  EXPECT_THAT(out.status().message(), HasSubstr("{{node guard/Assert}}"));
}

// A float variable "v", initialised to 1 by target "init", and
// s = RefSwitch(v, pred) with "pred" fed.
void AddVariableAndRefSwitch(TestGraph* g) {
  tensorflow::NodeDef* v = g->Add("v", "VariableV2", {});
  (*v->mutable_attr())["dtype"].set_type(tensorflow::DT_FLOAT);
  (*v->mutable_attr())["shape"].mutable_shape();
  g->Placeholder("pred", DT_BOOL);
  g->Const("one", Tensor::Scalar(1.0f));
  g->Add("init", "Assign", {"v", "one"});
  g->Add("s", "RefSwitch", {"v", "pred"});
}

TEST(RefSwitch, ForwardsTheVariableReference) {
  TestGraph g;
  AddVariableAndRefSwitch(&g);
  g.Const("five", Tensor::Scalar(5.0f));
  g.Add("set", "Assign", {"s:1", "five"});

  ASSERT_TRUE(g.Run({Tensor::Scalar(false)}, {}, {"init"}).ok());
  // Untaken: the Assign is dead and the variable keeps its value.
  auto out = g.Run({Tensor::Scalar(false)}, {"s:0"}, {"set"});
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_EQ(out->at(0), Tensor::Scalar(1.0f));
  out = g.Run({Tensor::Scalar(true)}, {"set:0"});
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_EQ(out->at(0), Tensor::Scalar(5.0f));
  out = g.Run({Tensor::Scalar(false)}, {"s:0"});
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_EQ(out->at(0), Tensor::Scalar(5.0f));
}

// tf.cond over a TF1 variable: RefSwitch, then RefMerge of both branches.
// The merged output is the variable itself, so an Assign through it
// changes the variable.
TEST(RefMerge, ForwardsTheLiveBranchsReference) {
  TestGraph g;
  AddVariableAndRefSwitch(&g);
  tensorflow::NodeDef* merge = g.Add("m", "RefMerge", {"s:0", "s:1"});
  (*merge->mutable_attr())["N"].set_i(2);
  g.Const("seven", Tensor::Scalar(7.0f));
  g.Add("set", "Assign", {"m:0", "seven"});

  ASSERT_TRUE(g.Run({Tensor::Scalar(false)}, {}, {"init"}).ok());
  auto out = g.Run({Tensor::Scalar(true)}, {"m:0", "m:1"});
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_EQ(out->at(0), Tensor::Scalar(1.0f));
  EXPECT_TENSOR_EQ(out->at(1), Tensor::Scalar<int32_t>(1));
  out = g.Run({Tensor::Scalar(false)}, {"set:0", "m:1"});
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_EQ(out->at(0), Tensor::Scalar(7.0f));
  EXPECT_TENSOR_EQ(out->at(1), Tensor::Scalar<int32_t>(0));
  out = g.Run({Tensor::Scalar(true)}, {"v:0"});
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_EQ(out->at(0), Tensor::Scalar(7.0f));
}

}  // namespace
}  // namespace model_server
