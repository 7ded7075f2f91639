// The error contract of the daemon's RPCs (codes and TF Serving's texts),
// and that the daemon keeps serving after every bad request.
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/testing/daemon_process.h"

namespace model_server {
namespace {

namespace tfs = tensorflow::serving;
using testing::CallGetModelStatus;
using testing::CallPredict;
using testing::DaemonOptions;
using testing::DaemonProcess;
using ::testing::FloatEq;
using testing::FloatTensorProto;
using testing::FloatValues;
using ::testing::HasSubstr;
using testing::MakePredictRequest;
using ::testing::Pointwise;

constexpr char kModelName[] = "half_plus_two";

class DaemonErrors : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    const std::string path = testing::SharedModelPath("tfs_half_plus_two_cpu");
    if (path.empty()) return;
    DaemonOptions options;
    options.model_name = kModelName;
    options.model_base_path = path;
    auto daemon = DaemonProcess::Start(options);
    if (daemon.ok()) {
      daemon_ = daemon->release();
    } else {
      start_error_ = new std::string(daemon.status().ToString());
    }
  }

  static void TearDownTestSuite() {
    if (daemon_ != nullptr) {
      auto exit_code = daemon_->Stop();
      EXPECT_TRUE(exit_code.ok()) << exit_code.status();
      if (exit_code.ok()) {
        EXPECT_EQ(*exit_code, 0) << daemon_->Stderr();
      }
    }
    delete daemon_;
    daemon_ = nullptr;
  }

  void SetUp() override {
    if (testing::SharedModelPath("tfs_half_plus_two_cpu").empty()) {
      GTEST_SKIP() << "../shared/models/tfs_half_plus_two_cpu is absent: "
                      "end-to-end error tests skipped";
    }
    ASSERT_NE(daemon_, nullptr)
        << (start_error_ ? *start_error_ : "daemon not started");
  }

  static tfs::PredictRequest GoodRequest() {
    tfs::PredictRequest request = MakePredictRequest(kModelName);
    (*request.mutable_inputs())["x"] = FloatTensorProto({1, 2, 5}, {3});
    return request;
  }

  // Sends `request`, expects `code` with `message_part` in the message, then
  // checks that a good request still succeeds.
  void ExpectPredictError(const tfs::PredictRequest& request,
                          grpc::StatusCode code,
                          const std::string& message_part) {
    tfs::PredictResponse response;
    const grpc::Status status =
        CallPredict(daemon_->prediction(), request, &response);
    EXPECT_EQ(status.error_code(), code) << status.error_message();
    EXPECT_THAT(status.error_message(), HasSubstr(message_part));
    ExpectStillServing();
  }

  void ExpectStillServing() {
    tfs::PredictResponse response;
    const grpc::Status status =
        CallPredict(daemon_->prediction(), GoodRequest(), &response);
    ASSERT_TRUE(status.ok())
        << "the daemon stopped serving: " << status.error_code() << ": "
        << status.error_message() << "\nstderr:\n"
        << daemon_->Stderr();
    ASSERT_EQ(response.outputs().count("y"), 1u);
    EXPECT_THAT(FloatValues(response.outputs().at("y")),
                Pointwise(FloatEq(), {2.5f, 3.0f, 4.5f}));
  }

  static DaemonProcess* daemon_;
  static std::string* start_error_;
};

DaemonProcess* DaemonErrors::daemon_ = nullptr;
std::string* DaemonErrors::start_error_ = nullptr;

TEST_F(DaemonErrors, UnknownModelIsNotFound) {
  tfs::PredictRequest request = GoodRequest();
  request.mutable_model_spec()->set_name("nope");
  tfs::PredictResponse response;
  const grpc::Status status =
      CallPredict(daemon_->prediction(), request, &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(status.error_message(),
            "Servable not found for request: Latest(nope)");
  ExpectStillServing();
}

TEST_F(DaemonErrors, UnknownVersionIsNotFound) {
  tfs::PredictRequest request = GoodRequest();
  request.mutable_model_spec()->mutable_version()->set_value(7);
  ExpectPredictError(request, grpc::StatusCode::NOT_FOUND,
                     "Servable not found for request: Specific(half_plus_two, "
                     "7)");
  request.mutable_model_spec()->set_name("nope");
  ExpectPredictError(request, grpc::StatusCode::NOT_FOUND,
                     "Servable not found for request: Specific(nope, 7)");
}

TEST_F(DaemonErrors, EmptyModelNameIsInvalidArgument) {
  tfs::PredictRequest request = GoodRequest();
  request.mutable_model_spec()->clear_name();
  ExpectPredictError(request, grpc::StatusCode::INVALID_ARGUMENT,
                     "ModelSpec has no name specified.");
}

TEST_F(DaemonErrors, VersionLabelIsUnrecognized) {
  tfs::PredictRequest request = GoodRequest();
  request.mutable_model_spec()->set_version_label("stable");
  ExpectPredictError(request, grpc::StatusCode::INVALID_ARGUMENT,
                     "Unrecognized servable version label: stable");
}

TEST_F(DaemonErrors, MissingModelSpecIsInvalidArgument) {
  tfs::PredictRequest request = GoodRequest();
  request.clear_model_spec();
  ExpectPredictError(request, grpc::StatusCode::INVALID_ARGUMENT,
                     "Missing ModelSpec");
}

TEST_F(DaemonErrors, UnknownSignatureIsFailedPrecondition) {
  tfs::PredictRequest request = GoodRequest();
  request.mutable_model_spec()->set_signature_name("nope");
  ExpectPredictError(request, grpc::StatusCode::FAILED_PRECONDITION,
                     "Serving signature key \"nope\" not found.");
}

TEST_F(DaemonErrors, UnknownInputAliasIsInvalidArgument) {
  tfs::PredictRequest request = GoodRequest();
  (*request.mutable_inputs())["not_an_input"] = FloatTensorProto({1}, {1});
  ExpectPredictError(request, grpc::StatusCode::INVALID_ARGUMENT,
                     "not_an_input");
  request.mutable_inputs()->erase("x");
  ExpectPredictError(request, grpc::StatusCode::INVALID_ARGUMENT,
                     "not_an_input");
}

TEST_F(DaemonErrors, MissingInputIsInvalidArgument) {
  tfs::PredictRequest request = GoodRequest();
  request.clear_inputs();
  ExpectPredictError(request, grpc::StatusCode::INVALID_ARGUMENT, "x");
}

TEST_F(DaemonErrors, WrongDtypeIsInvalidArgument) {
  tfs::PredictRequest request = GoodRequest();
  tensorflow::TensorProto x;
  x.set_dtype(tensorflow::DT_STRING);
  x.mutable_tensor_shape()->add_dim()->set_size(1);
  x.add_string_val("one");
  (*request.mutable_inputs())["x"] = x;
  ExpectPredictError(request, grpc::StatusCode::INVALID_ARGUMENT,
                     "Expects arg[0] to be float but string is provided");
}

TEST_F(DaemonErrors, TensorContentOfTheWrongSizeIsInvalidArgument) {
  tfs::PredictRequest request = GoodRequest();
  tensorflow::TensorProto x = FloatTensorProto({}, {3});
  x.set_tensor_content(std::string(7, '\0'));  // 3 floats need 12 bytes
  (*request.mutable_inputs())["x"] = x;
  ExpectPredictError(request, grpc::StatusCode::INVALID_ARGUMENT, "x");
}

TEST_F(DaemonErrors, NegativeDimensionIsInvalidArgument) {
  tfs::PredictRequest request = GoodRequest();
  (*request.mutable_inputs())["x"] = FloatTensorProto({1}, {-3});
  ExpectPredictError(request, grpc::StatusCode::INVALID_ARGUMENT, "x");
}

TEST_F(DaemonErrors, HugeDeclaredShapeFailsCleanly) {
  for (const std::vector<int64_t>& shape :
       std::vector<std::vector<int64_t>>{{int64_t{1} << 40},
                                         {int64_t{1} << 31, int64_t{1} << 31},
                                         {int64_t{1} << 40, 0}}) {
    tfs::PredictRequest request = GoodRequest();
    (*request.mutable_inputs())["x"] = FloatTensorProto({}, shape);
    tfs::PredictResponse response;
    const grpc::Status status =
        CallPredict(daemon_->prediction(), request, &response);
    if (shape.back() == 0) {
      // Zero elements: a valid empty tensor; the answer is empty too.
      EXPECT_TRUE(status.ok() ||
                  status.error_code() == grpc::StatusCode::INVALID_ARGUMENT)
          << status.error_code() << ": " << status.error_message();
    } else {
      EXPECT_FALSE(status.ok()) << "shape " << shape[0];
      EXPECT_THAT(status.error_code(),
                  ::testing::AnyOf(grpc::StatusCode::INVALID_ARGUMENT,
                                   grpc::StatusCode::RESOURCE_EXHAUSTED))
          << status.error_message();
    }
    ExpectStillServing();
  }
}

TEST_F(DaemonErrors, ClassifyRegressMultiInferenceResolveTheModelFirst) {
  {
    grpc::ClientContext context;
    tfs::ClassificationRequest request;  // no model_spec
    tfs::ClassificationResponse response;
    const grpc::Status status =
        daemon_->prediction().Classify(&context, request, &response);
    EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
    EXPECT_EQ(status.error_message(), "Missing ModelSpec");
  }
  {
    grpc::ClientContext context;
    tfs::RegressionRequest request;
    request.mutable_model_spec()->set_name("no_such_model");
    tfs::RegressionResponse response;
    const grpc::Status status =
        daemon_->prediction().Regress(&context, request, &response);
    EXPECT_EQ(status.error_code(), grpc::StatusCode::NOT_FOUND);
    EXPECT_EQ(status.error_message(),
              "Servable not found for request: Latest(no_such_model)");
  }
  {
    // No tasks: TF Serving looks up an empty ModelSpec.
    grpc::ClientContext context;
    tfs::MultiInferenceRequest request;
    tfs::MultiInferenceResponse response;
    const grpc::Status status =
        daemon_->prediction().MultiInference(&context, request, &response);
    EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
    EXPECT_THAT(status.error_message(),
                HasSubstr("ModelSpec has no name specified."));
  }
  ExpectStillServing();
}

TEST_F(DaemonErrors, GetModelMetadataChecksItsRequest) {
  struct Case {
    bool with_spec;
    std::string name;
    std::vector<std::string> fields;
    grpc::StatusCode code;
    std::string message;
  };
  const Case cases[] = {
      {false,
       kModelName,
       {"signature_def"},
       grpc::StatusCode::INVALID_ARGUMENT,
       "Missing ModelSpec"},
      {true,
       kModelName,
       {},
       grpc::StatusCode::INVALID_ARGUMENT,
       "GetModelMetadataRequest must specify at least one metadata_field"},
      {true,
       kModelName,
       {"signature_def", "foo"},
       grpc::StatusCode::INVALID_ARGUMENT,
       "Metadata field %s is not supportedfoo"},
      {true,
       "nope",
       {"signature_def"},
       grpc::StatusCode::NOT_FOUND,
       "Servable not found for request: Latest(nope)"},
  };
  for (const Case& c : cases) {
    tfs::GetModelMetadataRequest request;
    if (c.with_spec) request.mutable_model_spec()->set_name(c.name);
    for (const std::string& field : c.fields) request.add_metadata_field(field);
    grpc::ClientContext context;
    tfs::GetModelMetadataResponse response;
    const grpc::Status status =
        daemon_->prediction().GetModelMetadata(&context, request, &response);
    EXPECT_EQ(status.error_code(), c.code) << c.message;
    EXPECT_EQ(status.error_message(), c.message);
  }
  ExpectStillServing();
}

TEST_F(DaemonErrors, GetModelStatusChecksItsRequest) {
  tfs::GetModelStatusResponse response;
  tfs::GetModelStatusRequest request;
  grpc::Status status =
      CallGetModelStatus(daemon_->model_service(), request, &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(status.error_message(), "Missing ModelSpec");

  status = CallGetModelStatus(daemon_->model_service(), "nope", &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(status.error_message(),
            "Could not find any versions of model nope");

  request.mutable_model_spec()->set_name(kModelName);
  request.mutable_model_spec()->mutable_version()->set_value(7);
  status = CallGetModelStatus(daemon_->model_service(), request, &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(status.error_message(),
            "Could not find version 7 of model half_plus_two");
}

TEST_F(DaemonErrors, ReloadConfigWithoutModelListIsInvalidArgument) {
  grpc::ClientContext context;
  tfs::ReloadConfigRequest request;
  tfs::ReloadConfigResponse response;
  const grpc::Status status =
      daemon_->model_service().HandleReloadConfigRequest(&context, request,
                                                         &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(status.error_message(),
            "ServerModelConfig type not supported by "
            "HandleReloadConfigRequest. Only ModelConfigList is currently "
            "supported");
}

}  // namespace
}  // namespace model_server
