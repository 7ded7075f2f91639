// model_tool benchmark: random inputs shaped like the signature's, and the
// binary's output: a row per thread count and batch size, JSON with the same
// structure, and a profile whose nodes are the graph's nodes with their op
// types. Times are printed, never checked.
#include <map>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/str_split.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "loader/loaded_model.h"
#include "model_tool/benchmark_inputs.h"
#include "model_tool/benchmark_measure.h"
#include "rapidjson/document.h"
#include "tests/testing/daemon_process.h"
#include "tests/testing/scoped_temp_dir.h"
#include "tests/testing/test_paths.h"
#include "tools/example_model.h"
#include "tools/npy/npy.h"

namespace model_server {
namespace {

using ::testing::HasSubstr;

std::string ModelTool() {
  return testing::BinaryDir() + "/model_tool/model_tool";
}

class HalfPlusTwoBenchmark : public ::testing::Test {
 protected:
  void SetUp() override {
    export_dir_ = dir_.path() + "/1";
    ASSERT_TRUE(WriteHalfPlusTwo(export_dir_).ok());
    auto model = LoadedModel::Load(export_dir_, LoadOptions());
    ASSERT_TRUE(model.ok()) << model.status();
    model_ = *std::move(model);
  }
  const Signature& Find(const std::string& key) {
    const Signature* signature = model_->signatures().Find(key);
    EXPECT_NE(signature, nullptr) << key;
    return *signature;
  }

  ScopedTempDir dir_;
  std::string export_dir_;
  std::unique_ptr<LoadedModel> model_;
};

TEST_F(HalfPlusTwoBenchmark, RandomInputsTakeTheBatchForUnknownDimensions) {
  auto inputs = RandomSignatureInputs(Find("serving_default"), 5);
  ASSERT_TRUE(inputs.ok()) << inputs.status();
  ASSERT_EQ(inputs->size(), 1u);
  EXPECT_EQ((*inputs)[0].dtype(), DT_FLOAT);
  EXPECT_EQ((*inputs)[0].shape(), (TensorShape{5, 1}));
  const float* values = (*inputs)[0].data<float>();
  for (int i = 0; i < 5; ++i) {
    EXPECT_GE(values[i], 0.0f);
    EXPECT_LT(values[i], 1.0f);
  }
}

TEST_F(HalfPlusTwoBenchmark, RandomStringInputsAreRefusedPointingAtInputs) {
  auto inputs = RandomSignatureInputs(Find("regress_x_to_y"), 2);
  EXPECT_EQ(inputs.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(inputs.status().message()), HasSubstr("--inputs"));
  EXPECT_THAT(std::string(inputs.status().message()), HasSubstr("'inputs'"));
}

TEST_F(HalfPlusTwoBenchmark, NpyInputsNameUnknownAndMissingKeys) {
  const Signature& signature = Find("serving_default");
  EXPECT_THAT(std::string(NpyInputs(signature, "z=a.npy").status().message()),
              HasSubstr("'z' is not an input"));
  EXPECT_THAT(std::string(NpyInputs(signature, "").status().message()),
              HasSubstr("no file for input 'x'"));
  EXPECT_THAT(std::string(NpyInputs(signature, "x").status().message()),
              HasSubstr("<input_key>=<file.npy>"));
}

TEST(BenchmarkPercentile, IsTheNearestRank) {
  const std::vector<double> sorted = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
  EXPECT_EQ(Percentile(sorted, 0.5), 5);
  EXPECT_EQ(Percentile(sorted, 0.9), 9);
  EXPECT_EQ(Percentile(sorted, 0.99), 10);
  EXPECT_EQ(Percentile({}, 0.5), 0);
}

TEST_F(HalfPlusTwoBenchmark, TablePrintsARowPerThreadCountAndBatch) {
  auto run = testing::RunProgramToExit(
      {ModelTool(), "benchmark", "--dir=" + export_dir_, "--batch=1,4",
       "--threads=1,2", "--warmup=1", "--min_runs=3", "--min_time=0"});
  ASSERT_TRUE(run.ok()) << run.status();
  ASSERT_EQ(run->exit_code, 0) << run->stderr_text;
  std::vector<std::vector<std::string>> rows;
  for (absl::string_view line : absl::StrSplit(run->stdout_text, '\n')) {
    std::vector<std::string> fields =
        absl::StrSplit(line, ' ', absl::SkipEmpty());
    if (fields.size() == 9 && fields[0] != "threads" && fields[0] != "#") {
      rows.push_back(fields);
    }
  }
  ASSERT_EQ(rows.size(), 4u) << run->stdout_text;
  const std::vector<std::pair<std::string, std::string>> expected = {
      {"1", "1"}, {"1", "4"}, {"2", "1"}, {"2", "4"}};
  for (size_t i = 0; i < rows.size(); ++i) {
    EXPECT_EQ(rows[i][0], expected[i].first) << run->stdout_text;
    EXPECT_EQ(rows[i][1], expected[i].second) << run->stdout_text;
    EXPECT_EQ(rows[i][2], "3") << run->stdout_text;  // runs: min_runs
  }
  EXPECT_THAT(run->stdout_text, HasSubstr("inputs: x: float [4,1]"));
}

TEST_F(HalfPlusTwoBenchmark, JsonProfileListsThePlansNodesWithTheirOps) {
  auto run = testing::RunProgramToExit(
      {ModelTool(), "benchmark", "--dir", export_dir_, "--batch", "2",
       "--threads", "1", "--warmup", "0", "--min_runs", "2", "--min_time", "0",
       "--profile", "--json"});
  ASSERT_TRUE(run.ok()) << run.status();
  ASSERT_EQ(run->exit_code, 0) << run->stderr_text;
  rapidjson::Document doc;
  doc.Parse(run->stdout_text.c_str());
  ASSERT_FALSE(doc.HasParseError()) << run->stdout_text;
  EXPECT_STREQ(doc["signature"].GetString(), "serving_default");
  ASSERT_EQ(doc["results"].Size(), 1u);
  const auto& block = doc["results"][0];
  EXPECT_EQ(block["threads"].GetInt(), 1);
  ASSERT_EQ(block["rows"].Size(), 1u);
  const auto& row = block["rows"][0];
  EXPECT_EQ(row["batch"].GetInt(), 2);
  EXPECT_EQ(row["runs"].GetInt(), 2);
  for (const char* key : {"p50_us", "p90_us", "p99_us", "mean_us", "cpu_us",
                          "runs_per_s", "rows_per_s"}) {
    EXPECT_TRUE(row[key].IsNumber()) << key;
  }

  // The nodes y = a * x + b runs, by their graph names and ops.
  SavedModelWriter writer;
  BuildHalfPlusTwo(&writer);
  std::map<std::string, std::string> graph_ops;
  for (const auto& node : writer.graph().graph_def().node()) {
    graph_ops[node.name()] = node.op();
  }
  std::set<std::string> profiled_ops;
  const auto& profile = row["profile"];
  for (const auto& node : profile["nodes"].GetArray()) {
    const std::string name = node["node"].GetString();
    ASSERT_EQ(graph_ops.count(name), 1u) << name << " is not a graph node";
    EXPECT_EQ(node["op"].GetString(), graph_ops[name]) << name;
    profiled_ops.insert(node["op"].GetString());
  }
  EXPECT_TRUE(profiled_ops.count("Mul") && profiled_ops.count("Add"))
      << run->stdout_text;
  std::set<std::string> by_op;
  for (const auto& op : profile["ops"].GetArray()) {
    by_op.insert(op["op"].GetString());
  }
  EXPECT_EQ(by_op, profiled_ops);
}

TEST_F(HalfPlusTwoBenchmark, NpyInputsGiveTheBatch) {
  const std::string npy = dir_.path() + "/x.npy";
  ASSERT_TRUE(
      WriteNpyFile(Tensor::FromVector<float>({1, 2, 3}, TensorShape{3, 1}), npy)
          .ok());
  auto run = testing::RunProgramToExit(
      {ModelTool(), "benchmark", "--dir", export_dir_, "--inputs", "x=" + npy,
       "--threads", "1", "--warmup", "0", "--min_runs", "1", "--min_time", "0",
       "--json"});
  ASSERT_TRUE(run.ok()) << run.status();
  ASSERT_EQ(run->exit_code, 0) << run->stderr_text;
  rapidjson::Document doc;
  doc.Parse(run->stdout_text.c_str());
  ASSERT_FALSE(doc.HasParseError()) << run->stdout_text;
  EXPECT_EQ(doc["results"][0]["rows"][0]["batch"].GetInt(), 3);
}

TEST_F(HalfPlusTwoBenchmark, UnknownSignatureFailsNamingTheChoices) {
  auto run = testing::RunProgramToExit(
      {ModelTool(), "benchmark", "--dir=" + export_dir_, "--signature_def=nope",
       "--threads=1", "--min_time=0"});
  ASSERT_TRUE(run.ok()) << run.status();
  EXPECT_EQ(run->exit_code, 1);
  EXPECT_THAT(run->stderr_text, HasSubstr("serving_default"));
}

TEST_F(HalfPlusTwoBenchmark, BadFlagValuesAreUsageErrors) {
  for (const char* flag : {"--batch=0", "--batch=a",
                           "--threads=", "--min_time=-1", "--warmup=x"}) {
    auto run = testing::RunProgramToExit(
        {ModelTool(), "benchmark", "--dir=" + export_dir_, std::string(flag)});
    ASSERT_TRUE(run.ok()) << run.status();
    EXPECT_EQ(run->exit_code, 2) << flag;
    EXPECT_THAT(run->stderr_text, HasSubstr("usage: model_tool benchmark"))
        << flag;
  }
}

}  // namespace
}  // namespace model_server
