// Corpus tests over the shared models (../shared/models, see its README.md):
//
//   Corpus/GoldPairsTest.Reproduces/<model>     (tfs_* and tfjsnode_* models)
//     every Predict pair of gold.json and oracle_gold/<model>.json must
//     reproduce through LoadedModel::Load + RunPredict, in order on one fresh
//     load per group (tfs_counter's pairs are a sequence), for every version
//     the files name. Non-Predict entries (REST formats, Classify/Regress
//     RPC results, batching padding) are skipped with their reason and
//     counted. This is an acceptance test: a wrong result fails.
//   Corpus/OtherModelsTest.LoadsOrNamesUnsupportedOps/<model>  (the rest)
//     each version loads, or fails with UNIMPLEMENTED listing missing ops.
//   OtherModelsReport.PairsTable
//     informational: runs the other models' pairs and prints a table; it
//     never fails (those models belong to later work).
//
// Without ../shared the tests skip, saying so.
#include <cstdio>
#include <functional>
#include <iostream>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/time/clock.h"
#include "gtest/gtest.h"
#include "loader/loaded_model.h"
#include "loader/saved_model_reader.h"
#include "runtime/missing_ops.h"
#include "runtime/tensor_proto.h"
#include "signatures/predict.h"
#include "tests/corpus/corpus_models.h"
#include "tests/corpus/gold_pairs.h"

namespace model_server {
namespace {

constexpr char kNoCorpus[] = "NoSharedCorpus";
// A pair that takes longer than this is broken, not slow.
constexpr absl::Duration kPairDeadline = absl::Seconds(120);

std::vector<std::string> CorpusModels(bool gold) {
  std::vector<std::string> models;
  for (const std::string& model : ListCorpusModels(ModelsDir())) {
    if (HasGold(model) == gold) models.push_back(model);
  }
  if (models.empty()) models.push_back(kNoCorpus);
  return models;
}

// The dtype to send for `alias` when the gold file does not say: the
// graph's placeholder dtype (what Predict checks), else the TensorInfo's.
DataType InputDtype(const LoadedModel& model, const std::string& signature,
                    const std::string& alias) {
  const Signature* sig = model.signatures().Find(signature);
  if (sig == nullptr) return DT_INVALID;
  int index = sig->FindInput(alias);
  if (index >= 0 && sig->inputs()[index].graph_dtype != DT_INVALID) {
    return sig->inputs()[index].graph_dtype;
  }
  auto info = sig->def().inputs().find(alias);
  if (info == sig->def().inputs().end()) return DT_INVALID;
  return static_cast<DataType>(info->second.dtype());
}

// Runs `pair` through Predict; "" when every expected output matches,
// otherwise what went wrong with expected and actual values.
std::string RunPair(const LoadedModel& model, const GoldPair& pair) {
  tensorflow::serving::PredictRequest request;
  request.mutable_model_spec()->set_name("corpus");
  request.mutable_model_spec()->set_signature_name(pair.signature);
  for (const auto& [alias, gold] : pair.inputs) {
    absl::StatusOr<Tensor> tensor =
        ToTensor(gold, InputDtype(model, pair.signature, alias));
    if (!tensor.ok()) {
      return absl::StrCat("bad gold input '", alias,
                          "': ", tensor.status().message());
    }
    absl::Status status =
        TensorToProto(*tensor, &(*request.mutable_inputs())[alias],
                      TensorEncoding::kTypedFields);
    if (!status.ok()) {
      return absl::StrCat("cannot encode input '", alias,
                          "': ", status.message());
    }
  }
  if (pair.use_output_filter) {
    for (const auto& [alias, gold] : pair.outputs) {
      request.add_output_filter(alias);
    }
  }
  RunOptions options;
  options.deadline = absl::Now() + kPairDeadline;
  tensorflow::serving::PredictResponse response;
  std::string key;
  absl::Status status =
      RunPredict(model.signatures(), request, options, &response, &key);
  if (!status.ok()) return absl::StrCat("Predict failed: ", status.ToString());

  std::vector<std::string> problems;
  for (const auto& [alias, gold] : pair.outputs) {
    auto it = response.outputs().find(alias);
    if (it == response.outputs().end()) {
      std::vector<std::string> got;
      for (const auto& [name, unused] : response.outputs()) got.push_back(name);
      problems.push_back(absl::StrCat(
          "no output '", alias, "' (got: ", absl::StrJoin(got, ", "), ")"));
      continue;
    }
    absl::StatusOr<Tensor> actual = TensorFromProto(it->second);
    if (!actual.ok()) {
      problems.push_back(absl::StrCat(
          "output '", alias, "' does not decode: ", actual.status().message()));
      continue;
    }
    std::string mismatch = MatchTensor(*actual, gold);
    if (!mismatch.empty()) {
      problems.push_back(absl::StrCat("output '", alias, "': ", mismatch));
    }
  }
  return absl::StrJoin(problems, "\n  ");
}

struct Counts {
  int run = 0;
  int passed = 0;
  int failed = 0;
  int skipped = 0;
  std::string first_failure;

  std::string Summary() const {
    return absl::StrFormat("%d run, %d passed, %d failed, %d skipped", run,
                           passed, failed, skipped);
  }
};

// Runs every group of `model`, each on a fresh load. `on_failure` gets
// each failing pair's description; `log` every skip and load error.
Counts RunGroups(const std::string& model, const std::vector<PairGroup>& groups,
                 const std::function<void(const std::string&)>& on_failure,
                 const std::function<void(const std::string&)>& log) {
  Counts counts;
  for (const PairGroup& group : groups) {
    int runnable = 0;
    for (const GoldPair& pair : group.pairs) {
      if (!pair.skip_reason.empty()) {
        ++counts.skipped;
        log(absl::StrCat("skip ", model, "/", group.version, " ", pair.origin,
                         " [", pair.signature, "]: ", pair.skip_reason));
      } else {
        ++runnable;
      }
    }
    if (runnable == 0) continue;
    auto loaded = LoadVersion(model, group.version);
    if (!loaded.ok()) {
      counts.run += runnable;
      counts.failed += runnable;
      std::string what = absl::StrCat(
          model, "/", group.version, ": cannot load (needed by ", runnable,
          " pairs of ", group.source, "): ", loaded.status().ToString());
      if (counts.first_failure.empty()) counts.first_failure = what;
      on_failure(what);
      continue;
    }
    for (const GoldPair& pair : group.pairs) {
      if (!pair.skip_reason.empty()) continue;
      ++counts.run;
      std::string problem = RunPair(**loaded, pair);
      if (problem.empty()) {
        ++counts.passed;
        continue;
      }
      ++counts.failed;
      std::string what =
          absl::StrCat(model, "/", group.version, " ", pair.origin,
                       " signature '", pair.signature, "':\n  ", problem);
      if (counts.first_failure.empty()) counts.first_failure = what;
      on_failure(what);
    }
  }
  return counts;
}

// Gold pairs of the tfs_* and tfjsnode_* models: the acceptance test.

class GoldPairsTest : public ::testing::TestWithParam<std::string> {};

TEST_P(GoldPairsTest, Reproduces) {
  const std::string& model = GetParam();
  if (model == kNoCorpus) {
    GTEST_SKIP() << "no shared model corpus at " << ModelsDir()
                 << " (tfs_* / tfjsnode_* models); corpus tests skipped";
  }
  absl::StatusOr<std::vector<PairGroup>> groups =
      ReadModelGold(ModelsDir(), model);
  ASSERT_TRUE(groups.ok()) << groups.status();
  Counts counts = RunGroups(
      model, *groups, [](const std::string& what) { ADD_FAILURE() << what; },
      [](const std::string& what) {
        std::cout << "[ info     ] " << what << "\n";
      });
  std::cout << "[ summary  ] " << model << ": " << counts.Summary() << "\n";
  RecordProperty("pairs_run", counts.run);
  RecordProperty("pairs_passed", counts.passed);
  RecordProperty("pairs_skipped", counts.skipped);
  EXPECT_GT(counts.run, 0) << model << " has no Predict pairs to run";
}

INSTANTIATE_TEST_SUITE_P(Corpus, GoldPairsTest,
                         ::testing::ValuesIn(CorpusModels(/*gold=*/true)),
                         [](const auto& info) { return info.param; });

// Every other model loads or names its unsupported ops.

class OtherModelsTest : public ::testing::TestWithParam<std::string> {};

TEST_P(OtherModelsTest, LoadsOrNamesUnsupportedOps) {
  const std::string& model = GetParam();
  if (model == kNoCorpus) {
    GTEST_SKIP() << "no shared model corpus at " << ModelsDir()
                 << "; corpus tests skipped";
  }
  const std::vector<std::string> versions =
      ListVersions(ModelsDir() + "/" + model);
  ASSERT_FALSE(versions.empty());
  for (const std::string& version : versions) {
    const std::set<std::string> tags =
        ServingTags(model, ModelsDir() + "/" + model + "/" + version);
    if (tags != std::set<std::string>{"serve"}) {
      std::cout << "[ outcome  ] " << model << "/" << version
                << " has no {serve} MetaGraphDef; loading tags {"
                << absl::StrJoin(tags, ",") << "}\n";
    }
    auto loaded = LoadVersion(model, version);
    if (loaded.ok()) {
      std::cout << "[ outcome  ] " << model << "/" << version << ": loads, "
                << (*loaded)->signatures().Keys().size() << " signatures ("
                << (*loaded)->warnings().size() << " not runnable)\n";
      for (const std::string& warning : (*loaded)->warnings()) {
        std::cout << "[ outcome  ]   " << warning << "\n";
      }
    } else {
      const std::set<std::string> missing = MissingOpsOf(loaded.status());
      std::cout << "[ outcome  ] " << model << "/" << version
                << ": does not load: " << loaded.status().ToString() << "\n";
      EXPECT_EQ(loaded.status().code(), absl::StatusCode::kUnimplemented)
          << model << "/" << version
          << " must load or fail with UNIMPLEMENTED naming missing ops; got "
          << loaded.status();
      EXPECT_FALSE(missing.empty())
          << model << "/" << version
          << " failed without a list of missing ops: " << loaded.status();
    }
    if (model == "stfs_custom_op_zero_out") {
      ASSERT_FALSE(loaded.ok()) << "ZeroOut is a custom op; the load must fail";
      EXPECT_EQ(MissingOpsOf(loaded.status()).count("ZeroOut"), 1u)
          << loaded.status();
      EXPECT_TRUE(absl::StrContains(loaded.status().message(), "ZeroOut"))
          << loaded.status();
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Corpus, OtherModelsTest,
                         ::testing::ValuesIn(CorpusModels(/*gold=*/false)),
                         [](const auto& info) { return info.param; });

// Informational: how far the other models get with their pairs.

TEST(OtherModelsReport, PairsTable) {
  std::vector<std::string> models = CorpusModels(/*gold=*/false);
  if (models.front() == kNoCorpus) {
    GTEST_SKIP() << "no shared model corpus at " << ModelsDir();
  }
  std::vector<std::string> rows;
  for (const std::string& model : models) {
    absl::StatusOr<std::vector<PairGroup>> groups =
        ReadModelGold(ModelsDir(), model);
    if (!groups.ok()) {
      rows.push_back(absl::StrFormat("%-40s gold files unreadable: %s", model,
                                     groups.status().ToString()));
      continue;
    }
    std::vector<std::string> details;
    Counts counts = RunGroups(
        model, *groups,
        [&](const std::string& what) { details.push_back(what); },
        [](const std::string&) {});
    std::string first = counts.first_failure.substr(0, 160);
    for (char& c : first) {
      if (c == '\n') c = ' ';
    }
    rows.push_back(absl::StrFormat("%-40s %3d %6d %6d %7d  %s", model,
                                   counts.run, counts.passed, counts.failed,
                                   counts.skipped, first));
    for (const std::string& detail : details) {
      std::cout << "[ detail   ] " << detail << "\n";
    }
  }
  std::cout << absl::StrFormat("%-40s %3s %6s %6s %7s  %s\n", "model", "run",
                               "passed", "failed", "skipped",
                               "first failure (informational)");
  for (const std::string& row : rows) std::cout << row << "\n";
}

}  // namespace
}  // namespace model_server
