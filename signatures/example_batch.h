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

#include "absl/status/statusor.h"
#include "model_server/serialized_input.pb.h"
#include "runtime/tensor.h"

namespace model_server {

// Builds the batch, moving the example bytes out of `input` (which is left
// with empty examples). Fails with INVALID_ARGUMENT "Input is empty." when
// `input` names no kind or holds no examples.
absl::StatusOr<Tensor> TakeSerializedExamples(SerializedInput* input);

}  // namespace model_server

#endif  // MODEL_SERVER_SIGNATURES_EXAMPLE_BATCH_H_
