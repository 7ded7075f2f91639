// The batch that Classify, Regress and MultiInference feed a signature: one
// DT_STRING tensor of shape [num_examples] holding each request tf.Example
// serialized, as TF Serving builds it (docs/research/tf_serving_behaviour.md
// section 5).
//
// With example_list_with_context, element i is the serialized context
// followed by serialized example i. Parsing that concatenation merges the two
// messages, and a repeated feature key keeps its last value, so an example's
// own feature wins over a context feature of the same name (TF Serving's
// behaviour too).
#ifndef MODEL_SERVER_SIGNATURES_EXAMPLE_BATCH_H_
#define MODEL_SERVER_SIGNATURES_EXAMPLE_BATCH_H_

#include <cstdint>

#include "absl/status/statusor.h"
#include "model_server/serialized_input.pb.h"
#include "runtime/tensor.h"

namespace model_server {

// The most bytes a batch may hold in all (the context counts once per
// example): a small request with a large context and many empty examples
// must not make the server allocate without bound.
inline constexpr int64_t kMaxExampleBatchBytes = int64_t{4} << 30;

// Builds the batch, moving the example bytes out of `input` (which is left
// with empty examples). Fails with
//   - INVALID_ARGUMENT "Input is empty." when `input` names no kind or holds
//     no examples;
//   - INVALID_ARGUMENT when the context is not a valid tf.Example (it is
//     parsed once, since its bytes are glued in front of every example);
//   - RESOURCE_EXHAUSTED when the batch would exceed kMaxExampleBatchBytes.
absl::StatusOr<Tensor> TakeSerializedExamples(SerializedInput* input);

}  // namespace model_server

#endif  // MODEL_SERVER_SIGNATURES_EXAMPLE_BATCH_H_
