// Deadlines and cancellation end to end (issue 14): a model whose only
// signature runs an endless while loop. A gRPC client with a deadline gets
// DEADLINE_EXCEEDED; a gRPC client that cancels, a REST client that closes
// its connection and a batched request whose client cancels each stop their
// run. The proof that a run stopped: the version it held unloads (reaches
// END) once a newer version replaces it. A run that went on would hold the
// version in UNLOADING forever (the bug this guards against), and would keep
// a core busy.
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "gmock/gmock.h"
#include "grpcpp/client_context.h"
#include "gtest/gtest.h"
#include "runtime/tensor.h"
#include "tensorflow_serving/apis/predict.pb.h"
#include "tests/testing/http_client.h"
#include "tests/testing/model_directory_daemon.h"
#include "tests/testing/tf1_while_loop_builder.h"
#include "tools/saved_model_builder.h"

namespace model_server {
namespace {

namespace fs = std::filesystem;
namespace tfs = tensorflow::serving;
using testing::ModelDirectoryDaemon;

constexpr char kModel[] = "endless";
// How long a version may take to unload once nothing holds it; a run that
// never stops holds it for ever.
constexpr absl::Duration kUnloadWait = absl::Seconds(30);

// serving_default: x (int32 [n]) -> y, where y = x + 1 + 1 + ... for ever.
absl::Status WriteEndlessModel(const std::string& dir) {
  SavedModelWriter model;
  GraphBuilder& g = model.graph();
  std::string x = g.Placeholder("x", DT_INT32);
  Tf1WhileLoopBuilder loop(&g, "forever", {{x, DT_INT32}});
  loop.Cond(loop.Const("yes", Tensor::Scalar<bool>(true)));
  std::string one = loop.Const("one", Tensor::Scalar<int32_t>(1));
  std::vector<std::string> exits = loop.Body({g.Binary(
      loop.Name("add"), "AddV2", loop.body_vars()[0], one, DT_INT32)});
  model.AddSignature("serving_default")
      .Input("x", x, DT_INT32)
      .Output("y", exits[0], DT_INT32);
  return model.Write(dir);
}

tfs::PredictRequest EndlessRequest() {
  tfs::PredictRequest request;
  request.mutable_model_spec()->set_name(kModel);
  tensorflow::TensorProto& x = (*request.mutable_inputs())["x"];
  x.set_dtype(tensorflow::DT_INT32);
  x.mutable_tensor_shape()->add_dim()->set_size(1);
  x.add_int_val(0);
  return request;
}

std::vector<std::string> Flags() {
  return {"--file_system_poll_wait_seconds=1", "--rest_api_timeout_in_ms=0"};
}

// Publishes version 2 and waits for version 1 to reach END: it can only if
// no request holds it any more.
void ExpectVersion1Unloads(ModelDirectoryDaemon& served) {
  ASSERT_TRUE(WriteEndlessModel(served.Path("incoming")).ok());
  fs::rename(served.Path("incoming"), served.Path("2"));
  auto v2 = served.WaitForState(2, tfs::ModelVersionStatus::AVAILABLE,
                                absl::Seconds(30));
  ASSERT_TRUE(v2.has_value());
  ASSERT_EQ(v2->state(), tfs::ModelVersionStatus::AVAILABLE);
  auto v1 = served.WaitForState(1, tfs::ModelVersionStatus::END, kUnloadWait);
  ASSERT_TRUE(v1.has_value());
  EXPECT_EQ(v1->state(), tfs::ModelVersionStatus::END)
      << "version 1 is still held by a request that should have stopped\n"
      << served.daemon().Stderr();
}

// Sends the endless Predict without a deadline and cancels it once it runs.
grpc::Status PredictThenCancel(ModelDirectoryDaemon& served) {
  grpc::ClientContext context;  // no deadline: only cancelling ends the call
  grpc::Status status;
  std::thread client([&] {
    tfs::PredictResponse response;
    status = served.daemon().prediction().Predict(&context, EndlessRequest(),
                                                  &response);
  });
  absl::SleepFor(absl::Milliseconds(500));  // the loop is running by now
  context.TryCancel();
  client.join();
  return status;
}

TEST(Cancellation, AGrpcDeadlineStopsAnEndlessLoop) {
  auto served = ModelDirectoryDaemon::Start(kModel, WriteEndlessModel, Flags());
  ASSERT_TRUE(served.ok()) << served.status();
  grpc::ClientContext context;
  context.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(1)));
  tfs::PredictResponse response;
  grpc::Status status = (*served)->daemon().prediction().Predict(
      &context, EndlessRequest(), &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::DEADLINE_EXCEEDED)
      << status.error_message();
  ExpectVersion1Unloads(**served);
}

TEST(Cancellation, AGrpcClientThatCancelsStopsItsRun) {
  auto served = ModelDirectoryDaemon::Start(kModel, WriteEndlessModel, Flags());
  ASSERT_TRUE(served.ok()) << served.status();
  const grpc::Status status = PredictThenCancel(**served);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::CANCELLED)
      << status.error_message();
  ExpectVersion1Unloads(**served);
}

TEST(Cancellation, ARestClientThatClosesItsConnectionStopsItsRun) {
  auto served = ModelDirectoryDaemon::Start(kModel, WriteEndlessModel, Flags(),
                                            /*rest_api=*/true);
  ASSERT_TRUE(served.ok()) << served.status();
  // --rest_api_timeout_in_ms=0: no deadline; the client gives up after
  // 500 ms and closes its connection.
  auto result = testing::HttpCall(
      (*served)->daemon().rest_port(), "POST",
      absl::StrCat("/v1/models/", kModel, ":predict"),
      R"({"inputs": {"x": [0]}})", {}, absl::Milliseconds(500));
  ASSERT_FALSE(result.ok()) << "the endless loop answered: " << result->body;
  EXPECT_EQ(result.status().code(), absl::StatusCode::kDeadlineExceeded)
      << result.status();
  ExpectVersion1Unloads(**served);
}

TEST(Cancellation, ABatchedRequestWhoseClientCancelsStopsItsBatch) {
  auto dir = testing::TempDirectory::Create();
  ASSERT_TRUE(dir.ok()) << dir.status();
  const std::string batching = (*dir)->path() + "/batching.txt";
  std::ofstream(batching) << "max_batch_size { value: 4 }\n"
                             "batch_timeout_micros { value: 1000 }\n";
  std::vector<std::string> flags = Flags();
  flags.push_back("--enable_batching");
  flags.push_back("--batching_parameters_file=" + batching);
  auto served = ModelDirectoryDaemon::Start(kModel, WriteEndlessModel, flags);
  ASSERT_TRUE(served.ok()) << served.status();
  const grpc::Status status = PredictThenCancel(**served);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::CANCELLED)
      << status.error_message();
  ExpectVersion1Unloads(**served);
}

}  // namespace
}  // namespace model_server
