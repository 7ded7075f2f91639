#include "tests/testing/daemon_process.h"

#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <future>
#include <sstream>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/clock.h"
#include "grpcpp/client_context.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/generic/generic_stub.h"
#include "grpcpp/security/credentials.h"
#include "grpcpp/support/channel_arguments.h"
#include "tests/testing/test_paths.h"

namespace model_server {
namespace testing {
namespace {

namespace fs = std::filesystem;
namespace tfs = tensorflow::serving;

constexpr int kMaxStartAttempts = 5;

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

std::string Errno(const char* what) {
  return absl::StrCat(what, ": ", std::strerror(errno));
}

// Starts `argv` with stdout/stderr redirected to the given files and stdin
// from /dev/null.
absl::StatusOr<pid_t> Spawn(std::vector<std::string> argv,
                            const std::string& stdout_path,
                            const std::string& stderr_path) {
  const int out_fd =
      open(stdout_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  const int err_fd =
      open(stderr_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  const int null_fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
  if (out_fd < 0 || err_fd < 0 || null_fd < 0) {
    return absl::InternalError(Errno("cannot open the daemon's output files"));
  }
  std::vector<char*> args;
  for (std::string& arg : argv) args.push_back(&arg[0]);
  args.push_back(nullptr);
  const pid_t parent = getpid();
  const pid_t pid = fork();
  if (pid == 0) {
    // Only async-signal-safe calls from here to exec.
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (getppid() != parent) _exit(127);
    dup2(null_fd, 0);
    dup2(out_fd, 1);
    dup2(err_fd, 2);
    signal(SIGTERM, SIG_DFL);
    signal(SIGINT, SIG_DFL);
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, nullptr);
    execv(args[0], args.data());
    _exit(127);
  }
  close(out_fd);
  close(err_fd);
  close(null_fd);
  if (pid < 0) return absl::InternalError(Errno("fork"));
  return pid;
}

// Waits for `pid` up to `timeout`; the waitpid status, or DEADLINE_EXCEEDED.
absl::StatusOr<int> WaitPid(pid_t pid, absl::Duration timeout) {
  const absl::Time deadline = absl::Now() + timeout;
  while (true) {
    int status = 0;
    const pid_t done = waitpid(pid, &status, WNOHANG);
    if (done == pid) return status;
    if (done < 0 && errno != EINTR)
      return absl::InternalError(Errno("waitpid"));
    if (absl::Now() > deadline) {
      return absl::DeadlineExceededError(
          absl::StrCat("process ", pid, " still running after ",
                       absl::FormatDuration(timeout)));
    }
    absl::SleepFor(absl::Milliseconds(10));
  }
}

absl::StatusOr<int> ExitCode(int wait_status) {
  if (WIFEXITED(wait_status)) return WEXITSTATUS(wait_status);
  if (WIFSIGNALED(wait_status)) {
    return absl::AbortedError(
        absl::StrCat("the daemon was killed by signal ", WTERMSIG(wait_status),
                     " (", strsignal(WTERMSIG(wait_status)), ")"));
  }
  return absl::InternalError(
      absl::StrCat("unexpected wait status ", wait_status));
}

std::shared_ptr<grpc::Channel> MakeChannel(
    const std::string& address,
    std::shared_ptr<grpc::ChannelCredentials> credentials) {
  // A sync-API client with no call in flight reads its connections only when
  // gRPC's backup poller runs (every 5 s by default), so it acks the PING of
  // a server's graceful GOAWAY late and every daemon shutdown would take 5 s.
  // Read by grpc_init(): effective when this is the process's first channel.
  setenv("GRPC_CLIENT_CHANNEL_BACKUP_POLL_INTERVAL_MS", "50",
         /*overwrite=*/0);
  static std::atomic<int> next_channel_id{0};
  grpc::ChannelArguments args;
  args.SetMaxReceiveMessageSize(-1);
  args.SetMaxSendMessageSize(-1);
  // Reconnect quickly while the daemon is starting.
  args.SetInt(GRPC_ARG_INITIAL_RECONNECT_BACKOFF_MS, 50);
  args.SetInt(GRPC_ARG_MIN_RECONNECT_BACKOFF_MS, 50);
  args.SetInt(GRPC_ARG_MAX_RECONNECT_BACKOFF_MS, 250);
  // A distinct argument keeps gRPC from sharing one connection among
  // channels.
  args.SetInt("model_server.test_channel_id", next_channel_id++);
  return grpc::CreateCustomChannel(
      address,
      credentials != nullptr ? credentials : grpc::InsecureChannelCredentials(),
      args);
}

// True if a TCP connection to 127.0.0.1:`port` succeeds.
bool AcceptsConnections(int port) {
  const int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return false;
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = htons(static_cast<uint16_t>(port));
  const bool connected =
      connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) == 0;
  close(fd);
  return connected;
}

}  // namespace

std::string SharedModelPath(const std::string& name) {
  const std::string path = absl::StrCat(SharedDir(), "/models/", name);
  std::error_code error;
  return fs::is_directory(path, error) ? path : std::string();
}

std::string DaemonBinaryPath() {
  return absl::StrCat(BinaryDir(), "/daemon/model_server");
}

absl::StatusOr<std::unique_ptr<TempDirectory>> TempDirectory::Create() {
  const char* tmpdir = getenv("TMPDIR");
  std::string pattern =
      absl::StrCat(tmpdir != nullptr && *tmpdir != '\0' ? tmpdir : "/tmp",
                   "/model_server_test.XXXXXX");
  if (mkdtemp(&pattern[0]) == nullptr) {
    return absl::InternalError(Errno("mkdtemp"));
  }
  return std::unique_ptr<TempDirectory>(new TempDirectory(pattern));
}

TempDirectory::~TempDirectory() {
  std::error_code error;
  fs::remove_all(path_, error);
}

absl::Status CopyDirectoryTree(const std::string& from, const std::string& to) {
  std::error_code error;
  if (fs::exists(to, error)) {
    return absl::AlreadyExistsError(absl::StrCat(to, " already exists"));
  }
  fs::create_directories(fs::path(to).parent_path(), error);
  fs::copy(from, to, fs::copy_options::recursive, error);
  if (error) {
    return absl::InternalError(
        absl::StrCat("copying ", from, " to ", to, ": ", error.message()));
  }
  return absl::OkStatus();
}

int PickFreeLoopbackPort() {
  const int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return 0;
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = 0;
  socklen_t length = sizeof(address);
  int port = 0;
  if (bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) == 0 &&
      getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) == 0) {
    port = ntohs(address.sin_port);
  }
  close(fd);
  return port;
}

absl::StatusOr<std::unique_ptr<DaemonProcess>> DaemonProcess::Start(
    const DaemonOptions& options) {
  absl::Status last_error;
  for (int attempt = 0; attempt < kMaxStartAttempts; ++attempt) {
    std::unique_ptr<DaemonProcess> daemon(new DaemonProcess());
    absl::StatusOr<std::unique_ptr<TempDirectory>> scratch =
        TempDirectory::Create();
    if (!scratch.ok()) return scratch.status();
    daemon->scratch_ = std::move(*scratch);
    daemon->port_ = PickFreeLoopbackPort();
    if (daemon->port_ == 0) {
      return absl::UnavailableError("no free port on 127.0.0.1");
    }
    std::vector<std::string> argv = {
        DaemonBinaryPath(), absl::StrCat("--port=", daemon->port_),
        absl::StrCat("--model_name=", options.model_name),
        absl::StrCat("--model_base_path=", options.model_base_path)};
    if (options.rest_api) {
      do {
        daemon->rest_port_ = PickFreeLoopbackPort();
      } while (daemon->rest_port_ == daemon->port_);
      if (daemon->rest_port_ == 0) {
        return absl::UnavailableError("no free port on 127.0.0.1");
      }
      argv.push_back(absl::StrCat("--rest_api_port=", daemon->rest_port_));
    }
    argv.insert(argv.end(), options.extra_flags.begin(),
                options.extra_flags.end());
    absl::StatusOr<pid_t> pid =
        Spawn(argv, daemon->scratch_->path() + "/stdout",
              daemon->scratch_->path() + "/stderr");
    if (!pid.ok()) return pid.status();
    daemon->pid_ = *pid;
    last_error = daemon->WaitUntilReady(options);
    if (last_error.ok()) return daemon;
    // Another process took the port between picking and binding: retry.
    const bool port_taken =
        !daemon->running() &&
        absl::StrContains(daemon->Stderr(), "could not listen");
    if (!port_taken) break;
  }
  return absl::Status(last_error.code(),
                      absl::StrCat("starting ", DaemonBinaryPath(), ": ",
                                   last_error.message()));
}

DaemonProcess::~DaemonProcess() {
  if (pid_ > 0 && !exited_) {
    kill(pid_, SIGKILL);
    (void)WaitForExit(absl::Seconds(10));
  }
}

std::string DaemonProcess::address() const {
  return absl::StrCat("127.0.0.1:", port_);
}

std::shared_ptr<grpc::Channel> DaemonProcess::NewChannel() const {
  return MakeChannel(address(), channel_credentials_);
}

void DaemonProcess::Signal(int signal_number) const {
  if (pid_ > 0 && !exited_) kill(pid_, signal_number);
}

bool DaemonProcess::running() {
  if (pid_ <= 0 || exited_) return false;
  int status = 0;
  if (waitpid(pid_, &status, WNOHANG) == pid_) {
    exited_ = true;
    exit_status_ = status;
    return false;
  }
  return true;
}

absl::StatusOr<int> DaemonProcess::WaitForExit(absl::Duration timeout) {
  if (!exited_) {
    absl::StatusOr<int> status = WaitPid(pid_, timeout);
    if (!status.ok()) return status.status();
    exited_ = true;
    exit_status_ = *status;
  }
  return ExitCode(exit_status_);
}

absl::StatusOr<pid_t> SpawnProgram(std::vector<std::string> argv,
                                   const std::string& stdout_path,
                                   const std::string& stderr_path) {
  return Spawn(std::move(argv), stdout_path, stderr_path);
}

absl::StatusOr<int> DaemonProcess::Stop(absl::Duration timeout) {
  Signal(SIGTERM);
  return WaitForExit(timeout);
}

std::string DaemonProcess::Stderr() const {
  return ReadFile(scratch_->path() + "/stderr");
}

absl::Status DaemonProcess::WaitUntilReady(const DaemonOptions& options) {
  const absl::Time deadline = absl::Now() + options.startup_timeout;
  std::string last_answer = "the port does not accept connections yet";
  // The daemon listens once its first poll has loaded (or failed to load)
  // the model. Wait for that with plain connects: a gRPC channel whose first
  // attempts are refused backs off for seconds.
  while (absl::Now() < deadline && running() && !AcceptsConnections(port_)) {
    absl::SleepFor(absl::Milliseconds(10));
  }
  channel_credentials_ = options.channel_credentials;
  channel_ = MakeChannel(address(), channel_credentials_);
  prediction_ = tfs::PredictionService::NewStub(channel_);
  model_service_ = tfs::ModelService::NewStub(channel_);
  while (absl::Now() < deadline) {
    if (!running()) {
      absl::StatusOr<int> code = ExitCode(exit_status_);
      return absl::UnavailableError(
          absl::StrCat("the daemon exited before it was ready (",
                       code.ok() ? absl::StrCat("exit code ", *code)
                                 : code.status().ToString(),
                       "); its stderr:\n", Stderr()));
    }
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() +
                         std::chrono::seconds(2));
    tfs::GetModelStatusRequest request;
    request.mutable_model_spec()->set_name(options.model_name);
    tfs::GetModelStatusResponse response;
    const grpc::Status status =
        model_service_->GetModelStatus(&context, request, &response);
    if (status.ok()) {
      if (!options.wait_until_available) return absl::OkStatus();
      for (const auto& version : response.model_version_status()) {
        if (version.state() == tfs::ModelVersionStatus::AVAILABLE) {
          return absl::OkStatus();
        }
      }
      last_answer = response.ShortDebugString();
    } else {
      if (!options.wait_until_available &&
          status.error_code() != grpc::StatusCode::UNAVAILABLE &&
          status.error_code() != grpc::StatusCode::DEADLINE_EXCEEDED) {
        return absl::OkStatus();  // the server answers
      }
      last_answer = absl::StrCat("error ", status.error_code(), ": ",
                                 status.error_message());
    }
    absl::SleepFor(absl::Milliseconds(25));
  }
  return absl::DeadlineExceededError(absl::StrCat(
      "model ", options.model_name, " not ",
      options.wait_until_available ? "AVAILABLE" : "answering", " after ",
      absl::FormatDuration(options.startup_timeout), "; last GetModelStatus: ",
      last_answer, "; the daemon's stderr:\n", Stderr()));
}

tensorflow::TensorProto FloatTensorProto(const std::vector<float>& values,
                                         const std::vector<int64_t>& shape) {
  tensorflow::TensorProto tensor;
  tensor.set_dtype(tensorflow::DT_FLOAT);
  for (int64_t dim : shape)
    tensor.mutable_tensor_shape()->add_dim()->set_size(dim);
  for (float value : values) tensor.add_float_val(value);
  return tensor;
}

std::vector<int64_t> ShapeOf(const tensorflow::TensorProto& tensor) {
  std::vector<int64_t> shape;
  for (const auto& dim : tensor.tensor_shape().dim())
    shape.push_back(dim.size());
  return shape;
}

std::vector<float> FloatValues(const tensorflow::TensorProto& tensor) {
  if (!tensor.tensor_content().empty()) {
    std::vector<float> values(tensor.tensor_content().size() / sizeof(float));
    std::memcpy(values.data(), tensor.tensor_content().data(),
                values.size() * sizeof(float));
    return values;
  }
  return std::vector<float>(tensor.float_val().begin(),
                            tensor.float_val().end());
}

tfs::PredictRequest MakePredictRequest(const std::string& model_name,
                                       const std::string& signature_name) {
  tfs::PredictRequest request;
  request.mutable_model_spec()->set_name(model_name);
  if (!signature_name.empty()) {
    request.mutable_model_spec()->set_signature_name(signature_name);
  }
  return request;
}

grpc::Status CallPredict(tfs::PredictionService::Stub& stub,
                         const tfs::PredictRequest& request,
                         tfs::PredictResponse* response,
                         absl::Duration timeout) {
  grpc::ClientContext context;
  context.set_deadline(absl::ToChronoTime(absl::Now() + timeout));
  return stub.Predict(&context, request, response);
}

grpc::Status CallRawMethod(const std::shared_ptr<grpc::Channel>& channel,
                           const std::string& method,
                           const std::string& request_bytes,
                           std::string* response_bytes,
                           absl::Duration timeout) {
  grpc::GenericStub stub(channel);
  grpc::ClientContext context;
  context.set_deadline(absl::ToChronoTime(absl::Now() + timeout));
  grpc::Slice slice(request_bytes);
  grpc::ByteBuffer request(&slice, 1);
  grpc::ByteBuffer response;
  std::promise<grpc::Status> done;
  stub.UnaryCall(&context, method, grpc::StubOptions(), &request, &response,
                 [&done](grpc::Status status) { done.set_value(status); });
  grpc::Status status = done.get_future().get();
  response_bytes->clear();
  std::vector<grpc::Slice> slices;
  if (status.ok() && response.Dump(&slices).ok()) {
    for (const grpc::Slice& piece : slices) {
      response_bytes->append(reinterpret_cast<const char*>(piece.begin()),
                             piece.size());
    }
  }
  return status;
}

grpc::Status CallGetModelStatus(tfs::ModelService::Stub& stub,
                                const tfs::GetModelStatusRequest& request,
                                tfs::GetModelStatusResponse* response,
                                absl::Duration timeout) {
  grpc::ClientContext context;
  context.set_deadline(absl::ToChronoTime(absl::Now() + timeout));
  return stub.GetModelStatus(&context, request, response);
}

grpc::Status CallGetModelStatus(tfs::ModelService::Stub& stub,
                                const std::string& model_name,
                                tfs::GetModelStatusResponse* response) {
  tfs::GetModelStatusRequest request;
  request.mutable_model_spec()->set_name(model_name);
  return CallGetModelStatus(stub, request, response);
}

absl::StatusOr<DaemonRun> RunDaemonToExit(const std::vector<std::string>& args,
                                          absl::Duration timeout) {
  std::vector<std::string> argv = {DaemonBinaryPath()};
  argv.insert(argv.end(), args.begin(), args.end());
  return RunProgramToExit(argv, timeout);
}

absl::StatusOr<DaemonRun> RunProgramToExit(const std::vector<std::string>& argv,
                                           absl::Duration timeout) {
  absl::StatusOr<std::unique_ptr<TempDirectory>> scratch =
      TempDirectory::Create();
  if (!scratch.ok()) return scratch.status();
  const std::string out_path = (*scratch)->path() + "/stdout";
  const std::string err_path = (*scratch)->path() + "/stderr";
  absl::StatusOr<pid_t> pid = Spawn(argv, out_path, err_path);
  if (!pid.ok()) return pid.status();
  absl::StatusOr<int> status = WaitPid(*pid, timeout);
  if (!status.ok()) {
    kill(*pid, SIGKILL);
    (void)WaitPid(*pid, absl::Seconds(10));
    return absl::Status(
        status.status().code(),
        absl::StrCat(absl::StrJoin(argv, " "), ": ", status.status().message(),
                     "; stderr:\n", ReadFile(err_path)));
  }
  DaemonRun run;
  absl::StatusOr<int> code = ExitCode(*status);
  if (!code.ok()) return code.status();
  run.exit_code = *code;
  run.stdout_text = ReadFile(out_path);
  run.stderr_text = ReadFile(err_path);
  return run;
}

}  // namespace testing
}  // namespace model_server
