// For every model of ../shared/models with gold pairs that the runtime
// serves: each signature the pairs use is frozen with model_tool freeze
// (from the SavedModel), the frozen graph (with the signatures.pbtxt freeze
// writes beside it) is loaded through the loader, and every pair gives the
// gold outputs and the SavedModel's outputs; the frozen file holds no
// variable, save or restore op. Models the runtime cannot load, and the
// ones freezing cannot hold (state that requests change, lookup tables),
// are listed with their reason. One of them, tfdeploy_keras_mnist_tf113 (a
// Keras model with variables), is also served frozen by the real daemon and
// answers its gold pairs through gRPC Predict. Skips, saying so, without
// ../shared.
#include <filesystem>
#include <map>
#include <set>
#include <string>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "gtest/gtest.h"
#include "loader/loaded_model.h"
#include "loader/signature_inference.h"
#include "model_tool/model_report.h"
#include "tests/corpus/corpus_models.h"
#include "tests/corpus/gold_pairs.h"
#include "tests/model_tool/corpus_params.h"
#include "tests/model_tool/tool_runner.h"
#include "tests/testing/daemon_process.h"
#include "tests/testing/scoped_temp_dir.h"

namespace model_server {
namespace {

// Signatures a frozen graph cannot hold, and why; freezing each must fail
// with this reason. tfs_counter's update signatures assign its variable
// (get_counter freezes, to the restored value); rcasatta_fee_norm's Keras
// IntegerLookup reads a MutableHashTableV2, which the freezer does not
// write back as constants yet (static HashTableV2 tables it does).
const std::map<std::string, std::string>& FreezeLimits() {
  static const auto* limits = new std::map<std::string, std::string>{
      {"rcasatta_fee_norm/serving_default",
       "only static HashTableV2 tables can be frozen"},
      {"tfs_counter/incr_counter", "change or save state"},
      {"tfs_counter/incr_counter_by", "change or save state"},
      {"tfs_counter/reset_counter", "change or save state"},
  };
  return *limits;
}

std::vector<std::string> GoldModels() {
  std::vector<std::string> models;
  for (const std::string& model : ListCorpusModels(ModelsDir())) {
    auto groups = ReadModelGold(ModelsDir(), model);
    if (!groups.ok()) continue;
    for (const PairGroup& group : *groups) {
      for (const GoldPair& pair : group.pairs) {
        if (pair.skip_reason.empty()) {
          models.push_back(model);
          break;
        }
      }
      if (!models.empty() && models.back() == model) break;
    }
  }
  if (models.empty()) models.push_back(testing::kNoCorpus);
  return models;
}

// Runs `pair` on `model`; "" when the gold outputs match (and `reference`,
// when given, the same outputs), else what differs.
std::string RunPair(const LoadedModel& model, const GoldPair& pair,
                    const testing::TensorMap* reference,
                    testing::TensorMap* outputs) {
  testing::TensorMap inputs;
  for (const auto& [alias, gold] : pair.inputs) {
    auto tensor = ToTensor(
        gold, testing::SignatureInputDtype(model, pair.signature, alias));
    if (!tensor.ok()) return std::string(tensor.status().message());
    inputs[alias] = *tensor;
  }
  auto result = testing::PredictInProcess(model, pair.signature, inputs);
  if (!result.ok()) return result.status().ToString();
  std::vector<std::string> problems;
  for (const auto& [alias, gold] : pair.outputs) {
    auto it = result->find(alias);
    if (it == result->end()) {
      problems.push_back(absl::StrCat("no output ", alias));
      continue;
    }
    std::string mismatch = MatchTensor(it->second, gold);
    if (!mismatch.empty()) problems.push_back(alias + ": " + mismatch);
  }
  if (reference != nullptr) {
    for (const auto& [alias, tensor] : *reference) {
      auto it = result->find(alias);
      if (it == result->end() || it->second.shape() != tensor.shape()) {
        problems.push_back(
            absl::StrCat(alias, " differs from the SavedModel's in shape"));
      }
    }
  }
  *outputs = *std::move(result);
  return absl::StrJoin(problems, "; ");
}

class FreezeReproducesGold : public ::testing::TestWithParam<std::string> {};

TEST_P(FreezeReproducesGold, FrozenGraphServesTheSameOutputs) {
  const std::string model = GetParam();
  if (model == testing::kNoCorpus)
    GTEST_SKIP() << "../shared/models is not present";
  auto groups = ReadModelGold(ModelsDir(), model);
  ASSERT_TRUE(groups.ok()) << groups.status();
  ScopedTempDir temp;
  int frozen_pairs = 0;
  for (const PairGroup& group : *groups) {
    const std::string dir = ModelsDir() + "/" + model + "/" + group.version;
    auto saved = LoadVersion(model, group.version);
    if (!saved.ok()) {
      std::cout << "[ skipped  ] " << model << "/" << group.version
                << ": the SavedModel itself does not load: "
                << saved.status().message() << "\n";
      continue;
    }
    std::set<std::string> signatures;
    for (const GoldPair& pair : group.pairs) {
      if (pair.skip_reason.empty()) signatures.insert(pair.signature);
    }
    std::map<std::string, std::unique_ptr<LoadedModel>> frozen;
    for (const std::string& signature : signatures) {
      const std::string key = signature.empty() ? "serving_default" : signature;
      const std::string out_dir = temp.Child(absl::StrCat(
          group.source, group.version, "_",
          absl::StrReplaceAll(key, {{"/", "_"}, {":", "_"}}), "/1"));
      std::filesystem::create_directories(out_dir);
      std::set<std::string> tags = ServingTags(model, dir);
      auto run = testing::RunTool(
          "freeze", {"--input_saved_model_dir", dir, "--saved_model_tags",
                     absl::StrJoin(tags, ","), "--signature_def", key,
                     "--output_graph", out_dir + "/frozen_model.pb"});
      auto limit = FreezeLimits().find(model + "/" + key);
      if (limit != FreezeLimits().end()) {
        EXPECT_NE(run.code, 0) << model << " froze; update FreezeLimits";
        EXPECT_TRUE(absl::StrContains(run.err, limit->second)) << run.err;
        std::cout << "[ limited  ] " << model << " " << key << ": " << run.err;
        continue;
      }
      ASSERT_EQ(run.code, 0) << model << " " << key << ": " << run.err;
      auto report = BuildModelReport(out_dir + "/frozen_model.pb", {});
      ASSERT_TRUE(report.ok()) << report.status();
      for (const OpUse& use : report->meta_graphs[0].ops) {
        EXPECT_FALSE(IsVariableOrSaveOp(use.op))
            << model << " " << key << ": frozen graph keeps " << use.op;
      }
      auto loaded = LoadedModel::Load(out_dir, LoadOptions());
      ASSERT_TRUE(loaded.ok())
          << model << " " << key << ": " << loaded.status();
      frozen[signature] = *std::move(loaded);
    }
    for (const GoldPair& pair : group.pairs) {
      if (!pair.skip_reason.empty() || !frozen.count(pair.signature)) continue;
      testing::TensorMap from_saved, from_frozen;
      std::string saved_problem = RunPair(**saved, pair, nullptr, &from_saved);
      if (!saved_problem.empty()) {
        std::cout << "[ skipped  ] " << pair.origin
                  << ": the SavedModel does not reproduce it\n";
        continue;
      }
      std::string problem =
          RunPair(*frozen[pair.signature], pair, &from_saved, &from_frozen);
      EXPECT_EQ(problem, "") << model << " " << pair.origin;
      ++frozen_pairs;
    }
  }
  std::cout << "[ frozen   ] " << model << ": " << frozen_pairs
            << " gold pairs reproduced by frozen graphs\n";
}

INSTANTIATE_TEST_SUITE_P(Corpus, FreezeReproducesGold,
                         ::testing::ValuesIn(GoldModels()));

TEST(FreezeThroughDaemon, FrozenKerasMnistAnswersItsGoldPairs) {
  const std::string model = "tfdeploy_keras_mnist_tf113";
  if (testing::SharedModelPath(model).empty()) {
    GTEST_SKIP() << "../shared/models/" << model << " is not present";
  }
  auto groups = ReadModelGold(ModelsDir(), model);
  ASSERT_TRUE(groups.ok()) << groups.status();
  // The first group with a Predict pair (gold.json's may hold only REST
  // requests).
  const PairGroup* found = nullptr;
  for (const PairGroup& group : *groups) {
    for (const GoldPair& pair : group.pairs) {
      if (found == nullptr && pair.skip_reason.empty()) found = &group;
    }
  }
  ASSERT_NE(found, nullptr) << model << " has no Predict gold pair";
  const PairGroup& group = *found;
  ScopedTempDir temp;
  const std::string version_dir = temp.Child("frozen/1");
  std::filesystem::create_directories(version_dir);
  auto run = testing::RunTool(
      "freeze", {"--input_saved_model_dir",
                 ModelsDir() + "/" + model + "/" + group.version,
                 "--output_graph", version_dir + "/frozen_model.pb"});
  ASSERT_EQ(run.code, 0) << run.err;
  auto frozen = LoadedModel::Load(version_dir, LoadOptions());
  ASSERT_TRUE(frozen.ok()) << frozen.status();

  testing::DaemonOptions options;
  options.model_name = model;
  options.model_base_path = temp.Child("frozen");
  auto daemon = testing::DaemonProcess::Start(options);
  ASSERT_TRUE(daemon.ok()) << daemon.status();
  int answered = 0;
  for (const GoldPair& pair : group.pairs) {
    if (!pair.skip_reason.empty()) continue;
    auto request = testing::MakePredictRequest(model, pair.signature);
    for (const auto& [alias, gold] : pair.inputs) {
      auto tensor = ToTensor(
          gold, testing::SignatureInputDtype(**frozen, pair.signature, alias));
      ASSERT_TRUE(tensor.ok()) << tensor.status();
      ASSERT_TRUE(
          TensorToProto(*tensor, &(*request.mutable_inputs())[alias]).ok());
    }
    tensorflow::serving::PredictResponse response;
    grpc::Status status =
        testing::CallPredict((*daemon)->prediction(), request, &response);
    ASSERT_TRUE(status.ok()) << pair.origin << ": " << status.error_message();
    for (const auto& [alias, gold] : pair.outputs) {
      auto it = response.outputs().find(alias);
      ASSERT_NE(it, response.outputs().end()) << pair.origin << ": " << alias;
      auto tensor = TensorFromProto(it->second);
      ASSERT_TRUE(tensor.ok()) << tensor.status();
      EXPECT_EQ(MatchTensor(*tensor, gold), "") << pair.origin << " " << alias;
    }
    ++answered;
  }
  std::cout << "[ daemon   ] " << model << ": " << answered
            << " gold pairs answered by its frozen graph through Predict\n";
  EXPECT_GT(answered, 0);
  auto exit_code = (*daemon)->Stop();
  ASSERT_TRUE(exit_code.ok()) << exit_code.status();
  EXPECT_EQ(*exit_code, 0) << (*daemon)->Stderr();
}

}  // namespace
}  // namespace model_server
