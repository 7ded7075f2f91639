// Server-side batching settings (--enable_batching): TF Serving's
// BatchingParameters as plain values. The daemon reads them from
// --batching_parameters_file (daemon/batching_parameters_file.h); the
// signatures layer batches with them (batch_scheduler.h).
#ifndef MODEL_SERVER_SIGNATURES_BATCHING_OPTIONS_H_
#define MODEL_SERVER_SIGNATURES_BATCHING_OPTIONS_H_

#include <cstdint>
#include <vector>

#include "absl/status/status.h"

namespace model_server {

// Defaults are TF Serving's (SharedBatchScheduler's queue options).
struct BatchingOptions {
  // Largest batch, counted in rows (the sum of the requests' 0th
  // dimensions). A request with more rows fails with INVALID_ARGUMENT.
  int64_t max_batch_size = 1000;
  // How long an incomplete batch waits for more requests once its first
  // request arrived. 0: a batch runs as soon as a batch thread is free.
  int64_t batch_timeout_micros = 0;
  // Batches one queue (one signature of one model version) may hold, open
  // or waiting for a thread; beyond that requests fail with UNAVAILABLE.
  int64_t max_enqueued_batches = 10;
  // Threads that run batches, shared by every queue. 0: one per core.
  int64_t num_batch_threads = 0;
  // When not empty, a batch is padded (with copies of its last request's
  // first row) up to the smallest of these sizes that holds it. Increasing;
  // the last entry equals max_batch_size.
  std::vector<int64_t> allowed_batch_sizes;
  // Requests whose inputs differ in non-batch dimensions are padded (with
  // each tensor's first element) to the largest size in the batch, instead
  // of going into separate batches.
  bool pad_variable_length_inputs = false;
};

// INVALID_ARGUMENT naming the first setting out of range.
absl::Status ValidateBatchingOptions(const BatchingOptions& options);

// The batch size `rows` is padded to: the smallest allowed size >= rows, or
// rows itself when there are no allowed sizes (or none is large enough).
int64_t PaddedBatchSize(const BatchingOptions& options, int64_t rows);

}  // namespace model_server

#endif  // MODEL_SERVER_SIGNATURES_BATCHING_OPTIONS_H_
