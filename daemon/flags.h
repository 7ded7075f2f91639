// The daemon's command-line flags: TF Serving's names, types and defaults for
// the subset we support. flags.cc is the one place that defines them.
//
// Syntax (as TF Serving's parser): --name=value; a bool flag may also be given
// bare (--name) or as --name=true / --name=false. Differences from TF Serving,
// chosen so that mistakes are loud:
//   - an unknown flag or a positional argument is an error (TF Serving prints
//     "unknown argument" and carries on);
//   - --help exits 0 (TF Serving exits -1).
// Exit codes main uses for the outcomes: kExitUsage (1) for unknown flags,
// kExitBadFlags (255, TF Serving's `return -1`) for a value that does not parse
// or a missing required flag.
#ifndef MODEL_SERVER_DAEMON_FLAGS_H_
#define MODEL_SERVER_DAEMON_FLAGS_H_

#include <cstdint>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"

namespace model_server {

struct DaemonFlags {
  int32_t port = 8500;
  std::string grpc_socket_path;
  int32_t rest_api_port = 0;
  // 0 means TF Serving's default, 4 x the number of CPUs.
  int32_t rest_api_num_threads = 0;
  int32_t rest_api_timeout_in_ms = 30000;
  bool rest_api_enable_cors_support = false;
  std::string model_name = "default";
  std::string model_base_path;
  std::string model_config_file;
  int32_t model_config_file_poll_wait_seconds = 0;
  std::string saved_model_tags = "serve";
  int32_t file_system_poll_wait_seconds = 1;
  int32_t num_load_threads = 0;
  int32_t num_unload_threads = 0;
  int32_t max_num_load_retries = 5;
  int64_t load_retry_interval_micros = 60000000;
  bool allow_version_labels_for_unavailable_models = false;
  bool enable_model_warmup = true;
  int32_t num_request_iterations_for_warmup = 0;
  std::string grpc_channel_arguments;
  bool enable_signature_method_name_check = false;
  // On by default (TF Serving: off): probes and balancers expect it.
  bool enable_grpc_healthcheck_service = true;
  std::string monitoring_config_file;
  // Request limits (see --help): bytes of one gRPC message or REST body,
  // elements of one tensor (request or kernel output), bytes of the tensors
  // one request sends.
  std::string ssl_config_file;
  int64_t max_request_bytes = int64_t{256} << 20;
  int64_t max_tensor_elements = int64_t{1} << 28;
  int64_t max_request_tensor_bytes = int64_t{1} << 30;
  bool enable_serialization_as_tensor_content = false;
  bool enable_batching = false;
  std::string batching_parameters_file;
  // Threads of the one intra-op pool every kernel shares; 0: one per core.
  // --tensorflow_session_parallelism is the fallback when intra is 0.
  int64_t tensorflow_session_parallelism = 0;
  int64_t tensorflow_intra_op_parallelism = 0;
  // Accepted for TF Serving compatibility: plans run their steps in order
  // on the request's thread, so there is no inter-op pool to size.
  int64_t tensorflow_inter_op_parallelism = 0;
  bool version = false;
  bool help = false;
};

inline constexpr int kExitUsage = 1;
inline constexpr int kExitBadFlags = 255;

struct FlagParseResult {
  DaemonFlags flags;
  // Empty when the command line is good. Otherwise what is wrong, and the exit
  // code to use (after printing the error and the usage).
  std::string error;
  int exit_code = 0;
};

// --rest_api_num_threads, with 0 resolved to 4 x the number of CPUs.
int RestApiThreads(const DaemonFlags& flags);

// Parses argv[1..argc). --help and --version short-circuit the checks of
// required flags (the caller prints and exits 0).
FlagParseResult ParseDaemonFlags(int argc, const char* const* argv);

// "usage: <program>\nFlags:\n" then one line per flag with its default, type
// and help (TF Serving's layout), then the exit codes.
std::string DaemonUsage(absl::string_view program);

// What --version prints.
std::string DaemonVersionText();

// --saved_model_tags split on ',' (empty pieces dropped).
std::set<std::string> ParseSavedModelTags(absl::string_view tags);

}  // namespace model_server

#endif  // MODEL_SERVER_DAEMON_FLAGS_H_
