// One graph of the frozen-graph corpus (../shared/frozen/, described in its
// README.md): where it is, what to feed, what TensorFlow fetched, and how
// closely to compare.
#ifndef MODEL_SERVER_TESTS_CORPUS_FROZEN_REFERENCE_H_
#define MODEL_SERVER_TESTS_CORPUS_FROZEN_REFERENCE_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "runtime/tensor.h"
#include "tests/corpus/gold_tensor.h"

namespace model_server {

// A placeholder to feed or a tensor TensorFlow fetched.
struct FrozenTensorSpec {
  // The Placeholder's node name (inputs) or "node:k" (outputs).
  std::string key;
  // TensorFlow's dtype: the Placeholder's or the producing op's.
  DataType dtype = DT_INVALID;
  std::vector<int64_t> shape;
  // Path of the .npy, relative to the graph's directory.
  std::string file;
  // The .npy's own dtype: float32 for a bfloat16 tensor, else `dtype`.
  DataType npy_dtype = DT_INVALID;
};

struct FrozenGraphReference {
  // The directory name, e.g. "rnn__lstmcell__dynamic_b2_...".
  std::string name;
  // The first component of the example's path ("rnn").
  std::string category;
  // The graph's directory.
  std::string dir;
  std::vector<FrozenTensorSpec> inputs;
  std::vector<FrozenTensorSpec> outputs;
  Tolerance tolerance;
  // False for graphs whose values TensorFlow does not define (random ops,
  // unsorted TopKV2, ...): only their dtypes and shapes are checked.
  bool deterministic = true;
  std::string note;
};

// ../shared/frozen.
std::string FrozenCorpusDir();

// The graphs under `root` (directories holding a reference.json), sorted.
// Empty when `root` does not exist.
std::vector<std::string> ListFrozenGraphs(const std::string& root);

// "rnn" for "rnn__lstmcell__dynamic": the part of `name` before the first
// "__" (the whole name when there is none).
std::string FrozenGraphCategory(const std::string& name);

// Reads <root>/<name>/reference.json. Fails with a message naming the file
// for a missing file, bad JSON or an unknown dtype.
absl::StatusOr<FrozenGraphReference> ReadFrozenReference(
    const std::string& root, const std::string& name);

// Reads the .npy of `spec` and checks it holds spec.npy_dtype and
// spec.shape; a bfloat16 tensor stored as float32 is converted back, and
// must be exact. Errors name the file.
absl::StatusOr<Tensor> ReadFrozenTensor(const FrozenGraphReference& graph,
                                        const FrozenTensorSpec& spec);

}  // namespace model_server

#endif  // MODEL_SERVER_TESTS_CORPUS_FROZEN_REFERENCE_H_
