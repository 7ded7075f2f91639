// Corpus tests of Classify and Regress (../shared/models):
//
//   Corpus/ExampleMethodsTest.AgreeWithGold/<model>
//     every gold or oracle pair whose signature Classify or Regress can call
//     (one string input "inputs" fed a batch of serialized tf.Examples; the
//     outputs classes/scores or outputs) runs again through RunClassify or
//     RunRegress, and the results, turned back into tensors, must match the
//     pair's outputs. gold.json's Classify/Regress RPC results
//     ("classifications[0].classes[0].score", "value", ...) run the same way.
//     A mismatch fails for the tfs_* and tfjsnode_* models and is printed for
//     the others (their Predict pairs are informational too). A pair whose
//     outputs have a shape the method cannot use (TF Serving rejects those
//     calls too) must be rejected, and is logged.
//
// The method is the signature's method_name, or for TF2 exports (which say
// predict) the one its outputs fit. Without ../shared the test skips.
#include <iostream>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "signatures/classify_regress.h"
#include "tests/corpus/corpus_models.h"
#include "tests/corpus/example_pairs.h"
#include "tests/corpus/gold_pairs.h"

namespace model_server {
namespace {

namespace tfs = tensorflow::serving;

constexpr char kNoCorpus[] = "NoSharedCorpus";

std::vector<std::string> AllModels() {
  std::vector<std::string> models = ListCorpusModels(ModelsDir());
  if (models.empty()) models.push_back(kNoCorpus);
  return models;
}

// `values` as a tensor shaped like `gold` when the sizes agree.
template <typename T>
Tensor ShapedLike(std::vector<T> values, const GoldTensor& gold,
                  const TensorShape& natural) {
  if (gold.shape.has_value()) {
    absl::StatusOr<TensorShape> shape = TensorShape::FromDims(*gold.shape);
    if (shape.ok() &&
        shape->num_elements() == static_cast<int64_t>(values.size())) {
      return Tensor::FromVector(std::move(values), *shape);
    }
  }
  return Tensor::FromVector(std::move(values), natural);
}

// True when `signature`'s outputs on `examples` have a shape the method
// cannot turn into results, so TF Serving rejects the call as well
// (tfs_half_plus_two_mkl's y2 broadcasts to [1,10,10,1]).
bool OutputsUnfitForMethod(const Signature& signature, ExampleMethod method,
                           const GoldTensor& examples) {
  absl::StatusOr<ExampleSignature> checked =
      CheckExampleSignature(signature, method, SignatureCheckOptions());
  if (!checked.ok()) return false;
  const int64_t n = static_cast<int64_t>(examples.strings.size());
  Tensor batch = Tensor::FromVector(examples.strings, TensorShape{n});
  std::vector<Tensor> outputs;
  if (!FetchExampleOutputs(*checked, batch, RunOptions(), &outputs).ok()) {
    return false;
  }
  for (int index : checked->OutputsToFetch()) {
    const Tensor& out = outputs[index];
    const bool fits =
        out.rank() >= 1 && out.dim(0) == n &&
        (method == ExampleMethod::kClassify
             ? out.rank() <= 2
             : out.rank() == 1 || (out.rank() == 2 && out.dim(1) == 1));
    if (!fits) return true;
  }
  return false;
}

// Runs `pair` through Classify or Regress. "" when it matches; otherwise
// what differs. *ran is false when the pair is not for these methods.
std::string RunExamplePair(const LoadedModel& model, const GoldPair& pair,
                           bool* ran) {
  *ran = false;
  const GoldTensor* examples = ExamplesOf(pair);
  if (examples == nullptr) return "";
  const Signature* signature = model.signatures().Find(pair.signature);
  ExampleMethod method;
  if (!ExampleMethodOf(pair, signature, &method)) return "";
  *ran = true;
  std::string key;
  SerializedInput input = InputOf(*examples);
  const int64_t n = static_cast<int64_t>(examples->strings.size());
  std::vector<std::string> problems;
  // "" when the call was rightly refused (logged), else the failure.
  auto failed = [&](absl::string_view rpc, const absl::Status& status) {
    if (signature != nullptr &&
        OutputsUnfitForMethod(*signature, method, *examples)) {
      std::cout << "[ info     ] " << pair.origin << " [" << pair.signature
                << "]: rejected as TF Serving rejects it: " << status.message()
                << "\n";
      return std::string();
    }
    return absl::StrCat(rpc, " failed: ", status.ToString());
  };
  if (method == ExampleMethod::kRegress) {
    tfs::RegressionResult result;
    absl::Status status =
        RunRegress(model.signatures(), pair.signature, SignatureCheckOptions(),
                   RunOptions(), &input, &result, &key);
    if (!status.ok()) return failed("Regress", status);
    std::vector<float> values;
    for (const auto& regression : result.regressions()) {
      values.push_back(regression.value());
    }
    for (const auto& [alias, gold] : pair.outputs) {
      std::vector<float> compared = values;
      if (IsRpcResultAlias(alias, &method)) compared.resize(1);
      std::string mismatch = MatchTensor(
          ShapedLike(compared, gold,
                     TensorShape{static_cast<int64_t>(compared.size())}),
          gold);
      if (!mismatch.empty()) problems.push_back(alias + ": " + mismatch);
    }
  } else {
    tfs::ClassificationResult result;
    absl::Status status =
        RunClassify(model.signatures(), pair.signature, SignatureCheckOptions(),
                    RunOptions(), &input, &result, &key);
    if (!status.ok()) return failed("Classify", status);
    std::vector<float> scores;
    std::vector<std::string> labels;
    int64_t k = 0;
    for (const auto& row : result.classifications()) {
      k = row.classes_size();
      for (const auto& entry : row.classes()) {
        scores.push_back(entry.score());
        labels.push_back(entry.label());
      }
    }
    for (const auto& [alias, gold] : pair.outputs) {
      std::string mismatch;
      if (IsRpcResultAlias(alias, &method)) {
        mismatch = MatchTensor(
            ShapedLike(std::vector<float>{scores.at(0)}, gold, TensorShape{1}),
            gold);
      } else if (alias == kScoresOutputAlias) {
        mismatch =
            MatchTensor(ShapedLike(scores, gold, TensorShape{n, k}), gold);
      } else if (alias == kClassesOutputAlias) {
        mismatch =
            MatchTensor(ShapedLike(labels, gold, TensorShape{n, k}), gold);
      }
      if (!mismatch.empty()) problems.push_back(alias + ": " + mismatch);
    }
  }
  std::string joined;
  for (const std::string& problem : problems) {
    absl::StrAppend(&joined, joined.empty() ? "" : "\n  ", problem);
  }
  return joined;
}

class ExampleMethodsTest : public ::testing::TestWithParam<std::string> {};

TEST_P(ExampleMethodsTest, AgreeWithGold) {
  const std::string& model = GetParam();
  if (model == kNoCorpus) {
    GTEST_SKIP() << "no shared model corpus at " << ModelsDir()
                 << "; Classify/Regress corpus tests skipped";
  }
  absl::StatusOr<std::vector<PairGroup>> groups =
      ReadModelGold(ModelsDir(), model);
  ASSERT_TRUE(groups.ok()) << groups.status();
  int run = 0, failed = 0;
  for (const PairGroup& group : *groups) {
    auto loaded = LoadVersion(model, group.version);
    if (!loaded.ok()) continue;  // corpus_test reports load failures
    for (const GoldPair& pair : group.pairs) {
      bool ran = false;
      const std::string problem = RunExamplePair(**loaded, pair, &ran);
      if (!ran) continue;
      ++run;
      if (problem.empty()) continue;
      ++failed;
      const std::string what =
          absl::StrCat(model, "/", group.version, " ", pair.origin,
                       " signature '", pair.signature, "':\n  ", problem);
      if (HasGold(model)) {
        ADD_FAILURE() << what;
      } else {
        std::cout << "[ detail   ] " << what << "\n";
      }
    }
  }
  std::cout << "[ summary  ] " << model << ": " << run
            << " Classify/Regress pairs run, " << failed << " failed\n";
  RecordProperty("example_pairs_run", run);
  if (model == "tfs_half_plus_two_cpu" ||
      model == "tfs_half_plus_two_tf2_cpu") {
    EXPECT_GT(run, 0) << model << " has classify/regress pairs";
  }
}

INSTANTIATE_TEST_SUITE_P(Corpus, ExampleMethodsTest,
                         ::testing::ValuesIn(AllModels()),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace model_server
