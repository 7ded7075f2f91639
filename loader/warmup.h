// Model warmup (TF Serving's SavedModel warmup): before a version becomes
// AVAILABLE, the requests in <export_dir>/assets.extra/
// tf_serving_warmup_requests are replayed on it, so that first requests do
// not pay for lazy initialisation.
//
// The file is a TFRecord file (tfrecord_reader.h) of
// tensorflow.serving.PredictionLog records, read through
// proto/model_server/warmup_log.proto. Each record's predict_log,
// classify_log, regress_log or multi_inference_log request runs through the
// same signatures code that serves RPCs (the request's model_spec selects
// the signature; its name and version are ignored, as in TF Serving), each
// `num_request_iterations` times. A record with no log is skipped.
//
// Errors (the version then fails to load; TF Serving's texts where it has
// them, plus the file and the record number):
//   - more than 1000 records: INVALID_ARGUMENT "Number of warmup records
//     exceeds the maximum (1000) at <file>";
//   - a record that is not a PredictionLog: INVALID_ARGUMENT "Failed to parse
//     warmup record ...";
//   - a corrupt or truncated record: DATA_LOSS naming the file and record,
//     ending "Please verify your warmup data is in TFRecord format.";
//   - session_run_log / predict_streamed_log: UNIMPLEMENTED "Unsupported
//     log_type for warmup: <field number>";
//   - a request that fails: its error, with the file and record number.
// No file means no warmup (OK).
#ifndef MODEL_SERVER_LOADER_WARMUP_H_
#define MODEL_SERVER_LOADER_WARMUP_H_

#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "loader/loaded_model.h"
#include "signatures/method_names.h"

namespace model_server {

inline constexpr char kWarmupRequestsFile[] =
    "assets.extra/tf_serving_warmup_requests";
inline constexpr int kMaxWarmupRecords = 1000;

struct WarmupOptions {
  // --enable_model_warmup.
  bool enabled = true;
  // --num_request_iterations_for_warmup (values < 1 mean 1).
  int num_request_iterations = 1;
  // --enable_signature_method_name_check, as for served requests.
  SignatureCheckOptions signature_checks;
};

// Replays `model`'s warmup file (see the file comment). Returns how many
// requests ran (records times iterations); 0 when there is no file or
// warmup is disabled.
absl::StatusOr<int64_t> RunWarmup(const LoadedModel& model,
                                  const WarmupOptions& options);

}  // namespace model_server

#endif  // MODEL_SERVER_LOADER_WARMUP_H_
