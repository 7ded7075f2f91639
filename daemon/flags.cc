#include "daemon/flags.h"

#include <limits>
#include <thread>
#include <type_traits>
#include <utility>
#include <variant>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "daemon/grpc_channel_arguments.h"

#ifndef MODEL_SERVER_VERSION
#define MODEL_SERVER_VERSION "unknown"
#endif

namespace model_server {
namespace {

using FlagField = std::variant<int32_t DaemonFlags::*, int64_t DaemonFlags::*,
                               bool DaemonFlags::*, std::string DaemonFlags::*>;

struct FlagSpec {
  const char* name;
  FlagField field;
  const char* help;
};

// Every flag the daemon accepts, in the order --help lists them.
const std::vector<FlagSpec>& AllFlags() {
  static const auto* flags = new std::vector<FlagSpec>{
      {"port", &DaemonFlags::port,
       "TCP port to listen on for gRPC API. Disabled if port set to zero."},
      {"grpc_socket_path", &DaemonFlags::grpc_socket_path,
       "If non-empty, listen to a UNIX socket for gRPC API on the given path."},
      {"rest_api_port", &DaemonFlags::rest_api_port,
       "Port to listen on for HTTP/REST API (TF Serving's JSON API). If set "
       "to zero HTTP/REST API will not be exported. This port must be "
       "different than the one specified in --port."},
      {"rest_api_num_threads", &DaemonFlags::rest_api_num_threads,
       "Number of threads for HTTP/REST API processing. If not set, will be "
       "auto set based on number of CPUs (4 x CPUs)."},
      {"rest_api_timeout_in_ms", &DaemonFlags::rest_api_timeout_in_ms,
       "Timeout for HTTP/REST API calls (a longer call answers 504); also "
       "closes connections idle that long. 0 or less: no call timeout."},
      {"rest_api_enable_cors_support",
       &DaemonFlags::rest_api_enable_cors_support,
       "Enable CORS headers in response (and answer OPTIONS preflights)."},
      {"model_name", &DaemonFlags::model_name,
       "name of the model: requests address it by this name (ignored if "
       "--model_config_file is set)"},
      {"model_base_path", &DaemonFlags::model_base_path,
       "path to export (ignored if --model_config_file is set, otherwise "
       "required): its numbered subdirectories are the model's versions"},
      {"model_config_file", &DaemonFlags::model_config_file,
       "If non-empty, read a text-format tensorflow.serving.ModelServerConfig "
       "from this file and serve the models it lists (model_config_list: "
       "name, base_path, model_platform \"tensorflow\", "
       "model_version_policy, version_labels). (If used, --model_name and "
       "--model_base_path are ignored.)"},
      {"model_config_file_poll_wait_seconds",
       &DaemonFlags::model_config_file_poll_wait_seconds,
       "Interval in seconds between each poll of --model_config_file; a "
       "changed file is applied like HandleReloadConfigRequest. If zero, the "
       "file is read once, at start-up."},
      {"saved_model_tags", &DaemonFlags::saved_model_tags,
       "Comma-separated set of tags corresponding to the meta graph def to "
       "load from SavedModel."},
      {"file_system_poll_wait_seconds",
       &DaemonFlags::file_system_poll_wait_seconds,
       "Interval in seconds between each poll of the filesystem for new model "
       "version. If set to zero poll will be exactly done once and not "
       "periodically."},
      {"num_load_threads", &DaemonFlags::num_load_threads,
       "The number of threads that load (and warm up) model versions. 0 "
       "means one: loads then run one at a time. Loads never run on the "
       "threads that serve requests."},
      {"num_unload_threads", &DaemonFlags::num_unload_threads,
       "The number of threads that destroy unloaded model versions. 0 means "
       "one."},
      {"max_num_load_retries", &DaemonFlags::max_num_load_retries,
       "maximum number of times it retries loading a model after the first "
       "failure, before giving up."},
      {"load_retry_interval_micros", &DaemonFlags::load_retry_interval_micros,
       "The interval, in microseconds, between each servable load retry."},
      {"allow_version_labels_for_unavailable_models",
       &DaemonFlags::allow_version_labels_for_unavailable_models,
       "If true, allows assigning unused version labels to models that are "
       "not available yet (a start-up config with version_labels needs "
       "it)."},
      {"enable_model_warmup", &DaemonFlags::enable_model_warmup,
       "Replay the requests in a version's "
       "assets.extra/tf_serving_warmup_requests before it becomes "
       "AVAILABLE."},
      {"num_request_iterations_for_warmup",
       &DaemonFlags::num_request_iterations_for_warmup,
       "Number of times each warmup request is replayed. This value is used "
       "only if > 0 (otherwise once)."},
      {"grpc_channel_arguments", &DaemonFlags::grpc_channel_arguments,
       "A comma separated list of key=value arguments to be passed to the "
       "grpc server (e.g. grpc.max_connection_age_ms=2000); integer values "
       "are passed as integers."},
      {"enable_signature_method_name_check",
       &DaemonFlags::enable_signature_method_name_check,
       "Check SignatureDef method_name: Predict accepts only "
       "tensorflow/serving/{predict,classify,regress}, Classify only "
       "tensorflow/serving/classify, Regress only tensorflow/serving/regress. "
       "Off by default: TF2 exports often say predict for every signature, "
       "and Classify/Regress check the signature's inputs and outputs either "
       "way."},
      {"enable_grpc_healthcheck_service",
       &DaemonFlags::enable_grpc_healthcheck_service,
       "Enable the standard gRPC health service (grpc.health.v1.Health): "
       "SERVING once every configured model has a version AVAILABLE, "
       "NOT_SERVING before that and while draining after SIGTERM. The REST "
       "port answers the same at /v2/health/ready (200 or 503); "
       "/v2/health/live is 200 while the process answers."},
      {"monitoring_config_file", &DaemonFlags::monitoring_config_file,
       "If non-empty, read a text-format tensorflow.serving.MonitoringConfig "
       "from this file; with prometheus_config { enable: true } the REST port "
       "serves Prometheus metrics at its path (default "
       "/monitoring/prometheus/metrics)."},
      {"ssl_config_file", &DaemonFlags::ssl_config_file,
       "If non-empty, read a text-format tensorflow.serving.SSLConfig "
       "(server_key, server_cert, custom_ca, client_verify) from this file "
       "and serve gRPC (TCP port) and REST over TLS; with client_verify, "
       "clients need a certificate signed by custom_ca."},
      {"max_request_bytes", &DaemonFlags::max_request_bytes,
       "Largest request accepted, in bytes: a gRPC message (larger ones get "
       "RESOURCE_EXHAUSTED from gRPC) or a REST body, after gzip (413). At "
       "most 2147483647 (gRPC's limit)."},
      {"max_tensor_elements", &DaemonFlags::max_tensor_elements,
       "Most elements one tensor may hold: a request's input (checked on its "
       "declared shape, before decoding) or a tensor a kernel allocates "
       "(Range, Fill, Tile, OneHot, Pad, BroadcastTo... sized by request "
       "values). Beyond: RESOURCE_EXHAUSTED, before allocating."},
      {"max_request_tensor_bytes", &DaemonFlags::max_request_tensor_bytes,
       "Most bytes the input tensors of one request may take together once "
       "decoded (a TensorProto repeats its last value over its shape, so a "
       "small message can declare a large tensor). Beyond: "
       "RESOURCE_EXHAUSTED, before allocating."},
      {"enable_serialization_as_tensor_content",
       &DaemonFlags::enable_serialization_as_tensor_content,
       "Write Predict's (gRPC) output tensors as tensor_content (raw bytes) "
       "instead of the typed *_val fields; strings and half types keep "
       "their typed fields."},
      {"enable_batching", &DaemonFlags::enable_batching,
       "Batch concurrent requests server-side: one queue per signature of "
       "each model version; requests that feed every input and fetch every "
       "output are joined along dimension 0, run once and split back."},
      {"batching_parameters_file", &DaemonFlags::batching_parameters_file,
       "If non-empty, read a text-format tensorflow.serving."
       "BatchingParameters from this file (max_batch_size, "
       "batch_timeout_micros, max_enqueued_batches, num_batch_threads, "
       "allowed_batch_sizes, pad_variable_length_inputs) instead of the "
       "defaults. Requires --enable_batching."},
      {"tensorflow_session_parallelism",
       &DaemonFlags::tensorflow_session_parallelism,
       "Threads for running a model's ops; used for the intra-op pool when "
       "--tensorflow_intra_op_parallelism is 0. 0: one per core."},
      {"tensorflow_intra_op_parallelism",
       &DaemonFlags::tensorflow_intra_op_parallelism,
       "Threads of the one pool that parallelizes individual ops, shared by "
       "every model. 0: --tensorflow_session_parallelism, else one per "
       "core."},
      {"tensorflow_inter_op_parallelism",
       &DaemonFlags::tensorflow_inter_op_parallelism,
       "Accepted for compatibility and ignored: a request runs its ops in "
       "order on its own thread."},
      {"version", &DaemonFlags::version, "Display version and exit"},
      {"help", &DaemonFlags::help, "Print this usage text and exit"},
  };
  return *flags;
}

const FlagSpec* FindFlag(absl::string_view name) {
  for (const FlagSpec& spec : AllFlags()) {
    if (name == spec.name) return &spec;
  }
  return nullptr;
}

// Sets the flag from its text; false if the text is not a value of its type.
bool SetFlag(const FlagSpec& spec, absl::string_view text, DaemonFlags* flags) {
  return std::visit(
      [&](auto field) -> bool {
        auto& target = flags->*field;
        using T = std::decay_t<decltype(target)>;
        if constexpr (std::is_same_v<T, std::string>) {
          target = std::string(text);
          return true;
        } else if constexpr (std::is_same_v<T, bool>) {
          if (text == "true") {
            target = true;
          } else if (text == "false") {
            target = false;
          } else {
            return false;
          }
          return true;
        } else {
          return absl::SimpleAtoi(text, &target);
        }
      },
      spec.field);
}

const char* TypeName(const FlagSpec& spec) {
  return std::visit(
      [](auto field) -> const char* {
        using T = std::decay_t<decltype(DaemonFlags().*field)>;
        if constexpr (std::is_same_v<T, std::string>) return "string";
        if constexpr (std::is_same_v<T, bool>) return "bool";
        if constexpr (std::is_same_v<T, int32_t>) return "int32";
        return "int64";
      },
      spec.field);
}

// "--name=<default>", strings quoted, as TF's usage prints it.
std::string FlagWithDefault(const FlagSpec& spec) {
  const DaemonFlags defaults;
  return std::visit(
      [&](auto field) -> std::string {
        const auto& value = defaults.*field;
        using T = std::decay_t<decltype(value)>;
        if constexpr (std::is_same_v<T, std::string>) {
          return absl::StrCat("--", spec.name, "=\"", value, "\"");
        } else if constexpr (std::is_same_v<T, bool>) {
          return absl::StrCat("--", spec.name, "=", value ? "true" : "false");
        } else {
          return absl::StrCat("--", spec.name, "=", value);
        }
      },
      spec.field);
}

bool IsBool(const FlagSpec& spec) {
  return std::holds_alternative<bool DaemonFlags::*>(spec.field);
}

}  // namespace

FlagParseResult ParseDaemonFlags(int argc, const char* const* argv) {
  FlagParseResult result;
  auto fail = [&](std::string error, int exit_code) {
    result.error = std::move(error);
    result.exit_code = exit_code;
    return result;
  };
  for (int i = 1; i < argc; ++i) {
    const absl::string_view arg = argv[i];
    if (arg.size() < 3 || arg.substr(0, 2) != "--") {
      return fail(absl::StrCat("unknown argument: ", arg), kExitUsage);
    }
    const absl::string_view body = arg.substr(2);
    const size_t equals = body.find('=');
    const absl::string_view name = body.substr(0, equals);
    const FlagSpec* spec = FindFlag(name);
    if (spec == nullptr) {
      return fail(absl::StrCat("unknown flag: ", arg), kExitUsage);
    }
    if (equals == absl::string_view::npos) {
      if (!IsBool(*spec)) {
        return fail(absl::StrCat("flag --", name, " needs a value: --", name,
                                 "=<", TypeName(*spec), ">"),
                    kExitBadFlags);
      }
      result.flags.*std::get<bool DaemonFlags::*>(spec->field) = true;
      continue;
    }
    const absl::string_view value = body.substr(equals + 1);
    if (!SetFlag(*spec, value, &result.flags)) {
      return fail(absl::StrCat("Couldn't interpret value ", value, " for flag ",
                               name, " (expected ", TypeName(*spec), ")."),
                  kExitBadFlags);
    }
  }
  if (result.flags.help || result.flags.version) return result;
  if (!result.flags.batching_parameters_file.empty() &&
      !result.flags.enable_batching) {
    return fail(
        "--batching_parameters_file is set without setting "
        "--enable_batching to true.",
        kExitBadFlags);
  }
  if (result.flags.model_base_path.empty() &&
      result.flags.model_config_file.empty()) {
    return fail("--model_base_path is required (or --model_config_file)",
                kExitBadFlags);
  }
  for (const auto& [name, value] :
       {std::pair<const char*, int32_t>{"num_load_threads",
                                        result.flags.num_load_threads},
        {"num_unload_threads", result.flags.num_unload_threads}}) {
    if (value < 0) {
      return fail(absl::StrCat("--", name, " must be >= 0, got ", value),
                  kExitBadFlags);
    }
  }
  absl::StatusOr<std::vector<GrpcChannelArgument>> channel_arguments =
      ParseGrpcChannelArguments(result.flags.grpc_channel_arguments);
  if (!channel_arguments.ok()) {
    return fail(std::string(channel_arguments.status().message()),
                kExitBadFlags);
  }
  if (result.flags.port < 0 || result.flags.port > 65535) {
    return fail(
        absl::StrCat("--port must be in [0, 65535], got ", result.flags.port),
        kExitBadFlags);
  }
  if (result.flags.rest_api_port < 0 || result.flags.rest_api_port > 65535) {
    return fail(absl::StrCat("--rest_api_port must be in [0, 65535], got ",
                             result.flags.rest_api_port),
                kExitBadFlags);
  }
  if (result.flags.rest_api_port != 0 &&
      result.flags.rest_api_port == result.flags.port) {
    return fail(absl::StrCat("--rest_api_port cannot be the same as --port (",
                             result.flags.port, ")"),
                kExitBadFlags);
  }
  if (result.flags.rest_api_num_threads < 0 ||
      result.flags.rest_api_num_threads > 1024) {
    return fail(
        absl::StrCat("--rest_api_num_threads must be in [0, 1024], got ",
                     result.flags.rest_api_num_threads),
        kExitBadFlags);
  }
  if (result.flags.max_request_bytes < 1 ||
      result.flags.max_request_bytes > std::numeric_limits<int32_t>::max()) {
    return fail(absl::StrCat("--max_request_bytes must be in [1, ",
                             std::numeric_limits<int32_t>::max(), "], got ",
                             result.flags.max_request_bytes),
                kExitBadFlags);
  }
  for (const auto& [name, value] :
       {std::pair<const char*, int64_t>{"max_tensor_elements",
                                        result.flags.max_tensor_elements},
        {"max_request_tensor_bytes", result.flags.max_request_tensor_bytes}}) {
    if (value < 1) {
      return fail(absl::StrCat("--", name, " must be >= 1, got ", value),
                  kExitBadFlags);
    }
  }
  if (result.flags.port == 0 && result.flags.grpc_socket_path.empty()) {
    return fail("nothing to listen on: --port=0 and no --grpc_socket_path",
                kExitBadFlags);
  }
  if (ParseSavedModelTags(result.flags.saved_model_tags).empty()) {
    return fail("--saved_model_tags names no tag", kExitBadFlags);
  }
  return result;
}

int RestApiThreads(const DaemonFlags& flags) {
  if (flags.rest_api_num_threads > 0) return flags.rest_api_num_threads;
  const unsigned cpus = std::thread::hardware_concurrency();
  return 4 * static_cast<int>(cpus == 0 ? 1 : cpus);
}

std::string DaemonUsage(absl::string_view program) {
  std::string usage = absl::StrCat("usage: ", program, "\nFlags:\n");
  for (const FlagSpec& spec : AllFlags()) {
    absl::StrAppendFormat(&usage, "\t%-33s\t%s\t%s\n", FlagWithDefault(spec),
                          TypeName(spec), spec.help);
  }
  absl::StrAppend(
      &usage,
      "Flags take the form --name=value; bool flags may be given bare.\n"
      "Exit codes: 0 after --help, --version or a clean shutdown "
      "(SIGTERM/SIGINT); 1 for an unknown flag or a failed start (e.g. the "
      "port is in use); 255 for a bad flag value or a missing required "
      "flag.\n");
  return usage;
}

std::string DaemonVersionText() {
  return absl::StrCat("model_server ", MODEL_SERVER_VERSION,
                      " (TensorFlow Serving gRPC API; no TensorFlow linked)\n");
}

std::set<std::string> ParseSavedModelTags(absl::string_view tags) {
  std::set<std::string> result;
  for (absl::string_view tag : absl::StrSplit(tags, ',', absl::SkipEmpty())) {
    result.emplace(tag);
  }
  return result;
}

}  // namespace model_server
