// Limits on the tensors one request sends, checked from the declared shape
// before anything is allocated. TensorFlow's TensorProto decoding repeats the
// last value over the shape, so a proto of a few bytes can declare a tensor
// of gigabytes; JSON arrives as a document already in memory, but its tensor
// still counts. The limits travel in RunOptions (the daemon sets them from
// --max_tensor_elements and --max_request_tensor_bytes):
//   - one tensor may hold at most RunOptions::max_tensor_elements elements;
//   - the request's tensors together may take at most
//     RunOptions::max_request_tensor_bytes bytes (element size x count;
//     a string element counts as sizeof(std::string), its payload already
//     counted by the request size limit).
// Both fail with RESOURCE_EXHAUSTED naming the input alias, what was sent
// and the limit with its flag.
#ifndef MODEL_SERVER_SIGNATURES_REQUEST_LIMITS_H_
#define MODEL_SERVER_SIGNATURES_REQUEST_LIMITS_H_

#include <cstdint>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "runtime/data_type.h"
#include "runtime/executor.h"
#include "runtime/tensor_shape.h"

namespace model_server {

// Counts the request's tensors against the limits in `options` (which must
// outlive the budget). Not thread-safe: one per request.
class RequestTensorBudget {
 public:
  explicit RequestTensorBudget(const RunOptions& options) : options_(options) {}

  // Adds the input `alias` of `dtype` and `shape`; fails (and adds nothing)
  // past either limit.
  absl::Status Charge(absl::string_view alias, DataType dtype,
                      const TensorShape& shape);

 private:
  const RunOptions& options_;
  int64_t bytes_ = 0;
};

}  // namespace model_server

#endif  // MODEL_SERVER_SIGNATURES_REQUEST_LIMITS_H_
