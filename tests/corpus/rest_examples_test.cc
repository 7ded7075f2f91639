// The corpus's Classify and Regress pairs through the REST API's JSON path
// (../shared/models):
//
//   Corpus/RestExamplesTest.AgreeWithGrpc/<model>
//     every pair example_methods_test.cc runs through Classify or Regress is
//     sent again as a REST body: each serialized tf.Example written as a
//     JSON object of features (float_list values as decimals, int64_list as
//     integers, bytes_list as strings or {"b64": ...}), run by JsonClassify
//     or JsonRegress (what the daemon runs for POST .../:classify and
//     :regress), and the JSON results must equal the gRPC path's results
//     exactly (same labels, same float bits), or both must fail with the
//     same code. gRPC's results are checked against the gold files by
//     example_methods_test.cc.
//
// Without ../shared the test skips, saying so.
#include <cstring>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "daemon/rest/json_api.h"
#include "daemon/rest/json_document.h"
#include "daemon/rest/json_writer.h"
#include "gtest/gtest.h"
#include "signatures/classify_regress.h"
#include "tensorflow/core/example/example.pb.h"
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

// A serialized tf.Example as a JSON object of features; false when it does
// not parse (the gRPC path refuses it too; the pair is then skipped).
bool WriteExample(const std::string& serialized, JsonWriter* writer) {
  tensorflow::Example example;
  if (!example.ParseFromString(serialized)) return false;
  writer->StartObject();
  for (const auto& [name, feature] : example.features().feature()) {
    writer->Key(name.c_str(), static_cast<rapidjson::SizeType>(name.size()));
    writer->StartArray();
    for (float v : feature.float_list().value()) WriteJsonDecimal(v, writer);
    for (int64_t v : feature.int64_list().value()) writer->Int64(v);
    for (const std::string& v : feature.bytes_list().value()) {
      WriteJsonBytes(v, false, writer);
    }
    writer->EndArray();
  }
  writer->EndObject();
  return true;
}

// Results as flat lists (label and score per class, or value per example).
struct Flat {
  std::vector<std::string> labels;
  std::vector<float> numbers;
  bool operator==(const Flat& other) const {
    if (labels != other.labels || numbers.size() != other.numbers.size()) {
      return false;
    }
    return std::memcmp(numbers.data(), other.numbers.data(),
                       numbers.size() * sizeof(float)) == 0;
  }
};

std::string Describe(const Flat& flat) {
  std::string text;
  for (size_t i = 0; i < flat.numbers.size(); ++i) {
    absl::StrAppend(&text, i < flat.labels.size() ? flat.labels[i] : "", ":",
                    flat.numbers[i], " ");
  }
  return text;
}

// The JSON results read back: {"results": [[[label, score], ...], ...]} or
// {"results": [value, ...]}.
absl::StatusOr<Flat> ReadResults(const std::string& json,
                                 ExampleMethod method) {
  absl::StatusOr<std::unique_ptr<JsonDocument>> document =
      JsonDocument::Parse(json);
  if (!document.ok()) return document.status();
  Flat flat;
  absl::Status status = (*document)->Visit([&](const auto& root) {
    using V = std::decay_t<decltype(root)>;
    std::optional<V> results = root.Find("results");
    if (!results.has_value()) return absl::NotFoundError("no results");
    return results->ForEachElement([&](const V& entry) {
      if (method == ExampleMethod::kRegress) {
        flat.numbers.push_back(static_cast<float>(entry.GetDouble()));
        return absl::OkStatus();
      }
      return entry.ForEachElement([&](const V& pair) {
        int index = 0;
        return pair.ForEachElement([&](const V& item) {
          if (index++ == 0) {
            flat.labels.emplace_back(item.GetString());
          } else {
            flat.numbers.push_back(static_cast<float>(item.GetDouble()));
          }
          return absl::OkStatus();
        });
      });
    });
  });
  if (!status.ok()) return status;
  return flat;
}

// The gRPC path's results (RunClassify/RunRegress on the serialized bytes).
absl::StatusOr<Flat> GrpcResults(const LoadedModel& model,
                                 const std::string& signature,
                                 ExampleMethod method,
                                 const GoldTensor& examples) {
  SerializedInput input = InputOf(examples);
  std::string key;
  Flat flat;
  if (method == ExampleMethod::kRegress) {
    tfs::RegressionResult result;
    absl::Status status =
        RunRegress(model.signatures(), signature, SignatureCheckOptions(),
                   RunOptions(), &input, &result, &key);
    if (!status.ok()) return status;
    for (const auto& r : result.regressions())
      flat.numbers.push_back(r.value());
    return flat;
  }
  tfs::ClassificationResult result;
  absl::Status status =
      RunClassify(model.signatures(), signature, SignatureCheckOptions(),
                  RunOptions(), &input, &result, &key);
  if (!status.ok()) return status;
  for (const auto& row : result.classifications()) {
    for (const auto& entry : row.classes()) {
      flat.labels.push_back(entry.label());
      flat.numbers.push_back(entry.score());
    }
  }
  return flat;
}

class RestExamplesTest : public ::testing::TestWithParam<std::string> {};

TEST_P(RestExamplesTest, AgreeWithGrpc) {
  const std::string& model = GetParam();
  if (model == kNoCorpus) {
    GTEST_SKIP() << "no shared model corpus at " << ModelsDir()
                 << "; REST Classify/Regress corpus tests skipped";
  }
  absl::StatusOr<std::vector<PairGroup>> groups =
      ReadModelGold(ModelsDir(), model);
  ASSERT_TRUE(groups.ok()) << groups.status();
  int run = 0;
  for (const PairGroup& group : *groups) {
    auto loaded = LoadVersion(model, group.version);
    if (!loaded.ok()) continue;  // corpus_test reports load failures
    for (const GoldPair& pair : group.pairs) {
      const GoldTensor* examples = ExamplesOf(pair);
      if (examples == nullptr) continue;
      const Signature* signature = (*loaded)->signatures().Find(pair.signature);
      ExampleMethod method;
      if (!ExampleMethodOf(pair, signature, &method)) continue;
      rapidjson::StringBuffer buffer;
      JsonWriter writer(buffer);
      writer.StartObject();
      writer.Key("signature_name");
      writer.String(pair.signature.c_str());
      writer.Key("examples");
      writer.StartArray();
      bool parsed = true;
      for (const std::string& bytes : examples->strings) {
        parsed = parsed && WriteExample(bytes, &writer);
      }
      writer.EndArray();
      writer.EndObject();
      if (!parsed) continue;
      ++run;
      const std::string where =
          absl::StrCat(model, "/", group.version, " ", pair.origin,
                       " signature '", pair.signature, "'");
      absl::StatusOr<Flat> grpc =
          GrpcResults(**loaded, pair.signature, method, *examples);
      auto document = JsonDocument::Parse(buffer.GetString());
      ASSERT_TRUE(document.ok()) << document.status();
      absl::StatusOr<std::string> answer =
          method == ExampleMethod::kRegress
              ? JsonRegress((*loaded)->signatures(), **document,
                            SignatureCheckOptions(), RunOptions())
              : JsonClassify((*loaded)->signatures(), **document,
                             SignatureCheckOptions(), RunOptions());
      if (!grpc.ok()) {
        EXPECT_FALSE(answer.ok()) << where << ": gRPC failed with "
                                  << grpc.status() << " but REST answered";
        if (!answer.ok()) {
          EXPECT_EQ(answer.status().code(), grpc.status().code())
              << where << ": " << answer.status() << " vs " << grpc.status();
        }
        continue;
      }
      ASSERT_TRUE(answer.ok()) << where << ": " << answer.status();
      absl::StatusOr<Flat> rest = ReadResults(*answer, method);
      ASSERT_TRUE(rest.ok()) << where << ": " << rest.status() << "\n"
                             << *answer;
      EXPECT_TRUE(*rest == *grpc) << where << "\n  REST: " << Describe(*rest)
                                  << "\n  gRPC: " << Describe(*grpc);
    }
  }
  std::cout << "[ summary  ] " << model << ": " << run
            << " Classify/Regress pairs through REST\n";
  if (model == "tfs_half_plus_two_cpu") {
    EXPECT_GT(run, 0);
  }
}

INSTANTIATE_TEST_SUITE_P(Corpus, RestExamplesTest,
                         ::testing::ValuesIn(AllModels()),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace model_server
