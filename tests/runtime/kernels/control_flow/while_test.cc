// While, StatelessWhile and For on hand-built graphs: loop-carried state,
// zero iterations, TensorLists as loop variables (the tf.map_fn and Keras
// RNN pattern), nested loops, resource loop variables, deadlines and
// malformed loops. Expected values are worked out by hand in comments.
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/time/clock.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "runtime/cancellation.h"
#include "tests/runtime/kernels/control_flow/function_graph.h"
#include "tests/testing/kernel_harness.h"
#include "tools/function_builder.h"
#include "tools/graph_builder.h"

namespace model_server {
namespace {

using ::testing::HasSubstr;

const std::vector<DataType> kTwoInts = {DT_INT32, DT_INT32};

// cond(i, n) = i < n.
void AddLessThanCond(GraphBuilder& g, const std::string& name,
                     const std::vector<DataType>& types) {
  FunctionBuilder f(g, name);
  std::vector<std::string> args;
  for (size_t k = 0; k < types.size(); ++k) {
    args.push_back(f.Arg("a" + std::to_string(k), types[k]));
  }
  f.Op("less", "Less").Input(args[0]).Input(args[1]).Attr("T", DT_INT32);
  f.Ret("go_on", DT_BOOL, "less:z:0");
}

// An int32 scalar `name` + 1 in function `f`; returns its output.
std::string PlusOne(FunctionBuilder& f, const std::string& name,
                    const std::string& x) {
  std::string one = f.Const(name + "_one", Tensor::Scalar<int32_t>(1));
  f.Op(name, "AddV2").Input(x).Input(one).Attr("T", DT_INT32);
  return name + ":z:0";
}

NodeBuilder AddWhile(GraphBuilder& g, const std::string& name,
                     const std::vector<std::string>& inputs,
                     const std::vector<DataType>& types,
                     const std::string& cond, const std::string& body,
                     const std::string& op = "StatelessWhile") {
  NodeBuilder node = g.Op(name, op);
  for (const std::string& input : inputs) node.Input(input);
  node.Attr("T", types)
      .FuncAttr("cond", cond)
      .FuncAttr("body", body)
      .Attr("parallel_iterations", 10)
      .Attr("_lower_using_switch_merge", true)
      .Attr("_num_original_outputs", static_cast<int>(types.size()));
  return node;
}

// i = start; while i < n: i += 1.
tensorflow::GraphDef CountingLoop(const std::string& op) {
  GraphBuilder g;
  AddLessThanCond(g, "cond", kTwoInts);
  {
    FunctionBuilder body(g, "body");
    std::string i = body.Arg("i", DT_INT32);
    std::string n = body.Arg("n", DT_INT32);
    body.Ret("i_next", DT_INT32, PlusOne(body, "next", i));
    body.Ret("n_same", DT_INT32, n);
  }
  std::string start = g.Placeholder("start", DT_INT32);
  std::string n = g.Placeholder("n", DT_INT32);
  AddWhile(g, "loop", {start, n}, kTwoInts, "cond", "body", op)
      .ShapeListAttr("output_shapes", {{}, {}});
  return g.graph_def();
}

TEST(While, CarriesStateUntilTheConditionFails) {
  for (const std::string op : {"While", "StatelessWhile"}) {
    SCOPED_TRACE(op);
    tensorflow::GraphDef g = CountingLoop(op);
    auto graph =
        FunctionGraph::Compile(g, {"start", "n"}, {"loop:0", "loop:1"});
    ASSERT_TRUE(graph.ok()) << graph.status();
    auto out = (*graph)->Run({Tensor::Scalar<int32_t>(3), Tensor::Scalar(10)});
    ASSERT_TRUE(out.ok()) << out.status();
    EXPECT_TENSOR_EQ(out->at(0), Tensor::Scalar<int32_t>(10));
    EXPECT_TENSOR_EQ(out->at(1), Tensor::Scalar<int32_t>(10));
  }
}

TEST(While, ZeroIterationsReturnTheInputs) {
  tensorflow::GraphDef g = CountingLoop("StatelessWhile");
  auto graph = FunctionGraph::Compile(g, {"start", "n"}, {"loop:0"});
  ASSERT_TRUE(graph.ok()) << graph.status();
  auto out = (*graph)->Run({Tensor::Scalar<int32_t>(20), Tensor::Scalar(10)});
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_EQ(out->at(0), Tensor::Scalar<int32_t>(20));
}

// (k, a, b) -> (k + 1, b, a + b) ten times from (0, 0, 1): a is the 10th
// Fibonacci number, 55, and b the 11th, 89.
TEST(While, CarriesSeveralVariablesOfDifferentDtypes) {
  GraphBuilder g;
  const std::vector<DataType> types = {DT_INT32, DT_INT32, DT_DOUBLE,
                                       DT_DOUBLE};
  AddLessThanCond(g, "cond", types);
  {
    FunctionBuilder body(g, "body");
    std::string k = body.Arg("k", DT_INT32);
    std::string n = body.Arg("n", DT_INT32);
    std::string a = body.Arg("a", DT_DOUBLE);
    std::string b = body.Arg("b", DT_DOUBLE);
    body.Op("sum", "AddV2").Input(a).Input(b).Attr("T", DT_DOUBLE);
    body.Ret("k_next", DT_INT32, PlusOne(body, "next", k));
    body.Ret("n_same", DT_INT32, n);
    body.Ret("a_next", DT_DOUBLE, b);
    body.Ret("b_next", DT_DOUBLE, "sum:z:0");
  }
  std::string zero = g.Const("zero", Tensor::Scalar<int32_t>(0));
  std::string ten = g.Const("ten", Tensor::Scalar<int32_t>(10));
  std::string a = g.Const("a", Tensor::Scalar<double>(0));
  std::string b = g.Const("b", Tensor::Scalar<double>(1));
  AddWhile(g, "fib", {zero, ten, a, b}, types, "cond", "body");
  auto graph = FunctionGraph::Compile(g.graph_def(), {}, {"fib:2", "fib:3"});
  ASSERT_TRUE(graph.ok()) << graph.status();
  auto out = (*graph)->Run({});
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_EQ(out->at(0), Tensor::Scalar<double>(55));
  EXPECT_TENSOR_EQ(out->at(1), Tensor::Scalar<double>(89));
}

// The hand-built "While with a TensorList": acc += i and push acc for
// i = 0..3, then stack the list: [0, 0+1, 0+1+2, 0+1+2+3] = [0, 1, 3, 6].
TEST(While, PushesToATensorListCarriedThroughTheLoop) {
  GraphBuilder g;
  const std::vector<DataType> types = {DT_INT32, DT_INT32, DT_INT32,
                                       DT_VARIANT};
  AddLessThanCond(g, "cond", types);
  {
    FunctionBuilder body(g, "body");
    std::string i = body.Arg("i", DT_INT32);
    std::string n = body.Arg("n", DT_INT32);
    std::string acc = body.Arg("acc", DT_INT32);
    std::string list = body.Arg("list", DT_VARIANT);
    body.Op("acc_next", "AddV2").Input(acc).Input(i).Attr("T", DT_INT32);
    body.Op("push", "TensorListPushBack")
        .Input(list)
        .Input("acc_next:z:0")
        .Attr("element_dtype", DT_INT32);
    body.Ret("i_next", DT_INT32, PlusOne(body, "next", i));
    body.Ret("n_same", DT_INT32, n);
    body.Ret("acc_out", DT_INT32, "acc_next:z:0");
    body.Ret("list_out", DT_VARIANT, "push:output_handle:0");
  }
  std::string scalar_shape =
      g.Const("scalar_shape", Tensor::Vector<int32_t>({}));
  g.Op("empty", "EmptyTensorList")
      .Input(scalar_shape)
      .Input(g.Const("no_limit", Tensor::Scalar<int32_t>(-1)))
      .Attr("element_dtype", DT_INT32)
      .Attr("shape_type", DT_INT32);
  std::string n = g.Placeholder("n", DT_INT32);
  AddWhile(g, "loop",
           {g.Const("zero", Tensor::Scalar<int32_t>(0)), n,
            g.Const("acc0", Tensor::Scalar<int32_t>(0)), "empty:0"},
           types, "cond", "body");
  g.Op("stacked", "TensorListStack")
      .Input("loop:3")
      .Input(scalar_shape)
      .Attr("element_dtype", DT_INT32);
  g.Op("length", "TensorListLength").Input("loop:3");
  auto graph =
      FunctionGraph::Compile(g.graph_def(), {"n"}, {"stacked", "length"});
  ASSERT_TRUE(graph.ok()) << graph.status();
  auto out = (*graph)->Run({Tensor::Scalar<int32_t>(4)});
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_EQ(out->at(0), Tensor::Vector<int32_t>({0, 1, 3, 6}));
  EXPECT_TENSOR_EQ(out->at(1), Tensor::Scalar<int32_t>(4));
  // No iterations: an empty list of scalars stacks to shape [0].
  out = (*graph)->Run({Tensor::Scalar<int32_t>(0)});
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_EQ(out->at(0).shape(), TensorShape{0});
}

// tf.map_fn(lambda x: x * x + 1, elems) as TF2 builds it: the rows of
// elems in one list, a reserved output list, a While over i < shape[0]
// reading row i and writing its result, and a final TensorListStack.
tensorflow::GraphDef MapFnGraph() {
  GraphBuilder g;
  const std::vector<DataType> types = {DT_INT32, DT_INT32, DT_VARIANT,
                                       DT_VARIANT};
  AddLessThanCond(g, "map/while_cond", types);
  {
    FunctionBuilder body(g, "map/while_body");
    std::string i = body.Arg("i", DT_INT32);
    std::string n = body.Arg("n", DT_INT32);
    std::string in = body.Arg("elems_list", DT_VARIANT);
    std::string out = body.Arg("results_list", DT_VARIANT);
    std::string row_shape =
        body.Const("row_shape", Tensor::Vector<int32_t>({2}));
    body.Op("x", "TensorListGetItem")
        .Input(in)
        .Input(i)
        .Input(row_shape)
        .Attr("element_dtype", DT_FLOAT);
    body.Op("square", "Mul")
        .Input("x:item:0")
        .Input("x:item:0")
        .Attr("T", DT_FLOAT);
    std::string one = body.Const("one", Tensor::Scalar(1.0f));
    body.Op("y", "AddV2").Input("square:z:0").Input(one).Attr("T", DT_FLOAT);
    body.Op("write", "TensorListSetItem")
        .Input(out)
        .Input(i)
        .Input("y:z:0")
        .Attr("element_dtype", DT_FLOAT);
    body.Ret("i_next", DT_INT32, PlusOne(body, "next", i));
    body.Ret("n_same", DT_INT32, n);
    body.Ret("elems_same", DT_VARIANT, in);
    body.Ret("results_next", DT_VARIANT, "write:output_handle:0");
  }
  std::string elems = g.Placeholder("elems", DT_FLOAT, {-1, 2});
  std::string row_shape =
      g.Const("map/row_shape", Tensor::Vector<int32_t>({2}));
  g.Op("map/shape", "Shape")
      .Input(elems)
      .Attr("T", DT_FLOAT)
      .Attr("out_type", DT_INT32);
  g.Op("map/n", "StridedSlice")
      .Input("map/shape")
      .Input(g.Const("map/begin", Tensor::Vector<int32_t>({0})))
      .Input(g.Const("map/end", Tensor::Vector<int32_t>({1})))
      .Input(g.Const("map/stride", Tensor::Vector<int32_t>({1})))
      .Attr("T", DT_INT32)
      .Attr("Index", DT_INT32)
      .Attr("begin_mask", 0)
      .Attr("end_mask", 0)
      .Attr("ellipsis_mask", 0)
      .Attr("new_axis_mask", 0)
      .Attr("shrink_axis_mask", 1);
  g.Op("map/elems_list", "TensorListFromTensor")
      .Input(elems)
      .Input(g.Const("map/any_row", Tensor::Vector<int32_t>({-1})))
      .Attr("element_dtype", DT_FLOAT)
      .Attr("shape_type", DT_INT32);
  g.Op("map/results_list", "TensorListReserve")
      .Input(row_shape)
      .Input("map/n")
      .Attr("element_dtype", DT_FLOAT)
      .Attr("shape_type", DT_INT32);
  AddWhile(g, "map/while",
           {g.Const("map/zero", Tensor::Scalar<int32_t>(0)), "map/n",
            "map/elems_list", "map/results_list"},
           types, "map/while_cond", "map/while_body");
  g.Op("map/stack", "TensorListStack")
      .Input("map/while:3")
      .Input(row_shape)
      .Attr("element_dtype", DT_FLOAT)
      .Attr("num_elements", -1);
  return g.graph_def();
}

TEST(While, RunsATfMapFnStyleLoop) {
  tensorflow::GraphDef g = MapFnGraph();
  auto graph = FunctionGraph::Compile(g, {"elems"}, {"map/stack"});
  ASSERT_TRUE(graph.ok()) << graph.status();
  Tensor elems =
      Tensor::FromVector<float>({1, 2, 3, -1, 0, 0.5f}, TensorShape{3, 2});
  auto out = (*graph)->Run({elems});
  ASSERT_TRUE(out.ok()) << out.status();
  // x * x + 1 row by row.
  EXPECT_TENSOR_EQ(out->at(0), Tensor::FromVector<float>(
                                   {2, 5, 10, 2, 1, 1.25f}, TensorShape{3, 2}));
  // No rows: no iterations, an empty [0, 2] result.
  out = (*graph)->Run({Tensor::FromVector<float>({}, TensorShape{0, 2})});
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_EQ(out->at(0).shape(), (TensorShape{0, 2}));
}

TEST(While, ErrorsInsideTheBodyNameTheInnerNode) {
  tensorflow::GraphDef g = MapFnGraph();
  auto graph = FunctionGraph::Compile(g, {"elems"}, {"map/stack"});
  ASSERT_TRUE(graph.ok()) << graph.status();
  // A row of 3 does not fit the results list's [2] element shape: the
  // body's TensorListSetItem fails, and the error names it and the loop.
  auto out =
      (*graph)->Run({Tensor::FromVector<float>({1, 2, 3}, TensorShape{1, 3})});
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(out.status().message(),
              HasSubstr("Tried to set a tensor with incompatible shape"));
  EXPECT_THAT(out.status().message(), HasSubstr("{{node write}}"));
  EXPECT_THAT(out.status().message(), HasSubstr("{{node map/while}}"));
}

// for i < 3: for j < 4: acc += 1  ->  acc = 12, with the inner loop a While
// inside the outer loop's body function.
TEST(While, NestsLoopsInsideLoopBodies) {
  GraphBuilder g;
  const std::vector<DataType> three_ints = {DT_INT32, DT_INT32, DT_INT32};
  AddLessThanCond(g, "inner_cond", three_ints);
  AddLessThanCond(g, "outer_cond", three_ints);
  {
    FunctionBuilder body(g, "inner_body");
    std::string j = body.Arg("j", DT_INT32);
    std::string n = body.Arg("n", DT_INT32);
    std::string acc = body.Arg("acc", DT_INT32);
    body.Ret("j_next", DT_INT32, PlusOne(body, "next", j));
    body.Ret("n_same", DT_INT32, n);
    body.Ret("acc_next", DT_INT32, PlusOne(body, "acc_plus_one", acc));
  }
  {
    FunctionBuilder body(g, "outer_body");
    std::string i = body.Arg("i", DT_INT32);
    std::string n = body.Arg("n", DT_INT32);
    std::string acc = body.Arg("acc", DT_INT32);
    std::string zero = body.Const("zero", Tensor::Scalar<int32_t>(0));
    std::string four = body.Const("four", Tensor::Scalar<int32_t>(4));
    NodeBuilder inner = body.Op("inner", "StatelessWhile");
    inner.Input(zero).Input(four).Input(acc);
    inner.Attr("T", three_ints)
        .FuncAttr("cond", "inner_cond")
        .FuncAttr("body", "inner_body");
    body.Ret("i_next", DT_INT32, PlusOne(body, "next", i));
    body.Ret("n_same", DT_INT32, n);
    body.Ret("acc_next", DT_INT32, "inner:output:2");
  }
  AddWhile(g, "outer",
           {g.Const("zero", Tensor::Scalar<int32_t>(0)),
            g.Const("three", Tensor::Scalar<int32_t>(3)),
            g.Const("acc0", Tensor::Scalar<int32_t>(0))},
           three_ints, "outer_cond", "outer_body");
  auto graph = FunctionGraph::Compile(g.graph_def(), {}, {"outer:2"});
  ASSERT_TRUE(graph.ok()) << graph.status();
  auto out = (*graph)->Run({});
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_EQ(out->at(0), Tensor::Scalar<int32_t>(12));
}

// A variable's handle as a loop variable: acc += v three times, v = 0.5.
TEST(While, CarriesResourceHandles) {
  auto resources = std::make_shared<ResourceManager>();
  auto variable = resources->LookupOrCreate<Variable>(
      "", "v", [] { return std::make_shared<Variable>(DT_FLOAT, "v"); });
  ASSERT_TRUE(variable.ok());
  (*variable)->Assign(Tensor::Scalar(0.5f));

  GraphBuilder g;
  const std::vector<DataType> types = {DT_INT32, DT_INT32, DT_RESOURCE,
                                       DT_FLOAT};
  AddLessThanCond(g, "cond", types);
  {
    FunctionBuilder body(g, "body");
    std::string i = body.Arg("i", DT_INT32);
    std::string n = body.Arg("n", DT_INT32);
    std::string handle = body.Arg("handle", DT_RESOURCE);
    std::string acc = body.Arg("acc", DT_FLOAT);
    body.Op("read", "ReadVariableOp").Input(handle).Attr("dtype", DT_FLOAT);
    body.Op("acc_next", "AddV2")
        .Input(acc)
        .Input("read:value:0")
        .Attr("T", DT_FLOAT);
    body.Ret("i_next", DT_INT32, PlusOne(body, "next", i));
    body.Ret("n_same", DT_INT32, n);
    body.Ret("handle_same", DT_RESOURCE, handle);
    body.Ret("acc_out", DT_FLOAT, "acc_next:z:0");
  }
  g.Op("v", "VarHandleOp")
      .Attr("dtype", DT_FLOAT)
      .ShapeAttr("shape", {})
      .Attr("shared_name", "v")
      .Attr("container", "");
  AddWhile(g, "loop",
           {g.Const("zero", Tensor::Scalar<int32_t>(0)),
            g.Const("three", Tensor::Scalar<int32_t>(3)), "v",
            g.Const("acc0", Tensor::Scalar(0.0f))},
           types, "cond", "body", "While");
  auto graph = FunctionGraph::Compile(g.graph_def(), {}, {"loop:3"}, resources);
  ASSERT_TRUE(graph.ok()) << graph.status();
  auto out = (*graph)->Run({});
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_EQ(out->at(0), Tensor::Scalar(1.5f));
}

// while true: i += 1.
absl::StatusOr<std::unique_ptr<FunctionGraph>> EndlessLoop() {
  GraphBuilder g;
  {
    FunctionBuilder cond(g, "forever");
    cond.Arg("i", DT_INT32);
    cond.Ret("go_on", DT_BOOL, cond.Const("yes", Tensor::Scalar(true)));
  }
  {
    FunctionBuilder body(g, "body");
    body.Ret("i_next", DT_INT32,
             PlusOne(body, "next", body.Arg("i", DT_INT32)));
  }
  AddWhile(g, "loop", {g.Const("zero", Tensor::Scalar<int32_t>(0))}, {DT_INT32},
           "forever", "body");
  return FunctionGraph::Compile(g.graph_def(), {}, {"loop:0"});
}

TEST(While, EndlessLoopStopsAtTheDeadline) {
  auto graph = EndlessLoop();
  ASSERT_TRUE(graph.ok()) << graph.status();
  RunOptions options;
  options.deadline = absl::Now() + absl::Milliseconds(20);
  auto out = (*graph)->Run({}, options);
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.status().code(), absl::StatusCode::kDeadlineExceeded);
}

TEST(While, EndlessLoopStopsWhenTheClientCancels) {
  auto graph = EndlessLoop();
  ASSERT_TRUE(graph.ok()) << graph.status();
  CancellationFlag cancelled;
  RunOptions options;
  options.cancellation = &cancelled;
  std::thread client([&cancelled] {
    absl::SleepFor(absl::Milliseconds(20));
    cancelled.Cancel();
  });
  auto out = (*graph)->Run({}, options);
  client.join();
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.status().code(), absl::StatusCode::kCancelled) << out.status();
}

TEST(While, BodyOfTheWrongArityFailsAtLoad) {
  GraphBuilder g;
  AddLessThanCond(g, "cond", kTwoInts);
  {
    FunctionBuilder body(g, "body");
    std::string i = body.Arg("i", DT_INT32);
    body.Arg("n", DT_INT32);
    body.Ret("i_next", DT_INT32, PlusOne(body, "next", i));
  }
  AddWhile(g, "loop",
           {g.Const("zero", Tensor::Scalar<int32_t>(0)),
            g.Const("ten", Tensor::Scalar<int32_t>(10))},
           kTwoInts, "cond", "body");
  auto graph = FunctionGraph::Compile(g.graph_def(), {}, {"loop:0"});
  ASSERT_FALSE(graph.ok());
  EXPECT_EQ(graph.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(graph.status().message(),
              HasSubstr("body body takes 2 arguments and returns 1 results, "
                        "but the node passes 2 and expects 2"));
}

TEST(While, BodyResultOfAnotherDtypeFails) {
  GraphBuilder g;
  AddLessThanCond(g, "cond", kTwoInts);
  {
    FunctionBuilder body(g, "body");
    body.Arg("i", DT_INT32);
    std::string n = body.Arg("n", DT_INT32);
    body.Ret("i_next", DT_FLOAT, body.Const("half", Tensor::Scalar(0.5f)));
    body.Ret("n_same", DT_INT32, n);
  }
  AddWhile(g, "loop",
           {g.Const("zero", Tensor::Scalar<int32_t>(0)),
            g.Const("ten", Tensor::Scalar<int32_t>(10))},
           kTwoInts, "cond", "body");
  auto graph = FunctionGraph::Compile(g.graph_def(), {}, {"loop:0"});
  ASSERT_TRUE(graph.ok()) << graph.status();
  auto out = (*graph)->Run({});
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.status().code(), absl::StatusCode::kInternal);
  EXPECT_THAT(out.status().message(),
              HasSubstr("Expect 0-th output is of type int32 but get float"));
}

// For(start, limit, delta, acc): acc += i for i in range(start, limit, delta).
TEST(For, RunsTheBodyForEachCounterValue) {
  GraphBuilder g;
  {
    FunctionBuilder body(g, "body");
    std::string i = body.Arg("i", DT_INT32);
    std::string acc = body.Arg("acc", DT_INT32);
    body.Op("sum", "AddV2").Input(acc).Input(i).Attr("T", DT_INT32);
    body.Ret("acc_next", DT_INT32, "sum:z:0");
  }
  std::string start = g.Placeholder("start", DT_INT32);
  std::string limit = g.Placeholder("limit", DT_INT32);
  std::string delta = g.Placeholder("delta", DT_INT32);
  g.Op("loop", "For")
      .Input(start)
      .Input(limit)
      .Input(delta)
      .Input(g.Const("acc0", Tensor::Scalar<int32_t>(0)))
      .Attr("T", std::vector<DataType>{DT_INT32})
      .FuncAttr("body", "body");
  auto graph = FunctionGraph::Compile(g.graph_def(),
                                      {"start", "limit", "delta"}, {"loop:0"});
  ASSERT_TRUE(graph.ok()) << graph.status();
  auto run = [&](int32_t s, int32_t l, int32_t d) {
    return (*graph)->Run(
        {Tensor::Scalar(s), Tensor::Scalar(l), Tensor::Scalar(d)});
  };
  auto out = run(0, 10, 3);  // 0 + 3 + 6 + 9
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_EQ(out->at(0), Tensor::Scalar<int32_t>(18));
  out = run(5, 0, -2);  // 5 + 3 + 1
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_EQ(out->at(0), Tensor::Scalar<int32_t>(9));
  out = run(4, 4, 0);  // no iterations
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_EQ(out->at(0), Tensor::Scalar<int32_t>(0));
  out = run(0, 10, -1);
  ASSERT_FALSE(out.ok());
  EXPECT_THAT(out.status().message(),
              HasSubstr("Invalid start/limit/delta: 0 10 -1"));
}

}  // namespace
}  // namespace model_server
