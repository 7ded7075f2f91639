// Runtime Tensors into JSON, straight from the tensor's buffer, as TF
// Serving's util/json_tensor.cc writes them (AddTensorValues): a scalar as a
// bare value, otherwise nested lists; numbers as json_writer.h says; strings
// as JSON strings, or {"b64": ...} when the output alias ends in "_bytes"
// (TF Serving's convention) or, beyond TF Serving, when the bytes are not
// valid UTF-8 (TF Serving would write them raw, which is not JSON).
#ifndef MODEL_SERVER_DAEMON_REST_JSON_TENSOR_ENCODE_H_
#define MODEL_SERVER_DAEMON_REST_JSON_TENSOR_ENCODE_H_

#include <cstdint>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "daemon/rest/json_writer.h"
#include "runtime/tensor.h"

namespace model_server {

// True when an output named `alias` of `dtype` is written as base64.
bool IsBytesOutput(absl::string_view alias, DataType dtype);

// Writes the part of `tensor` from dimension `first_dim` on, starting at
// element *offset and advancing it: first_dim 0 writes the whole tensor,
// first_dim 1 one row of a batch. Fails with INVALID_ARGUMENT for dtypes
// JSON cannot carry (complex, resource, variant).
absl::Status WriteTensorJson(const Tensor& tensor, int first_dim,
                             bool strings_as_base64, int64_t* offset,
                             JsonWriter* writer);

}  // namespace model_server

#endif  // MODEL_SERVER_DAEMON_REST_JSON_TENSOR_ENCODE_H_
