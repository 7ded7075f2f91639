// RunMultiInference in-process on the test model of example_model_fixture.h.
#include "signatures/multi_inference.h"

#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/signatures/example_model_fixture.h"

namespace model_server {
namespace {

namespace tfs = tensorflow::serving;
using testing::ExampleListInput;
using testing::ExampleWithX;
using ::testing::HasSubstr;
using ::testing::StartsWith;

constexpr int64_t kVersion = 42;

class MultiInferenceTest : public testing::ExampleTestModelSuite {
 protected:
  void SetUp() override {
    *request_.mutable_input() =
        ExampleListInput({ExampleWithX(1), ExampleWithX(2)});
  }

  void AddTask(const std::string& signature, const std::string& method,
               const std::string& model = "m") {
    tfs::InferenceTask* task = request_.add_tasks();
    task->mutable_model_spec()->set_name(model);
    task->mutable_model_spec()->set_signature_name(signature);
    task->set_method_name(method);
  }

  absl::Status Run() {
    response_.Clear();
    return RunMultiInference(model().signatures(), kVersion,
                             SignatureCheckOptions(), RunOptions(), &request_,
                             &response_);
  }

  SerializedMultiInferenceRequest request_;
  tfs::MultiInferenceResponse response_;
};

TEST_F(MultiInferenceTest, AnswersEveryTaskInOrder) {
  AddTask("regress", kRegressMethodName);
  AddTask("classify_both", kClassifyMethodName);
  AddTask("regress_rank1", kRegressMethodName);
  AddTask("regress_other_input", kRegressMethodName);  // another placeholder
  ASSERT_TRUE(Run().ok());
  ASSERT_EQ(response_.results_size(), 4);

  const tfs::InferenceResult& regress = response_.results(0);
  EXPECT_EQ(regress.model_spec().name(), "m");
  EXPECT_EQ(regress.model_spec().signature_name(), "regress");
  EXPECT_EQ(regress.model_spec().version().value(), kVersion);
  ASSERT_EQ(regress.regression_result().regressions_size(), 2);
  EXPECT_EQ(regress.regression_result().regressions(1).value(), 2);

  const tfs::InferenceResult& classify = response_.results(1);
  EXPECT_EQ(classify.model_spec().signature_name(), "classify_both");
  const auto& rows = classify.classification_result().classifications();
  ASSERT_EQ(rows.size(), 2);
  EXPECT_EQ(rows[1].classes(1).score(), 4);
  EXPECT_EQ(rows[1].classes(1).label(), "label");

  EXPECT_EQ(response_.results(2).regression_result().regressions(0).value(), 1);
  EXPECT_EQ(response_.results(3).regression_result().regressions(1).value(), 2);
}

TEST_F(MultiInferenceTest, ChecksTasksWithTfServingTexts) {
  struct Case {
    std::vector<std::pair<std::string, std::string>> tasks;  // sig, method
    absl::StatusCode code;
    std::string text;
  };
  const std::vector<Case> cases = {
      {{{"regress", kRegressMethodName}, {"regress", kRegressMethodName}},
       absl::StatusCode::kInvalidArgument,
       "Duplicate evaluation of signature: regress"},
      {{{"nope", kRegressMethodName}},
       absl::StatusCode::kInvalidArgument,
       "Requested signature not found in model graph: nope"},
      {{{"", kRegressMethodName}},
       absl::StatusCode::kInvalidArgument,
       "Requested signature not found in model graph: serving_default"},
      {{{"regress", "tensorflow/serving/predict"}},
       absl::StatusCode::kUnimplemented,
       "Unsupported signature method_name: tensorflow/serving/predict"},
      {{{"regress", kClassifyMethodName}},
       absl::StatusCode::kInvalidArgument,
       "Expected classification signature outputs to contain"},
      {{{"regress_float_input", kRegressMethodName}},
       absl::StatusCode::kInvalidArgument,
       "Expects arg[0] to be float but string is provided"},
  };
  for (const Case& c : cases) {
    request_.clear_tasks();
    for (const auto& [signature, method] : c.tasks) AddTask(signature, method);
    absl::Status status = Run();
    EXPECT_EQ(status.code(), c.code) << c.text << ": " << status;
    EXPECT_THAT(std::string(status.message()), StartsWith(c.text));
  }
}

TEST_F(MultiInferenceTest, ModelNamesMustBeSetAndEqual) {
  AddTask("regress", kRegressMethodName, "m");
  AddTask("regress_rank1", kRegressMethodName, "other");
  EXPECT_THAT(std::string(Run().message()),
              StartsWith("All ModelSpecs in a MultiInferenceRequest must "
                         "access the same model name."));
  request_.clear_tasks();
  AddTask("regress", kRegressMethodName, "");
  EXPECT_EQ(Run().message(), "Found ModelSpec with an empty model name.");
  request_.clear_tasks();
  EXPECT_EQ(Run().code(), absl::StatusCode::kInvalidArgument);
}

TEST_F(MultiInferenceTest, EmptyInputAndBadExamplesFailTheRequest) {
  AddTask("regress", kRegressMethodName);
  request_.clear_input();
  absl::Status status = Run();
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(status.message()), StartsWith("Input is empty."));

  *request_.mutable_input() = ExampleListInput({tensorflow::Example()});
  status = Run();
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(status.message()), HasSubstr("Feature: x"));
}

}  // namespace
}  // namespace model_server
