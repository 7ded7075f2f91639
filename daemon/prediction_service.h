// tensorflow.serving.PredictionService on gRPC's callback API: thin glue
// that resolves the model version through the ModelManager, calls the
// signatures layer and maps the result with ToGrpcStatus.
//
//   - Predict: registered as a raw method and parsed here, so that a request
//     protobuf cannot parse (e.g. a TensorProto nested through variant_val
//     past protobuf's depth limit of 100) is INVALID_ARGUMENT saying so, not
//     the empty UNIMPLEMENTED gRPC answers when its own parsing fails.
//     Then: "Missing ModelSpec" check, version lookup, RunPredict with the
//     call's deadline and cancellation (a client that cancels or disconnects
//     stops the run: CANCELLED); the response's model_spec echoes the
//     request's name, the resolved signature key and the version that
//     served. Classify, Regress and MultiInference run with the same
//     deadline and cancellation.
//   - GetModelMetadata: TF Serving's checks (research notes §3); answers
//     metadata["signature_def"] = Any(SignatureDefMap) with every signature of
//     the loaded MetaGraphDef.
//   - Classify, Regress, MultiInference: registered as raw methods. The
//     request bytes are parsed with model_server/serialized_input.proto,
//     which keeps each tf.Example serialized, so the examples reach the
//     model's ParseExample ops untouched (no decode and re-encode) and a
//     malformed Example is INVALID_ARGUMENT from that parser ("Could not
//     parse example input"). Request bytes that do not parse at all are
//     INVALID_ARGUMENT.
//   - A response over gRPC's 2 GiB message limit is RESOURCE_EXHAUSTED
//     (gRPC would abort the process serializing it). Then the signatures
//     layer runs them (classify_regress.h, multi_inference.h); Classify and
//     Regress echo model_spec as Predict does.
//
// Every call is counted in `metrics` (server_metrics.h) when set.
// Handlers run on gRPC's callback threads and finish before returning. The
// service holds no mutable state; it is thread-safe.
#ifndef MODEL_SERVER_DAEMON_PREDICTION_SERVICE_H_
#define MODEL_SERVER_DAEMON_PREDICTION_SERVICE_H_

#include "daemon/metrics/server_metrics.h"
#include "loader/model_manager.h"
#include "loader/worker_pool.h"
#include "runtime/executor.h"
#include "runtime/tensor_proto.h"
#include "signatures/example_signature.h"
#include "tensorflow_serving/apis/prediction_service.grpc.pb.h"

namespace model_server {

// The generated service with Predict, Classify, Regress and MultiInference
// taking raw request bytes.
using PredictionServiceBase =
    tensorflow::serving::PredictionService::WithRawCallbackMethod_Predict<
        tensorflow::serving::PredictionService::
            WithCallbackMethod_GetModelMetadata<
                tensorflow::serving::PredictionService::
                    WithRawCallbackMethod_Classify<
                        tensorflow::serving::PredictionService::
                            WithRawCallbackMethod_Regress<
                                tensorflow::serving::PredictionService::
                                    WithRawCallbackMethod_MultiInference<
                                        tensorflow::serving::PredictionService::
                                            Service>>>>>;

class PredictionServiceImpl final : public PredictionServiceBase {
 public:
  // `models` (and `metrics`, which may be null) must outlive the service.
  // Requests run with `request_limits` (its tensor limits; the deadline is
  // each call's); Predict encodes its outputs as `predict_output_encoding`.
  // With a `blocking_pool` (which must outlive the service), Predict,
  // Classify, Regress and MultiInference run on its threads instead of
  // gRPC's: with server-side batching a request waits for its batch, and
  // gRPC's few callback threads, held waiting, would keep batches from
  // filling (and I/O from being served).
  PredictionServiceImpl(
      const ModelManager* models, const SignatureCheckOptions& signature_checks,
      ServerMetrics* metrics = nullptr, const RunOptions& request_limits = {},
      TensorEncoding predict_output_encoding = TensorEncoding::kTypedFields,
      WorkerPool* blocking_pool = nullptr)
      : models_(models),
        signature_checks_(signature_checks),
        metrics_(metrics),
        request_limits_(request_limits),
        predict_output_encoding_(predict_output_encoding),
        blocking_pool_(blocking_pool) {}

  grpc::ServerUnaryReactor* Predict(grpc::CallbackServerContext* context,
                                    const grpc::ByteBuffer* request,
                                    grpc::ByteBuffer* response) override;

  grpc::ServerUnaryReactor* GetModelMetadata(
      grpc::CallbackServerContext* context,
      const tensorflow::serving::GetModelMetadataRequest* request,
      tensorflow::serving::GetModelMetadataResponse* response) override;

  grpc::ServerUnaryReactor* Classify(grpc::CallbackServerContext* context,
                                     const grpc::ByteBuffer* request,
                                     grpc::ByteBuffer* response) override;

  grpc::ServerUnaryReactor* Regress(grpc::CallbackServerContext* context,
                                    const grpc::ByteBuffer* request,
                                    grpc::ByteBuffer* response) override;

  grpc::ServerUnaryReactor* MultiInference(grpc::CallbackServerContext* context,
                                           const grpc::ByteBuffer* request,
                                           grpc::ByteBuffer* response) override;

 private:
  const ModelManager* const models_;
  const SignatureCheckOptions signature_checks_;
  ServerMetrics* const metrics_;
  const RunOptions request_limits_;
  // --enable_serialization_as_tensor_content: Predict's outputs.
  const TensorEncoding predict_output_encoding_;
  WorkerPool* const blocking_pool_;

  // Runs `serve` (fills the response, returns the call's status, given the
  // options to run with, which carry the call's deadline and cancellation,
  // and the call's metrics record) and finishes the call, on blocking_pool_
  // when there is one.
  template <typename Serve>
  grpc::ServerUnaryReactor* ServeCall(grpc::CallbackServerContext* context,
                                      absl::string_view api, Serve serve);
};

}  // namespace model_server

#endif  // MODEL_SERVER_DAEMON_PREDICTION_SERVICE_H_
