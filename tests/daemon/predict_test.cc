// End-to-end Predict through the real daemon: TF Serving's half_plus_two
// models (TF1 and TF2 exports) and the stateful counter model.
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/testing/daemon_process.h"
#include "tests/testing/shared_daemons.h"

namespace model_server {
namespace {

namespace tfs = tensorflow::serving;
using testing::CallPredict;
using testing::DaemonOptions;
using testing::DaemonProcess;
using ::testing::ElementsAre;
using ::testing::FloatEq;
using testing::FloatTensorProto;
using testing::FloatValues;
using ::testing::HasSubstr;
using testing::MakePredictRequest;
using ::testing::Pointwise;
using testing::ShapeOf;

constexpr char kModelName[] = "half_plus_two";

class HalfPlusTwo : public ::testing::TestWithParam<const char*> {
 protected:
  static void TearDownTestSuite() { daemons_->StopAll(); }

  void SetUp() override {
    if (testing::SharedModelPath(GetParam()).empty()) {
      GTEST_SKIP() << "../shared/models/" << GetParam()
                   << " is absent: end-to-end Predict tests skipped";
    }
    daemon_ = daemons_->Get(GetParam(), kModelName);
    ASSERT_NE(daemon_, nullptr);
  }

  tfs::PredictResponse PredictOk(const tfs::PredictRequest& request) {
    tfs::PredictResponse response;
    const grpc::Status status =
        CallPredict(daemon_->prediction(), request, &response);
    EXPECT_TRUE(status.ok())
        << status.error_code() << ": " << status.error_message();
    return response;
  }

  static testing::SharedDaemons* daemons_;
  DaemonProcess* daemon_ = nullptr;
};

testing::SharedDaemons* HalfPlusTwo::daemons_ = new testing::SharedDaemons();

TEST_P(HalfPlusTwo, PredictsVectorOfThree) {
  tfs::PredictRequest request = MakePredictRequest(kModelName);
  (*request.mutable_inputs())["x"] = FloatTensorProto({1, 2, 5}, {3});
  const tfs::PredictResponse response = PredictOk(request);
  ASSERT_EQ(response.outputs().count("y"), 1u) << response.ShortDebugString();
  const tensorflow::TensorProto& y = response.outputs().at("y");
  EXPECT_EQ(y.dtype(), tensorflow::DT_FLOAT);
  EXPECT_THAT(ShapeOf(y), ElementsAre(3));
  EXPECT_THAT(FloatValues(y), Pointwise(FloatEq(), {2.5f, 3.0f, 4.5f}));
}

TEST_P(HalfPlusTwo, PredictsColumnOfThree) {
  tfs::PredictRequest request = MakePredictRequest(kModelName);
  (*request.mutable_inputs())["x"] = FloatTensorProto({1, 2, 5}, {3, 1});
  const tfs::PredictResponse response = PredictOk(request);
  ASSERT_EQ(response.outputs().count("y"), 1u) << response.ShortDebugString();
  const tensorflow::TensorProto& y = response.outputs().at("y");
  EXPECT_THAT(ShapeOf(y), ElementsAre(3, 1));
  EXPECT_THAT(FloatValues(y), Pointwise(FloatEq(), {2.5f, 3.0f, 4.5f}));
}

TEST_P(HalfPlusTwo, AcceptsTensorContent) {
  tfs::PredictRequest request = MakePredictRequest(kModelName);
  tensorflow::TensorProto x = FloatTensorProto({}, {3});
  const float values[] = {1, 2, 5};
  x.set_tensor_content(
      std::string(reinterpret_cast<const char*>(values), sizeof(values)));
  (*request.mutable_inputs())["x"] = x;
  const tfs::PredictResponse response = PredictOk(request);
  ASSERT_EQ(response.outputs().count("y"), 1u);
  EXPECT_THAT(FloatValues(response.outputs().at("y")),
              Pointwise(FloatEq(), {2.5f, 3.0f, 4.5f}));
}

TEST_P(HalfPlusTwo, ResponseEchoesNameSignatureAndServedVersion) {
  for (const char* signature : {"", "serving_default"}) {
    tfs::PredictRequest request = MakePredictRequest(kModelName, signature);
    (*request.mutable_inputs())["x"] = FloatTensorProto({1}, {1});
    const tfs::PredictResponse response = PredictOk(request);
    EXPECT_EQ(response.model_spec().name(), kModelName);
    EXPECT_EQ(response.model_spec().signature_name(), "serving_default");
    ASSERT_TRUE(response.model_spec().has_version());
    EXPECT_EQ(response.model_spec().version().value(), 123);
  }
}

TEST_P(HalfPlusTwo, ServesTheVersionAskedFor) {
  tfs::PredictRequest request = MakePredictRequest(kModelName);
  request.mutable_model_spec()->mutable_version()->set_value(123);
  (*request.mutable_inputs())["x"] = FloatTensorProto({2}, {1});
  const tfs::PredictResponse response = PredictOk(request);
  EXPECT_EQ(response.model_spec().version().value(), 123);
  ASSERT_EQ(response.outputs().count("y"), 1u);
  EXPECT_THAT(FloatValues(response.outputs().at("y")), ElementsAre(3.0f));
}

TEST_P(HalfPlusTwo, OutputFilterSelectsOutputs) {
  tfs::PredictRequest request = MakePredictRequest(kModelName);
  (*request.mutable_inputs())["x"] = FloatTensorProto({1, 2, 5}, {3});
  request.add_output_filter("y");
  const tfs::PredictResponse response = PredictOk(request);
  EXPECT_EQ(response.outputs().size(), 1);
  ASSERT_EQ(response.outputs().count("y"), 1u);
  EXPECT_THAT(FloatValues(response.outputs().at("y")),
              Pointwise(FloatEq(), {2.5f, 3.0f, 4.5f}));
}

TEST_P(HalfPlusTwo, OutputFilterWithUnknownAliasIsInvalidArgument) {
  tfs::PredictRequest request = MakePredictRequest(kModelName);
  (*request.mutable_inputs())["x"] = FloatTensorProto({1, 2, 5}, {3});
  request.add_output_filter("no_such_output");
  tfs::PredictResponse response;
  const grpc::Status status =
      CallPredict(daemon_->prediction(), request, &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(status.error_message(), HasSubstr("no_such_output"));
}

INSTANTIATE_TEST_SUITE_P(Tf1AndTf2, HalfPlusTwo,
                         ::testing::Values("tfs_half_plus_two_cpu",
                                           "tfs_half_plus_two_tf2_cpu"));

TEST(Counter, StatefulSignaturesShareOneVariable) {
  const std::string path = testing::SharedModelPath("tfs_counter");
  if (path.empty()) {
    GTEST_SKIP() << "../shared/models/tfs_counter is absent: skipped";
  }
  DaemonOptions options;
  options.model_name = "counter";
  options.model_base_path = path;
  auto daemon = DaemonProcess::Start(options);
  ASSERT_TRUE(daemon.ok()) << daemon.status();

  struct Step {
    const char* signature;
    std::vector<float> delta;  // empty: no input
    float expected;
  };
  const Step steps[] = {{"get_counter", {}, 0},
                        {"incr_counter", {}, 1},
                        {"reset_counter", {}, 0},
                        {"incr_counter", {}, 1},
                        {"incr_counter_by", {3}, 4}};
  for (const Step& step : steps) {
    tfs::PredictRequest request = MakePredictRequest("counter", step.signature);
    if (!step.delta.empty()) {
      (*request.mutable_inputs())["delta"] = FloatTensorProto(step.delta, {});
    }
    tfs::PredictResponse response;
    const grpc::Status status =
        CallPredict((*daemon)->prediction(), request, &response);
    ASSERT_TRUE(status.ok()) << step.signature << ": " << status.error_code()
                             << ": " << status.error_message();
    ASSERT_EQ(response.outputs().count("output"), 1u) << step.signature;
    const tensorflow::TensorProto& output = response.outputs().at("output");
    EXPECT_EQ(output.dtype(), tensorflow::DT_FLOAT) << step.signature;
    EXPECT_THAT(FloatValues(output), ElementsAre(step.expected))
        << step.signature;
    EXPECT_EQ(response.model_spec().signature_name(), step.signature);
  }
  auto exit_code = (*daemon)->Stop();
  ASSERT_TRUE(exit_code.ok()) << exit_code.status();
  EXPECT_EQ(*exit_code, 0) << (*daemon)->Stderr();
}

}  // namespace
}  // namespace model_server
