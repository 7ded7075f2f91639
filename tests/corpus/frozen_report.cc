#include "tests/corpus/frozen_report.h"

#include <algorithm>
#include <map>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"

namespace model_server {
namespace {

// (key, count) pairs, most frequent first, ties by key.
std::vector<std::pair<std::string, int>> ByCount(
    const std::map<std::string, int>& counts) {
  std::vector<std::pair<std::string, int>> sorted(counts.begin(), counts.end());
  std::stable_sort(
      sorted.begin(), sorted.end(),
      [](const auto& a, const auto& b) { return a.second > b.second; });
  return sorted;
}

// "a 3, b 2, ..." wrapped into lines of about 96 columns, each indented.
std::string WrappedCounts(
    const std::vector<std::pair<std::string, int>>& counts) {
  std::string out;
  std::string line = "  ";
  for (size_t i = 0; i < counts.size(); ++i) {
    std::string item = absl::StrCat(counts[i].first, " ", counts[i].second,
                                    i + 1 < counts.size() ? "," : "");
    if (line.size() > 2 && line.size() + 1 + item.size() > 96) {
      absl::StrAppend(&out, line, "\n");
      line = "  ";
    }
    absl::StrAppend(&line, line.size() > 2 ? " " : "", item);
  }
  if (line.size() > 2) absl::StrAppend(&out, line, "\n");
  return out;
}

std::string Percent(int part, int whole) {
  return whole == 0 ? "n/a" : absl::StrFormat("%.1f%%", 100.0 * part / whole);
}

}  // namespace

FrozenPassCounts CountFrozenPasses(
    const std::vector<FrozenGraphResult>& results) {
  FrozenPassCounts counts;
  for (const FrozenGraphResult& result : results) {
    if (result.deterministic) {
      ++counts.deterministic;
      counts.deterministic_passed += result.passed();
    } else {
      ++counts.nondeterministic;
      counts.nondeterministic_passed += result.passed();
    }
  }
  return counts;
}

std::string FormatFrozenSummary(const std::vector<FrozenGraphResult>& results) {
  const FrozenPassCounts counts = CountFrozenPasses(results);
  std::map<std::string, int> by_class;
  std::map<std::string, int> missing_ops;
  struct Category {
    int graphs = 0;
    int failed = 0;
    std::map<std::string, int> classes;
  };
  std::map<std::string, Category> categories;
  for (const FrozenGraphResult& result : results) {
    Category& category = categories[result.category];
    ++category.graphs;
    if (result.passed()) continue;
    const std::string name(FrozenFailureName(result.failure));
    ++by_class[name];
    ++category.failed;
    ++category.classes[name];
    for (const std::string& op : result.missing_ops) ++missing_ops[op];
  }

  std::string out = absl::StrFormat(
      "Frozen-graph corpus: %d graphs\n"
      "  deterministic:     %4d passed, %4d failed of %4d (%s pass)\n"
      "  non-deterministic: %4d passed, %4d failed of %4d (dtype and shape "
      "checked only)\n",
      static_cast<int>(results.size()), counts.deterministic_passed,
      counts.deterministic - counts.deterministic_passed, counts.deterministic,
      Percent(counts.deterministic_passed, counts.deterministic),
      counts.nondeterministic_passed,
      counts.nondeterministic - counts.nondeterministic_passed,
      counts.nondeterministic);
  if (by_class.empty()) return out;

  absl::StrAppend(&out, "Failures by class:\n",
                  WrappedCounts(ByCount(by_class)));
  if (!missing_ops.empty()) {
    absl::StrAppend(&out, "Missing ops, by graphs needing each:\n",
                    WrappedCounts(ByCount(missing_ops)));
  }
  std::map<std::string, int> failed_per_category;
  for (const auto& [name, category] : categories) {
    if (category.failed > 0) failed_per_category[name] = category.failed;
  }
  absl::StrAppend(&out, "Failures by category (failed/graphs: classes):\n");
  for (const auto& [name, failed] : ByCount(failed_per_category)) {
    const Category& category = categories[name];
    std::vector<std::string> classes;
    for (const auto& [cls, n] : ByCount(category.classes)) {
      classes.push_back(absl::StrCat(cls, " ", n));
    }
    absl::StrAppend(
        &out, absl::StrFormat("  %-34s %3d/%-3d %s\n", name, failed,
                              category.graphs, absl::StrJoin(classes, ", ")));
  }
  return out;
}

std::string FormatFrozenResultsTable(
    const std::vector<FrozenGraphResult>& results) {
  std::vector<const FrozenGraphResult*> sorted;
  for (const FrozenGraphResult& result : results) sorted.push_back(&result);
  std::sort(sorted.begin(), sorted.end(),
            [](const FrozenGraphResult* a, const FrozenGraphResult* b) {
              return a->name < b->name;
            });
  std::string out = "name\tcategory\tdeterministic\tresult\tdetail\n";
  for (const FrozenGraphResult* result : sorted) {
    absl::StrAppend(&out, result->name, "\t", result->category, "\t",
                    result->deterministic ? "yes" : "no", "\t",
                    FrozenFailureName(result->failure), "\t", result->detail,
                    "\n");
  }
  return out;
}

}  // namespace model_server
