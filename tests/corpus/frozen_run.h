// Running one graph of the frozen-graph corpus in-process and saying why it
// fails: GraphDef -> Graph -> Plan (feeds: the placeholders of
// reference.json; fetches: its `node:k` outputs) -> run -> compare with
// TensorFlow's outputs (frozen_compare.h).
#ifndef MODEL_SERVER_TESTS_CORPUS_FROZEN_RUN_H_
#define MODEL_SERVER_TESTS_CORPUS_FROZEN_RUN_H_

#include <set>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "tests/corpus/frozen_reference.h"

namespace model_server {

// Why a graph fails, from the first problem met. The names are what the
// results table and frozen_known_failures.txt say.
enum class FrozenFailure {
  kNone,
  kMissingOp,             // "missing-op": the plan compiler lacks ops
  kUnsupportedAttrDtype,  // "unsupported-attr/dtype": a kernel refused
  kCompileError,          // "compile-error": any other compile failure
  kRunError,              // "run-error": the run failed
  kWrongShapeDtype,       // "wrong-shape/dtype": an output's dtype or shape
  kWrongValue,            // "wrong-value": an output's values
  kCorpusError,           // "corpus-error": the corpus files are unreadable
};

absl::string_view FrozenFailureName(FrozenFailure failure);
// Sets `failure` to the class FrozenFailureName calls `name`; false when
// `name` names no failure class.
bool ParseFrozenFailure(absl::string_view name, FrozenFailure* failure);

struct FrozenGraphResult {
  std::string name;
  std::string category;
  bool deterministic = true;
  FrozenFailure failure = FrozenFailure::kNone;
  // One line: the missing ops ("Bitcast,Roll"), the error, or
  // "<output>: <mismatch>".
  std::string detail;
  std::set<std::string> missing_ops;

  bool passed() const { return failure == FrozenFailure::kNone; }
};

// The failure class and detail of a plan that did not compile.
void ClassifyCompileFailure(const absl::Status& status,
                            FrozenGraphResult* result);

// Runs `graph`; a run still going after `deadline` fails as a run-error.
FrozenGraphResult RunFrozenGraph(const FrozenGraphReference& graph,
                                 absl::Duration deadline);

}  // namespace model_server

#endif  // MODEL_SERVER_TESTS_CORPUS_FROZEN_RUN_H_
