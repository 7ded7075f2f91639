// Inputs for `model_tool benchmark`: random values of a signature's input
// dtypes and shapes at a chosen batch size, or arrays read from .npy files.
#ifndef MODEL_SERVER_MODEL_TOOL_BENCHMARK_INPUTS_H_
#define MODEL_SERVER_MODEL_TOOL_BENCHMARK_INPUTS_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "runtime/tensor.h"
#include "signatures/signature.h"

namespace model_server {

// One tensor per signature input, in inputs() order: dtype from the graph's
// placeholder (else the TensorInfo), shape from the TensorInfo with every
// unknown dimension (-1) set to `batch`. Floats are uniform in [0, 1),
// integers in [0, 10), bools random; the same `seed` gives the same values.
// INVALID_ARGUMENT, naming the input, for an unknown rank or a dtype without
// random values (strings, resources): these need .npy inputs.
absl::StatusOr<std::vector<Tensor>> RandomSignatureInputs(
    const Signature& signature, int64_t batch, uint32_t seed = 1);

// The inputs `--inputs` names ("key=file.npy;key2=file2.npy"), in inputs()
// order. INVALID_ARGUMENT for a malformed item, a key the signature does not
// have, or an input left without a file; the reader's error for a bad file.
absl::StatusOr<std::vector<Tensor>> NpyInputs(const Signature& signature,
                                              const std::string& spec);

}  // namespace model_server

#endif  // MODEL_SERVER_MODEL_TOOL_BENCHMARK_INPUTS_H_
