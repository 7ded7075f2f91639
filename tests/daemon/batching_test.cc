// End-to-end server-side batching (--enable_batching): concurrent Predict,
// Regress and REST requests on the README's half_plus_two (written by the
// test; y = 0.5x + 2) come back right and in order, and the batching
// limits answer with TF Serving's errors.
#include <fstream>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tensorflow/core/example/example.pb.h"
#include "tests/testing/daemon_process.h"
#include "tests/testing/http_client.h"
#include "tools/example_model.h"

namespace model_server {
namespace {

namespace tfs = tensorflow::serving;
using testing::CallPredict;
using testing::DaemonOptions;
using testing::DaemonProcess;
using testing::FloatTensorProto;
using testing::FloatValues;
using ::testing::HasSubstr;
using testing::MakePredictRequest;

constexpr char kModelName[] = "half_plus_two";

// max_batch_size 8, padded to 4 or 8, with a 2 ms window to gather requests.
constexpr char kBatchingParameters[] = R"(
max_batch_size { value: 8 }
batch_timeout_micros { value: 2000 }
max_enqueued_batches { value: 100 }
num_batch_threads { value: 2 }
allowed_batch_sizes: 4
allowed_batch_sizes: 8
)";

class Batching : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto dir = testing::TempDirectory::Create();
    ASSERT_TRUE(dir.ok()) << dir.status();
    dir_ = dir->release();
    ASSERT_TRUE(WriteHalfPlusTwo(dir_->path() + "/model/1").ok());
    std::ofstream(dir_->path() + "/batching.txt") << kBatchingParameters;
    DaemonOptions options;
    options.model_name = kModelName;
    options.model_base_path = dir_->path() + "/model";
    options.rest_api = true;
    options.extra_flags = {
        "--enable_batching",
        "--batching_parameters_file=" + dir_->path() + "/batching.txt"};
    auto daemon = DaemonProcess::Start(options);
    ASSERT_TRUE(daemon.ok()) << daemon.status();
    daemon_ = daemon->release();
  }
  static void TearDownTestSuite() {
    if (daemon_ != nullptr) {
      EXPECT_EQ(daemon_->Stop().value_or(-1), 0);
    }
    delete daemon_;
    delete dir_;
  }

  static tfs::PredictRequest RequestOf(const std::vector<float>& x) {
    tfs::PredictRequest request = MakePredictRequest(kModelName);
    (*request.mutable_inputs())["x"] =
        FloatTensorProto(x, {static_cast<int64_t>(x.size()), 1});
    return request;
  }

  static testing::TempDirectory* dir_;
  static DaemonProcess* daemon_;
};

testing::TempDirectory* Batching::dir_ = nullptr;
DaemonProcess* Batching::daemon_ = nullptr;

TEST_F(Batching, ConcurrentPredictsEachGetTheirOwnRows) {
  constexpr int kClients = 12;
  std::vector<std::vector<float>> results(kClients);
  std::vector<grpc::Status> statuses(kClients);
  std::vector<std::thread> clients;
  for (int c = 0; c < kClients; ++c) {
    clients.emplace_back([&, c] {
      // Client c sends 1 + c % 3 rows: 10c, 10c + 1, ...
      std::vector<float> x;
      for (int r = 0; r < 1 + c % 3; ++r) x.push_back(10.0f * c + r);
      tfs::PredictResponse response;
      statuses[c] = CallPredict(daemon_->prediction(), RequestOf(x), &response);
      if (statuses[c].ok())
        results[c] = FloatValues(response.outputs().at("y"));
    });
  }
  for (std::thread& t : clients) t.join();
  for (int c = 0; c < kClients; ++c) {
    ASSERT_TRUE(statuses[c].ok()) << statuses[c].error_message();
    std::vector<float> expected;
    for (int r = 0; r < 1 + c % 3; ++r) {
      expected.push_back(0.5f * (10.0f * c + r) + 2);
    }
    EXPECT_EQ(results[c], expected) << "client " << c;
  }
}

TEST_F(Batching, RequestLargerThanMaxBatchSizeIsInvalid) {
  tfs::PredictResponse response;
  grpc::Status status = CallPredict(
      daemon_->prediction(), RequestOf({1, 2, 3, 4, 5, 6, 7, 8, 9}), &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(status.error_message(),
            "Task size 9 is larger than maximum input batch size 8");
}

TEST_F(Batching, ScalarInputCannotBeBatched) {
  tfs::PredictRequest request = MakePredictRequest(kModelName);
  (*request.mutable_inputs())["x"] = FloatTensorProto({1}, {});
  tfs::PredictResponse response;
  grpc::Status status = CallPredict(daemon_->prediction(), request, &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(status.error_message(),
              HasSubstr("Batching Run() input tensors must have at least one "
                        "dimension"));
}

TEST_F(Batching, RegressBatchesItsExamples) {
  tfs::RegressionRequest request;
  request.mutable_model_spec()->set_name(kModelName);
  request.mutable_model_spec()->set_signature_name("regress_x_to_y");
  for (float x : {2.0f, 4.0f, 6.0f}) {
    tensorflow::Example example;
    (*example.mutable_features()->mutable_feature())["x"]
        .mutable_float_list()
        ->add_value(x);
    *request.mutable_input()->mutable_example_list()->add_examples() = example;
  }
  tfs::RegressionResponse response;
  grpc::ClientContext context;
  grpc::Status status =
      daemon_->prediction().Regress(&context, request, &response);
  ASSERT_TRUE(status.ok()) << status.error_message();
  ASSERT_EQ(response.result().regressions_size(), 3);
  EXPECT_FLOAT_EQ(response.result().regressions(0).value(), 3);
  EXPECT_FLOAT_EQ(response.result().regressions(1).value(), 4);
  EXPECT_FLOAT_EQ(response.result().regressions(2).value(), 5);
}

TEST_F(Batching, RestPredictGoesThroughTheSameQueue) {
  auto result = testing::HttpCall(daemon_->rest_port(), "POST",
                                  "/v1/models/half_plus_two:predict",
                                  R"({"instances": [[1.0], [3.0]]})");
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_EQ(result->status, 200) << result->body;
  EXPECT_THAT(result->body, HasSubstr("2.5"));
  EXPECT_THAT(result->body, HasSubstr("3.5"));
}

TEST(BatchingFlags, ParametersFileNeedsEnableBatching) {
  auto run = testing::RunDaemonToExit(
      {"--model_base_path=/nonexistent", "--batching_parameters_file=/x"});
  ASSERT_TRUE(run.ok()) << run.status();
  EXPECT_EQ(run->exit_code, 255);
  EXPECT_THAT(run->stderr_text,
              HasSubstr("--batching_parameters_file is set without setting "
                        "--enable_batching to true."));
}

TEST(BatchingFlags, BadParametersFileStopsStartup) {
  auto dir = testing::TempDirectory::Create();
  ASSERT_TRUE(dir.ok());
  const std::string file = (*dir)->path() + "/batching.txt";
  std::ofstream(file) << "max_batch_size { value: 8 }\n"
                         "allowed_batch_sizes: 4\n";
  auto run = testing::RunDaemonToExit({"--model_base_path=/nonexistent",
                                       "--enable_batching",
                                       "--batching_parameters_file=" + file});
  ASSERT_TRUE(run.ok()) << run.status();
  EXPECT_EQ(run->exit_code, 1);
  EXPECT_THAT(run->stderr_text,
              HasSubstr("Last entry in allowed_batch_sizes must match "
                        "max_batch_size; last entry was 4; expected 8"));
}

}  // namespace
}  // namespace model_server
