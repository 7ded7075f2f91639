// The corpus's Predict pairs through the REST API's JSON path
// (../shared/models; formats in its README.md):
//
//   Corpus/RestPairsTest.ReproducesThroughJson/<model>
//     every pair corpus_test.cc runs through gRPC's Predict is also sent as a
//     REST body: the input tensors written as JSON ({"signature_name": ...,
//     "inputs": {alias: nested lists}}, strings that are not UTF-8 as
//     {"b64": ...}), run by JsonPredict (what the daemon runs for
//     POST .../:predict after the version lookup), and the JSON answer read
//     back into tensors and compared with the pair's outputs. When the
//     inputs share a batch dimension the row format ("instances") runs too.
//     For the tfs_* and tfjsnode_* models every pair must pass (they must
//     through gRPC); for the others a pair must pass through REST whenever
//     it passes through the tensor-level Predict (their pairs are
//     informational in the gRPC test too).
//
// Without ../shared the test skips, saying so.
#include <iostream>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/clock.h"
#include "daemon/rest/json_api.h"
#include "daemon/rest/json_document.h"
#include "daemon/rest/json_tensor_decode.h"
#include "daemon/rest/json_tensor_encode.h"
#include "daemon/rest/json_writer.h"
#include "gtest/gtest.h"
#include "signatures/predict.h"
#include "tests/corpus/corpus_models.h"
#include "tests/corpus/gold_pairs.h"

namespace model_server {
namespace {

constexpr char kNoCorpus[] = "NoSharedCorpus";
constexpr absl::Duration kPairDeadline = absl::Seconds(120);

std::vector<std::string> AllModels() {
  std::vector<std::string> models = ListCorpusModels(ModelsDir());
  if (models.empty()) models.push_back(kNoCorpus);
  return models;
}

DataType InfoDtype(
    const google::protobuf::Map<std::string, tensorflow::TensorInfo>& infos,
    const std::string& alias) {
  auto it = infos.find(alias);
  return it == infos.end() ? DT_INVALID : BaseType(it->second.dtype());
}

// The dtype to send for `alias` when the gold file does not say, as
// corpus_test.cc picks it.
DataType InputDtype(const Signature& signature, const std::string& alias) {
  const int index = signature.FindInput(alias);
  if (index >= 0 && signature.inputs()[index].graph_dtype != DT_INVALID) {
    return signature.inputs()[index].graph_dtype;
  }
  return InfoDtype(signature.def().inputs(), alias);
}

// A REST Predict body for `inputs`, columnar or row format.
std::string PredictBody(const std::string& signature,
                        const PredictInputs& inputs, bool row_format) {
  rapidjson::StringBuffer buffer;
  JsonWriter writer(buffer);
  writer.StartObject();
  writer.Key("signature_name");
  writer.String(signature.c_str());
  writer.Key(row_format ? "instances" : "inputs");
  if (row_format) {
    const int64_t batch = inputs.begin()->second.dim(0);
    std::map<std::string, int64_t> offsets;
    writer.StartArray();
    for (int64_t i = 0; i < batch; ++i) {
      writer.StartObject();
      for (const auto& [alias, tensor] : inputs) {
        writer.Key(alias.c_str());
        EXPECT_TRUE(
            WriteTensorJson(tensor, 1, false, &offsets[alias], &writer).ok());
      }
      writer.EndObject();
    }
    writer.EndArray();
  } else {
    writer.StartObject();
    for (const auto& [alias, tensor] : inputs) {
      writer.Key(alias.c_str());
      int64_t offset = 0;
      EXPECT_TRUE(WriteTensorJson(tensor, 0, false, &offset, &writer).ok());
    }
    writer.EndObject();
  }
  writer.EndObject();
  return std::string(buffer.GetString(), buffer.GetSize());
}

bool SharesBatchDimension(const PredictInputs& inputs) {
  if (inputs.empty()) return false;
  int64_t batch = -1;
  for (const auto& [alias, tensor] : inputs) {
    if (tensor.rank() == 0 || tensor.dim(0) == 0) return false;
    if (batch >= 0 && tensor.dim(0) != batch) return false;
    batch = tensor.dim(0);
  }
  return true;
}

// Runs `body` through JsonPredict and compares the answer with the pair's
// outputs; "" when they match.
std::string RunJson(const LoadedModel& model, const Signature& signature,
                    const GoldPair& pair, const std::string& body,
                    bool row_format) {
  absl::StatusOr<std::unique_ptr<JsonDocument>> document =
      JsonDocument::Parse(body);
  if (!document.ok())
    return absl::StrCat("body: ", document.status().ToString());
  RunOptions options;
  options.deadline = absl::Now() + kPairDeadline;
  absl::StatusOr<std::string> answer = JsonPredict(
      model.signatures(), **document, SignatureCheckOptions(), options);
  if (!answer.ok())
    return absl::StrCat("REST Predict failed: ", answer.status().ToString());
  absl::StatusOr<std::unique_ptr<JsonDocument>> response =
      JsonDocument::Parse(*answer);
  if (!response.ok()) {
    return absl::StrCat(
        "the answer is not JSON: ", response.status().ToString(), "\n",
        answer->substr(0, 300));
  }
  std::vector<std::string> problems;
  (*response)->Visit([&](const auto& root) {
    using V = std::decay_t<decltype(root)>;
    std::optional<V> all = root.Find(row_format ? "predictions" : "outputs");
    if (!all.has_value()) {
      problems.push_back("no outputs/predictions key");
      return 0;
    }
    const bool single = signature.outputs().size() == 1;
    for (const auto& [alias, gold] : pair.outputs) {
      DataType dtype = gold.dtype;
      if (dtype == DT_INVALID)
        dtype = InfoDtype(signature.def().outputs(), alias);
      absl::StatusOr<Tensor> actual;
      if (row_format) {
        // Rows back into one tensor, as a client would stack them.
        InstanceStacker stacker(dtype, static_cast<int64_t>(all->Size()));
        absl::Status status = all->ForEachElement([&](const V& row) {
          if (single) return stacker.Add(row);
          std::optional<V> value = row.Find(alias);
          if (!value.has_value()) {
            return absl::NotFoundError(absl::StrCat("no key ", alias));
          }
          return stacker.Add(*value);
        });
        actual = status.ok() ? absl::StatusOr<Tensor>(stacker.Finish())
                             : absl::StatusOr<Tensor>(status);
      } else if (single) {
        actual = DecodeJsonTensor(*all, dtype);
      } else {
        std::optional<V> value = all->Find(alias);
        actual = value.has_value() ? DecodeJsonTensor(*value, dtype)
                                   : absl::StatusOr<Tensor>(absl::NotFoundError(
                                         absl::StrCat("no output ", alias)));
      }
      if (!actual.ok()) {
        problems.push_back(
            absl::StrCat("output '", alias,
                         "' does not decode: ", actual.status().ToString()));
        continue;
      }
      std::string mismatch = MatchTensor(*actual, gold);
      if (!mismatch.empty()) {
        problems.push_back(absl::StrCat("output '", alias, "': ", mismatch));
      }
    }
    return 0;
  });
  return absl::StrJoin(problems, "\n  ");
}

// The pair through the tensor-level Predict alone (no JSON): "" on a match.
std::string RunDirect(const Signature& signature, const PredictInputs& inputs,
                      const GoldPair& pair) {
  std::vector<std::string> filter;
  if (pair.use_output_filter) {
    for (const auto& [alias, gold] : pair.outputs) filter.push_back(alias);
  }
  RunOptions options;
  options.deadline = absl::Now() + kPairDeadline;
  PredictOutputs outputs;
  absl::Status status =
      RunPredictSignature(signature, inputs, filter, options, &outputs);
  if (!status.ok()) return status.ToString();
  for (const auto& [alias, gold] : pair.outputs) {
    for (const auto& [name, tensor] : outputs) {
      if (name == alias && !MatchTensor(tensor, gold).empty())
        return "mismatch";
    }
  }
  return "";
}

class RestPairsTest : public ::testing::TestWithParam<std::string> {};

TEST_P(RestPairsTest, ReproducesThroughJson) {
  const std::string& model = GetParam();
  if (model == kNoCorpus) {
    GTEST_SKIP() << "no shared model corpus at " << ModelsDir()
                 << "; REST corpus tests skipped";
  }
  absl::StatusOr<std::vector<PairGroup>> groups =
      ReadModelGold(ModelsDir(), model);
  ASSERT_TRUE(groups.ok()) << groups.status();
  const bool acceptance = HasGold(model);
  int run = 0, passed = 0, row_runs = 0;
  for (const PairGroup& group : *groups) {
    bool runnable = false;
    for (const GoldPair& pair : group.pairs) {
      runnable = runnable || pair.skip_reason.empty();
    }
    if (!runnable) continue;
    // Columnar on one fresh load, then the row format on another: a
    // stateful model's pairs (tfs_counter) are a sequence.
    for (const bool row_format : {false, true}) {
      auto loaded = LoadVersion(model, group.version);
      if (!loaded.ok()) {
        if (acceptance) {
          ADD_FAILURE() << model << ": " << loaded.status();
        }
        break;
      }
      bool sequence_broken = false;
      for (const GoldPair& pair : group.pairs) {
        if (!pair.skip_reason.empty() || sequence_broken) continue;
        const Signature* signature =
            (*loaded)->signatures().Find(pair.signature);
        if (signature == nullptr || !signature->status().ok()) {
          if (acceptance && !row_format) {
            ADD_FAILURE() << model << ": no runnable " << pair.signature;
          }
          continue;
        }
        PredictInputs inputs;
        for (const auto& [alias, gold] : pair.inputs) {
          absl::StatusOr<Tensor> tensor =
              ToTensor(gold, InputDtype(*signature, alias));
          ASSERT_TRUE(tensor.ok()) << tensor.status();
          inputs.emplace(alias, *std::move(tensor));
        }
        const std::string where = absl::StrCat(
            model, "/", group.version, " ", pair.origin, " signature '",
            pair.signature, "'", row_format ? " (row format)" : " (columnar)");
        if (row_format && !SharesBatchDimension(inputs)) {
          sequence_broken = true;  // later pairs would see another state
          continue;
        }
        const std::string problem = RunJson(
            **loaded, *signature, pair,
            PredictBody(pair.signature, inputs, row_format), row_format);
        if (row_format) {
          // TF Serving refuses the row format for outputs without a shared
          // batch dimension too.
          if (problem.find("has no shape information") != std::string::npos ||
              problem.find("inconsistent batch size") != std::string::npos) {
            sequence_broken = true;
            continue;
          }
          ++row_runs;
          EXPECT_EQ(problem, "") << where;
          continue;
        }
        ++run;
        const bool must_pass =
            acceptance || RunDirect(*signature, inputs, pair).empty();
        if (problem.empty()) {
          ++passed;
        } else if (must_pass) {
          ADD_FAILURE() << where << ":\n  " << problem;
        } else {
          std::cout << "[ info     ] " << where
                    << " fails through REST as through Predict: " << problem
                    << "\n";
        }
      }
    }
  }
  std::cout << "[ summary  ] " << model << ": " << run
            << " pairs through REST, " << passed << " passed, " << row_runs
            << " also in the row format\n";
  if (acceptance) {
    EXPECT_GT(run, 0);
  }
}

INSTANTIATE_TEST_SUITE_P(Corpus, RestPairsTest,
                         ::testing::ValuesIn(AllModels()),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace model_server
