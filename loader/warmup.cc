#include "loader/warmup.h"

#include <algorithm>
#include <filesystem>
#include <string>
#include <system_error>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "glog/logging.h"
#include "loader/tfrecord_reader.h"
#include "model_server/warmup_log.pb.h"
#include "signatures/classify_regress.h"
#include "signatures/multi_inference.h"
#include "signatures/predict.h"

namespace model_server {
namespace {

namespace tfs = tensorflow::serving;

// Runs one record's request once.
absl::Status RunLoggedRequest(const LoadedModel& model,
                              const WarmupPredictionLog& log,
                              const SignatureCheckOptions& checks) {
  const RunOptions run_options;
  std::string signature_key;
  switch (log.log_type_case()) {
    case WarmupPredictionLog::kPredictLog: {
      tfs::PredictResponse response;
      return RunPredict(model.signatures(), log.predict_log().request(),
                        run_options, &response, &signature_key, checks);
    }
    case WarmupPredictionLog::kClassifyLog: {
      SerializedClassificationRequest request = log.classify_log().request();
      tfs::ClassificationResult result;
      return RunClassify(
          model.signatures(), request.model_spec().signature_name(), checks,
          run_options, request.mutable_input(), &result, &signature_key);
    }
    case WarmupPredictionLog::kRegressLog: {
      SerializedRegressionRequest request = log.regress_log().request();
      tfs::RegressionResult result;
      return RunRegress(
          model.signatures(), request.model_spec().signature_name(), checks,
          run_options, request.mutable_input(), &result, &signature_key);
    }
    case WarmupPredictionLog::kMultiInferenceLog: {
      SerializedMultiInferenceRequest request =
          log.multi_inference_log().request();
      tfs::MultiInferenceResponse response;
      return RunMultiInference(model.signatures(), /*version=*/0, checks,
                               run_options, &request, &response);
    }
    case WarmupPredictionLog::kSessionRunLog:
    case WarmupPredictionLog::kPredictStreamedLog:
      return absl::UnimplementedError(
          absl::StrCat("Unsupported log_type for warmup: ",
                       static_cast<int>(log.log_type_case())));
    case WarmupPredictionLog::LOG_TYPE_NOT_SET:
      break;
  }
  return absl::OkStatus();
}

const char* LogTypeName(const WarmupPredictionLog& log) {
  switch (log.log_type_case()) {
    case WarmupPredictionLog::kPredictLog:
      return "predict_log";
    case WarmupPredictionLog::kClassifyLog:
      return "classify_log";
    case WarmupPredictionLog::kRegressLog:
      return "regress_log";
    case WarmupPredictionLog::kMultiInferenceLog:
      return "multi_inference_log";
    case WarmupPredictionLog::kSessionRunLog:
      return "session_run_log";
    case WarmupPredictionLog::kPredictStreamedLog:
      return "predict_streamed_log";
    case WarmupPredictionLog::LOG_TYPE_NOT_SET:
      break;
  }
  return "no log";
}

}  // namespace

absl::StatusOr<int64_t> RunWarmup(const LoadedModel& model,
                                  const WarmupOptions& options) {
  if (!options.enabled) return 0;
  const std::string path =
      absl::StrCat(model.export_dir(), "/", kWarmupRequestsFile);
  std::error_code error;
  if (!std::filesystem::exists(path, error)) {
    VLOG(1) << "No warmup data file found at " << path;
    return 0;
  }
  const int iterations = std::max(options.num_request_iterations, 1);
  LOG(INFO) << "Starting to read warmup data for model at " << path
            << " (each request " << iterations << " time(s))";
  absl::StatusOr<TFRecordReader> reader = TFRecordReader::Open(path);
  if (!reader.ok()) {
    return absl::FailedPreconditionError(absl::StrCat(
        "cannot read the warmup file ", path, ": ", reader.status().message()));
  }
  const absl::Time start = absl::Now();
  int64_t requests = 0;
  std::string record;
  while (true) {
    absl::StatusOr<bool> next = reader->Next(&record);
    if (!next.ok()) {
      return absl::DataLossError(
          absl::StrCat(next.status().message(),
                       ". Please verify your warmup data is in TFRecord "
                       "format."));
    }
    if (!*next) break;
    const int64_t number = reader->records_read();
    if (number > kMaxWarmupRecords) {
      return absl::InvalidArgumentError(
          absl::StrCat("Number of warmup records exceeds the maximum (",
                       kMaxWarmupRecords, ") at ", path));
    }
    WarmupPredictionLog log;
    if (!log.ParseFromString(record)) {
      return absl::InvalidArgumentError(absl::StrCat(
          "Failed to parse warmup record: record ", number, " (", record.size(),
          " bytes) from ", path, " is not a tensorflow.serving.PredictionLog"));
    }
    for (int i = 0; i < iterations; ++i) {
      absl::Status status =
          RunLoggedRequest(model, log, options.signature_checks);
      if (!status.ok()) {
        return absl::Status(
            status.code(),
            absl::StrCat("warmup record ", number, " (", LogTypeName(log),
                         ") of ", path, " failed: ", status.message()));
      }
      if (log.log_type_case() != WarmupPredictionLog::LOG_TYPE_NOT_SET) {
        ++requests;
      }
    }
  }
  LOG(INFO) << "Finished reading warmup data for model at " << path
            << ". Number of warmup records read: " << reader->records_read()
            << ". Elapsed time (microseconds): "
            << absl::ToInt64Microseconds(absl::Now() - start) << ".";
  return requests;
}

}  // namespace model_server
