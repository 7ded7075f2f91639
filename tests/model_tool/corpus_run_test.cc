// model_tool run reproduces the gold pairs of ../shared/models from .npy
// inputs (--inputs, outputs read back from --outdir) and from Python
// literals (--input_exprs), for every pair a fresh load of the SavedModel
// reproduces (tfs_counter's pairs are a sequence on one load: only its
// first pair stands alone). Skips, saying so, without ../shared.
#include <filesystem>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "gtest/gtest.h"
#include "tests/corpus/corpus_models.h"
#include "tests/corpus/gold_pairs.h"
#include "tests/model_tool/corpus_params.h"
#include "tests/model_tool/tool_runner.h"
#include "tests/testing/scoped_temp_dir.h"
#include "tools/npy/npy.h"

namespace model_server {
namespace {

// `gold` as a Python literal, or "" when it has strings (those go by .npy).
std::string Literal(const GoldTensor& gold) {
  if (gold.kind == GoldTensor::Kind::kString || !gold.shape.has_value()) {
    return "";
  }
  std::vector<std::string> leaves;
  for (int64_t i = 0; i < gold.size(); ++i) {
    if (gold.kind == GoldTensor::Kind::kBool) {
      leaves.push_back(gold.bools[i] ? "True" : "False");
    } else if (gold.is_integer[i]) {
      leaves.push_back(absl::StrCat(gold.integers[i]));
    } else {
      leaves.push_back(absl::StrFormat("%.17g", gold.numbers[i]));
    }
  }
  // Nest by the shape, innermost first.
  const std::vector<int64_t>& dims = *gold.shape;
  for (int d = static_cast<int>(dims.size()) - 1; d >= 0; --d) {
    std::vector<std::string> grouped;
    const int64_t n = dims[d];
    for (size_t i = 0; i<leaves.size(); i += n> 0 ? n : 1) {
      std::vector<std::string> items(
          leaves.begin() + i,
          leaves.begin() + std::min(leaves.size(), static_cast<size_t>(i + n)));
      grouped.push_back("[" + absl::StrJoin(items, ", ") + "]");
      if (n == 0) break;
    }
    if (n == 0 && leaves.empty()) grouped = {"[]"};
    leaves = grouped;
  }
  return leaves.empty() ? "" : leaves[0];
}

class RunReproducesGold : public ::testing::TestWithParam<std::string> {};

TEST_P(RunReproducesGold, FromNpyFilesAndInputExprs) {
  const std::string model = GetParam();
  if (model == testing::kNoCorpus)
    GTEST_SKIP() << "../shared/models is not present";
  auto groups = ReadModelGold(ModelsDir(), model);
  ASSERT_TRUE(groups.ok()) << groups.status();
  ScopedTempDir temp;
  int checked = 0, pair_number = 0;
  for (const PairGroup& group : *groups) {
    const std::string dir = ModelsDir() + "/" + model + "/" + group.version;
    bool first = true;
    for (const GoldPair& pair : group.pairs) {
      if (!pair.skip_reason.empty() || pair.use_output_filter) continue;
      const bool standalone = first || model != "tfs_counter";
      first = false;
      if (!standalone) continue;
      auto loaded = LoadVersion(model, group.version);
      if (!loaded.ok()) break;  // the corpus tests report models that fail
      const std::string case_dir = temp.Child(absl::StrCat(++pair_number));
      std::filesystem::create_directories(case_dir);
      std::vector<std::string> files, exprs;
      bool literal_ok = true;
      for (const auto& [alias, gold] : pair.inputs) {
        auto tensor = ToTensor(gold, testing::SignatureInputDtype(
                                         **loaded, pair.signature, alias));
        ASSERT_TRUE(tensor.ok()) << tensor.status();
        const std::string file = case_dir + "/in_" + alias + ".npy";
        ASSERT_TRUE(WriteNpyFile(*tensor, file).ok());
        files.push_back(alias + "=" + file);
        std::string literal = Literal(gold);
        if (literal.empty()) literal_ok = false;
        exprs.push_back(alias + "=" + literal);
      }
      const std::string tags = absl::StrJoin(ServingTags(model, dir), ",");
      const std::string signature =
          pair.signature.empty() ? "serving_default" : pair.signature;
      std::vector<std::vector<std::string>> runs = {
          {"--inputs", absl::StrJoin(files, ";"), "--outdir",
           case_dir + "/npy_out"}};
      if (literal_ok) {
        runs.push_back({"--input_exprs", absl::StrJoin(exprs, ";"), "--outdir",
                        case_dir + "/expr_out"});
      }
      for (std::vector<std::string> args : runs) {
        const std::string outdir = args.back();
        args.insert(args.begin(), {"--dir", dir, "--tag_set", tags,
                                   "--signature_def", signature});
        auto run = testing::RunTool("run", args);
        ASSERT_EQ(run.code, 0) << pair.origin << ": " << run.err;
        for (const auto& [alias, gold] : pair.outputs) {
          EXPECT_NE(run.out.find("Result for output key " + alias + ":"),
                    std::string::npos)
              << run.out;
          auto actual = ReadNpyFile(outdir + "/" + alias + ".npy");
          ASSERT_TRUE(actual.ok()) << actual.status();
          EXPECT_EQ(MatchTensor(*actual, gold), "")
              << pair.origin << " " << args[6] << " output " << alias;
        }
        ++checked;
      }
    }
  }
  std::cout << "[ run      ] " << model << ": " << checked
            << " model_tool run calls matched gold\n";
}

INSTANTIATE_TEST_SUITE_P(Corpus, RunReproducesGold,
                         ::testing::ValuesIn(testing::CorpusModelsOrNone()));

}  // namespace
}  // namespace model_server
