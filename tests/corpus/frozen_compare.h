// Comparing a fetched tensor with TensorFlow's, as ../shared/frozen/README.md
// says: dtype and shape exactly; integers, bools and strings equal; floating
// values within atol + rtol * |want|, NaN equal to NaN and infinities exact.
#ifndef MODEL_SERVER_TESTS_CORPUS_FROZEN_COMPARE_H_
#define MODEL_SERVER_TESTS_CORPUS_FROZEN_COMPARE_H_

#include <optional>
#include <string>

#include "runtime/tensor.h"
#include "tests/corpus/gold_tensor.h"

namespace model_server {

struct OutputMismatch {
  enum class Kind { kDtypeOrShape, kValue };
  Kind kind = Kind::kValue;
  // kDtypeOrShape: "got float [2,3], want double [2,3]".
  // kValue: "element 5 [1,2]: got 0.5, want 0.25 (2 of 6 elements differ)".
  std::string description;
};

// nullopt when `got` matches `want`. With `check_values` false (graphs
// TensorFlow computes non-deterministically) only dtype and shape count.
std::optional<OutputMismatch> CompareWithTensorFlow(const Tensor& got,
                                                    const Tensor& want,
                                                    const Tolerance& tolerance,
                                                    bool check_values = true);

}  // namespace model_server

#endif  // MODEL_SERVER_TESTS_CORPUS_FROZEN_COMPARE_H_
