#include "daemon/prediction_service.h"

#include <atomic>
#include <chrono>
#include <climits>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "daemon/grpc_status.h"
#include "daemon/model_metadata.h"
#include "daemon/model_spec.h"
#include "google/protobuf/arena.h"
#include "grpcpp/support/byte_buffer.h"
#include "grpcpp/support/proto_buffer_reader.h"
#include "grpcpp/support/proto_buffer_writer.h"
#include "model_server/serialized_input.pb.h"
#include "runtime/cancellation.h"
#include "signatures/classify_regress.h"
#include "signatures/multi_inference.h"
#include "signatures/predict.h"
#include "tensorflow_serving/apis/get_model_metadata.pb.h"

namespace model_server {
namespace {

namespace tfs = tensorflow::serving;

// Stack bytes a Predict's messages start in before the arena mallocs.
constexpr size_t kArenaFirstBlockBytes = 4096;

grpc::ServerUnaryReactor* Finish(grpc::CallbackServerContext* context,
                                 const absl::Status& status) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  reactor->Finish(ToGrpcStatus(status));
  return reactor;
}

// A call's cancellation, for its run to poll: the client cancelled,
// disconnected or its deadline passed. gRPC tells a reactor (OnCancel) only
// once the method handler has returned, and without a blocking pool the
// run happens inside the handler, so the run asks the call itself.
// ServerContext::IsCancelled takes a lock: it is asked on every 16th poll.
// Polled by one thread at a time (the run's, or its batch's).
class CallCancellation final : public CancellationSignal {
 public:
  explicit CallCancellation(const grpc::CallbackServerContext& context)
      : context_(context) {}

  bool cancelled() const override {
    if (cancelled_.load(std::memory_order_relaxed)) return true;
    if ((polls_.fetch_add(1, std::memory_order_relaxed) & 15) != 15) {
      return false;
    }
    if (!context_.IsCancelled()) return false;
    cancelled_.store(true, std::memory_order_relaxed);
    return true;
  }

 private:
  const grpc::CallbackServerContext& context_;
  mutable std::atomic<uint32_t> polls_{0};
  mutable std::atomic<bool> cancelled_{false};
};

// `limits` with the call's deadline (none when the client set none) and its
// cancellation.
RunOptions RunOptionsFor(const grpc::CallbackServerContext& context,
                         const CancellationSignal& cancellation,
                         const RunOptions& limits) {
  RunOptions options = limits;
  const std::chrono::system_clock::time_point deadline = context.deadline();
  if (deadline != std::chrono::system_clock::time_point::max()) {
    options.deadline = absl::FromChrono(deadline);
  }
  options.cancellation = &cancellation;
  return options;
}

// gRPC messages are limited to 2 GiB (INT_MAX bytes); gRPC aborts the
// process when asked to serialize a larger one, so such a response becomes
// an error instead.
absl::Status CheckResponseSize(const google::protobuf::Message& response) {
  const size_t bytes = response.ByteSizeLong();
  if (bytes > static_cast<size_t>(INT_MAX)) {
    return absl::ResourceExhaustedError(absl::StrCat(
        "the response would take ", bytes, " bytes, more than gRPC's limit of ",
        INT_MAX, " bytes per message; send fewer inputs per request"));
  }
  return absl::OkStatus();
}

// The response's model_spec: the request's name, the resolved signature key
// and the version that served.
void EchoModelSpec(const tfs::ModelSpec& requested,
                   const std::string& signature_key, int64_t version,
                   tfs::ModelSpec* spec) {
  spec->Clear();
  spec->set_name(requested.name());
  spec->set_signature_name(signature_key);
  spec->mutable_version()->set_value(version);
}

absl::Status Predict(const ModelManager& models,
                     const SignatureCheckOptions& checks,
                     TensorEncoding output_encoding, RunOptions options,
                     const tfs::PredictRequest& request,
                     tfs::PredictResponse* response,
                     ServerMetrics::Request* record) {
  if (!request.has_model_spec()) {
    return absl::InvalidArgumentError("Missing ModelSpec");
  }
  record->set_model_name(request.model_spec().name());
  absl::StatusOr<ServableHandle> handle =
      models.GetHandle(ServableRequestFromModelSpec(request.model_spec()));
  if (!handle.ok()) return handle.status();
  record->set_served_version(*handle);
  options.report = record->run_report();
  std::string signature_key;
  absl::Status status =
      RunPredict((*handle)->model->signatures(), request, options, response,
                 &signature_key, checks, output_encoding);
  if (!status.ok()) return status;
  EchoModelSpec(request.model_spec(), signature_key, (*handle)->version,
                response->mutable_model_spec());
  return CheckResponseSize(*response);
}

// Parses raw request bytes as `request` (a serialized_input.proto view).
template <typename Request>
absl::Status ParseRequest(const grpc::ByteBuffer& bytes,
                          absl::string_view public_name, Request* request) {
  grpc::ByteBuffer copy(bytes);  // shares the slices
  grpc::ProtoBufferReader reader(&copy);
  if (!reader.status().ok() || !request->ParseFromZeroCopyStream(&reader)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "Could not parse the request as a tensorflow.serving.", public_name,
        " (", bytes.Length(),
        " bytes): it is not a valid serialized message, or it nests messages "
        "deeper than protobuf's limit of 100 levels (a TensorProto inside "
        "variant_val adds 2 levels)"));
  }
  return absl::OkStatus();
}

// `status`, and on success `message` serialized into `response` (or the
// error that prevented it).
template <typename Response>
absl::Status SerializeInto(absl::Status status, const Response& message,
                           grpc::ByteBuffer* response) {
  if (status.ok()) status = CheckResponseSize(message);
  if (status.ok()) {
    bool own_buffer = false;
    grpc::Status serialized = grpc::SerializationTraits<Response>::Serialize(
        message, response, &own_buffer);
    if (!serialized.ok()) {
      status = absl::InternalError(absl::StrCat(
          "could not serialize the response: ", serialized.error_message()));
    }
  }
  return status;
}

// The signatures-layer entry point of Classify or Regress.
template <typename Result>
using ExampleMethodRunner = absl::Status (*)(
    const SignatureMap&, absl::string_view, const SignatureCheckOptions&,
    const RunOptions&, SerializedInput*, Result*, std::string*);

// Classify and Regress: parse the request (a serialized_input.proto view
// named `public_name`), resolve the version, run, echo the model_spec.
template <typename Request, typename Response, typename Result>
absl::Status ServeExampleMethod(
    ExampleMethodRunner<Result> run, absl::string_view public_name,
    const ModelManager& models, const SignatureCheckOptions& signature_checks,
    RunOptions options, const grpc::ByteBuffer& bytes, Response* response,
    ServerMetrics::Request* record) {
  Request request;
  absl::Status status = ParseRequest(bytes, public_name, &request);
  if (!status.ok()) return status;
  if (!request.has_model_spec()) {
    return absl::InvalidArgumentError("Missing ModelSpec");
  }
  record->set_model_name(request.model_spec().name());
  absl::StatusOr<ServableHandle> handle =
      models.GetHandle(ServableRequestFromModelSpec(request.model_spec()));
  if (!handle.ok()) return handle.status();
  record->set_served_version(*handle);
  options.report = record->run_report();
  std::string signature_key;
  status =
      run((*handle)->model->signatures(), request.model_spec().signature_name(),
          signature_checks, options, request.mutable_input(),
          response->mutable_result(), &signature_key);
  if (!status.ok()) return status;
  EchoModelSpec(request.model_spec(), signature_key, (*handle)->version,
                response->mutable_model_spec());
  return absl::OkStatus();
}

// TF Serving resolves the version from the first task's model_spec (an
// empty spec when there are no tasks, which fails the lookup).
absl::Status MultiInference(const ModelManager& models,
                            const SignatureCheckOptions& signature_checks,
                            RunOptions options, const grpc::ByteBuffer& bytes,
                            tfs::MultiInferenceResponse* response,
                            ServerMetrics::Request* record) {
  SerializedMultiInferenceRequest request;
  absl::Status status = ParseRequest(bytes, "MultiInferenceRequest", &request);
  if (!status.ok()) return status;
  const tfs::ModelSpec& spec = request.tasks().empty()
                                   ? tfs::ModelSpec::default_instance()
                                   : request.tasks(0).model_spec();
  record->set_model_name(spec.name());
  absl::StatusOr<ServableHandle> handle =
      models.GetHandle(ServableRequestFromModelSpec(spec));
  if (!handle.ok()) return handle.status();
  record->set_served_version(*handle);
  options.report = record->run_report();
  return RunMultiInference((*handle)->model->signatures(), (*handle)->version,
                           signature_checks, options, &request, response);
}

}  // namespace

template <typename Serve>
grpc::ServerUnaryReactor* PredictionServiceImpl::ServeCall(
    grpc::CallbackServerContext* context, absl::string_view api, Serve serve) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  auto run = [this, context, reactor, api, serve = std::move(serve)] {
    ServerMetrics::Request record(metrics_, api, "GRPC");
    const CallCancellation cancellation(*context);
    const absl::Status status =
        serve(RunOptionsFor(*context, cancellation, request_limits_), &record);
    record.Finish(status);
    reactor->Finish(ToGrpcStatus(status));
  };
  if (blocking_pool_ == nullptr || !blocking_pool_->Schedule(run)) run();
  return reactor;
}

grpc::ServerUnaryReactor* PredictionServiceImpl::Predict(
    grpc::CallbackServerContext* context, const grpc::ByteBuffer* request,
    grpc::ByteBuffer* response) {
  return ServeCall(
      context, "Predict",
      [=](const RunOptions& options, ServerMetrics::Request* record) {
        // The request and response messages live on an arena that starts on
        // the stack: a small Predict then parses and answers without a heap
        // allocation per field (malloc was ~9% of the daemon's CPU under small
        // requests). The response is serialized before the arena goes away.
        alignas(8) char first_block[kArenaFirstBlockBytes];
        google::protobuf::ArenaOptions arena_options;
        arena_options.initial_block = first_block;
        arena_options.initial_block_size = sizeof(first_block);
        google::protobuf::Arena arena(arena_options);
        auto* parsed =
            google::protobuf::Arena::CreateMessage<tfs::PredictRequest>(&arena);
        auto* message =
            google::protobuf::Arena::CreateMessage<tfs::PredictResponse>(
                &arena);
        absl::Status status = ParseRequest(*request, "PredictRequest", parsed);
        if (status.ok()) {
          status = model_server::Predict(*models_, signature_checks_,
                                         predict_output_encoding_, options,
                                         *parsed, message, record);
        }
        return SerializeInto(status, *message, response);
      });
}

grpc::ServerUnaryReactor* PredictionServiceImpl::GetModelMetadata(
    grpc::CallbackServerContext* context,
    const tfs::GetModelMetadataRequest* request,
    tfs::GetModelMetadataResponse* response) {
  ServerMetrics::Request record(metrics_, "GetModelMetadata", "GRPC");
  record.set_model_name(request->model_spec().name());
  const absl::Status status =
      model_server::GetModelMetadata(*models_, *request, response);
  record.Finish(status);
  return Finish(context, status);
}

grpc::ServerUnaryReactor* PredictionServiceImpl::Classify(
    grpc::CallbackServerContext* context, const grpc::ByteBuffer* request,
    grpc::ByteBuffer* response) {
  return ServeCall(
      context, "Classify",
      [=](const RunOptions& options, ServerMetrics::Request* record) {
        tfs::ClassificationResponse message;
        absl::Status status =
            ServeExampleMethod<SerializedClassificationRequest>(
                &RunClassify, "ClassificationRequest", *models_,
                signature_checks_, options, *request, &message, record);
        return SerializeInto(status, message, response);
      });
}

grpc::ServerUnaryReactor* PredictionServiceImpl::Regress(
    grpc::CallbackServerContext* context, const grpc::ByteBuffer* request,
    grpc::ByteBuffer* response) {
  return ServeCall(
      context, "Regress",
      [=](const RunOptions& options, ServerMetrics::Request* record) {
        tfs::RegressionResponse message;
        absl::Status status = ServeExampleMethod<SerializedRegressionRequest>(
            &RunRegress, "RegressionRequest", *models_, signature_checks_,
            options, *request, &message, record);
        return SerializeInto(status, message, response);
      });
}

grpc::ServerUnaryReactor* PredictionServiceImpl::MultiInference(
    grpc::CallbackServerContext* context, const grpc::ByteBuffer* request,
    grpc::ByteBuffer* response) {
  return ServeCall(
      context, "MultiInference",
      [=](const RunOptions& options, ServerMetrics::Request* record) {
        tfs::MultiInferenceResponse message;
        absl::Status status = model_server::MultiInference(
            *models_, signature_checks_, options, *request, &message, record);
        return SerializeInto(status, message, response);
      });
}

}  // namespace model_server
