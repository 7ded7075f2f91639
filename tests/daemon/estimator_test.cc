// Real canned-Estimator exports from ../shared served end to end: Classify on
// a TF 1.8 linear classifier with hashed categorical columns
// (stfs_estimator_model) and Regress / MultiInference on a TF 1.5
// DNNRegressor with a tf.cond (tfdeploy_tfestimators_example). Inputs and
// expected outputs are the corpus oracle's (oracle_gold/<model>.json); the
// examples are rebuilt here with the same feature values, bit for bit.
#include <cstdint>
#include <string>
#include <vector>

#include "absl/base/casts.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tensorflow/core/example/example.pb.h"
#include "tests/testing/daemon_process.h"

namespace model_server {
namespace {

namespace tfs = tensorflow::serving;
using testing::DaemonOptions;
using testing::DaemonProcess;

constexpr float kTolerance = 1e-4f;

float FloatBits(uint32_t bits) { return absl::bit_cast<float>(bits); }

class ExampleBuilder {
 public:
  ExampleBuilder& Bytes(const std::string& key, const std::string& value) {
    Feature(key).mutable_bytes_list()->add_value(value);
    return *this;
  }
  ExampleBuilder& Float(const std::string& key, float value) {
    Feature(key).mutable_float_list()->add_value(value);
    return *this;
  }
  ExampleBuilder& Int64(const std::string& key, int64_t value) {
    Feature(key).mutable_int64_list()->add_value(value);
    return *this;
  }
  const tensorflow::Example& example() const { return example_; }

 private:
  tensorflow::Feature& Feature(const std::string& key) {
    return (*example_.mutable_features()->mutable_feature())[key];
  }
  tensorflow::Example example_;
};

std::unique_ptr<DaemonProcess> StartOrSkip(const std::string& model_dir,
                                           const std::string& name) {
  if (testing::SharedModelPath(model_dir).empty()) return nullptr;
  DaemonOptions options;
  options.model_name = name;
  options.model_base_path = testing::SharedModelPath(model_dir);
  auto daemon = DaemonProcess::Start(options);
  EXPECT_TRUE(daemon.ok()) << daemon.status();
  return daemon.ok() ? *std::move(daemon) : nullptr;
}

grpc::ClientContext* WithDeadline(grpc::ClientContext* context) {
  context->set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(30)));
  return context;
}

TEST(EstimatorExports, LinearClassifierClassifiesExamples) {
  if (testing::SharedModelPath("stfs_estimator_model").empty()) {
    GTEST_SKIP() << "../shared/models/stfs_estimator_model is absent";
  }
  auto daemon = StartOrSkip("stfs_estimator_model", "census");
  ASSERT_NE(daemon, nullptr);
  tfs::ClassificationRequest request;
  request.mutable_model_spec()->set_name("census");
  auto* examples = request.mutable_input()->mutable_example_list();
  *examples->add_examples() = ExampleBuilder()
                                  .Bytes("a", "best")
                                  .Float("b", FloatBits(0x409F409C))
                                  .example();
  *examples->add_examples() = ExampleBuilder()
                                  .Bytes("a", "time")
                                  .Float("b", FloatBits(0x40C3E035))
                                  .example();
  tfs::ClassificationResponse response;
  grpc::ClientContext context;
  grpc::Status status =
      daemon->prediction().Classify(WithDeadline(&context), request, &response);
  ASSERT_TRUE(status.ok()) << status.error_message();
  const std::vector<std::vector<float>> expected = {{0.39079031f, 0.60920972f},
                                                    {0.35209671f, 0.64790332f}};
  ASSERT_EQ(response.result().classifications_size(), 2);
  for (int i = 0; i < 2; ++i) {
    const tfs::Classifications& row = response.result().classifications(i);
    ASSERT_EQ(row.classes_size(), 2);
    for (int c = 0; c < 2; ++c) {
      EXPECT_EQ(row.classes(c).label(), std::to_string(c));
      EXPECT_NEAR(row.classes(c).score(), expected[i][c], kTolerance);
    }
  }
  EXPECT_EQ(response.model_spec().signature_name(), "serving_default");
  EXPECT_EQ(response.model_spec().version().value(), 1533527330);
  auto exit_code = daemon->Stop();
  ASSERT_TRUE(exit_code.ok()) << exit_code.status();
  EXPECT_EQ(*exit_code, 0) << daemon->Stderr();
}

TEST(EstimatorExports, DnnRegressorRegressesAndMultiInfers) {
  if (testing::SharedModelPath("tfdeploy_tfestimators_example").empty()) {
    GTEST_SKIP() << "../shared/models/tfdeploy_tfestimators_example is absent";
  }
  auto daemon = StartOrSkip("tfdeploy_tfestimators_example", "dnn");
  ASSERT_NE(daemon, nullptr);
  tfs::Input input;
  auto* examples = input.mutable_example_list();
  *examples->add_examples() = ExampleBuilder()
                                  .Float("label", FloatBits(0x3FF52518))
                                  .Float("x1", FloatBits(0x40C71327))
                                  .Int64("x2", 12)
                                  .example();
  *examples->add_examples() = ExampleBuilder()
                                  .Float("label", FloatBits(0x40C3E035))
                                  .Float("x1", FloatBits(0x40F6D5CE))
                                  .Int64("x2", 17)
                                  .example();
  const std::vector<float> expected = {9.11116409f, 11.16653728f};

  tfs::RegressionRequest request;
  request.mutable_model_spec()->set_name("dnn");
  request.mutable_model_spec()->set_signature_name("regression");
  *request.mutable_input() = input;
  tfs::RegressionResponse response;
  grpc::ClientContext context;
  grpc::Status status =
      daemon->prediction().Regress(WithDeadline(&context), request, &response);
  ASSERT_TRUE(status.ok()) << status.error_message();
  ASSERT_EQ(response.result().regressions_size(), 2);
  for (int i = 0; i < 2; ++i) {
    EXPECT_NEAR(response.result().regressions(i).value(), expected[i],
                kTolerance);
  }

  tfs::MultiInferenceRequest multi;
  for (const char* signature : {"regression", "serving_default"}) {
    tfs::InferenceTask* task = multi.add_tasks();
    task->mutable_model_spec()->set_name("dnn");
    task->mutable_model_spec()->set_signature_name(signature);
    task->set_method_name("tensorflow/serving/regress");
  }
  *multi.mutable_input() = input;
  tfs::MultiInferenceResponse multi_response;
  grpc::ClientContext multi_context;
  status = daemon->prediction().MultiInference(WithDeadline(&multi_context),
                                               multi, &multi_response);
  ASSERT_TRUE(status.ok()) << status.error_message();
  ASSERT_EQ(multi_response.results_size(), 2);
  for (const tfs::InferenceResult& result : multi_response.results()) {
    ASSERT_EQ(result.regression_result().regressions_size(), 2);
    EXPECT_NEAR(result.regression_result().regressions(1).value(), expected[1],
                kTolerance);
  }

  // An example outside the hashed column's range trips the graph's Assert:
  // INVALID_ARGUMENT, and the server keeps serving.
  tfs::RegressionRequest bad = request;
  (*bad.mutable_input()
        ->mutable_example_list()
        ->mutable_examples(0)
        ->mutable_features()
        ->mutable_feature())["x2"]
      .mutable_int64_list()
      ->set_value(0, 26);
  grpc::ClientContext bad_context;
  status =
      daemon->prediction().Regress(WithDeadline(&bad_context), bad, &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(status.error_message(), ::testing::HasSubstr("assertion failed"));
  grpc::ClientContext again;
  status =
      daemon->prediction().Regress(WithDeadline(&again), request, &response);
  EXPECT_TRUE(status.ok()) << status.error_message();

  auto exit_code = daemon->Stop();
  ASSERT_TRUE(exit_code.ok()) << exit_code.status();
  EXPECT_EQ(*exit_code, 0) << daemon->Stderr();
}

}  // namespace
}  // namespace model_server
