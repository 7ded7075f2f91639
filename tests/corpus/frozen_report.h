// What the frozen-graph corpus test prints and writes: a summary (pass
// rates, failures by class, the missing-op histogram, failures by category)
// and the per-graph results table.
#ifndef MODEL_SERVER_TESTS_CORPUS_FROZEN_REPORT_H_
#define MODEL_SERVER_TESTS_CORPUS_FROZEN_REPORT_H_

#include <string>
#include <vector>

#include "tests/corpus/frozen_run.h"

namespace model_server {

struct FrozenPassCounts {
  int deterministic = 0;
  int deterministic_passed = 0;
  int nondeterministic = 0;
  int nondeterministic_passed = 0;
};

FrozenPassCounts CountFrozenPasses(
    const std::vector<FrozenGraphResult>& results);

// The human-readable summary, ending in a newline.
std::string FormatFrozenSummary(const std::vector<FrozenGraphResult>& results);

// Tab-separated, one row per graph in name order, with a header row:
// name, category, deterministic (yes/no), result (pass or the failure
// class), detail. Holds nothing that changes between runs, so two tables
// diff cleanly.
std::string FormatFrozenResultsTable(
    const std::vector<FrozenGraphResult>& results);

}  // namespace model_server

#endif  // MODEL_SERVER_TESTS_CORPUS_FROZEN_REPORT_H_
