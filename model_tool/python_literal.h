// The Python expressions saved_model_cli's --input_exprs and
// --input_examples take, for the common case that needs no Python: nested
// lists and tuples of numbers, strings ('a', "b") and True/False, dicts of
// them, and np.array(X), np.zeros(shape), np.ones(shape).
#ifndef MODEL_SERVER_MODEL_TOOL_PYTHON_LITERAL_H_
#define MODEL_SERVER_MODEL_TOOL_PYTHON_LITERAL_H_

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "runtime/tensor.h"

namespace model_server {

struct PyValue {
  enum class Kind { kInt, kFloat, kString, kBool, kList, kDict };
  Kind kind = Kind::kInt;
  int64_t int_value = 0;
  double float_value = 0;
  bool bool_value = false;
  std::string string_value;
  std::vector<PyValue> items;                            // kList
  std::vector<std::pair<std::string, PyValue>> entries;  // kDict
};

// Parses `text`. Fails with INVALID_ARGUMENT pointing at the offending
// position and saying what is understood.
absl::StatusOr<PyValue> ParsePythonLiteral(absl::string_view text);

// A (nested, rectangular) list or scalar as a tensor of `dtype`, as numpy
// would make it and TensorFlow convert it for a placeholder of that dtype.
// DT_INVALID picks numpy's own: int64, float64, bool or string.
absl::StatusOr<Tensor> TensorFromPyValue(const PyValue& value, DataType dtype);

// A list of {feature: [values]} dicts as serialized tf.Examples, DT_STRING
// [N] (floats become float_list, ints int64_list, strings bytes_list, by
// the first value, as saved_model_cli does).
absl::StatusOr<Tensor> ExamplesFromPyValue(const PyValue& value);

}  // namespace model_server

#endif  // MODEL_SERVER_MODEL_TOOL_PYTHON_LITERAL_H_
