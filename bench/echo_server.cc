// echo_server: a bare tensorflow.serving.PredictionService that answers
// Predict without running anything, so a load test against it measures the
// ceiling of any gRPC server for the same payload.
//
//   echo_server --port=9000
//
// Each PredictRequest is answered with a PredictResponse carrying the same
// model_spec and every input tensor echoed back: the input aliased "x" (or,
// if there is no "x", the first input in map order) comes back as output
// "y", any others under their own alias, so the response payload is as large
// as the request's. Every other PredictionService method answers
// UNIMPLEMENTED.
//
// Server settings match the daemon's: gRPC's callback API, send/receive
// message limits of INT_MAX, and SO_REUSEPORT off so a port already taken
// fails loudly. Listens on 127.0.0.1 only. Runs until SIGINT or SIGTERM,
// then shuts down and exits 0.
#include <grpcpp/grpcpp.h>
#include <signal.h>

#include <climits>
#include <cstdio>
#include <memory>
#include <string>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "grpcpp/support/proto_buffer_reader.h"
#include "model_server/serialized_input.pb.h"
#include "tensorflow_serving/apis/prediction_service.grpc.pb.h"

ABSL_FLAG(int, port, 0,
          "Port to listen on at 127.0.0.1 (0 picks a free one; the chosen "
          "port is printed on stdout)");

namespace model_server {
namespace {

using tensorflow::serving::PredictionService;
using tensorflow::serving::PredictRequest;
using tensorflow::serving::PredictResponse;

// Examples in a request's Input, or -1 when the bytes do not parse.
template <typename SerializedRequest>
int CountExamples(const grpc::ByteBuffer& bytes) {
  grpc::ByteBuffer copy(bytes);
  grpc::ProtoBufferReader reader(&copy);
  SerializedRequest request;
  if (!request.ParseFromZeroCopyStream(&reader)) return -1;
  const SerializedInput& input = request.input();
  return input.has_example_list()
             ? input.example_list().examples_size()
             : input.example_list_with_context().examples_size();
}

template <typename Response>
grpc::ServerUnaryReactor* FinishRaw(grpc::CallbackServerContext* context,
                                    const Response& message,
                                    grpc::ByteBuffer* response) {
  bool own_buffer = false;
  grpc::Status status = grpc::SerializationTraits<Response>::Serialize(
      message, response, &own_buffer);
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  reactor->Finish(status);
  return reactor;
}

grpc::ServerUnaryReactor* FinishInvalid(grpc::CallbackServerContext* context) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  reactor->Finish(
      grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, "unparsable request"));
  return reactor;
}

using EchoBase = PredictionService::WithCallbackMethod_Predict<
    PredictionService::WithRawCallbackMethod_Classify<
        PredictionService::WithRawCallbackMethod_Regress<
            PredictionService::Service>>>;

class EchoPredictionService final : public EchoBase {
 public:
  grpc::ServerUnaryReactor* Regress(grpc::CallbackServerContext* context,
                                    const grpc::ByteBuffer* request,
                                    grpc::ByteBuffer* response) override {
    const int examples = CountExamples<SerializedRegressionRequest>(*request);
    if (examples < 0) return FinishInvalid(context);
    tensorflow::serving::RegressionResponse message;
    for (int i = 0; i < examples; ++i) {
      message.mutable_result()->add_regressions()->set_value(0);
    }
    return FinishRaw(context, message, response);
  }

  grpc::ServerUnaryReactor* Classify(grpc::CallbackServerContext* context,
                                     const grpc::ByteBuffer* request,
                                     grpc::ByteBuffer* response) override {
    const int examples =
        CountExamples<SerializedClassificationRequest>(*request);
    if (examples < 0) return FinishInvalid(context);
    tensorflow::serving::ClassificationResponse message;
    for (int i = 0; i < examples; ++i) {
      message.mutable_result()->add_classifications()->add_classes()->set_score(
          0);
    }
    return FinishRaw(context, message, response);
  }

  grpc::ServerUnaryReactor* Predict(grpc::CallbackServerContext* context,
                                    const PredictRequest* request,
                                    PredictResponse* response) override {
    *response->mutable_model_spec() = request->model_spec();
    const auto& inputs = request->inputs();
    auto echoed = inputs.find("x");
    if (echoed == inputs.end()) echoed = inputs.begin();
    auto& outputs = *response->mutable_outputs();
    for (auto it = inputs.begin(); it != inputs.end(); ++it) {
      outputs[it == echoed ? std::string("y") : it->first] = it->second;
    }
    grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
    reactor->Finish(grpc::Status::OK);
    return reactor;
  }
};

// Blocks SIGINT and SIGTERM in every thread (gRPC's threads inherit the
// mask) so that main can wait for them with sigwait.
sigset_t BlockStopSignals() {
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  return signals;
}

int Run() {
  const int port = absl::GetFlag(FLAGS_port);
  if (port < 0 || port > 65535) {
    std::fprintf(stderr, "echo_server: --port=%d is not a port (0..65535)\n",
                 port);
    return 2;
  }
  sigset_t stop_signals = BlockStopSignals();

  EchoPredictionService service;
  grpc::ServerBuilder builder;
  int selected_port = 0;
  const std::string address = "127.0.0.1:" + std::to_string(port);
  builder.AddListeningPort(address, grpc::InsecureServerCredentials(),
                           &selected_port);
  builder.SetMaxReceiveMessageSize(INT_MAX);
  builder.SetMaxSendMessageSize(INT_MAX);
  builder.AddChannelArgument(GRPC_ARG_ALLOW_REUSEPORT, 0);
  builder.RegisterService(&service);
  std::unique_ptr<grpc::Server> server = builder.BuildAndStart();
  if (server == nullptr || selected_port == 0) {
    std::fprintf(stderr, "echo_server: could not listen on %s (port in use?)\n",
                 address.c_str());
    return 1;
  }
  std::printf("echo_server listening on 127.0.0.1:%d\n", selected_port);
  std::fflush(stdout);

  int signal_number = 0;
  sigwait(&stop_signals, &signal_number);
  server->Shutdown();
  server->Wait();
  return 0;
}

}  // namespace
}  // namespace model_server

int main(int argc, char** argv) {
  absl::SetProgramUsageMessage(
      "A bare gRPC PredictionService that echoes Predict inputs back as "
      "outputs (the ceiling of any gRPC server).\nUsage: echo_server "
      "--port=9000");
  absl::ParseCommandLine(argc, argv);
  return model_server::Run();
}
