// Helpers for the string kernel tests: run a one-input string op.
#ifndef MODEL_SERVER_TESTS_RUNTIME_KERNELS_STRINGS_STRING_TEST_UTIL_H_
#define MODEL_SERVER_TESTS_RUNTIME_KERNELS_STRINGS_STRING_TEST_UTIL_H_

#include <string>
#include <vector>

#include "tests/testing/kernel_harness.h"

namespace model_server {

inline Tensor Strings(std::vector<std::string> values) {
  return Tensor::Vector<std::string>(std::move(values));
}

// Output 0 of `k` run on `inputs`.
inline absl::StatusOr<Tensor> RunFirst(KernelHarness& k,
                                       const std::vector<Tensor>& inputs) {
  auto out = k.Run(inputs);
  if (!out.ok()) return out.status();
  return out->at(0);
}

}  // namespace model_server

#endif  // MODEL_SERVER_TESTS_RUNTIME_KERNELS_STRINGS_STRING_TEST_UTIL_H_
