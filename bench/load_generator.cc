// load_generator: a closed-loop gRPC load test of
// tensorflow.serving.PredictionService/Predict (or Regress, Classify) on a
// loopback target.
//
//   load_generator --target=127.0.0.1:8500 --model_name=half_plus_two
//       --shape=1000 --payload=typed --concurrency=32 --seconds=10
//   load_generator --method=regress --signature_name=regress_x_to_y
//       --examples=100 --concurrency=8
//
// Keeps --concurrency requests in flight on one channel (one HTTP/2
// connection, as a TF Serving client has): each completed request is
// replaced by a new one until the run ends. The first --warmup_seconds are
// not measured; then for --seconds it counts the requests that complete
// (QPS) and the latency of each request that both started and completed
// inside that window. Every request carries the same PredictRequest (model
// name, signature, one float input of --shape filled with small values),
// serialized once up front so the client spends its CPU on gRPC alone;
// --payload=typed writes the values to float_val as TF clients do
// (tf.make_tensor_proto), --payload=content to tensor_content. With
// --method=regress or classify the request carries --examples tf.Examples,
// each with one float feature "x".
//
// The first successful response is parsed and must carry at least one
// output (Predict) or one result per example (Regress, Classify); later ones
// are only counted. Any non-OK status (including a
// per-request deadline of --timeout_ms) is an error.
//
// Prints one line of JSON and then one line for people on stdout. Exits 0
// when there were no errors, 1 when some requests failed (results are still
// printed), 2 on bad flags or a non-loopback target (nothing is sent).
#include <grpcpp/generic/generic_stub.h>
#include <grpcpp/grpcpp.h>

#include <chrono>
#include <climits>
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/status/statusor.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "bench/latency_summary.h"
#include "bench/loopback_target.h"
#include "tensorflow/core/example/example.pb.h"
#include "tensorflow_serving/apis/classification.pb.h"
#include "tensorflow_serving/apis/predict.pb.h"
#include "tensorflow_serving/apis/regression.pb.h"

ABSL_FLAG(std::string, target, "127.0.0.1:8500",
          "Server address; loopback only (127.0.0.0/8, localhost, [::1])");
ABSL_FLAG(std::string, model_name, "half_plus_two", "ModelSpec.name");
ABSL_FLAG(std::string, signature_name, "serving_default",
          "ModelSpec.signature_name");
ABSL_FLAG(std::string, input, "x", "Input alias of the float tensor");
ABSL_FLAG(std::string, shape, "1",
          "Shape of the float input, comma-separated dimensions (e.g. 1,1000)");
ABSL_FLAG(std::string, payload, "typed",
          "How values are encoded: typed (float_val) or content "
          "(tensor_content)");
ABSL_FLAG(std::string, method, "predict",
          "RPC to load: predict (a float tensor of --shape), regress or "
          "classify (--examples tf.Examples with float feature \"x\"; set "
          "--signature_name, e.g. regress_x_to_y)");
ABSL_FLAG(int, examples, 1,
          "Examples per Regress/Classify request (1..1000000)");
ABSL_FLAG(int, concurrency, 1, "Requests in flight at once (1..1024)");
ABSL_FLAG(double, seconds, 5, "Measured duration in seconds (0 < s <= 600)");
ABSL_FLAG(double, warmup_seconds, 1,
          "Unmeasured warm-up before the measured window (0 <= s <= 60)");
ABSL_FLAG(int, timeout_ms, 10000, "Deadline of each request");
ABSL_FLAG(std::string, label, "", "Free text copied into the JSON output");

namespace model_server {
namespace {

using Clock = std::chrono::steady_clock;

enum class Method { kPredict, kRegress, kClassify };

const char* MethodPath(Method method) {
  switch (method) {
    case Method::kPredict:
      return "/tensorflow.serving.PredictionService/Predict";
    case Method::kRegress:
      return "/tensorflow.serving.PredictionService/Regress";
    case Method::kClassify:
      return "/tensorflow.serving.PredictionService/Classify";
  }
  return "";
}

const char* MethodName(Method method) {
  switch (method) {
    case Method::kPredict:
      return "predict";
    case Method::kRegress:
      return "regress";
    case Method::kClassify:
      return "classify";
  }
  return "";
}

struct Options {
  std::string target;
  Method method = Method::kPredict;
  int examples = 1;
  std::vector<int64_t> shape;
  bool typed = true;
  int concurrency = 1;
  double seconds = 0;
  double warmup_seconds = 0;
  int timeout_ms = 0;
};

absl::StatusOr<std::vector<int64_t>> ParseShape(const std::string& text) {
  std::vector<int64_t> dims;
  int64_t elements = 1;
  for (absl::string_view part : absl::StrSplit(text, ',')) {
    int64_t dim = 0;
    if (!absl::SimpleAtoi(part, &dim) || dim < 0 || dim > (1 << 28)) {
      return absl::InvalidArgumentError(
          absl::StrCat("--shape: '", part, "' is not a dimension in ",
                       "0..268435456 (from '", text, "')"));
    }
    elements *= dim;
    if (elements > (int64_t{1} << 28)) {
      return absl::InvalidArgumentError(
          absl::StrCat("--shape=", text, " has more than 2^28 elements"));
    }
    dims.push_back(dim);
  }
  return dims;
}

absl::StatusOr<Options> ReadOptions() {
  Options options;
  options.target = absl::GetFlag(FLAGS_target);
  absl::Status target_ok = CheckLoopbackTarget(options.target);
  if (!target_ok.ok()) return target_ok;
  absl::StatusOr<std::vector<int64_t>> shape =
      ParseShape(absl::GetFlag(FLAGS_shape));
  if (!shape.ok()) return shape.status();
  options.shape = *shape;
  const std::string payload = absl::GetFlag(FLAGS_payload);
  if (payload != "typed" && payload != "content") {
    return absl::InvalidArgumentError(absl::StrCat(
        "--payload='", payload, "': expected 'typed' or 'content'"));
  }
  options.typed = payload == "typed";
  const std::string method = absl::GetFlag(FLAGS_method);
  if (method == "predict") {
    options.method = Method::kPredict;
  } else if (method == "regress") {
    options.method = Method::kRegress;
  } else if (method == "classify") {
    options.method = Method::kClassify;
  } else {
    return absl::InvalidArgumentError(absl::StrCat(
        "--method='", method, "': expected predict, regress or classify"));
  }
  options.examples = absl::GetFlag(FLAGS_examples);
  if (options.examples < 1 || options.examples > 1000000) {
    return absl::InvalidArgumentError("--examples must be in 1..1000000");
  }
  options.concurrency = absl::GetFlag(FLAGS_concurrency);
  options.seconds = absl::GetFlag(FLAGS_seconds);
  options.warmup_seconds = absl::GetFlag(FLAGS_warmup_seconds);
  options.timeout_ms = absl::GetFlag(FLAGS_timeout_ms);
  if (options.concurrency < 1 || options.concurrency > 1024) {
    return absl::InvalidArgumentError("--concurrency must be in 1..1024");
  }
  if (!(options.seconds > 0 && options.seconds <= 600)) {
    return absl::InvalidArgumentError("--seconds must be in (0, 600]");
  }
  if (!(options.warmup_seconds >= 0 && options.warmup_seconds <= 60)) {
    return absl::InvalidArgumentError("--warmup_seconds must be in [0, 60]");
  }
  if (options.timeout_ms < 1 || options.timeout_ms > 600000) {
    return absl::InvalidArgumentError("--timeout_ms must be in 1..600000");
  }
  return options;
}

// tf.Examples with float feature "x", as Regress/Classify requests carry
// them.
tensorflow::serving::Input MakeExamples(const Options& options) {
  tensorflow::serving::Input input;
  auto* list = input.mutable_example_list();
  for (int i = 0; i < options.examples; ++i) {
    tensorflow::Example* example = list->add_examples();
    (*example->mutable_features()->mutable_feature())["x"]
        .mutable_float_list()
        ->add_value(static_cast<float>(i % 1000) * 0.25f);
  }
  return input;
}

tensorflow::serving::PredictRequest MakePredictRequest(const Options& options) {
  tensorflow::serving::PredictRequest request;
  request.mutable_model_spec()->set_name(absl::GetFlag(FLAGS_model_name));
  request.mutable_model_spec()->set_signature_name(
      absl::GetFlag(FLAGS_signature_name));
  tensorflow::TensorProto& tensor =
      (*request.mutable_inputs())[absl::GetFlag(FLAGS_input)];
  tensor.set_dtype(tensorflow::DT_FLOAT);
  int64_t elements = 1;
  for (int64_t dim : options.shape) {
    tensor.mutable_tensor_shape()->add_dim()->set_size(dim);
    elements *= dim;
  }
  std::vector<float> values(elements);
  for (int64_t i = 0; i < elements; ++i) {
    values[i] = static_cast<float>(i % 1000) * 0.25f;
  }
  if (options.typed) {
    tensor.mutable_float_val()->Add(values.begin(), values.end());
  } else {
    tensor.set_tensor_content(values.data(), values.size() * sizeof(float));
  }
  return request;
}

// The serialized request for --method.
std::string MakeRequest(const Options& options) {
  tensorflow::serving::ModelSpec spec;
  spec.set_name(absl::GetFlag(FLAGS_model_name));
  spec.set_signature_name(absl::GetFlag(FLAGS_signature_name));
  switch (options.method) {
    case Method::kPredict:
      return MakePredictRequest(options).SerializeAsString();
    case Method::kRegress: {
      tensorflow::serving::RegressionRequest request;
      *request.mutable_model_spec() = spec;
      *request.mutable_input() = MakeExamples(options);
      return request.SerializeAsString();
    }
    case Method::kClassify: {
      tensorflow::serving::ClassificationRequest request;
      *request.mutable_model_spec() = spec;
      *request.mutable_input() = MakeExamples(options);
      return request.SerializeAsString();
    }
  }
  return "";
}

// One request slot: at most one call in flight at a time.
struct Slot {
  std::unique_ptr<grpc::ClientContext> context;
  std::unique_ptr<grpc::GenericClientAsyncResponseReader> reader;
  grpc::ByteBuffer response;
  grpc::Status status;
  Clock::time_point start;
};

struct RunResult {
  int64_t completed_in_window = 0;  // OK responses that ended in the window
  int64_t requests = 0;             // every call finished, warm-up included
  int64_t errors = 0;
  std::string first_error;
  int64_t response_bytes = 0;
  std::vector<double> latencies_us;
};

class LoadRun {
 public:
  LoadRun(const Options& options, const grpc::ByteBuffer& request,
          std::shared_ptr<grpc::Channel> channel)
      : options_(options), request_(request), stub_(std::move(channel)) {}

  RunResult Run() {
    const Clock::time_point begin = Clock::now();
    window_start_ = begin + ToDuration(options_.warmup_seconds);
    window_end_ = window_start_ + ToDuration(options_.seconds);
    std::vector<Slot> slots(options_.concurrency);
    for (Slot& slot : slots) Start(slot);
    int outstanding = options_.concurrency;
    void* tag = nullptr;
    bool ok = false;
    while (outstanding > 0 && cq_.Next(&tag, &ok)) {
      Slot& slot = *static_cast<Slot*>(tag);
      const Clock::time_point end = Clock::now();
      Record(slot, end);
      if (end < window_end_) {
        Start(slot);
      } else {
        --outstanding;
      }
    }
    cq_.Shutdown();
    while (cq_.Next(&tag, &ok)) {
    }
    return std::move(result_);
  }

 private:
  static Clock::duration ToDuration(double seconds) {
    return std::chrono::duration_cast<Clock::duration>(
        std::chrono::duration<double>(seconds));
  }

  void Start(Slot& slot) {
    // The reader lives in the old call's arena, which the old context owns:
    // release it first.
    slot.reader.reset();
    slot.context = std::make_unique<grpc::ClientContext>();
    slot.start = Clock::now();
    // gRPC deadlines take the system clock.
    slot.context->set_deadline(std::chrono::system_clock::now() +
                               std::chrono::milliseconds(options_.timeout_ms));
    slot.response.Clear();
    slot.reader = stub_.PrepareUnaryCall(
        slot.context.get(), MethodPath(options_.method), request_, &cq_);
    slot.reader->StartCall();
    slot.reader->Finish(&slot.response, &slot.status, &slot);
  }

  void Record(Slot& slot, Clock::time_point end) {
    ++result_.requests;
    if (!slot.status.ok()) {
      CountError(absl::StrCat("code ", slot.status.error_code(), ": ",
                              slot.status.error_message()));
      return;
    }
    if (!validated_) {
      validated_ = true;
      if (!CheckFirstResponse(slot.response)) return;
    }
    if (end >= window_start_ && end <= window_end_) {
      ++result_.completed_in_window;
      if (slot.start >= window_start_) {
        result_.latencies_us.push_back(
            std::chrono::duration<double, std::micro>(end - slot.start)
                .count());
      }
    }
  }

  // The first response must parse and hold results (one per example for
  // Regress/Classify).
  bool CheckFirstResponse(const grpc::ByteBuffer& buffer) {
    grpc::Slice slice;
    if (!buffer.DumpToSingleSlice(&slice).ok()) {
      CountError("the first response cannot be read");
      return false;
    }
    result_.response_bytes = static_cast<int64_t>(slice.size());
    const void* data = slice.begin();
    const int size = static_cast<int>(slice.size());
    int results = 0;
    bool parsed = false;
    switch (options_.method) {
      case Method::kPredict: {
        tensorflow::serving::PredictResponse response;
        parsed = response.ParseFromArray(data, size);
        results = response.outputs_size() > 0 ? options_.examples : 0;
        break;
      }
      case Method::kRegress: {
        tensorflow::serving::RegressionResponse response;
        parsed = response.ParseFromArray(data, size);
        results = response.result().regressions_size();
        break;
      }
      case Method::kClassify: {
        tensorflow::serving::ClassificationResponse response;
        parsed = response.ParseFromArray(data, size);
        results = response.result().classifications_size();
        break;
      }
    }
    if (!parsed) {
      CountError(absl::StrCat("the first response is not a ",
                              MethodName(options_.method), " response"));
      return false;
    }
    if (results != options_.examples) {
      CountError(absl::StrCat("the first response has ", results,
                              " results, expected ", options_.examples));
      return false;
    }
    return true;
  }

  void CountError(std::string message) {
    if (result_.errors++ == 0) result_.first_error = std::move(message);
  }

  const Options& options_;
  const grpc::ByteBuffer& request_;
  grpc::GenericStub stub_;
  grpc::CompletionQueue cq_;
  Clock::time_point window_start_;
  Clock::time_point window_end_;
  bool validated_ = false;
  RunResult result_;
};

std::string JsonString(const std::string& text) {
  std::string out = "\"";
  for (char c : text) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (static_cast<unsigned char>(c) < 0x20) {
      out += absl::StrFormat("\\u%04x", c);
    } else {
      out += c;
    }
  }
  return out + "\"";
}

void Report(const Options& options, int64_t request_bytes, RunResult& result) {
  LatencySummary latency = SummarizeLatencies(result.latencies_us);
  const double qps =
      static_cast<double>(result.completed_in_window) / options.seconds;
  const std::string shape =
      absl::StrCat("[", absl::StrJoin(options.shape, ","), "]");
  const char* payload = options.typed ? "typed" : "content";
  std::printf(
      "{\"label\":%s,\"target\":%s,\"method\":\"%s\",\"examples\":%d,"
      "\"payload\":\"%s\",\"shape\":%s,"
      "\"concurrency\":%d,\"seconds\":%g,\"warmup_seconds\":%g,"
      "\"request_bytes\":%lld,\"response_bytes\":%lld,\"requests\":%lld,"
      "\"measured\":%lld,\"qps\":%.1f,\"mean_us\":%.1f,\"p50_us\":%.1f,"
      "\"p90_us\":%.1f,\"p99_us\":%.1f,\"max_us\":%.1f,\"errors\":%lld,"
      "\"first_error\":%s}\n",
      JsonString(absl::GetFlag(FLAGS_label)).c_str(),
      JsonString(options.target).c_str(), MethodName(options.method),
      options.examples, payload, shape.c_str(), options.concurrency,
      options.seconds, options.warmup_seconds,
      static_cast<long long>(request_bytes),
      static_cast<long long>(result.response_bytes),
      static_cast<long long>(result.requests),
      static_cast<long long>(result.completed_in_window), qps, latency.mean_us,
      latency.p50_us, latency.p90_us, latency.p99_us, latency.max_us,
      static_cast<long long>(result.errors),
      JsonString(result.first_error).c_str());
  std::string label = absl::GetFlag(FLAGS_label);
  if (label.empty()) label = "load";
  const std::string error_note =
      result.errors > 0 ? absl::StrCat(" (first: ", result.first_error, ")")
                        : "";
  std::printf(
      "%s %s %s examples=%d shape=%s payload=%s concurrency=%d: %.0f QPS, "
      "p50 %.0f us, p90 %.0f us, p99 %.0f us, %lld errors%s\n",
      label.c_str(), options.target.c_str(), MethodName(options.method),
      options.examples, shape.c_str(), payload, options.concurrency, qps,
      latency.p50_us, latency.p90_us, latency.p99_us,
      static_cast<long long>(result.errors), error_note.c_str());
  std::fflush(stdout);
}

int Run() {
  absl::StatusOr<Options> options = ReadOptions();
  if (!options.ok()) {
    std::fprintf(stderr, "load_generator: %s\n",
                 std::string(options.status().message()).c_str());
    return 2;
  }
  const std::string serialized = MakeRequest(*options);
  grpc::Slice slice(serialized);
  grpc::ByteBuffer request(&slice, 1);

  grpc::ChannelArguments args;
  args.SetMaxReceiveMessageSize(INT_MAX);
  args.SetMaxSendMessageSize(INT_MAX);
  std::shared_ptr<grpc::Channel> channel = grpc::CreateCustomChannel(
      options->target, grpc::InsecureChannelCredentials(), args);
  if (!channel->WaitForConnected(std::chrono::system_clock::now() +
                                 std::chrono::seconds(10))) {
    std::fprintf(stderr, "load_generator: could not connect to %s in 10 s\n",
                 options->target.c_str());
    return 1;
  }
  LoadRun run(*options, request, channel);
  RunResult result = run.Run();
  Report(*options, static_cast<int64_t>(serialized.size()), result);
  return result.errors == 0 ? 0 : 1;
}

}  // namespace
}  // namespace model_server

int main(int argc, char** argv) {
  absl::SetProgramUsageMessage(
      "Closed-loop load test of PredictionService/Predict (or Regress, "
      "Classify) on a loopback "
      "target; prints one JSON line and one human line.\nUsage: "
      "load_generator --target=127.0.0.1:8500 --model_name=half_plus_two "
      "--shape=1 --concurrency=32 --seconds=10");
  absl::ParseCommandLine(argc, argv);
  return model_server::Run();
}
