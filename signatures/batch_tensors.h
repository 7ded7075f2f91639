// The tensor work of server-side batching: how many rows a request brings,
// joining several requests' inputs into one batch along dimension 0
// (padding as TF Serving's BatchingSession does), and cutting a batch's
// outputs back into one piece per request. Error texts are TF Serving's
// where clients may see them.
//
// Numeric and string tensors batch; resource and variant tensors do not.
#ifndef MODEL_SERVER_SIGNATURES_BATCH_TENSORS_H_
#define MODEL_SERVER_SIGNATURES_BATCH_TENSORS_H_

#include <cstdint>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/types/span.h"
#include "runtime/tensor.h"

namespace model_server {

// The rows a request brings: the 0th dimension every input shares.
// INVALID_ARGUMENT for no inputs, a scalar input, or inputs that disagree.
absl::StatusOr<int64_t> BatchRows(absl::Span<const Tensor* const> inputs);

// Whether two requests' inputs can be concatenated as they are: same
// dtypes and equal dimensions after the 0th (with `pad_variable_length`,
// equal ranks suffice).
bool CanShareBatch(absl::Span<const Tensor* const> a,
                   absl::Span<const Tensor* const> b, bool pad_variable_length);

// Joins input i of every request (`requests[r][i]`) into merged[i] along
// dimension 0, then appends copies of the last request's first row until
// the batch has `padded_rows` rows. With `pad_variable_length`, each
// request's tensor is first padded at the end of every non-batch
// dimension, with its own first element, to the largest size in the batch.
// REQUIRES: every request has the same number of inputs, BatchRows() of
// each succeeded, and padded_rows >= their sum.
absl::Status MergeBatchInputs(
    const std::vector<absl::Span<const Tensor* const>>& requests,
    int64_t padded_rows, bool pad_variable_length, std::vector<Tensor>* merged);

// Cuts `batched` along dimension 0 into pieces of `rows[i]` rows (the
// rows past their sum, padding, are dropped). FAILED_PRECONDITION when the
// output has no 0th dimension or it is not `batch_rows`.
absl::Status SplitBatchOutput(const Tensor& batched, int64_t batch_rows,
                              absl::Span<const int64_t> rows,
                              std::vector<Tensor>* pieces);

}  // namespace model_server

#endif  // MODEL_SERVER_SIGNATURES_BATCH_TENSORS_H_
