#include "daemon/batching_parameters_file.h"

#include <fstream>
#include <iterator>

#include "absl/strings/str_cat.h"
#include "google/protobuf/io/tokenizer.h"
#include "google/protobuf/text_format.h"
#include "model_server/batching_parameters.pb.h"

namespace model_server {
namespace {

// Keeps the parser's first error, with its position.
class FirstError : public google::protobuf::io::ErrorCollector {
 public:
  void AddError(int line, int column, const std::string& message) override {
    if (error_.empty()) {
      error_ = absl::StrCat("line ", line + 1, " column ", column + 1, ": ",
                            message);
    }
  }
  const std::string& error() const { return error_; }

 private:
  std::string error_;
};

}  // namespace

absl::StatusOr<BatchingOptions> ParseBatchingParameters(
    absl::string_view text, absl::string_view source) {
  tensorflow::serving::BatchingParameters params;
  FirstError errors;
  google::protobuf::TextFormat::Parser parser;
  parser.RecordErrorsTo(&errors);
  if (!parser.ParseFromString(std::string(text), &params)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "Error parsing text-format tensorflow.serving.BatchingParameters: ",
        errors.error().empty() ? "invalid text" : errors.error(), " (in ",
        source, ")"));
  }
  BatchingOptions options;
  if (params.has_max_batch_size()) {
    options.max_batch_size = params.max_batch_size().value();
  }
  if (params.has_batch_timeout_micros()) {
    options.batch_timeout_micros = params.batch_timeout_micros().value();
  }
  if (params.has_max_enqueued_batches()) {
    options.max_enqueued_batches = params.max_enqueued_batches().value();
  }
  if (params.has_num_batch_threads()) {
    options.num_batch_threads = params.num_batch_threads().value();
    if (options.num_batch_threads <= 0) {
      return absl::InvalidArgumentError(
          absl::StrCat("num_batch_threads must be positive; was ",
                       options.num_batch_threads, " (in ", source, ")"));
    }
  }
  options.allowed_batch_sizes.assign(params.allowed_batch_sizes().begin(),
                                     params.allowed_batch_sizes().end());
  options.pad_variable_length_inputs = params.pad_variable_length_inputs();
  if (absl::Status s = ValidateBatchingOptions(options); !s.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat(s.message(), " (in ", source, ")"));
  }
  return options;
}

absl::StatusOr<BatchingOptions> ReadBatchingParametersFile(
    const std::string& path) {
  std::ifstream file(path, std::ios::binary);
  if (!file.is_open()) {
    return absl::NotFoundError(
        absl::StrCat("cannot read the batching parameters file ", path));
  }
  std::string text((std::istreambuf_iterator<char>(file)),
                   std::istreambuf_iterator<char>());
  if (file.bad()) {
    return absl::NotFoundError(
        absl::StrCat("cannot read the batching parameters file ", path));
  }
  return ParseBatchingParameters(text, path);
}

}  // namespace model_server
