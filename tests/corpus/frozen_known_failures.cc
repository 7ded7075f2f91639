#include "tests/corpus/frozen_known_failures.h"

#include <set>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"

namespace model_server {
namespace {

constexpr absl::string_view kHeader =
    R"(# Graphs of ../shared/frozen/ that fail today: "<name> <class>" per line.
#
# Read by FrozenGraphs.MatchTensorFlowExceptKnownFailures
# (tests/corpus/frozen_graphs_test.cc). That test fails when a graph fails
# that is not listed here or fails with another class (a regression), and
# when a listed graph passes (remove its line: the list shrinks as ops land).
# Classes: missing-op, unsupported-attr/dtype, compile-error, run-error,
# wrong-shape/dtype, wrong-value, corpus-error. The details of each failure
# are in build/tests/corpus/frozen_graphs_results.tsv.
#
# Generated, not edited by hand. After making graphs pass, regenerate with:
#   cmake --build build -j2 --target corpus_test
#   build/tests/corpus_test --gtest_filter='FrozenGraphs.*'
#   cp build/tests/corpus/frozen_known_failures.txt tests/corpus/
)";

std::string Line(const std::string& name, FrozenFailure failure) {
  return absl::StrCat(name, " ", FrozenFailureName(failure));
}

}  // namespace

absl::StatusOr<KnownFailures> ParseKnownFailures(absl::string_view text) {
  KnownFailures known;
  int number = 0;
  for (absl::string_view line : absl::StrSplit(text, '\n')) {
    ++number;
    line = absl::StripAsciiWhitespace(line.substr(0, line.find('#')));
    if (line.empty()) continue;
    std::vector<absl::string_view> fields =
        absl::StrSplit(line, ' ', absl::SkipEmpty());
    FrozenFailure failure;
    if (fields.size() != 2 || !ParseFrozenFailure(fields[1], &failure) ||
        failure == FrozenFailure::kNone) {
      return absl::InvalidArgumentError(absl::StrCat(
          "line ", number, " is not \"<graph> <failure class>\": ", line));
    }
    if (!known.emplace(std::string(fields[0]), failure).second) {
      return absl::InvalidArgumentError(
          absl::StrCat("line ", number, " repeats ", fields[0]));
    }
  }
  return known;
}

std::string FormatKnownFailures(const std::vector<FrozenGraphResult>& results) {
  std::map<std::string, FrozenFailure> failing;
  for (const FrozenGraphResult& result : results) {
    if (!result.passed()) failing[result.name] = result.failure;
  }
  std::string out(kHeader);
  for (const auto& [name, failure] : failing) {
    absl::StrAppend(&out, Line(name, failure), "\n");
  }
  return out;
}

RatchetVerdict CompareWithKnownFailures(
    const std::vector<FrozenGraphResult>& results, const KnownFailures& known) {
  RatchetVerdict verdict;
  std::set<std::string> seen;
  for (const FrozenGraphResult& result : results) {
    seen.insert(result.name);
    auto listed = known.find(result.name);
    if (result.passed()) {
      if (listed != known.end()) {
        verdict.lines_to_remove.push_back(Line(result.name, listed->second));
      }
      continue;
    }
    if (listed != known.end() && listed->second == result.failure) continue;
    verdict.regressions.push_back(absl::StrCat(
        result.name, ": ", FrozenFailureName(result.failure), " (",
        result.detail, "), ",
        listed == known.end()
            ? std::string("not listed")
            : absl::StrCat("listed as ", FrozenFailureName(listed->second))));
  }
  for (const auto& [name, failure] : known) {
    if (seen.count(name) == 0) {
      verdict.lines_to_remove.push_back(Line(name, failure));
    }
  }
  return verdict;
}

}  // namespace model_server
