#include <cmath>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "runtime/executor.h"
#include "runtime/graph.h"
#include "runtime/plan.h"
#include "runtime/tensor_proto.h"
#include "tensorflow/core/framework/graph.pb.h"
#include "tensorflow/core/framework/node_def.pb.h"
#include "tests/testing/kernel_harness.h"

namespace model_server {
namespace {

using ::testing::HasSubstr;

absl::StatusOr<Tensor> Random(KernelHarness& k, std::vector<int32_t> shape) {
  auto out = k.Run({Tensor::Vector<int32_t>(std::move(shape))});
  if (!out.ok()) return out.status();
  return out->at(0);
}

struct Moments {
  double mean = 0, variance = 0, min = 1e300, max = -1e300;
};

template <typename T>
Moments MomentsOf(const Tensor& t) {
  Moments m;
  const T* x = t.data<T>();
  const int64_t n = t.NumElements();
  for (int64_t i = 0; i < n; ++i) {
    const double v = static_cast<double>(x[i]);
    m.mean += v;
    m.min = std::min(m.min, v);
    m.max = std::max(m.max, v);
  }
  m.mean /= n;
  for (int64_t i = 0; i < n; ++i) {
    const double d = static_cast<double>(x[i]) - m.mean;
    m.variance += d * d;
  }
  m.variance /= n;
  return m;
}

TEST(RandomUniform, FillsShapeWithValuesInUnitInterval) {
  KernelHarness k("RandomUniform");
  k.Attr("dtype", DT_FLOAT).Attr("T", DT_INT32).Attr("seed", 1);
  auto out = Random(k, {100, 1000});
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_EQ(out->shape(), (TensorShape{100, 1000}));
  Moments m = MomentsOf<float>(*out);
  EXPECT_GE(m.min, 0.0);
  EXPECT_LT(m.max, 1.0);
  EXPECT_NEAR(m.mean, 0.5, 0.01);
  EXPECT_NEAR(m.variance, 1.0 / 12, 0.005);
}

TEST(RandomUniform, SeededKernelsRepeatTheirSequenceAndCallsDiffer) {
  KernelHarness a("RandomUniform");
  a.Attr("dtype", DT_DOUBLE)
      .Attr("T", DT_INT32)
      .Attr("seed", 7)
      .Attr("seed2", 3);
  KernelHarness b("RandomUniform");
  b.Attr("dtype", DT_DOUBLE)
      .Attr("T", DT_INT32)
      .Attr("seed", 7)
      .Attr("seed2", 3);
  // Each harness Run compiles a fresh kernel, so both start the sequence.
  auto a1 = Random(a, {16});
  auto b1 = Random(b, {16});
  ASSERT_TRUE(a1.ok() && b1.ok());
  EXPECT_TENSOR_EQ(*a1, *b1);
  KernelHarness c("RandomUniform");
  c.Attr("dtype", DT_DOUBLE).Attr("T", DT_INT32).Attr("seed", 8);
  auto c1 = Random(c, {16});
  ASSERT_TRUE(c1.ok());
  EXPECT_NE(CompareTensors(*a1, *c1), "");
}

TEST(RandomUniform, UnseededKernelsDiffer) {
  KernelHarness a("RandomUniform");
  a.Attr("dtype", DT_FLOAT).Attr("T", DT_INT32);
  auto x = Random(a, {32});
  auto y = Random(a, {32});
  ASSERT_TRUE(x.ok() && y.ok());
  EXPECT_NE(CompareTensors(*x, *y), "");
}

TEST(RandomUniform, HalfAndBfloat16StayBelowOne) {
  for (DataType dtype : {DT_HALF, DT_BFLOAT16}) {
    KernelHarness k("RandomUniform");
    k.Attr("dtype", dtype).Attr("T", DT_INT32).Attr("seed", 3);
    auto out = Random(k, {20000});
    ASSERT_TRUE(out.ok()) << out.status();
    Moments m = dtype == DT_HALF ? MomentsOf<Eigen::half>(*out)
                                 : MomentsOf<Eigen::bfloat16>(*out);
    EXPECT_GE(m.min, 0.0);
    EXPECT_LT(m.max, 1.0);
    EXPECT_NEAR(m.mean, 0.5, 0.02);
  }
}

TEST(RandomStandardNormal, HasZeroMeanUnitVariance) {
  KernelHarness k("RandomStandardNormal");
  k.Attr("dtype", DT_FLOAT).Attr("T", DT_INT64).Attr("seed", 5);
  auto out = k.Run({Tensor::Vector<int64_t>({200000})});
  ASSERT_TRUE(out.ok()) << out.status();
  Moments m = MomentsOf<float>(out->at(0));
  EXPECT_NEAR(m.mean, 0.0, 0.01);
  EXPECT_NEAR(m.variance, 1.0, 0.02);
  EXPECT_LT(m.min, -3.0);
  EXPECT_GT(m.max, 3.0);
}

TEST(TruncatedNormal, StaysWithinTwoStandardDeviations) {
  KernelHarness k("TruncatedNormal");
  k.Attr("dtype", DT_DOUBLE).Attr("T", DT_INT32).Attr("seed", 9);
  auto out = Random(k, {200000});
  ASSERT_TRUE(out.ok()) << out.status();
  Moments m = MomentsOf<double>(*out);
  EXPECT_GE(m.min, -2.0);
  EXPECT_LE(m.max, 2.0);
  EXPECT_NEAR(m.mean, 0.0, 0.01);
  // Variance of N(0,1) truncated to [-2, 2].
  EXPECT_NEAR(m.variance, 0.7737, 0.01);
}

TEST(RandomUniform, OneKernelServesConcurrentRunsWithDistinctValues) {
  tensorflow::GraphDef graph_def;
  tensorflow::NodeDef* shape = graph_def.add_node();
  shape->set_name("shape");
  shape->set_op("Const");
  (*shape->mutable_attr())["dtype"].set_type(tensorflow::DT_INT32);
  ASSERT_TRUE(TensorToProto(Tensor::Vector<int32_t>({64}),
                            (*shape->mutable_attr())["value"].mutable_tensor())
                  .ok());
  tensorflow::NodeDef* random = graph_def.add_node();
  random->set_name("random");
  random->set_op("RandomUniform");
  random->add_input("shape");
  (*random->mutable_attr())["dtype"].set_type(tensorflow::DT_FLOAT);
  (*random->mutable_attr())["T"].set_type(tensorflow::DT_INT32);
  (*random->mutable_attr())["seed"].set_i(11);
  auto graph = Graph::FromGraphDef(graph_def, nullptr);
  ASSERT_TRUE(graph.ok());
  ResourceManager resources;
  auto plan = Plan::CompileByName(**graph, {}, {"random:0"}, {},
                                  CompileEnv{&resources, nullptr, ""});
  ASSERT_TRUE(plan.ok()) << plan.status();
  constexpr int kThreads = 4, kRuns = 25;
  std::vector<std::vector<float>> firsts(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t]() {
      for (int i = 0; i < kRuns; ++i) {
        std::vector<Tensor> out;
        ASSERT_TRUE(RunPlan(**plan, std::vector<Tensor>{}, &out).ok());
        const float* x = out[0].data<float>();
        for (int j = 0; j < 64; ++j) ASSERT_TRUE(x[j] >= 0 && x[j] < 1);
        firsts[t].push_back(x[0]);
      }
    });
  }
  for (std::thread& t : threads) t.join();
  std::set<float> distinct;
  for (const auto& v : firsts) distinct.insert(v.begin(), v.end());
  EXPECT_GT(distinct.size(), static_cast<size_t>(kThreads * kRuns * 9 / 10));
}

TEST(RandomUniform, EmptyAndScalarShapes) {
  KernelHarness k("RandomUniform");
  k.Attr("dtype", DT_FLOAT).Attr("T", DT_INT32);
  auto out = Random(k, {});
  ASSERT_TRUE(out.ok());
  EXPECT_EQ(out->shape(), TensorShape());
  out = Random(k, {3, 0});
  ASSERT_TRUE(out.ok());
  EXPECT_EQ(out->NumElements(), 0);
}

TEST(RandomUniform, RejectsBadShapesAndDtypes) {
  KernelHarness k("RandomUniform");
  k.Attr("dtype", DT_FLOAT).Attr("T", DT_INT32);
  auto out = Random(k, {2, -1});
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(out.status().message(), HasSubstr("Dimension -1 must be >= 0"));
  auto matrix = k.Run({Tensor::FromVector<int32_t>({1, 2}, TensorShape{1, 2})});
  EXPECT_FALSE(matrix.ok());
  auto huge = Random(k, {1 << 30, 1 << 30});
  ASSERT_FALSE(huge.ok());
  KernelHarness ints("RandomUniform");
  ints.Attr("dtype", DT_INT32).Attr("T", DT_INT32);
  EXPECT_FALSE(Random(ints, {2}).ok());
}

}  // namespace
}  // namespace model_server
