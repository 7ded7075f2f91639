// Warmup files for tests: serialized tensorflow.serving.PredictionLog
// records (written through our wire-compatible view,
// proto/model_server/warmup_log.proto, from the public request messages) in
// a TFRecord file at <version dir>/assets.extra/tf_serving_warmup_requests.
#ifndef MODEL_SERVER_TESTS_TESTING_WARMUP_FILE_H_
#define MODEL_SERVER_TESTS_TESTING_WARMUP_FILE_H_

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "tensorflow_serving/apis/classification.pb.h"
#include "tensorflow_serving/apis/inference.pb.h"
#include "tensorflow_serving/apis/predict.pb.h"
#include "tensorflow_serving/apis/regression.pb.h"

namespace model_server {
namespace testing {

// One PredictionLog record holding the request.
std::string PredictLogRecord(const tensorflow::serving::PredictRequest& r);
std::string ClassifyLogRecord(
    const tensorflow::serving::ClassificationRequest& r);
std::string RegressLogRecord(const tensorflow::serving::RegressionRequest& r);
std::string MultiInferenceLogRecord(
    const tensorflow::serving::MultiInferenceRequest& r);

// One record of each kind (predict, classify, regress, multi_inference) for
// TF Serving's half_plus_two models, x = 2, addressed to `model_name`.
std::vector<std::string> HalfPlusTwoWarmupRecords(
    const std::string& model_name);

// Writes `records` as the TFRecord warmup file of `version_dir` (creating
// assets.extra/).
absl::Status WriteWarmupFile(const std::string& version_dir,
                             const std::vector<std::string>& records);

// The warmup file's path in `version_dir`.
std::string WarmupFilePath(const std::string& version_dir);

}  // namespace testing
}  // namespace model_server

#endif  // MODEL_SERVER_TESTS_TESTING_WARMUP_FILE_H_
