// Scale-out behind an L7 balancer, with what Debian has: three replicas on
// loopback behind Debian's nginx (grpc_pass over HTTP/2, one upstream
// connection per request). Load runs through nginx from several threads.
// One replica is drained as Kubernetes does it: the balancer stops sending
// to it (here: nginx reloads a config without it, as an endpoint removal
// and the preStop wait do), then it gets SIGTERM; the drain must lose no
// request. Then another gets SIGKILL with no warning: only requests in
// flight on it at that moment may fail. Prints the counts and the p99
// latency (docs/operations.md).
//
// Why the balancer goes first: a SIGTERM'd server closes its listening
// socket, and the kernel resets connections still queued on it; nginx has
// already sent the request on them (an unbuffered gRPC body) and cannot
// resend it, so without the removal about one call per SIGTERM fails under
// load (docs/operations.md, "Scale-out test").
#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <fstream>
#include <iostream>
#include <memory>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"
#include "tests/testing/daemon_process.h"
#include "tests/testing/predict_x.h"

namespace model_server {
namespace {

namespace tfs = tensorflow::serving;
using testing::DaemonOptions;
using testing::DaemonProcess;
using testing::TempDirectory;

constexpr char kNginx[] = "/usr/sbin/nginx";
constexpr int kReplicas = 3;
constexpr int kClientThreads = 4;
constexpr absl::Duration kPhase = absl::Milliseconds(1500);
// From nginx's reload without the replica to its SIGTERM (Kubernetes: the
// preStop sleep).
constexpr absl::Duration kPreStop = absl::Milliseconds(1000);

struct Call {
  absl::Time start;
  absl::Time end;
  bool ok = false;
  std::string error;
};

std::string NginxConfig(const std::string& dir, int port,
                        const std::vector<int>& replica_ports) {
  std::string servers;
  for (int replica : replica_ports) {
    absl::StrAppend(&servers, "    server 127.0.0.1:", replica, ";\n");
  }
  return absl::StrCat(
      // A master process, so SIGHUP reloads the config; run as root, its
      // worker stays root (the scratch directory is private).
      "daemon off;\n", geteuid() == 0 ? "user root;\n" : "",
      "worker_processes 1;\n", "pid ", dir, "/nginx.pid;\nerror_log ", dir,
      "/error.log warn;\n", "events { worker_connections 1024; }\n",
      "http {\n  access_log off;\n", "  client_body_temp_path ", dir,
      "/body;\n", "  proxy_temp_path ", dir, "/proxy;\n",
      "  fastcgi_temp_path ", dir, "/fastcgi;\n", "  uwsgi_temp_path ", dir,
      "/uwsgi;\n", "  scgi_temp_path ", dir, "/scgi;\n",
      "  upstream replicas {\n", servers, "  }\n",
      "  server {\n    listen 127.0.0.1:", port, " http2;\n",
      "    location / {\n      grpc_pass grpc://replicas;\n",
      "      grpc_next_upstream error timeout;\n",
      "      grpc_connect_timeout 1s;\n    }\n  }\n}\n");
}

// nginx's error log, for failure messages.
std::string NginxErrors(const std::string& dir) {
  std::ifstream log(dir + "/error.log");
  std::stringstream text;
  text << log.rdbuf();
  return text.str();
}

bool AcceptsConnections(int port) {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(port);
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  const bool ok =
      connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) == 0;
  close(fd);
  return ok;
}

TEST(ScaleOut, NginxBalancesAndADrainLosesNoRequest) {
  const std::string model = testing::SharedModelPath("tfs_half_plus_two_cpu");
  if (model.empty()) {
    GTEST_SKIP() << "../shared/models/tfs_half_plus_two_cpu is absent: skipped";
  }
  if (access(kNginx, X_OK) != 0) {
    GTEST_SKIP() << "nginx is absent (Debian package nginx): skipped";
  }
  std::vector<std::unique_ptr<DaemonProcess>> replicas;
  std::vector<int> ports;
  for (int i = 0; i < kReplicas; ++i) {
    DaemonOptions options;
    options.model_name = "half_plus_two";
    options.model_base_path = model;
    auto replica = DaemonProcess::Start(options);
    ASSERT_TRUE(replica.ok()) << replica.status();
    ports.push_back((*replica)->port());
    replicas.push_back(*std::move(replica));
  }

  auto scratch = TempDirectory::Create();
  ASSERT_TRUE(scratch.ok()) << scratch.status();
  const std::string dir = (*scratch)->path();
  const int port = testing::PickFreeLoopbackPort();
  std::ofstream(dir + "/nginx.conf") << NginxConfig(dir, port, ports);
  auto nginx = testing::SpawnProgram(
      {kNginx, "-p", dir, "-c", dir + "/nginx.conf", "-e", dir + "/error.log"},
      dir + "/nginx.out", dir + "/nginx.err");
  ASSERT_TRUE(nginx.ok()) << nginx.status();
  const absl::Time up_deadline = absl::Now() + absl::Seconds(10);
  while (!AcceptsConnections(port) && absl::Now() < up_deadline) {
    absl::SleepFor(absl::Milliseconds(20));
  }
  ASSERT_TRUE(AcceptsConnections(port)) << "nginx did not start";

  std::atomic<bool> stop{false};
  absl::Mutex mu;
  std::vector<Call> calls;
  std::vector<std::thread> clients;
  for (int t = 0; t < kClientThreads; ++t) {
    clients.emplace_back([&] {
      auto channel = grpc::CreateChannel(absl::StrCat("127.0.0.1:", port),
                                         grpc::InsecureChannelCredentials());
      auto stub = tfs::PredictionService::NewStub(channel);
      while (!stop.load()) {
        Call call;
        call.start = absl::Now();
        testing::PredictXResult result =
            testing::PredictX(*stub, testing::SpecFor("half_plus_two"));
        call.end = absl::Now();
        call.ok = result.status.ok() && result.y == 3.0f;
        if (!call.ok) {
          call.error = absl::StrCat(result.status.error_code(), ": ",
                                    result.status.error_message());
        }
        absl::MutexLock lock(&mu);
        calls.push_back(call);
      }
    });
  }

  absl::SleepFor(kPhase);
  // The balancer lets replica 0 go, then replica 0 drains.
  const absl::Time drain_start = absl::Now();
  std::ofstream(dir + "/nginx.conf", std::ios::trunc)
      << NginxConfig(dir, port, {ports[1], ports[2]});
  kill(*nginx, SIGHUP);
  absl::SleepFor(kPreStop);
  replicas[0]->Signal(SIGTERM);
  absl::SleepFor(kPhase);
  const absl::Time kill_time = absl::Now();
  kill(replicas[1]->pid(), SIGKILL);
  // Reaped: from here on no request can reach it.
  (void)replicas[1]->WaitForExit(absl::Seconds(10));
  const absl::Time dead_time = absl::Now();
  absl::SleepFor(kPhase);
  stop = true;
  for (std::thread& client : clients) client.join();
  kill(*nginx, SIGTERM);
  waitpid(*nginx, nullptr, 0);

  auto drained = replicas[0]->WaitForExit(absl::Seconds(20));
  ASSERT_TRUE(drained.ok()) << drained.status();
  EXPECT_EQ(*drained, 0);

  int before_kill_failures = 0, at_kill_failures = 0, after_kill_failures = 0;
  std::vector<std::string> errors;
  std::vector<double> latencies_ms;
  for (const Call& call : calls) {
    latencies_ms.push_back(absl::ToDoubleMilliseconds(call.end - call.start));
    if (call.ok) continue;
    errors.push_back(absl::StrCat(
        call.error, " (started ",
        absl::ToDoubleMilliseconds(call.start - drain_start), " ms and ended ",
        absl::ToDoubleMilliseconds(call.end - drain_start),
        " ms after the reload; the SIGKILL came at ",
        absl::ToDoubleMilliseconds(kill_time - drain_start), " ms)"));
    if (call.end < kill_time) {
      ++before_kill_failures;
    } else if (call.start <= dead_time) {
      ++at_kill_failures;  // possibly in flight on the replica as it died
    } else {
      ++after_kill_failures;
    }
  }
  std::sort(latencies_ms.begin(), latencies_ms.end());
  const double p99 =
      latencies_ms.empty()
          ? 0
          : latencies_ms[std::min(latencies_ms.size() - 1,
                                  latencies_ms.size() * 99 / 100)];
  int during_drain = 0;
  for (const Call& call : calls) {
    if (call.start >= drain_start && call.end < kill_time) ++during_drain;
  }
  std::cout << "scale-out: " << calls.size() << " requests through nginx ("
            << during_drain
            << " during the drain), failed: " << before_kill_failures
            << " before the SIGKILL (drain included), " << at_kill_failures
            << " in flight at the SIGKILL, " << after_kill_failures
            << " after it; p99 latency " << p99 << " ms\n";
  EXPECT_GT(during_drain, 0);
  EXPECT_EQ(before_kill_failures, 0)
      << absl::StrJoin(errors, "\n") << "\nnginx's error log:\n"
      << NginxErrors(dir);
  // Each client thread may lose the request it had on the killed replica,
  // and one more that nginx sent there in the moment before the kernel
  // closed its sockets.
  EXPECT_LE(at_kill_failures, 2 * kClientThreads)
      << absl::StrJoin(errors, "\n");
  EXPECT_EQ(after_kill_failures, 0) << absl::StrJoin(errors, "\n");
}

}  // namespace
}  // namespace model_server
