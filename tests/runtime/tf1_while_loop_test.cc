// TF1 while loops (Enter/Merge/Switch/LoopCond/NextIteration/Exit frames)
// compiled into structured loop steps, on hand-built graphs whose values are
// worked out by hand.
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "runtime/cancellation.h"
#include "runtime/executor.h"
#include "runtime/graph.h"
#include "runtime/plan.h"
#include "runtime/resource.h"
#include "tests/testing/kernel_harness.h"
#include "tests/testing/tf1_while_loop_builder.h"
#include "tools/graph_builder.h"

namespace model_server {
namespace {

using ::testing::HasSubstr;

struct Compiled {
  std::unique_ptr<Graph> graph;
  std::unique_ptr<Plan> plan;
};

absl::StatusOr<Compiled> Compile(const GraphBuilder& g,
                                 const std::vector<std::string>& feeds,
                                 const std::vector<std::string>& fetches,
                                 ResourceManager* resources) {
  if (!g.status().ok()) return g.status();
  Compiled compiled;
  auto graph = Graph::FromGraphDef(g.graph_def(), nullptr);
  if (!graph.ok()) return graph.status();
  compiled.graph = *std::move(graph);
  CompileEnv env{resources, nullptr, ""};
  auto plan = Plan::CompileByName(*compiled.graph, feeds, fetches, {}, env);
  if (!plan.ok()) return plan.status();
  compiled.plan = *std::move(plan);
  return compiled;
}

absl::StatusOr<std::vector<Tensor>> RunGraph(
    const GraphBuilder& g, const std::vector<std::string>& feeds,
    const std::vector<Tensor>& values, const std::vector<std::string>& fetches,
    const RunOptions& options = RunOptions()) {
  ResourceManager resources;
  auto compiled = Compile(g, feeds, fetches, &resources);
  if (!compiled.ok()) return compiled.status();
  std::vector<Tensor> out;
  absl::Status status = RunPlan(*compiled->plan, values, &out, options);
  if (!status.ok()) return status;
  return out;
}

// i = 0; acc = 1; while i < n: i += 1; acc *= 2  ->  (n, 2^n) for n >= 0.
std::vector<std::string> BuildDoublingLoop(GraphBuilder* g) {
  std::string n = g->Placeholder("n", DT_INT32);
  std::string i0 = g->Const("i0", Tensor::Scalar<int32_t>(0));
  std::string acc0 = g->Const("acc0", Tensor::Scalar<float>(1));
  Tf1WhileLoopBuilder loop(g, "while", {{i0, DT_INT32}, {acc0, DT_FLOAT}});
  std::string limit = loop.Invariant(n, DT_INT32);
  loop.Cond(g->Binary(loop.Name("Less"), "Less", loop.cond_vars()[0], limit,
                      DT_INT32));
  std::string one = loop.Const("one", Tensor::Scalar<int32_t>(1));
  std::string two = loop.Const("two", Tensor::Scalar<float>(2));
  return loop.Body(
      {g->Binary(loop.Name("add"), "AddV2", loop.body_vars()[0], one, DT_INT32),
       g->Binary(loop.Name("mul"), "Mul", loop.body_vars()[1], two, DT_FLOAT)});
}

TEST(Tf1WhileLoop, RunsTheBodyWhileTheConditionHolds) {
  GraphBuilder g;
  std::vector<std::string> exits = BuildDoublingLoop(&g);
  auto out = RunGraph(g, {"n"}, {Tensor::Scalar<int32_t>(5)}, exits);
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_EQ(out->at(0), Tensor::Scalar<int32_t>(5));
  EXPECT_TENSOR_EQ(out->at(1), Tensor::Scalar<float>(32));
}

TEST(Tf1WhileLoop, ZeroIterationsReturnTheInitialValues) {
  GraphBuilder g;
  std::vector<std::string> exits = BuildDoublingLoop(&g);
  auto out = RunGraph(g, {"n"}, {Tensor::Scalar<int32_t>(0)}, exits);
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_EQ(out->at(0), Tensor::Scalar<int32_t>(0));
  EXPECT_TENSOR_EQ(out->at(1), Tensor::Scalar<float>(1));
}

TEST(Tf1WhileLoop, OnePlanServesManyRunsWithDifferentTripCounts) {
  GraphBuilder g;
  std::vector<std::string> exits = BuildDoublingLoop(&g);
  ResourceManager resources;
  auto compiled = Compile(g, {"n"}, {exits[1]}, &resources);
  ASSERT_TRUE(compiled.ok()) << compiled.status();
  for (int n : {3, 0, 10, 1}) {
    std::vector<Tensor> out;
    ASSERT_TRUE(
        RunPlan(*compiled->plan, {Tensor::Scalar<int32_t>(n)}, &out).ok());
    EXPECT_TENSOR_EQ(out[0], Tensor::Scalar<float>(float(1 << n)));
  }
}

TEST(Tf1WhileLoop, FetchingOneExitRunsOnlyWhatItNeeds) {
  GraphBuilder g;
  std::vector<std::string> exits = BuildDoublingLoop(&g);
  auto out = RunGraph(g, {"n"}, {Tensor::Scalar<int32_t>(3)}, {exits[0]});
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_EQ(out->at(0), Tensor::Scalar<int32_t>(3));
}

// total = 0; for i in range(3): for j in range(4): total += i * j  -> 18
// (0 + 1 + 2) * (0 + 1 + 2 + 3).
TEST(Tf1WhileLoop, NestedLoopsSumProducts) {
  GraphBuilder g;
  std::string zero = g.Const("zero", Tensor::Scalar<int32_t>(0));
  std::string three = g.Const("three", Tensor::Scalar<int32_t>(3));
  std::string four = g.Const("four", Tensor::Scalar<int32_t>(4));
  Tf1WhileLoopBuilder outer(&g, "outer", {{zero, DT_INT32}, {zero, DT_INT32}});
  std::string outer_limit = outer.Invariant(three, DT_INT32);
  std::string inner_limit_outside = outer.Invariant(four, DT_INT32);
  outer.Cond(g.Binary(outer.Name("Less"), "Less", outer.cond_vars()[0],
                      outer_limit, DT_INT32));
  const std::string i = outer.body_vars()[0];
  const std::string total = outer.body_vars()[1];
  std::string j0 = outer.Const("j0", Tensor::Scalar<int32_t>(0));

  Tf1WhileLoopBuilder inner(&g, "outer/inner",
                            {{j0, DT_INT32}, {total, DT_INT32}});
  std::string inner_i = inner.Invariant(i, DT_INT32);
  std::string inner_limit = inner.Invariant(inner_limit_outside, DT_INT32);
  inner.Cond(g.Binary(inner.Name("Less"), "Less", inner.cond_vars()[0],
                      inner_limit, DT_INT32));
  std::string one = inner.Const("one", Tensor::Scalar<int32_t>(1));
  std::string product = g.Binary(inner.Name("mul"), "Mul", inner.body_vars()[0],
                                 inner_i, DT_INT32);
  std::vector<std::string> inner_exits =
      inner.Body({g.Binary(inner.Name("add_j"), "AddV2", inner.body_vars()[0],
                           one, DT_INT32),
                  g.Binary(inner.Name("add_total"), "AddV2",
                           inner.body_vars()[1], product, DT_INT32)});

  std::string outer_one = outer.Const("one", Tensor::Scalar<int32_t>(1));
  std::vector<std::string> exits = outer.Body(
      {g.Binary(outer.Name("add_i"), "AddV2", i, outer_one, DT_INT32),
       inner_exits[1]});
  auto out = RunGraph(g, {}, {}, exits);
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_EQ(out->at(0), Tensor::Scalar<int32_t>(3));
  EXPECT_TENSOR_EQ(out->at(1), Tensor::Scalar<int32_t>(18));
}

// while i < 4: x = (x + 10 if i is even else x * 2); i += 1, from x = 1:
// 11, 22, 32, 64.
TEST(Tf1WhileLoop, CondInsideTheBodyTakesOneBranchPerIteration) {
  GraphBuilder g;
  std::string zero = g.Const("zero", Tensor::Scalar<int32_t>(0));
  std::string x0 = g.Const("x0", Tensor::Scalar<float>(1));
  Tf1WhileLoopBuilder loop(&g, "while", {{zero, DT_INT32}, {x0, DT_FLOAT}});
  std::string four = loop.Const("four", Tensor::Scalar<int32_t>(4));
  loop.Cond(
      g.Binary(loop.Name("Less"), "Less", loop.cond_vars()[0], four, DT_INT32));
  const std::string i = loop.body_vars()[0];
  const std::string x = loop.body_vars()[1];
  std::string two_i = loop.Const("two_i", Tensor::Scalar<int32_t>(2));
  std::string zero_i = loop.Const("zero_i", Tensor::Scalar<int32_t>(0));
  std::string mod = g.Binary(loop.Name("mod"), "FloorMod", i, two_i, DT_INT32);
  std::string even =
      g.Binary(loop.Name("even"), "Equal", mod, zero_i, DT_INT32);
  g.Op(loop.Name("cond/Switch"), "Switch")
      .Input(x)
      .Input(even)
      .Attr("T", DT_FLOAT);
  std::string ten = g.Const(loop.Name("cond/ten"), Tensor::Scalar<float>(10));
  g.graph_def()
      .mutable_node(g.graph_def().node_size() - 1)
      ->add_input("^" + loop.Name("cond/Switch"));
  std::string two = g.Const(loop.Name("cond/two"), Tensor::Scalar<float>(2));
  g.graph_def()
      .mutable_node(g.graph_def().node_size() - 1)
      ->add_input("^" + loop.Name("cond/Switch"));
  std::string plus = g.Binary(loop.Name("cond/plus"), "AddV2",
                              loop.Name("cond/Switch:1"), ten, DT_FLOAT);
  std::string times = g.Binary(loop.Name("cond/times"), "Mul",
                               loop.Name("cond/Switch:0"), two, DT_FLOAT);
  g.Op(loop.Name("cond/Merge"), "Merge")
      .Input(times)
      .Input(plus)
      .Attr("T", DT_FLOAT)
      .Attr("N", 2);
  std::string one = loop.Const("one", Tensor::Scalar<int32_t>(1));
  std::vector<std::string> exits =
      loop.Body({g.Binary(loop.Name("add"), "AddV2", i, one, DT_INT32),
                 loop.Name("cond/Merge:0")});
  auto out = RunGraph(g, {}, {}, {exits[1]});
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_EQ(out->at(0), Tensor::Scalar<float>(64));
}

TEST(Tf1WhileLoop, ControlInputsInsideTheFrameAreHonoured) {
  // The body's result waits on a node that only has a control edge to it;
  // a failing Assert there must fail the run.
  GraphBuilder g;
  std::string zero = g.Const("zero", Tensor::Scalar<int32_t>(0));
  Tf1WhileLoopBuilder loop(&g, "while", {{zero, DT_INT32}});
  std::string two = loop.Const("two", Tensor::Scalar<int32_t>(2));
  loop.Cond(
      g.Binary(loop.Name("Less"), "Less", loop.cond_vars()[0], two, DT_INT32));
  std::string one = loop.Const("one", Tensor::Scalar<int32_t>(1));
  std::string positive = g.Binary(loop.Name("positive"), "Greater",
                                  loop.body_vars()[0], one, DT_INT32);
  g.Op(loop.Name("Assert"), "Assert")
      .Input(positive)
      .Input(loop.body_vars()[0])
      .Attr("T", std::vector<DataType>{DT_INT32})
      .Attr("summarize", 3);
  std::string next =
      g.Binary(loop.Name("add"), "AddV2", loop.body_vars()[0], one, DT_INT32);
  g.graph_def()
      .mutable_node(g.graph_def().node_size() - 1)
      ->add_input("^" + loop.Name("Assert"));
  std::vector<std::string> exits = loop.Body({next});
  auto out = RunGraph(g, {}, {}, exits);
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(out.status().message(), HasSubstr("while/Assert"));
}

// Adds while true: i += 1 to `g`; returns its exits.
std::vector<std::string> AddEndlessLoop(GraphBuilder& g) {
  std::string zero = g.Const("zero", Tensor::Scalar<int32_t>(0));
  Tf1WhileLoopBuilder loop(&g, "while", {{zero, DT_INT32}});
  loop.Cond(loop.Const("forever", Tensor::Scalar<bool>(true)));
  std::string one = loop.Const("one", Tensor::Scalar<int32_t>(1));
  return loop.Body({g.Binary(loop.Name("add"), "AddV2", loop.body_vars()[0],
                             one, DT_INT32)});
}

TEST(Tf1WhileLoop, AnEndlessLoopStopsAtTheDeadline) {
  GraphBuilder g;
  std::vector<std::string> exits = AddEndlessLoop(g);
  RunOptions options;
  options.deadline = absl::Now() + absl::Milliseconds(50);
  auto out = RunGraph(g, {}, {}, exits, options);
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.status().code(), absl::StatusCode::kDeadlineExceeded);
}

TEST(Tf1WhileLoop, AnEndlessLoopStopsWhenTheClientCancels) {
  GraphBuilder g;
  std::vector<std::string> exits = AddEndlessLoop(g);
  CancellationFlag cancelled;
  RunOptions options;
  options.cancellation = &cancelled;
  std::thread client([&cancelled] {
    absl::SleepFor(absl::Milliseconds(50));
    cancelled.Cancel();
  });
  auto out = RunGraph(g, {}, {}, exits, options);
  client.join();
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.status().code(), absl::StatusCode::kCancelled) << out.status();
  EXPECT_THAT(out.status().message(),
              HasSubstr("the client cancelled the request"));
}

TEST(Tf1WhileLoop, ALoopOnAnUntakenBranchIsDead) {
  // y = cond(pred, lambda: loop(x), lambda: -x)
  GraphBuilder g;
  std::string x = g.Placeholder("x", DT_FLOAT);
  std::string pred = g.Placeholder("pred", DT_BOOL);
  g.Op("cond/Switch", "Switch").Input(x).Input(pred).Attr("T", DT_FLOAT);
  Tf1WhileLoopBuilder loop(&g, "cond/while", {{"cond/Switch:1", DT_FLOAT}});
  std::string small = loop.Const("limit", Tensor::Scalar<float>(100));
  loop.Cond(g.Binary(loop.Name("Less"), "Less", loop.cond_vars()[0], small,
                     DT_FLOAT));
  std::string three = loop.Const("three", Tensor::Scalar<float>(3));
  std::vector<std::string> exits = loop.Body({g.Binary(
      loop.Name("mul"), "Mul", loop.body_vars()[0], three, DT_FLOAT)});
  g.Op("cond/neg", "Neg").Input("cond/Switch:0").Attr("T", DT_FLOAT);
  g.Op("cond/Merge", "Merge")
      .Input("cond/neg")
      .Input(exits[0])
      .Attr("T", DT_FLOAT)
      .Attr("N", 2);
  auto taken = RunGraph(g, {"x", "pred"},
                        {Tensor::Scalar<float>(2), Tensor::Scalar<bool>(true)},
                        {"cond/Merge:0"});
  ASSERT_TRUE(taken.ok()) << taken.status();
  EXPECT_TENSOR_EQ(taken->at(0), Tensor::Scalar<float>(162));  // 2*3^4
  auto untaken = RunGraph(
      g, {"x", "pred"}, {Tensor::Scalar<float>(2), Tensor::Scalar<bool>(false)},
      {"cond/Merge:0"});
  ASSERT_TRUE(untaken.ok()) << untaken.status();
  EXPECT_TENSOR_EQ(untaken->at(0), Tensor::Scalar<float>(-2));
}

// What tf.map_fn writes in TF1: the elements go into a TensorArray
// (scatter), a loop reads element i, applies fn and writes result i into a
// second TensorArray, which is stacked (gather) after the loop.
// `out_shape` is the results' element shape if known (TensorFlow takes it
// from fn's static output shape).
std::string BuildMapFn(GraphBuilder* g, const std::string& elems,
                       DataType in_dtype, DataType out_dtype,
                       const std::function<std::string(Tf1WhileLoopBuilder&,
                                                       const std::string&)>& fn,
                       std::optional<Dims> out_shape = std::nullopt) {
  g->Op("map/TensorArray", "TensorArrayV3")
      .Input(g->Const("map/size_hint", Tensor::Scalar<int32_t>(0)))
      .Attr("dtype", in_dtype)
      .Attr("dynamic_size", true)
      .Attr("clear_after_read", true)
      .Attr("identical_element_shapes", true)
      .UnknownShapeAttr("element_shape");
  std::string zero = g->Const("map/zero", Tensor::Scalar<int32_t>(0));
  std::string one = g->Const("map/one", Tensor::Scalar<int32_t>(1));
  g->Op("map/elems_shape", "Shape")
      .Input(elems)
      .Attr("T", in_dtype)
      .Attr("out_type", DT_INT32);
  g->Op("map/n", "StridedSlice")
      .Input("map/elems_shape")
      .Input(g->Const("map/begin", Tensor::Vector<int32_t>({0})))
      .Input(g->Const("map/end", Tensor::Vector<int32_t>({1})))
      .Input(g->Const("map/strides", Tensor::Vector<int32_t>({1})))
      .Attr("T", DT_INT32)
      .Attr("Index", DT_INT32)
      .Attr("begin_mask", 0)
      .Attr("end_mask", 0)
      .Attr("ellipsis_mask", 0)
      .Attr("new_axis_mask", 0)
      .Attr("shrink_axis_mask", 1);
  g->Op("map/range", "Range")
      .Input(zero)
      .Input("map/n")
      .Input(one)
      .Attr("Tidx", DT_INT32);
  g->Op("map/scatter", "TensorArrayScatterV3")
      .Input("map/TensorArray:0")
      .Input("map/range")
      .Input(elems)
      .Input("map/TensorArray:1")
      .Attr("T", in_dtype);
  g->Op("map/TensorArray_1", "TensorArrayV3")
      .Input("map/n")
      .Attr("dtype", out_dtype)
      .Attr("dynamic_size", false)
      .Attr("clear_after_read", true)
      .Attr("identical_element_shapes", true)
      .UnknownShapeAttr("element_shape");
  Tf1WhileLoopBuilder loop(
      g, "map/while", {{zero, DT_INT32}, {"map/TensorArray_1:1", DT_FLOAT}});
  std::string n = loop.Invariant("map/n", DT_INT32);
  std::string in_handle = loop.Invariant("map/TensorArray:0", DT_RESOURCE);
  std::string in_flow = loop.Invariant("map/scatter:0", DT_FLOAT);
  std::string out_handle = loop.Invariant("map/TensorArray_1:0", DT_RESOURCE);
  loop.Cond(
      g->Binary(loop.Name("Less"), "Less", loop.cond_vars()[0], n, DT_INT32));
  const std::string i = loop.body_vars()[0];
  g->Op(loop.Name("read"), "TensorArrayReadV3")
      .Input(in_handle)
      .Input(i)
      .Input(in_flow)
      .Attr("dtype", in_dtype);
  std::string y = fn(loop, loop.Name("read:0"));
  g->Op(loop.Name("write"), "TensorArrayWriteV3")
      .Input(out_handle)
      .Input(i)
      .Input(y)
      .Input(loop.body_vars()[1])
      .Attr("T", out_dtype);
  std::string step = loop.Const("one", Tensor::Scalar<int32_t>(1));
  std::vector<std::string> exits =
      loop.Body({g->Binary(loop.Name("add"), "AddV2", i, step, DT_INT32),
                 loop.Name("write:0")});
  g->Op("map/size", "TensorArraySizeV3")
      .Input("map/TensorArray_1:0")
      .Input(exits[1]);
  g->Op("map/range_1", "Range")
      .Input(zero)
      .Input("map/size")
      .Input(one)
      .Attr("Tidx", DT_INT32);
  NodeBuilder stack = g->Op("map/stack", "TensorArrayGatherV3")
                          .Input("map/TensorArray_1:0")
                          .Input("map/range_1")
                          .Input(exits[1])
                          .Attr("dtype", out_dtype);
  if (out_shape.has_value()) {
    stack.ShapeAttr("element_shape", *out_shape);
  } else {
    stack.UnknownShapeAttr("element_shape");
  }
  return "map/stack:0";
}

TEST(Tf1WhileLoop, MapFnSquaresEachRow) {
  GraphBuilder g;
  std::string x = g.Placeholder("x", DT_FLOAT);
  std::string out = BuildMapFn(
      &g, x, DT_FLOAT, DT_FLOAT,
      [&](Tf1WhileLoopBuilder& loop, const std::string& row) {
        return g.Binary(loop.Name("square"), "Mul", row, row, DT_FLOAT);
      });
  auto result = RunGraph(
      g, {"x"}, {Tensor::FromVector<float>({1, 2, 3, 4, 5, 6}, {3, 2})}, {out});
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_TENSOR_EQ(result->at(0),
                   Tensor::FromVector<float>({1, 4, 9, 16, 25, 36}, {3, 2}));
}

TEST(Tf1WhileLoop, MapFnOverStringsMatchesTheVectorisedOp) {
  GraphBuilder g;
  std::string words = g.Placeholder("words", DT_STRING);
  std::string out =
      BuildMapFn(&g, words, DT_STRING, DT_INT64,
                 [&](Tf1WhileLoopBuilder& loop, const std::string& word) {
                   g.Op(loop.Name("hash"), "StringToHashBucketFast")
                       .Input(word)
                       .Attr("num_buckets", 1000);
                   return loop.Name("hash:0");
                 });
  g.Op("direct", "StringToHashBucketFast")
      .Input(words)
      .Attr("num_buckets", 1000);
  Tensor input = Tensor::Vector<std::string>({"the", "quick", "", "fox"});
  auto result = RunGraph(g, {"words"}, {input}, {out, "direct:0"});
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_TENSOR_EQ(result->at(0), result->at(1));
  EXPECT_EQ(result->at(0).shape(), TensorShape({4}));
}

TEST(Tf1WhileLoop, MapFnOverStringsRunsAStringPipelinePerElement) {
  // fn = length(regex_replace(lower(word), "[aeiou]", "")): each element goes
  // through the string ops inside the loop, as tf.map_fn over a vector of
  // strings does.
  GraphBuilder g;
  std::string words = g.Placeholder("words", DT_STRING);
  std::string out =
      BuildMapFn(&g, words, DT_STRING, DT_INT32,
                 [&](Tf1WhileLoopBuilder& loop, const std::string& word) {
                   g.Op(loop.Name("lower"), "StringLower")
                       .Input(word)
                       .Attr("encoding", "utf-8");
                   g.Op(loop.Name("consonants"), "StaticRegexReplace")
                       .Input(loop.Name("lower:0"))
                       .Attr("pattern", "[aeiouäö]")
                       .Attr("rewrite", "")
                       .Attr("replace_global", true);
                   g.Op(loop.Name("length"), "StringLength")
                       .Input(loop.Name("consonants:0"))
                       .Attr("unit", "UTF8_CHAR");
                   return loop.Name("length:0");
                 });
  auto result = RunGraph(
      g, {"words"}, {Tensor::Vector<std::string>({"Quick", "", "ÄÖBC", "Fox"})},
      {out});
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_TENSOR_EQ(result->at(0), Tensor::Vector<int32_t>({3, 0, 2, 2}));
}

TEST(Tf1WhileLoop, MapFnOverNoElementsRunsZeroIterations) {
  GraphBuilder g;
  std::string x = g.Placeholder("x", DT_FLOAT);
  std::string out = BuildMapFn(
      &g, x, DT_FLOAT, DT_FLOAT,
      [&](Tf1WhileLoopBuilder& loop, const std::string& row) {
        return g.Binary(loop.Name("square"), "Mul", row, row, DT_FLOAT);
      },
      Dims{2});
  auto result =
      RunGraph(g, {"x"}, {Tensor::FromVector<float>({}, {0, 2})}, {out});
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_EQ(result->at(0).shape(), TensorShape({0, 2}));
}

TEST(Tf1WhileLoop, MapFnOverNoElementsNeedsAKnownElementShape) {
  // A TensorArray of size 0 stacks to [0] + element_shape only when the
  // element shape is known, as in TensorFlow.
  GraphBuilder g;
  std::string x = g.Placeholder("x", DT_FLOAT);
  std::string out = BuildMapFn(
      &g, x, DT_FLOAT, DT_FLOAT,
      [&](Tf1WhileLoopBuilder& loop, const std::string& row) {
        return g.Binary(loop.Name("square"), "Mul", row, row, DT_FLOAT);
      });
  auto result =
      RunGraph(g, {"x"}, {Tensor::FromVector<float>({}, {0, 2})}, {out});
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.status().code(), absl::StatusCode::kUnimplemented);
  EXPECT_THAT(result.status().message(),
              HasSubstr("TensorArray has size zero, but element shape "
                        "<unknown> is not fully defined"));
}

TEST(Tf1WhileLoop, RefEnterReadsTheVariableInsideTheLoop) {
  // acc = 0; for 3 iterations: acc += v, with v a TF1 ref variable entered
  // by RefEnter (what tf.while_loop writes for a variable used in the body).
  GraphBuilder g;
  g.VariableV2("v", DT_FLOAT, {});
  g.Assign("init", "v", g.Const("three", Tensor::Scalar<float>(3)), DT_FLOAT);
  std::string zero = g.Const("zero", Tensor::Scalar<int32_t>(0));
  std::string acc0 = g.Const("acc0", Tensor::Scalar<float>(0));
  Tf1WhileLoopBuilder loop(&g, "while", {{zero, DT_INT32}, {acc0, DT_FLOAT}});
  g.Op(loop.Name("v/Enter"), "RefEnter")
      .Input("v")
      .Attr("T", DT_FLOAT)
      .Attr("frame_name", loop.frame_name())
      .Attr("is_constant", true)
      .Attr("parallel_iterations", 10);
  std::string limit = loop.Const("limit", Tensor::Scalar<int32_t>(3));
  loop.Cond(g.Binary(loop.Name("Less"), "Less", loop.cond_vars()[0], limit,
                     DT_INT32));
  std::string v =
      g.Identity(loop.Name("v/read"), loop.Name("v/Enter"), DT_FLOAT);
  std::string one = loop.Const("one", Tensor::Scalar<int32_t>(1));
  std::vector<std::string> exits = loop.Body(
      {g.Binary(loop.Name("add"), "AddV2", loop.body_vars()[0], one, DT_INT32),
       g.Binary(loop.Name("acc"), "AddV2", loop.body_vars()[1], v, DT_FLOAT)});
  ResourceManager resources;
  auto graph = Graph::FromGraphDef(g.graph_def(), nullptr);
  ASSERT_TRUE(graph.ok()) << graph.status();
  CompileEnv env{&resources, nullptr, ""};
  auto init = Plan::CompileByName(**graph, {}, {}, {"init"}, env);
  ASSERT_TRUE(init.ok()) << init.status();
  std::vector<Tensor> none;
  ASSERT_TRUE(RunPlan(**init, {}, &none).ok());
  auto plan = Plan::CompileByName(**graph, {}, {exits[1]}, {}, env);
  ASSERT_TRUE(plan.ok()) << plan.status();
  std::vector<Tensor> out;
  ASSERT_TRUE(RunPlan(**plan, {}, &out).ok());
  EXPECT_TENSOR_EQ(out[0], Tensor::Scalar<float>(9));
}

TEST(Tf1WhileLoop, ANonBoolConditionIsAnError) {
  GraphBuilder g;
  std::string zero = g.Const("zero", Tensor::Scalar<int32_t>(0));
  Tf1WhileLoopBuilder loop(&g, "while", {{zero, DT_INT32}});
  loop.Cond(loop.cond_vars()[0]);
  std::vector<std::string> exits = loop.Body({loop.body_vars()[0]});
  auto out = RunGraph(g, {}, {}, exits);
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(out.status().message(), HasSubstr("must be a bool scalar"));
}

TEST(Tf1WhileLoop, FetchingAValueInsideTheLoopIsAnError) {
  GraphBuilder g;
  BuildDoublingLoop(&g);
  auto out = RunGraph(g, {"n"}, {Tensor::Scalar<int32_t>(2)}, {"while/add:0"});
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(out.status().message(), HasSubstr("inside while loop frame"));
}

TEST(Tf1WhileLoop, InputsFromTwoFramesAreAnError) {
  GraphBuilder g;
  BuildDoublingLoop(&g);
  // A node reading both a body value and an outside value directly.
  g.Binary("while/bad", "AddV2", "while/Identity:0", "i0", DT_INT32);
  for (tensorflow::NodeDef& node : *g.graph_def().mutable_node()) {
    if (node.name() == "while/NextIteration") node.set_input(0, "while/bad");
  }
  auto out = RunGraph(g, {"n"}, {Tensor::Scalar<int32_t>(2)}, {"while/Exit:0"});
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.status().code(), absl::StatusCode::kInvalidArgument);
  // TensorFlow's message; the node named is the first whose inputs
  // disagree in graph order.
  EXPECT_THAT(out.status().message(),
              HasSubstr("must be from the same frame."));
}

TEST(Tf1WhileLoop, AnExitWithoutALoopIsAnError) {
  GraphBuilder g;
  std::string x = g.Placeholder("x", DT_FLOAT);
  g.Op("exit", "Exit").Input(x).Attr("T", DT_FLOAT);
  auto out = RunGraph(g, {"x"}, {Tensor::Scalar<float>(1)}, {"exit:0"});
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(out.status().message(), HasSubstr("is not inside a while loop"));
}

TEST(Tf1WhileLoop, AFrameWithoutLoopCondIsAnError) {
  GraphBuilder g;
  std::string x = g.Placeholder("x", DT_FLOAT);
  g.Op("while/Enter", "Enter")
      .Input(x)
      .Attr("T", DT_FLOAT)
      .Attr("frame_name", "while/while_context");
  g.Op("while/Exit", "Exit").Input("while/Enter").Attr("T", DT_FLOAT);
  auto out = RunGraph(g, {"x"}, {Tensor::Scalar<float>(1)}, {"while/Exit:0"});
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(out.status().message(), HasSubstr("has no LoopCond"));
}

TEST(Tf1WhileLoop, LoopsNestedTooDeeplyFailToCompile) {
  // kMaxLoopNesting + 1 loops, each the body of the previous one.
  GraphBuilder g;
  std::string value = g.Const("zero", Tensor::Scalar<int32_t>(0));
  std::vector<std::unique_ptr<Tf1WhileLoopBuilder>> loops;
  std::string name = "l";
  for (int depth = 0; depth <= 64; ++depth) {
    loops.push_back(std::make_unique<Tf1WhileLoopBuilder>(
        &g, name,
        std::vector<std::pair<std::string, DataType>>{{value, DT_INT32}}));
    Tf1WhileLoopBuilder& loop = *loops.back();
    loop.Cond(loop.Const("false", Tensor::Scalar<bool>(false)));
    value = loop.body_vars()[0];
    name += "/l";
  }
  for (int depth = 64; depth >= 0; --depth) {
    value = loops[depth]->Body({value})[0];
  }
  auto out = RunGraph(g, {}, {}, {value});
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(out.status().message(), HasSubstr("nested deeper than 64"));
}

}  // namespace
}  // namespace model_server
