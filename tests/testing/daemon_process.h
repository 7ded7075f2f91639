// Runs the real model_server binary as a child process for end-to-end tests.
//
//   DaemonOptions options;
//   options.model_name = "half_plus_two";
//   options.model_base_path = SharedModelPath("tfs_half_plus_two_cpu");
//   auto daemon = DaemonProcess::Start(options);   // waits for AVAILABLE
//   grpc::ClientContext context;
//   (*daemon)->prediction().Predict(&context, request, &response);
//   EXPECT_EQ((*daemon)->Stop(), 0);                // SIGTERM, exit code
//
// The daemon listens on a free loopback port picked per start (retried when
// another process takes it first). Its stdout and stderr go to files in a
// private temporary directory; Stderr() returns what it logged so far, for
// failure messages. A daemon still running when its DaemonProcess is
// destroyed is killed (SIGKILL), and one whose test process dies is killed
// by the kernel (PR_SET_PDEATHSIG).
#ifndef MODEL_SERVER_TESTS_TESTING_DAEMON_PROCESS_H_
#define MODEL_SERVER_TESTS_TESTING_DAEMON_PROCESS_H_

#include <sys/types.h>

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "grpcpp/channel.h"
#include "grpcpp/security/credentials.h"
#include "tensorflow_serving/apis/model_service.grpc.pb.h"
#include "tensorflow_serving/apis/prediction_service.grpc.pb.h"

namespace model_server {
namespace testing {

// ../shared/models/<name>, or "" when the shared corpus is absent (tests then
// GTEST_SKIP).
std::string SharedModelPath(const std::string& name);

// <build tree>/daemon/model_server.
std::string DaemonBinaryPath();

// A fresh directory under $TMPDIR (or /tmp), removed with its contents when
// the object is destroyed.
class TempDirectory {
 public:
  static absl::StatusOr<std::unique_ptr<TempDirectory>> Create();
  ~TempDirectory();
  TempDirectory(const TempDirectory&) = delete;
  TempDirectory& operator=(const TempDirectory&) = delete;

  const std::string& path() const { return path_; }

 private:
  explicit TempDirectory(std::string path) : path_(std::move(path)) {}
  std::string path_;
};

// Copies the tree under `from` to `to` (created, with missing parents; must
// not exist yet).
absl::Status CopyDirectoryTree(const std::string& from, const std::string& to);

// A port that was free on 127.0.0.1 a moment ago (bind to port 0, read it,
// close); 0 if none could be had.
int PickFreeLoopbackPort();

struct DaemonOptions {
  std::string model_name = "default";
  std::string model_base_path;
  // Also serve the REST API on a second free loopback port (rest_port()).
  bool rest_api = false;
  // More flags, e.g. "--file_system_poll_wait_seconds=1".
  std::vector<std::string> extra_flags;
  // Wait until GetModelStatus reports a version AVAILABLE; when false, only
  // until the server answers GetModelStatus at all (for models that are
  // expected to fail loading).
  bool wait_until_available = true;
  absl::Duration startup_timeout = absl::Seconds(30);
  // How the test's channels connect (e.g. TLS with a client certificate for
  // a daemon started with --ssl_config_file); null: plaintext.
  std::shared_ptr<grpc::ChannelCredentials> channel_credentials;
};

class DaemonProcess {
 public:
  // Starts the daemon and waits until it is ready (see DaemonOptions). Fails
  // with the daemon's stderr in the message when it exits or times out.
  static absl::StatusOr<std::unique_ptr<DaemonProcess>> Start(
      const DaemonOptions& options);
  // Kills the daemon (SIGKILL) if it still runs.
  ~DaemonProcess();

  int port() const { return port_; }
  // The REST API's port (DaemonOptions::rest_api), else 0.
  int rest_port() const { return rest_port_; }
  pid_t pid() const { return pid_; }
  // "127.0.0.1:<port>".
  std::string address() const;
  tensorflow::serving::PredictionService::Stub& prediction() {
    return *prediction_;
  }
  tensorflow::serving::ModelService::Stub& model_service() {
    return *model_service_;
  }
  // A channel to the daemon with unlimited message sizes; each call makes a
  // new one (a fresh connection).
  std::shared_ptr<grpc::Channel> NewChannel() const;

  // Sends `signal_number` to the daemon.
  void Signal(int signal_number) const;
  // Waits for the daemon to exit and returns its exit code; fails if it was
  // killed by a signal or is still running after `timeout`.
  absl::StatusOr<int> WaitForExit(absl::Duration timeout = absl::Seconds(30));
  // SIGTERM, then WaitForExit.
  absl::StatusOr<int> Stop(absl::Duration timeout = absl::Seconds(30));
  bool running();

  // What the daemon wrote to stderr so far.
  std::string Stderr() const;

 private:
  DaemonProcess() = default;
  absl::Status WaitUntilReady(const DaemonOptions& options);

  std::unique_ptr<TempDirectory> scratch_;
  pid_t pid_ = -1;
  bool exited_ = false;
  int exit_status_ = 0;  // waitpid status once exited_
  int port_ = 0;
  int rest_port_ = 0;
  std::shared_ptr<grpc::ChannelCredentials> channel_credentials_;
  std::shared_ptr<grpc::Channel> channel_;
  std::unique_ptr<tensorflow::serving::PredictionService::Stub> prediction_;
  std::unique_ptr<tensorflow::serving::ModelService::Stub> model_service_;
};

// Request and response helpers for end-to-end tests.

// A DT_FLOAT TensorProto with float_val and the given shape.
tensorflow::TensorProto FloatTensorProto(const std::vector<float>& values,
                                         const std::vector<int64_t>& shape);
// A tensor's dims.
std::vector<int64_t> ShapeOf(const tensorflow::TensorProto& tensor);
// A DT_FLOAT tensor's values, from float_val or tensor_content.
std::vector<float> FloatValues(const tensorflow::TensorProto& tensor);

// A PredictRequest for `model_name` (and `signature_name` unless empty).
tensorflow::serving::PredictRequest MakePredictRequest(
    const std::string& model_name, const std::string& signature_name = "");

// One call with a deadline of `timeout`.
grpc::Status CallPredict(tensorflow::serving::PredictionService::Stub& stub,
                         const tensorflow::serving::PredictRequest& request,
                         tensorflow::serving::PredictResponse* response,
                         absl::Duration timeout = absl::Seconds(30));
// Calls `method` (e.g. "/tensorflow.serving.PredictionService/Classify")
// with `request_bytes` as the raw request, for requests a typed stub cannot
// make (malformed bytes). The response bytes go to *response_bytes.
grpc::Status CallRawMethod(const std::shared_ptr<grpc::Channel>& channel,
                           const std::string& method,
                           const std::string& request_bytes,
                           std::string* response_bytes,
                           absl::Duration timeout = absl::Seconds(30));

grpc::Status CallGetModelStatus(
    tensorflow::serving::ModelService::Stub& stub,
    const tensorflow::serving::GetModelStatusRequest& request,
    tensorflow::serving::GetModelStatusResponse* response,
    absl::Duration timeout = absl::Seconds(30));
// GetModelStatus for every version of `model_name`.
grpc::Status CallGetModelStatus(
    tensorflow::serving::ModelService::Stub& stub,
    const std::string& model_name,
    tensorflow::serving::GetModelStatusResponse* response);

// The result of running the daemon binary to completion.
struct DaemonRun {
  int exit_code = -1;
  std::string stdout_text;
  std::string stderr_text;
};

// Runs the daemon with exactly `args` (after argv[0]) and waits for it to
// exit (for --help, --version and bad command lines). Fails if it is killed
// by a signal or still running after `timeout` (it is then killed).
absl::StatusOr<DaemonRun> RunDaemonToExit(
    const std::vector<std::string>& args,
    absl::Duration timeout = absl::Seconds(30));

// Starts any program in the background (`argv[0]` is its path) with its
// stdout and stderr in the given files and stdin from /dev/null; killed by
// the kernel if the test process dies. The caller waits for or kills it.
absl::StatusOr<pid_t> SpawnProgram(std::vector<std::string> argv,
                                   const std::string& stdout_path,
                                   const std::string& stderr_path);

// The same for any program: `argv[0]` is its path.
absl::StatusOr<DaemonRun> RunProgramToExit(
    const std::vector<std::string>& argv,
    absl::Duration timeout = absl::Seconds(30));

}  // namespace testing
}  // namespace model_server

#endif  // MODEL_SERVER_TESTS_TESTING_DAEMON_PROCESS_H_
