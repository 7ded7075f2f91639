// --batching_parameters_file: a text-format tensorflow.serving.
// BatchingParameters (TF Serving's format, e.g. "max_batch_size { value:
// 32 }  allowed_batch_sizes: 8  allowed_batch_sizes: 32"), turned into
// BatchingOptions. Unset fields keep BatchingOptions' defaults.
#ifndef MODEL_SERVER_DAEMON_BATCHING_PARAMETERS_FILE_H_
#define MODEL_SERVER_DAEMON_BATCHING_PARAMETERS_FILE_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "signatures/batching_options.h"

namespace model_server {

// Parses `text` (from `source`, named in errors) and validates the result:
// INVALID_ARGUMENT for text that does not parse or values out of range.
absl::StatusOr<BatchingOptions> ParseBatchingParameters(
    absl::string_view text, absl::string_view source);

// Reads and parses the file at `path`; NOT_FOUND if it cannot be read.
absl::StatusOr<BatchingOptions> ReadBatchingParametersFile(
    const std::string& path);

}  // namespace model_server

#endif  // MODEL_SERVER_DAEMON_BATCHING_PARAMETERS_FILE_H_
