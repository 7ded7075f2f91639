// cold_start: time from exec of the daemon to its first successful Predict.
//
//   cold_start --runs=5 --model_name=half_plus_two --
//       build/daemon/model_server --model_name=half_plus_two
//       --model_base_path=/tmp/half_plus_two
//
// Each run picks a free loopback port, appends --port=PORT to the command
// after "--", forks and execs it, then polls the port with a plain TCP
// connect every 1 ms until it accepts, and sends Predict (float --input of
// --input_shape, all ones) on one channel until one succeeds (a model still
// loading answers an error). The time from just before exec to that first OK
// response is the cold start; the daemon's VmRSS, VmHWM and CPU time (user +
// system, all threads: what a loaded machine does not inflate) are read at
// that moment. Then the daemon gets SIGTERM and is waited for. Prints one JSON
// line per run and a summary line (min and median). Loopback only; each run
// is bounded by --timeout_s.
#include <arpa/inet.h>
#include <fcntl.h>
#include <grpcpp/grpcpp.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <string>
#include <thread>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "tensorflow_serving/apis/prediction_service.grpc.pb.h"

ABSL_FLAG(int, runs, 5, "Cold starts to time (1..100)");
ABSL_FLAG(std::string, model_name, "half_plus_two", "ModelSpec.name");
ABSL_FLAG(std::string, input, "x", "Input alias of the float tensor");
ABSL_FLAG(std::string, input_shape, "1",
          "Shape of the float input (all ones), e.g. 1,4096");
ABSL_FLAG(std::string, daemon_log, "/dev/null",
          "File the daemon's stdout and stderr are appended to");
ABSL_FLAG(double, timeout_s, 60, "Give up on a run after this long");

namespace model_server {
namespace {

using Clock = std::chrono::steady_clock;

int FreeLoopbackPort() {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return 0;
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof(address);
  int port = 0;
  if (bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) == 0 &&
      getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) == 0) {
    port = ntohs(address.sin_port);
  }
  close(fd);
  return port;
}

bool PortAccepts(int port) {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return false;
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = htons(static_cast<uint16_t>(port));
  const bool ok =
      connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) == 0;
  close(fd);
  return ok;
}

// A "Vm...:" field of /proc/PID/status in kB; -1 if absent.
long StatusKib(pid_t pid, const std::string& field) {
  std::ifstream status(absl::StrCat("/proc/", pid, "/status"));
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind(field, 0) == 0) return std::stol(line.substr(field.size()));
  }
  return -1;
}

// User + system CPU of every thread of `pid` so far, in milliseconds.
double CpuMs(pid_t pid) {
  std::ifstream stat_file(absl::StrCat("/proc/", pid, "/stat"));
  std::string text((std::istreambuf_iterator<char>(stat_file)),
                   std::istreambuf_iterator<char>());
  const size_t paren = text.rfind(')');
  if (paren == std::string::npos) return -1;
  // After "(comm) ": state is field 3; utime and stime are fields 14, 15.
  std::vector<std::string> fields =
      absl::StrSplit(text.substr(paren + 2), ' ', absl::SkipEmpty());
  double utime = 0, stime = 0;
  if (fields.size() < 13 || !absl::SimpleAtod(fields[11], &utime) ||
      !absl::SimpleAtod(fields[12], &stime)) {
    return -1;
  }
  return (utime + stime) * 1000.0 / static_cast<double>(sysconf(_SC_CLK_TCK));
}

struct RunResult {
  double ms = -1;  // -1: no successful Predict in time
  long rss_kib = -1;
  long hwm_kib = -1;   // peak RSS (VmHWM) up to the first Predict
  double cpu_ms = -1;  // the daemon's CPU time up to the first Predict
};

RunResult RunOnce(const std::vector<std::string>& command) {
  const int port = FreeLoopbackPort();
  std::vector<std::string> args = command;
  args.push_back(absl::StrCat("--port=", port));
  std::vector<char*> argv;
  for (std::string& arg : args) argv.push_back(arg.data());
  argv.push_back(nullptr);

  RunResult result;
  tensorflow::serving::PredictRequest request;
  request.mutable_model_spec()->set_name(absl::GetFlag(FLAGS_model_name));
  tensorflow::TensorProto& x =
      (*request.mutable_inputs())[absl::GetFlag(FLAGS_input)];
  x.set_dtype(tensorflow::DT_FLOAT);
  int64_t elements = 1;
  for (absl::string_view dim :
       absl::StrSplit(absl::GetFlag(FLAGS_input_shape), ',')) {
    int64_t size = 0;
    if (!absl::SimpleAtoi(dim, &size) || size < 0 || size > (1 << 20)) {
      return result;  // reported as a failed run
    }
    x.mutable_tensor_shape()->add_dim()->set_size(size);
    elements *= size;
  }
  for (int64_t i = 0; i < elements; ++i) x.add_float_val(1.0f);

  const Clock::time_point start = Clock::now();
  const pid_t pid = fork();
  if (pid == 0) {
    const int log = open(absl::GetFlag(FLAGS_daemon_log).c_str(),
                         O_WRONLY | O_CREAT | O_APPEND, 0644);
    if (log >= 0) {
      dup2(log, STDOUT_FILENO);
      dup2(log, STDERR_FILENO);
    }
    execv(argv[0], argv.data());
    _exit(127);
  }
  if (pid < 0) return result;
  const Clock::time_point give_up =
      start +
      std::chrono::duration_cast<Clock::duration>(
          std::chrono::duration<double>(absl::GetFlag(FLAGS_timeout_s)));
  while (Clock::now() < give_up && !PortAccepts(port)) {
    if (waitpid(pid, nullptr, WNOHANG) == pid) return result;  // it exited
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  std::unique_ptr<tensorflow::serving::PredictionService::Stub> stub =
      tensorflow::serving::PredictionService::NewStub(
          grpc::CreateChannel(absl::StrCat("127.0.0.1:", port),
                              grpc::InsecureChannelCredentials()));
  while (Clock::now() < give_up) {
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() +
                         (give_up - Clock::now()));
    context.set_wait_for_ready(true);
    tensorflow::serving::PredictResponse response;
    if (stub->Predict(&context, request, &response).ok()) {
      result.ms =
          std::chrono::duration<double, std::milli>(Clock::now() - start)
              .count();
      result.rss_kib = StatusKib(pid, "VmRSS:");
      result.hwm_kib = StatusKib(pid, "VmHWM:");
      result.cpu_ms = CpuMs(pid);
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  stub.reset();  // closes the connection, so the daemon drains at once
  kill(pid, SIGTERM);
  waitpid(pid, nullptr, 0);
  return result;
}

int Run(const std::vector<std::string>& command) {
  const int runs = absl::GetFlag(FLAGS_runs);
  if (runs < 1 || runs > 100 || command.empty()) {
    std::fprintf(stderr,
                 "cold_start: need --runs in 1..100 and a command "
                 "after --\n");
    return 2;
  }
  std::vector<double> times;
  std::vector<long> rss, hwm;
  std::vector<double> cpu;
  for (int i = 0; i < runs; ++i) {
    const RunResult result = RunOnce(command);
    std::printf(
        "{\"run\":%d,\"cold_start_ms\":%.2f,\"rss_kib\":%ld,"
        "\"hwm_kib\":%ld,\"cpu_ms\":%.0f}\n",
        i, result.ms, result.rss_kib, result.hwm_kib, result.cpu_ms);
    if (result.ms < 0) {
      std::fprintf(stderr, "cold_start: run %d got no successful Predict\n", i);
      return 1;
    }
    times.push_back(result.ms);
    rss.push_back(result.rss_kib);
    hwm.push_back(result.hwm_kib);
    cpu.push_back(result.cpu_ms);
  }
  std::sort(times.begin(), times.end());
  std::sort(rss.begin(), rss.end());
  std::sort(hwm.begin(), hwm.end());
  std::sort(cpu.begin(), cpu.end());
  std::printf(
      "{\"summary\":true,\"runs\":%d,\"min_ms\":%.2f,\"median_ms\":%.2f,"
      "\"max_ms\":%.2f,\"median_rss_kib\":%ld,\"median_hwm_kib\":%ld,\"median_"
      "cpu_ms\":%.0f}\n",
      runs, times.front(), times[times.size() / 2], times.back(),
      rss[rss.size() / 2], hwm[hwm.size() / 2], cpu[cpu.size() / 2]);
  return 0;
}

}  // namespace
}  // namespace model_server

int main(int argc, char** argv) {
  absl::SetProgramUsageMessage(
      "cold_start [--runs=N] -- DAEMON [DAEMON FLAGS...]: exec to first "
      "successful Predict");
  std::vector<std::string> command;
  int split = argc;
  for (int i = 1; i < argc; ++i) {
    if (std::string(argv[i]) == "--") {
      split = i;
      break;
    }
  }
  for (int i = split + 1; i < argc; ++i) command.push_back(argv[i]);
  absl::ParseCommandLine(split, argv);
  return model_server::Run(command);
}
