// JSON values into runtime Tensors, with TF Serving's rules and error texts
// (util/json_tensor.cc; docs/research/tf_serving_behaviour.md section 10).
// Values are written straight into the tensor's buffer: no TensorProto.
//
// A tensor is a scalar or nested lists. Its shape is read by following the
// first element of each list ([[1,2],[3,4]] is [2,2]; [] is [0]); every
// other list must then have the size of its level and every leaf must sit
// at the deepest level, else INVALID_ARGUMENT ("Encountered list at
// unexpected size: 1 at level: 1 expected size: 2", ...). Leaves by dtype:
//   - float, double, half, bfloat16: any number (NaN/Infinity tokens too);
//     an integer beyond 2^24 (float) or 2^53 (double), or a value beyond the
//     type's range, is "Cannot convert JSON value: v to float without loss
//     of precision.";
//   - int8/16/32, uint8/16/32, int64, uint64: integer literals in range
//     (TF Serving would wrap out-of-range values of the narrow types; we
//     refuse them);
//   - bool: true/false;
//   - string: a JSON string, or {"b64": "<base64>"} for bytes.
// Any other JSON type is "JSON Value: v Type: T is not of expected type: d".
//
// Instantiated for SimdJsonValue and RapidJsonValue (json_document.h).
#ifndef MODEL_SERVER_DAEMON_REST_JSON_TENSOR_DECODE_H_
#define MODEL_SERVER_DAEMON_REST_JSON_TENSOR_DECODE_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "runtime/tensor.h"

namespace model_server {

// `value` as compact JSON for error messages, cut after about 256
// characters ("...").
template <typename JsonValue>
std::string JsonText(const JsonValue& value);

// True for {"b64": "<string>"}: one member, named b64, a string.
template <typename JsonValue>
bool IsBase64Object(const JsonValue& value);

// `value` as one tensor of `dtype` (the columnar "inputs" form).
template <typename JsonValue>
absl::StatusOr<Tensor> DecodeJsonTensor(const JsonValue& value, DataType dtype);

// Stacks the instances of one input (the row "instances" form) into one
// tensor of shape [num_instances, <shape of the first instance>]. Every
// instance must have the first one's shape: "Expecting tensor size: 2 but
// got: 3" or "Expecting shape [2] but got: [1,2]" otherwise.
class InstanceStacker {
 public:
  InstanceStacker(DataType dtype, int64_t num_instances)
      : dtype_(dtype), num_instances_(num_instances) {}

  // Decodes the next instance into the tensor.
  template <typename JsonValue>
  absl::Status Add(const JsonValue& value);

  // REQUIRES: num_instances Add calls succeeded.
  Tensor Finish() { return std::move(tensor_); }

 private:
  DataType dtype_;
  int64_t num_instances_;
  int64_t added_ = 0;
  std::vector<int64_t> instance_dims_;
  std::vector<int64_t> dims_;  // scratch: the current instance's
  int64_t instance_elements_ = 0;
  Tensor tensor_;
};

}  // namespace model_server

#endif  // MODEL_SERVER_DAEMON_REST_JSON_TENSOR_DECODE_H_
