// End-to-end Classify, Regress and MultiInference through the real daemon on
// TF Serving's half_plus_two models (TF1 and TF2 exports; y = 0.5x + 2,
// y2 = 0.5x + 3, y3 = 0.5x2 + 3) and on the README's example model, which the
// test writes itself (so that part runs without ../shared).
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tensorflow/core/example/example.pb.h"
#include "tests/testing/daemon_process.h"
#include "tests/testing/shared_daemons.h"
#include "tools/example_model.h"

namespace model_server {
namespace {

namespace tfs = tensorflow::serving;
using testing::DaemonOptions;
using testing::DaemonProcess;
using ::testing::HasSubstr;
using ::testing::StartsWith;

constexpr char kModelName[] = "half_plus_two";
constexpr char kClassify[] = "/tensorflow.serving.PredictionService/Classify";

tensorflow::Example ExampleWith(const std::string& feature, float value) {
  tensorflow::Example example;
  (*example.mutable_features()->mutable_feature())[feature]
      .mutable_float_list()
      ->add_value(value);
  return example;
}

tfs::Input ExamplesOfX(const std::vector<float>& xs) {
  tfs::Input input;
  for (float x : xs) {
    *input.mutable_example_list()->add_examples() = ExampleWith("x", x);
  }
  return input;
}

template <typename Request>
Request RequestFor(const std::string& signature, const tfs::Input& input) {
  Request request;
  request.mutable_model_spec()->set_name(kModelName);
  request.mutable_model_spec()->set_signature_name(signature);
  *request.mutable_input() = input;
  return request;
}

std::unique_ptr<grpc::ClientContext> ContextWithDeadline() {
  auto context = std::make_unique<grpc::ClientContext>();
  context->set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(30)));
  return context;
}

// One daemon per model directory, shared by the tests of the suite.
class ExampleMethods : public ::testing::TestWithParam<const char*> {
 protected:
  static void TearDownTestSuite() { daemons_->StopAll(); }

  void SetUp() override {
    if (testing::SharedModelPath(GetParam()).empty()) {
      GTEST_SKIP() << "../shared/models/" << GetParam()
                   << " is absent: end-to-end Classify/Regress tests skipped";
    }
    daemon_ = daemons_->Get(GetParam(), kModelName);
    ASSERT_NE(daemon_, nullptr);
  }

  grpc::Status Classify(const tfs::ClassificationRequest& request,
                        tfs::ClassificationResponse* response) {
    return daemon_->prediction().Classify(ContextWithDeadline().get(), request,
                                          response);
  }
  grpc::Status Regress(const tfs::RegressionRequest& request,
                       tfs::RegressionResponse* response) {
    return daemon_->prediction().Regress(ContextWithDeadline().get(), request,
                                         response);
  }
  // Regress on `signature` that must succeed; the values in order.
  std::vector<float> RegressOk(const std::string& signature,
                               const tfs::Input& input) {
    tfs::RegressionResponse response;
    grpc::Status status = Regress(
        RequestFor<tfs::RegressionRequest>(signature, input), &response);
    EXPECT_TRUE(status.ok()) << signature << ": " << status.error_message();
    std::vector<float> values;
    for (const auto& regression : response.result().regressions()) {
      values.push_back(regression.value());
    }
    return values;
  }
  // The status of a Regress call expected to fail.
  grpc::Status RegressError(const std::string& signature,
                            const tfs::Input& input) {
    tfs::RegressionResponse response;
    return Regress(RequestFor<tfs::RegressionRequest>(signature, input),
                   &response);
  }
  // A good call after a failure: the daemon keeps serving.
  void ExpectStillServing() {
    EXPECT_THAT(RegressOk("regress_x_to_y", ExamplesOfX({2})),
                ::testing::ElementsAre(3.0f));
  }

  static testing::SharedDaemons* daemons_;
  DaemonProcess* daemon_ = nullptr;
};

testing::SharedDaemons* ExampleMethods::daemons_ = new testing::SharedDaemons();

TEST_P(ExampleMethods, ClassifyXToYGivesOneUnlabelledClass) {
  tfs::ClassificationResponse response;
  grpc::Status status = Classify(RequestFor<tfs::ClassificationRequest>(
                                     "classify_x_to_y", ExamplesOfX({2})),
                                 &response);
  ASSERT_TRUE(status.ok()) << status.error_message();
  ASSERT_EQ(response.result().classifications_size(), 1);
  const tfs::Classifications& row = response.result().classifications(0);
  ASSERT_EQ(row.classes_size(), 1);
  EXPECT_EQ(row.classes(0).label(), "");
  EXPECT_FLOAT_EQ(row.classes(0).score(), 3.0f);
  EXPECT_EQ(response.model_spec().name(), kModelName);
  EXPECT_EQ(response.model_spec().signature_name(), "classify_x_to_y");
  EXPECT_EQ(response.model_spec().version().value(), 123);
}

TEST_P(ExampleMethods, RegressXToYAndXToY2) {
  EXPECT_THAT(RegressOk("regress_x_to_y", ExamplesOfX({2})),
              ::testing::ElementsAre(3.0f));
  EXPECT_THAT(RegressOk("regress_x_to_y2", ExamplesOfX({2})),
              ::testing::ElementsAre(4.0f));
  tfs::RegressionResponse response;
  ASSERT_TRUE(Regress(RequestFor<tfs::RegressionRequest>("regress_x_to_y2",
                                                         ExamplesOfX({2})),
                      &response)
                  .ok());
  EXPECT_EQ(response.model_spec().name(), kModelName);
  EXPECT_EQ(response.model_spec().signature_name(), "regress_x_to_y2");
  EXPECT_EQ(response.model_spec().version().value(), 123);
}

TEST_P(ExampleMethods, MultiInferenceAnswersBothTasksAndEchoesSpecs) {
  tfs::MultiInferenceRequest request;
  for (const auto& [signature, method] :
       std::vector<std::pair<std::string, std::string>>{
           {"regress_x_to_y", "tensorflow/serving/regress"},
           {"classify_x_to_y", "tensorflow/serving/classify"}}) {
    tfs::InferenceTask* task = request.add_tasks();
    task->mutable_model_spec()->set_name(kModelName);
    task->mutable_model_spec()->set_signature_name(signature);
    task->set_method_name(method);
  }
  *request.mutable_input() = ExamplesOfX({2});
  tfs::MultiInferenceResponse response;
  grpc::Status status = daemon_->prediction().MultiInference(
      ContextWithDeadline().get(), request, &response);
  ASSERT_TRUE(status.ok()) << status.error_message();
  ASSERT_EQ(response.results_size(), 2);
  const tfs::InferenceResult& regress = response.results(0);
  ASSERT_EQ(regress.regression_result().regressions_size(), 1);
  EXPECT_FLOAT_EQ(regress.regression_result().regressions(0).value(), 3.0f);
  EXPECT_EQ(regress.model_spec().name(), kModelName);
  EXPECT_EQ(regress.model_spec().signature_name(), "regress_x_to_y");
  EXPECT_EQ(regress.model_spec().version().value(), 123);
  const tfs::InferenceResult& classify = response.results(1);
  ASSERT_EQ(classify.classification_result().classifications_size(), 1);
  EXPECT_FLOAT_EQ(
      classify.classification_result().classifications(0).classes(0).score(),
      3.0f);
  EXPECT_EQ(classify.model_spec().signature_name(), "classify_x_to_y");
  EXPECT_EQ(classify.model_spec().version().value(), 123);

  // A repeated signature is refused with TF Serving's text.
  *request.add_tasks() = request.tasks(0);
  status = daemon_->prediction().MultiInference(ContextWithDeadline().get(),
                                                request, &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(status.error_message(),
              StartsWith("Duplicate evaluation of signature: regress_x_to_y"));
}

TEST_P(ExampleMethods, MissingFeatureXIsNamed) {
  tfs::Input input;
  *input.mutable_example_list()->add_examples() = ExampleWith("z", 2);
  grpc::Status status = RegressError("regress_x_to_y", input);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(status.error_message(), HasSubstr("Feature: x "));
  ExpectStillServing();
}

TEST_P(ExampleMethods, FloatInputSignatureFailsRegressButServesPredict) {
  grpc::Status status = RegressError("regress_x2_to_y3", ExamplesOfX({2}));
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(status.error_message(),
              StartsWith("Expects arg[0] to be float but string is provided"));
  EXPECT_THAT(status.error_message(), HasSubstr("regress_x2_to_y3"));
  EXPECT_THAT(status.error_message(), HasSubstr("Predict"));

  for (float x2 : {2.0f, -4.0f, 10.0f}) {
    tfs::PredictRequest request =
        testing::MakePredictRequest(kModelName, "regress_x2_to_y3");
    (*request.mutable_inputs())["inputs"] =
        testing::FloatTensorProto({x2}, {1});
    tfs::PredictResponse response;
    grpc::Status predicted =
        testing::CallPredict(daemon_->prediction(), request, &response);
    ASSERT_TRUE(predicted.ok()) << predicted.error_message();
    EXPECT_THAT(testing::FloatValues(response.outputs().at("outputs")),
                ::testing::ElementsAre(0.5f * x2 + 3.0f));
  }
}

TEST_P(ExampleMethods, ContextFeatureReachesEveryExample) {
  tfs::Input input;
  auto* list = input.mutable_example_list_with_context();
  *list->mutable_context() = ExampleWith("x", 2);
  *list->add_examples() = tensorflow::Example();
  *list->add_examples() = ExampleWith("unrelated", 7);
  *list->add_examples() = ExampleWith("x", 6);  // its own x wins
  EXPECT_THAT(RegressOk("regress_x_to_y", input),
              ::testing::ElementsAre(3.0f, 3.0f, 5.0f));
}

TEST_P(ExampleMethods, BatchesKeepRequestOrder) {
  for (int size : {1, 7, 1000}) {
    std::vector<float> xs, expected;
    for (int i = 0; i < size; ++i) {
      xs.push_back(static_cast<float>(i % 97) - 40.0f + 0.25f * i);
      expected.push_back(0.5f * xs.back() + 2.0f);
    }
    EXPECT_THAT(RegressOk("regress_x_to_y", ExamplesOfX(xs)),
                ::testing::Pointwise(::testing::FloatEq(), expected))
        << size;
    tfs::ClassificationResponse response;
    ASSERT_TRUE(Classify(RequestFor<tfs::ClassificationRequest>(
                             "classify_x_to_y", ExamplesOfX(xs)),
                         &response)
                    .ok());
    ASSERT_EQ(response.result().classifications_size(), size);
    for (int i = 0; i < size; ++i) {
      EXPECT_FLOAT_EQ(response.result().classifications(i).classes(0).score(),
                      expected[i]);
    }
  }
}

TEST_P(ExampleMethods, BadInputsAreInvalidArgumentAndServingGoesOn) {
  // Empty input.
  grpc::Status status = RegressError("regress_x_to_y", tfs::Input());
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(status.error_message(), StartsWith("Input is empty."));
  ExpectStillServing();

  // x of the wrong type.
  tfs::Input ints;
  (*ints.mutable_example_list()
        ->add_examples()
        ->mutable_features()
        ->mutable_feature())["x"]
      .mutable_int64_list()
      ->add_value(2);
  status = RegressError("regress_x_to_y", ints);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(status.error_message(), HasSubstr("Key: x"));
  EXPECT_THAT(status.error_message(), HasSubstr("Data types don't match"));
  ExpectStillServing();

  // Unknown signature; a Predict-only signature.
  status = RegressError("no_such_signature", ExamplesOfX({2}));
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(status.error_message(),
              StartsWith("No signature was found with the name: "
                         "no_such_signature"));
  tfs::ClassificationResponse classification;
  status =
      Classify(RequestFor<tfs::ClassificationRequest>("", ExamplesOfX({2})),
               &classification);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(status.error_message(),
              StartsWith("No classification inputs found in SignatureDef"));
  ExpectStillServing();
}

TEST_P(ExampleMethods, MalformedBytesAreInvalidArgument) {
  // A ClassificationRequest whose one Example is not a valid Example.
  tfs::ClassificationRequest good = RequestFor<tfs::ClassificationRequest>(
      "classify_x_to_y", ExamplesOfX({2}));
  std::string model_spec = good.model_spec().SerializeAsString();
  const std::string bad_example = "\x0a\x08\x0a\x06garbag";
  std::string example_list =
      std::string("\x0a") + static_cast<char>(bad_example.size()) + bad_example;
  std::string input = std::string("\x0a") +
                      static_cast<char>(example_list.size()) + example_list;
  std::string request = std::string("\x0a") +
                        static_cast<char>(model_spec.size()) + model_spec +
                        "\x12" + static_cast<char>(input.size()) + input;
  std::string response;
  grpc::Status status = testing::CallRawMethod(daemon_->NewChannel(), kClassify,
                                               request, &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(status.error_message(), HasSubstr("Could not parse example"));

  // Bytes that are no ClassificationRequest at all.
  status = testing::CallRawMethod(daemon_->NewChannel(), kClassify,
                                  "\x12\x7f\x01", &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(status.error_message(),
              HasSubstr("tensorflow.serving.ClassificationRequest"));

  // The same path with a good request succeeds.
  status = testing::CallRawMethod(daemon_->NewChannel(), kClassify,
                                  good.SerializeAsString(), &response);
  EXPECT_TRUE(status.ok()) << status.error_message();
  tfs::ClassificationResponse parsed;
  ASSERT_TRUE(parsed.ParseFromString(response));
  EXPECT_FLOAT_EQ(parsed.result().classifications(0).classes(0).score(), 3.0f);
}

INSTANTIATE_TEST_SUITE_P(HalfPlusTwo, ExampleMethods,
                         ::testing::Values("tfs_half_plus_two_cpu",
                                           "tfs_half_plus_two_tf2_cpu"));

// The README's example model, written by tools/: runs without ../shared.
TEST(ExampleModel, ClassifyRegressAndMultiInference) {
  auto scratch = testing::TempDirectory::Create();
  ASSERT_TRUE(scratch.ok()) << scratch.status();
  const std::string base = (*scratch)->path() + "/half_plus_two";
  ASSERT_TRUE(WriteHalfPlusTwo(base + "/1").ok());
  DaemonOptions options;
  options.model_name = kModelName;
  options.model_base_path = base;
  auto daemon = DaemonProcess::Start(options);
  ASSERT_TRUE(daemon.ok()) << daemon.status();
  tfs::PredictionService::Stub& stub = (*daemon)->prediction();

  tfs::ClassificationResponse classification;
  grpc::Status status =
      stub.Classify(ContextWithDeadline().get(),
                    RequestFor<tfs::ClassificationRequest>("classify_x_to_y",
                                                           ExamplesOfX({2, 4})),
                    &classification);
  ASSERT_TRUE(status.ok()) << status.error_message();
  ASSERT_EQ(classification.result().classifications_size(), 2);
  EXPECT_FLOAT_EQ(classification.result().classifications(1).classes(0).score(),
                  4.0f);
  EXPECT_EQ(classification.model_spec().version().value(), 1);

  tfs::RegressionResponse regression;
  status = stub.Regress(
      ContextWithDeadline().get(),
      RequestFor<tfs::RegressionRequest>("regress_x_to_y", ExamplesOfX({2})),
      &regression);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_FLOAT_EQ(regression.result().regressions(0).value(), 3.0f);

  tfs::MultiInferenceRequest multi;
  tfs::InferenceTask* task = multi.add_tasks();
  task->mutable_model_spec()->set_name(kModelName);
  task->mutable_model_spec()->set_signature_name("regress_x_to_y");
  task->set_method_name("tensorflow/serving/regress");
  task = multi.add_tasks();
  task->mutable_model_spec()->set_name(kModelName);
  task->mutable_model_spec()->set_signature_name("classify_x_to_y");
  task->set_method_name("tensorflow/serving/classify");
  *multi.mutable_input() = ExamplesOfX({6});
  tfs::MultiInferenceResponse multi_response;
  status =
      stub.MultiInference(ContextWithDeadline().get(), multi, &multi_response);
  ASSERT_TRUE(status.ok()) << status.error_message();
  ASSERT_EQ(multi_response.results_size(), 2);
  EXPECT_FLOAT_EQ(
      multi_response.results(0).regression_result().regressions(0).value(),
      5.0f);
  EXPECT_FLOAT_EQ(multi_response.results(1)
                      .classification_result()
                      .classifications(0)
                      .classes(0)
                      .score(),
                  5.0f);

  auto exit_code = (*daemon)->Stop();
  ASSERT_TRUE(exit_code.ok()) << exit_code.status();
  EXPECT_EQ(*exit_code, 0) << (*daemon)->Stderr();
}

}  // namespace
}  // namespace model_server
