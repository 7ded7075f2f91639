// The frozen-graph corpus: every graph of ../shared/frozen/ (1,173 real
// TensorFlow 1.x frozen GraphDefs with TensorFlow's inputs and outputs; see
// its README.md) runs in-process and is compared with TensorFlow's outputs.
//
//   FrozenGraphs.MatchTensorFlowExceptKnownFailures
//     runs every graph (frozen_run.h), prints the summary (pass rates,
//     failures by class, missing ops, failures by category), writes
//       build/tests/corpus/frozen_graphs_results.tsv   (every graph's result)
//       build/tests/corpus/frozen_known_failures.txt   (a fresh list)
//     and fails on any difference from tests/corpus/frozen_known_failures.txt
//     (frozen_known_failures.h): a graph that newly fails, or a listed graph
//     that now passes.
//
// Without ../shared/frozen the test skips, saying so.
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <system_error>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/time/clock.h"
#include "gtest/gtest.h"
#include "tests/corpus/frozen_known_failures.h"
#include "tests/corpus/frozen_reference.h"
#include "tests/corpus/frozen_report.h"
#include "tests/corpus/frozen_run.h"
#include "tests/testing/test_paths.h"

namespace model_server {
namespace {

// A graph that runs longer than this is broken, not slow (the whole corpus
// takes seconds).
constexpr absl::Duration kGraphDeadline = absl::Seconds(60);

std::string KnownFailuresPath() {
  return testing::SourceDir() + "/tests/corpus/frozen_known_failures.txt";
}

std::string OutputDir() { return testing::BinaryDir() + "/tests/corpus"; }

void WriteOutputFile(const std::string& name, const std::string& contents) {
  std::error_code error;
  std::filesystem::create_directories(OutputDir(), error);
  const std::string path = OutputDir() + "/" + name;
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << contents;
  EXPECT_TRUE(out.good()) << "cannot write " << path;
}

TEST(FrozenGraphs, MatchTensorFlowExceptKnownFailures) {
  const std::string root = FrozenCorpusDir();
  const std::vector<std::string> names = ListFrozenGraphs(root);
  if (names.empty()) {
    GTEST_SKIP() << "SKIPPED: no frozen-graph corpus at " << root
                 << " (../shared/frozen beside the repository)";
  }
  std::ifstream list_file(KnownFailuresPath());
  ASSERT_TRUE(list_file) << "cannot open " << KnownFailuresPath();
  std::stringstream list_text;
  list_text << list_file.rdbuf();
  absl::StatusOr<KnownFailures> known = ParseKnownFailures(list_text.str());
  ASSERT_TRUE(known.ok()) << KnownFailuresPath() << ": " << known.status();

  const absl::Time start = absl::Now();
  std::vector<FrozenGraphResult> results;
  for (const std::string& name : names) {
    absl::StatusOr<FrozenGraphReference> graph =
        ReadFrozenReference(root, name);
    if (!graph.ok()) {
      FrozenGraphResult unreadable;
      unreadable.name = name;
      unreadable.category = FrozenGraphCategory(name);
      unreadable.failure = FrozenFailure::kCorpusError;
      unreadable.detail = std::string(graph.status().message());
      results.push_back(unreadable);
      continue;
    }
    results.push_back(RunFrozenGraph(*graph, kGraphDeadline));
  }
  const double seconds = absl::ToDoubleSeconds(absl::Now() - start);

  WriteOutputFile("frozen_graphs_results.tsv",
                  FormatFrozenResultsTable(results));
  WriteOutputFile("frozen_known_failures.txt", FormatKnownFailures(results));
  std::cout << FormatFrozenSummary(results)
            << absl::StrFormat("Ran %d graphs from %s in %.1f s.\n",
                               static_cast<int>(results.size()), root, seconds)
            << "Per-graph results: " << OutputDir()
            << "/frozen_graphs_results.tsv\n";

  const RatchetVerdict verdict = CompareWithKnownFailures(results, *known);
  const std::string regenerate = absl::StrCat(
      "If intended, regenerate the list (its header says how): cp ",
      OutputDir(), "/frozen_known_failures.txt ", KnownFailuresPath());
  EXPECT_TRUE(verdict.regressions.empty())
      << verdict.regressions.size()
      << " graph(s) fail that tests/corpus/frozen_known_failures.txt does "
         "not list with that class:\n  "
      << absl::StrJoin(verdict.regressions, "\n  ") << "\n"
      << regenerate;
  EXPECT_TRUE(verdict.lines_to_remove.empty())
      << verdict.lines_to_remove.size()
      << " graph(s) listed in tests/corpus/frozen_known_failures.txt now "
         "pass or no longer exist. Remove these lines:\n"
      << absl::StrJoin(verdict.lines_to_remove, "\n") << "\n"
      << regenerate;
}

}  // namespace
}  // namespace model_server
