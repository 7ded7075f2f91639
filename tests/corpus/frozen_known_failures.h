// The ratchet over the frozen-graph corpus: tests/corpus/
// frozen_known_failures.txt lists every graph that fails today with its
// failure class, one "<name> <class>" per line ('#' starts a comment).
//
// The corpus test fails when a graph fails that the list does not name, or
// fails with another class than listed (a regression), and when the list
// names a graph that passes or does not exist (the list must stay tight:
// whoever makes a graph pass removes its line). The test writes a fresh list
// into the build tree (FormatKnownFailures) to copy over the checked-in one.
#ifndef MODEL_SERVER_TESTS_CORPUS_FROZEN_KNOWN_FAILURES_H_
#define MODEL_SERVER_TESTS_CORPUS_FROZEN_KNOWN_FAILURES_H_

#include <map>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "tests/corpus/frozen_run.h"

namespace model_server {

// Graph name -> failure class.
using KnownFailures = std::map<std::string, FrozenFailure>;

// Parses the list. Fails with INVALID_ARGUMENT naming the line for a line
// that is not "<name> <class>", an unknown class, or a repeated name.
absl::StatusOr<KnownFailures> ParseKnownFailures(absl::string_view text);

// The list for `results`, with the header that explains it, in name order.
std::string FormatKnownFailures(const std::vector<FrozenGraphResult>& results);

struct RatchetVerdict {
  // "<name>: <class> (<detail>), not listed" or "..., listed as <class>".
  std::vector<std::string> regressions;
  // Exact lines of the list to delete: graphs that now pass or are gone.
  std::vector<std::string> lines_to_remove;

  bool ok() const { return regressions.empty() && lines_to_remove.empty(); }
};

RatchetVerdict CompareWithKnownFailures(
    const std::vector<FrozenGraphResult>& results, const KnownFailures& known);

}  // namespace model_server

#endif  // MODEL_SERVER_TESTS_CORPUS_FROZEN_KNOWN_FAILURES_H_
