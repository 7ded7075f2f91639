#include "tests/testing/warmup_file.h"

#include <filesystem>
#include <fstream>
#include <system_error>

#include "absl/strings/str_cat.h"
#include "loader/tfrecord_reader.h"
#include "loader/warmup.h"
#include "model_server/warmup_log.pb.h"

namespace model_server {
namespace testing {

namespace tfs = tensorflow::serving;

std::string PredictLogRecord(const tfs::PredictRequest& r) {
  WarmupPredictionLog log;
  *log.mutable_predict_log()->mutable_request() = r;
  return log.SerializeAsString();
}

// The view messages read the public ones' bytes (same field numbers).
std::string ClassifyLogRecord(const tfs::ClassificationRequest& r) {
  WarmupPredictionLog log;
  log.mutable_classify_log()->mutable_request()->ParseFromString(
      r.SerializeAsString());
  return log.SerializeAsString();
}

std::string RegressLogRecord(const tfs::RegressionRequest& r) {
  WarmupPredictionLog log;
  log.mutable_regress_log()->mutable_request()->ParseFromString(
      r.SerializeAsString());
  return log.SerializeAsString();
}

std::string MultiInferenceLogRecord(const tfs::MultiInferenceRequest& r) {
  WarmupPredictionLog log;
  log.mutable_multi_inference_log()->mutable_request()->ParseFromString(
      r.SerializeAsString());
  return log.SerializeAsString();
}

std::vector<std::string> HalfPlusTwoWarmupRecords(
    const std::string& model_name) {
  tensorflow::Example example;
  (*example.mutable_features()->mutable_feature())["x"]
      .mutable_float_list()
      ->add_value(2);
  tfs::PredictRequest predict;
  predict.mutable_model_spec()->set_name(model_name);
  tensorflow::TensorProto& x = (*predict.mutable_inputs())["x"];
  x.set_dtype(tensorflow::DT_FLOAT);
  x.mutable_tensor_shape()->add_dim()->set_size(1);
  x.add_float_val(2);
  tfs::ClassificationRequest classify;
  classify.mutable_model_spec()->set_name(model_name);
  classify.mutable_model_spec()->set_signature_name("classify_x_to_y");
  *classify.mutable_input()->mutable_example_list()->add_examples() = example;
  tfs::RegressionRequest regress;
  regress.mutable_model_spec()->set_name(model_name);
  regress.mutable_model_spec()->set_signature_name("regress_x_to_y");
  *regress.mutable_input() = classify.input();
  tfs::MultiInferenceRequest multi;
  for (const char* method : {"regress", "classify"}) {
    tfs::InferenceTask* task = multi.add_tasks();
    task->mutable_model_spec()->set_name(model_name);
    task->mutable_model_spec()->set_signature_name(
        absl::StrCat(method, "_x_to_y"));
    task->set_method_name(absl::StrCat("tensorflow/serving/", method));
  }
  *multi.mutable_input() = classify.input();
  return {PredictLogRecord(predict), ClassifyLogRecord(classify),
          RegressLogRecord(regress), MultiInferenceLogRecord(multi)};
}

std::string WarmupFilePath(const std::string& version_dir) {
  return absl::StrCat(version_dir, "/", kWarmupRequestsFile);
}

absl::Status WriteWarmupFile(const std::string& version_dir,
                             const std::vector<std::string>& records) {
  const std::string path = WarmupFilePath(version_dir);
  std::error_code error;
  std::filesystem::create_directories(std::filesystem::path(path).parent_path(),
                                      error);
  std::ofstream file(path, std::ios::binary | std::ios::trunc);
  for (const std::string& record : records) file << EncodeTFRecord(record);
  if (!file.flush()) {
    return absl::InternalError(absl::StrCat("cannot write ", path));
  }
  return absl::OkStatus();
}

}  // namespace testing
}  // namespace model_server
