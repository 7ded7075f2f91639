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

// Builds small GraphDefs by hand.
class GraphBuilder {
 public:
  tensorflow::NodeDef* Add(const std::string& name, const std::string& op,
                           const std::vector<std::string>& inputs) {
    tensorflow::NodeDef* node = graph_.add_node();
    node->set_name(name);
    node->set_op(op);
    for (const std::string& input : inputs) node->add_input(input);
    return node;
  }
  static void SetType(tensorflow::NodeDef* node, const std::string& attr,
                      DataType dtype) {
    (*node->mutable_attr())[attr].set_type(
        static_cast<tensorflow::DataType>(dtype));
  }
  tensorflow::NodeDef* Const(const std::string& name, const Tensor& value) {
    tensorflow::NodeDef* node = Add(name, "Const", {});
    SetType(node, "dtype", value.dtype());
    EXPECT_TRUE(
        TensorToProto(value, (*node->mutable_attr())["value"].mutable_tensor())
            .ok());
    return node;
  }
  tensorflow::NodeDef* Variable(const std::string& name, DataType dtype,
                                const std::vector<int64_t>& shape) {
    tensorflow::NodeDef* node = Add(name, "VariableV2", {});
    SetType(node, "dtype", dtype);
    auto* proto = (*node->mutable_attr())["shape"].mutable_shape();
    for (int64_t d : shape) proto->add_dim()->set_size(d);
    (*node->mutable_attr())["container"].set_s("");
    (*node->mutable_attr())["shared_name"].set_s("");
    return node;
  }
  tensorflow::NodeDef* Op(const std::string& name, const std::string& op,
                          const std::vector<std::string>& inputs, DataType t) {
    tensorflow::NodeDef* node = Add(name, op, inputs);
    SetType(node, "T", t);
    return node;
  }

  std::unique_ptr<Graph> Build() {
    auto graph = Graph::FromGraphDef(graph_, nullptr);
    EXPECT_TRUE(graph.ok()) << graph.status();
    return *std::move(graph);
  }

 private:
  tensorflow::GraphDef graph_;
};

absl::StatusOr<std::vector<Tensor>> RunGraph(
    const Graph& graph, ResourceManager* resources,
    const std::vector<std::string>& fetches,
    const std::vector<std::string>& targets = {}) {
  CompileEnv env{resources, nullptr, ""};
  auto plan = Plan::CompileByName(graph, {}, fetches, targets, env);
  if (!plan.ok()) return plan.status();
  std::vector<Tensor> out;
  absl::Status status = RunPlan(**plan, std::vector<Tensor>{}, &out);
  if (!status.ok()) return status;
  return out;
}

std::shared_ptr<model_server::Variable> FindVariable(ResourceManager& rm,
                                                     const std::string& name) {
  // Creates a placeholder (dtype DT_INVALID) when the name is unknown.
  auto var = rm.LookupOrCreate<model_server::Variable>("", name, [&]() {
    return std::make_shared<model_server::Variable>(DT_INVALID, name);
  });
  if (!var.ok() || (*var)->dtype() == DT_INVALID) return nullptr;
  return *var;
}

// VariableV2 -> Assign(Const) as init target; Identity(var) fetch; AssignAdd.
TEST(RefVariables, Tf1InitReadUpdatePatternWorksEndToEnd) {
  GraphBuilder b;
  b.Variable("v", DT_FLOAT, {2});
  b.Const("init_value", Tensor::Vector<float>({1, 2}));
  b.Op("v/Assign", "Assign", {"v", "init_value"}, DT_FLOAT);
  b.Op("read", "Identity", {"v"}, DT_FLOAT);
  b.Const("delta", Tensor::Vector<float>({10, 20}));
  b.Op("add", "AssignAdd", {"v", "delta"}, DT_FLOAT);
  b.Op("add_read", "Identity", {"add"}, DT_FLOAT);
  b.Op("initialized", "IsVariableInitialized", {"v"}, DT_FLOAT);
  std::unique_ptr<Graph> graph = b.Build();
  ResourceManager resources;

  // Before init: reading fails like TensorFlow, the check says false.
  auto out = RunGraph(*graph, &resources, {"read:0"});
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(out.status().message(),
              HasSubstr("Attempting to use uninitialized value v"));
  out = RunGraph(*graph, &resources, {"initialized:0"});
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_EQ(out->at(0), Tensor::Scalar(false));

  ASSERT_TRUE(RunGraph(*graph, &resources, {}, {"v/Assign"}).ok());
  out = RunGraph(*graph, &resources, {"read:0", "initialized:0"});
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_EQ(out->at(0), Tensor::Vector<float>({1, 2}));
  EXPECT_TENSOR_EQ(out->at(1), Tensor::Scalar(true));

  out = RunGraph(*graph, &resources, {"add_read:0"});
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_EQ(out->at(0), Tensor::Vector<float>({11, 22}));
  out = RunGraph(*graph, &resources, {"add:0"});
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_EQ(out->at(0), Tensor::Vector<float>({21, 42}));

  auto var = FindVariable(resources, "v");
  ASSERT_NE(var, nullptr);
  auto value = var->Read();
  ASSERT_TRUE(value.ok());
  EXPECT_TENSOR_EQ(*value, Tensor::Vector<float>({21, 42}));
}

TEST(RefVariables, ReaderKeepsOldValueAfterAssign) {
  GraphBuilder b;
  b.Variable("v", DT_INT32, {});
  b.Const("one", Tensor::Scalar<int32_t>(1));
  b.Const("two", Tensor::Scalar<int32_t>(2));
  b.Op("set1", "Assign", {"v", "one"}, DT_INT32);
  b.Op("set2", "Assign", {"v", "two"}, DT_INT32);
  std::unique_ptr<Graph> graph = b.Build();
  ResourceManager resources;
  auto first = RunGraph(*graph, &resources, {"set1:0"});
  ASSERT_TRUE(first.ok()) << first.status();
  ASSERT_TRUE(RunGraph(*graph, &resources, {}, {"set2"}).ok());
  EXPECT_TENSOR_EQ(first->at(0), Tensor::Scalar<int32_t>(1));
}

TEST(RefVariables, SharedNameBindsTheSameVariable) {
  GraphBuilder b;
  auto* v1 = b.Variable("v1", DT_FLOAT, {1});
  (*v1->mutable_attr())["shared_name"].set_s("shared");
  auto* v2 = b.Variable("v2", DT_FLOAT, {1});
  (*v2->mutable_attr())["shared_name"].set_s("shared");
  b.Const("x", Tensor::Vector<float>({7}));
  b.Op("init", "Assign", {"v1", "x"}, DT_FLOAT);
  b.Op("read", "Identity", {"v2"}, DT_FLOAT);
  std::unique_ptr<Graph> graph = b.Build();
  ResourceManager resources;
  ASSERT_TRUE(RunGraph(*graph, &resources, {}, {"init"}).ok());
  auto out = RunGraph(*graph, &resources, {"read:0"});
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_EQ(out->at(0), Tensor::Vector<float>({7}));
  EXPECT_NE(FindVariable(resources, "shared"), nullptr);
}

TEST(RefVariables, SharedNameWithAnotherDtypeFailsAtLoad) {
  GraphBuilder b;
  auto* v1 = b.Variable("v1", DT_FLOAT, {1});
  (*v1->mutable_attr())["shared_name"].set_s("s");
  auto* v2 = b.Variable("v2", DT_INT32, {1});
  (*v2->mutable_attr())["shared_name"].set_s("s");
  b.Op("r1", "Identity", {"v1"}, DT_FLOAT);
  b.Op("r2", "Identity", {"v2"}, DT_INT32);
  std::unique_ptr<Graph> graph = b.Build();
  ResourceManager resources;
  auto out = RunGraph(*graph, &resources, {"r1:0", "r2:0"});
  ASSERT_FALSE(out.ok());
  EXPECT_THAT(out.status().message(), HasSubstr("already exists"));
}

TEST(Assign, ValidateShapeRejectsNewShape) {
  GraphBuilder b;
  b.Variable("v", DT_FLOAT, {2});
  b.Const("a", Tensor::Vector<float>({1, 2}));
  b.Const("c", Tensor::Vector<float>({1, 2, 3}));
  b.Op("init", "Assign", {"v", "a"}, DT_FLOAT);
  b.Op("bad", "Assign", {"v", "c"}, DT_FLOAT);
  auto* loose = b.Op("loose", "Assign", {"v", "c"}, DT_FLOAT);
  (*loose->mutable_attr())["validate_shape"].set_b(false);
  std::unique_ptr<Graph> graph = b.Build();
  ResourceManager resources;
  ASSERT_TRUE(RunGraph(*graph, &resources, {}, {"init"}).ok());
  auto out = RunGraph(*graph, &resources, {}, {"bad"});
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(out.status().message(),
              HasSubstr("Assign requires shapes of both tensors to match. "
                        "lhs shape= [2] rhs shape= [3]"));
  out = RunGraph(*graph, &resources, {"loose:0"});
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_EQ(out->at(0), Tensor::Vector<float>({1, 2, 3}));
}

TEST(Assign, RejectsDtypeMismatch) {
  GraphBuilder b;
  b.Variable("v", DT_FLOAT, {});
  b.Const("x", Tensor::Scalar<int32_t>(1));
  b.Op("set", "Assign", {"v", "x"}, DT_FLOAT);
  std::unique_ptr<Graph> graph = b.Build();
  ResourceManager resources;
  EXPECT_FALSE(RunGraph(*graph, &resources, {}, {"set"}).ok());
}

TEST(AssignSub, SubtractsAndRejectsShapeMismatch) {
  GraphBuilder b;
  b.Variable("v", DT_INT64, {3});
  b.Const("a", Tensor::Vector<int64_t>({10, 20, 30}));
  b.Const("d", Tensor::Vector<int64_t>({1, 2, 3}));
  b.Const("wrong", Tensor::Vector<int64_t>({1, 2}));
  b.Op("init", "Assign", {"v", "a"}, DT_INT64);
  b.Op("sub", "AssignSub", {"v", "d"}, DT_INT64);
  b.Op("bad", "AssignSub", {"v", "wrong"}, DT_INT64);
  std::unique_ptr<Graph> graph = b.Build();
  ResourceManager resources;
  // Updating an uninitialized variable fails.
  auto out = RunGraph(*graph, &resources, {"sub:0"});
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.status().code(), absl::StatusCode::kFailedPrecondition);
  ASSERT_TRUE(RunGraph(*graph, &resources, {}, {"init"}).ok());
  out = RunGraph(*graph, &resources, {"sub:0"});
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_EQ(out->at(0), Tensor::Vector<int64_t>({9, 18, 27}));
  out = RunGraph(*graph, &resources, {}, {"bad"});
  ASSERT_FALSE(out.ok());
  EXPECT_THAT(out.status().message(),
              HasSubstr("Parameters and update must be the same size"));
}

TEST(AssignAdd, LargeTensorsUseThePoolAndStayExact) {
  const int64_t n = 100000;
  std::vector<float> base(n), delta(n), sum(n);
  for (int64_t i = 0; i < n; ++i) {
    base[i] = static_cast<float>(i);
    delta[i] = 0.5f;
    sum[i] = static_cast<float>(i) + 0.5f;
  }
  GraphBuilder b;
  b.Variable("v", DT_FLOAT, {n});
  b.Const("a", Tensor::Vector<float>(base));
  b.Const("d", Tensor::Vector<float>(delta));
  b.Op("init", "Assign", {"v", "a"}, DT_FLOAT);
  b.Op("add", "AssignAdd", {"v", "d"}, DT_FLOAT);
  std::unique_ptr<Graph> graph = b.Build();
  ResourceManager resources;
  ASSERT_TRUE(RunGraph(*graph, &resources, {}, {"init"}).ok());
  auto out = RunGraph(*graph, &resources, {"add:0"});
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_EQ(out->at(0), Tensor::Vector<float>(sum));
}

TEST(AssignAdd, RejectsNonNumericTypeAtLoad) {
  GraphBuilder b;
  b.Variable("v", DT_STRING, {});
  b.Const("x", Tensor::Scalar<std::string>("a"));
  b.Op("add", "AssignAdd", {"v", "x"}, DT_STRING);
  std::unique_ptr<Graph> graph = b.Build();
  ResourceManager resources;
  EXPECT_FALSE(RunGraph(*graph, &resources, {}, {"add"}).ok());
}

TEST(RefIdentity, ForwardsTheReference) {
  GraphBuilder b;
  b.Variable("v", DT_FLOAT, {});
  b.Op("ref", "RefIdentity", {"v"}, DT_FLOAT);
  b.Const("x", Tensor::Scalar(3.f));
  b.Op("set", "Assign", {"ref", "x"}, DT_FLOAT);
  b.Op("read", "Identity", {"v"}, DT_FLOAT);
  std::unique_ptr<Graph> graph = b.Build();
  ResourceManager resources;
  ASSERT_TRUE(RunGraph(*graph, &resources, {}, {"set"}).ok());
  auto out = RunGraph(*graph, &resources, {"read:0"});
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_EQ(out->at(0), Tensor::Scalar(3.f));
}

TEST(VariableV2, HarnessKeepsTheVariableAcrossRuns) {
  KernelHarness k("VariableV2");
  k.Attr("dtype", DT_FLOAT).ShapeAttr("shape", {2});
  auto out = k.Run({});
  ASSERT_FALSE(out.ok());  // fetching reads an uninitialized variable
  auto var = FindVariable(k.resources(), "op_under_test");
  ASSERT_NE(var, nullptr);
  EXPECT_EQ(var->dtype(), DT_FLOAT);
  var->Assign(Tensor::Vector<float>({4, 5}));
  out = k.Run({});
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_EQ(out->at(0), Tensor::Vector<float>({4, 5}));
}

TEST(VariableV2, RejectsMissingDtype) {
  KernelHarness k("VariableV2");
  k.ShapeAttr("shape", {2});
  EXPECT_FALSE(k.Run({}).ok());
}

// The TF1 scatter ops update the variable behind their ref input in place.
TEST(RefVariables, ScatterOpsUpdateTheVariableInPlace) {
  GraphBuilder b;
  b.Variable("v", DT_FLOAT, {3, 2});
  b.Const("init_value",
          Tensor::FromVector<float>({1, 2, 3, 4, 5, 6}, TensorShape{3, 2}));
  b.Op("v/Assign", "Assign", {"v", "init_value"}, DT_FLOAT);
  b.Const("rows", Tensor::Vector<int32_t>({2, 0}));
  b.Const("updates",
          Tensor::FromVector<float>({10, 20, 30, 40}, TensorShape{2, 2}));
  b.Op("scatter_add", "ScatterAdd", {"v", "rows", "updates"}, DT_FLOAT);
  b.Const("nd_indices", Tensor::FromVector<int32_t>({1, 1}, TensorShape{1, 2}));
  b.Const("nd_updates", Tensor::Vector<float>({-1}));
  b.Op("nd_update", "ScatterNdUpdate", {"v", "nd_indices", "nd_updates"},
       DT_FLOAT);
  std::unique_ptr<Graph> graph = b.Build();
  ResourceManager resources;

  auto out = RunGraph(*graph, &resources, {"scatter_add:0"});
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.status().code(), absl::StatusCode::kFailedPrecondition);

  ASSERT_TRUE(RunGraph(*graph, &resources, {}, {"v/Assign"}).ok());
  out = RunGraph(*graph, &resources, {"scatter_add:0"});
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_EQ(out->at(0), Tensor::FromVector<float>({31, 42, 3, 4, 15, 26},
                                                         TensorShape{3, 2}));
  out = RunGraph(*graph, &resources, {"nd_update:0"});
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_EQ(out->at(0), Tensor::FromVector<float>(
                                   {31, 42, 3, -1, 15, 26}, TensorShape{3, 2}));
  auto var = FindVariable(resources, "v");
  ASSERT_NE(var, nullptr);
  auto value = var->Read();
  ASSERT_TRUE(value.ok());
  EXPECT_TENSOR_EQ(*value, Tensor::FromVector<float>({31, 42, 3, -1, 15, 26},
                                                     TensorShape{3, 2}));
}

// freeze_graph turns variables into Consts but keeps their Assign ops: the
// assignment then gives its value.
TEST(Assign, ToAPlainTensorGivesTheValue) {
  KernelHarness k("Assign");
  k.Attr("T", DT_FLOAT);
  auto out =
      k.Run({Tensor::Vector<float>({0, 0}), Tensor::Vector<float>({1, 2})});
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_EQ(out->at(0), Tensor::Vector<float>({1, 2}));
  out =
      k.Run({Tensor::Vector<float>({0, 0}), Tensor::Vector<float>({1, 2, 3})});
  ASSERT_FALSE(out.ok());
  EXPECT_THAT(out.status().message(),
              HasSubstr("Assign requires shapes of both tensors to match."));
}

}  // namespace
}  // namespace model_server
