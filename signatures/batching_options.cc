#include "signatures/batching_options.h"

#include "absl/strings/str_cat.h"

namespace model_server {

absl::Status ValidateBatchingOptions(const BatchingOptions& options) {
  if (options.max_batch_size <= 0) {
    return absl::InvalidArgumentError(absl::StrCat(
        "max_batch_size must be positive; was ", options.max_batch_size));
  }
  if (options.batch_timeout_micros < 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("batch_timeout_micros must be non-negative; was ",
                     options.batch_timeout_micros));
  }
  if (options.max_enqueued_batches <= 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("max_enqueued_batches must be positive; was ",
                     options.max_enqueued_batches));
  }
  if (options.num_batch_threads < 0) {
    return absl::InvalidArgumentError(absl::StrCat(
        "num_batch_threads must be positive; was ", options.num_batch_threads));
  }
  const std::vector<int64_t>& allowed = options.allowed_batch_sizes;
  for (size_t i = 0; i < allowed.size(); ++i) {
    if (allowed[i] <= 0 || (i > 0 && allowed[i] <= allowed[i - 1])) {
      return absl::InvalidArgumentError(
          "allowed_batch_sizes entries must be monotonically increasing");
    }
  }
  if (!allowed.empty() && allowed.back() != options.max_batch_size) {
    return absl::InvalidArgumentError(absl::StrCat(
        "Last entry in allowed_batch_sizes must match max_batch_size; last "
        "entry was ",
        allowed.back(), "; expected ", options.max_batch_size));
  }
  return absl::OkStatus();
}

int64_t PaddedBatchSize(const BatchingOptions& options, int64_t rows) {
  for (int64_t size : options.allowed_batch_sizes) {
    if (size >= rows) return size;
  }
  return rows;
}

}  // namespace model_server
