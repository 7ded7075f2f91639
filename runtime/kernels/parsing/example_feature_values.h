// Where a configured feature's values go and how they are read, shared by
// the batch (example_batch_parser.cc) and single-example
// (example_single_parser.cc) paths of the tf.Example parser. Internal to the
// parsing kernels.
#ifndef MODEL_SERVER_RUNTIME_KERNELS_PARSING_EXAMPLE_FEATURE_VALUES_H_
#define MODEL_SERVER_RUNTIME_KERNELS_PARSING_EXAMPLE_FEATURE_VALUES_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "runtime/data_type.h"
#include "runtime/kernels/parsing/example_parser.h"
#include "runtime/tensor.h"

namespace model_server {
namespace example_parsing {

// Where a configured key's values go.
enum class Kind : uint8_t { kDense, kSparse, kRagged };
struct Slot {
  Kind kind;
  int index;
};
using FeatureIndex = absl::flat_hash_map<absl::string_view, Slot>;

// TensorFlow indexes the configured keys in a hash map that refuses
// duplicates and reports them with this INTERNAL error at run time.
absl::Status BuildIndex(const ExampleParserConfig& config, FeatureIndex* index);

// How TensorFlow names a list type in value-count errors.
const char* ListTypeName(DataType dtype);

// The values of one variable-length feature (sparse, ragged or
// variable-length dense) for a run of examples: the values back to back, and
// after each example the running count. Byte values point into the
// serialized input, which outlives the parse.
struct ValueBuffer {
  std::vector<float> floats;
  std::vector<int64_t> int64s;
  std::vector<absl::string_view> bytes;
  std::vector<size_t> example_ends;

  size_t size(DataType dtype) const {
    switch (dtype) {
      case DT_FLOAT:
        return floats.size();
      case DT_INT64:
        return int64s.size();
      default:
        return bytes.size();
    }
  }
  // Records the end of the current example.
  void EndExample(DataType dtype) { example_ends.push_back(size(dtype)); }
};

// Appends one feature's values to `buffer`; false if malformed.
bool AppendValues(DataType dtype, absl::string_view feature,
                  ValueBuffer* buffer);

// Parses one feature into a fixed number of elements at `out` (TensorFlow's
// LimitedArraySlice). Returns false if malformed; `*count` is the number of
// values the feature holds (or, for bytes, at most `n`).
bool ParseFixed(DataType dtype, absl::string_view feature, void* out, size_t n,
                size_t* count);

// Element `i` of `t` as an untyped pointer (float, int64 or string).
void* ElementPtr(Tensor& t, int64_t i);

void CopyDefault(const Tensor& from, Tensor& to, int64_t offset);

// Copies buffer values [start, end) to `out` from element `offset`.
void CopyValues(DataType dtype, const ValueBuffer& buffer, size_t start,
                size_t end, Tensor& out, int64_t offset);

}  // namespace example_parsing
}  // namespace model_server

#endif  // MODEL_SERVER_RUNTIME_KERNELS_PARSING_EXAMPLE_FEATURE_VALUES_H_
