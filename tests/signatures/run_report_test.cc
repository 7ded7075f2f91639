// RunOptions::report: the signature runs of one request report how long the
// model ran and which signature ran (the request metrics' runtime latency
// and signature label).
#include <string>

#include "gtest/gtest.h"
#include "signatures/classify_regress.h"
#include "signatures/multi_inference.h"
#include "tests/signatures/example_model_fixture.h"

namespace model_server {
namespace {

namespace tfs = tensorflow::serving;
using testing::ExampleListInput;
using testing::ExampleWithX;

class RunReportTest : public testing::ExampleTestModelSuite {
 protected:
  // Regress on `signature` with x = 3, reporting to *report.
  static absl::Status RegressReportingTo(const std::string& signature,
                                         RunReport* report) {
    RunOptions options;
    options.report = report;
    SerializedInput input = ExampleListInput({ExampleWithX(3)});
    tfs::RegressionResult result;
    std::string key;
    return RunRegress(model().signatures(), signature, SignatureCheckOptions(),
                      options, &input, &result, &key);
  }
};

TEST_F(RunReportTest, RegressReportsItsSignatureAndRunTime) {
  RunReport report;
  ASSERT_TRUE(RegressReportingTo("regress", &report).ok());
  EXPECT_EQ(report.signature_key, "regress");
  EXPECT_GT(report.run_time, absl::ZeroDuration());
}

TEST_F(RunReportTest, MultiInferenceSumsTheRunsOfItsTasks) {
  SerializedMultiInferenceRequest request;
  *request.mutable_input() = ExampleListInput({ExampleWithX(1)});
  for (const char* signature : {"classify_scores", "regress"}) {
    tfs::InferenceTask* task = request.add_tasks();
    task->mutable_model_spec()->set_name("m");
    task->mutable_model_spec()->set_signature_name(signature);
    task->set_method_name(std::string(signature) == "regress"
                              ? "tensorflow/serving/regress"
                              : "tensorflow/serving/classify");
  }
  RunReport report;
  RunOptions options;
  options.report = &report;
  tfs::MultiInferenceResponse response;
  ASSERT_TRUE(RunMultiInference(model().signatures(), 1,
                                SignatureCheckOptions(), options, &request,
                                &response)
                  .ok());
  EXPECT_EQ(response.results_size(), 2);
  EXPECT_EQ(report.signature_key, "regress");  // the last one run
  EXPECT_GT(report.run_time, absl::ZeroDuration());
}

TEST_F(RunReportTest, NothingIsReportedWhenNoSignatureRuns) {
  RunReport report;
  EXPECT_FALSE(RegressReportingTo("no_such_signature", &report).ok());
  EXPECT_EQ(report.signature_key, "");
  EXPECT_EQ(report.run_time, absl::ZeroDuration());
}

}  // namespace
}  // namespace model_server
