// The daemon's process life: draining on SIGTERM, refusing a port that is
// taken, serving on a UNIX socket.
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cmath>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "glog/logging.h"
#include "gmock/gmock.h"
#include "grpcpp/create_channel.h"
#include "gtest/gtest.h"
#include "tests/testing/daemon_process.h"

namespace model_server {
namespace {

namespace tfs = tensorflow::serving;
using testing::CallPredict;
using testing::DaemonOptions;
using testing::DaemonProcess;
using testing::FloatTensorProto;
using testing::FloatValues;
using ::testing::HasSubstr;
using testing::MakePredictRequest;

constexpr char kModelName[] = "half_plus_two";

std::string HalfPlusTwoPath() {
  return testing::SharedModelPath("tfs_half_plus_two_cpu");
}

#define SKIP_WITHOUT_MODEL()                                             \
  if (HalfPlusTwoPath().empty()) {                                       \
    GTEST_SKIP() << "../shared/models/tfs_half_plus_two_cpu is absent: " \
                    "daemon lifecycle tests skipped";                    \
  }

DaemonOptions HalfPlusTwoOptions() {
  DaemonOptions options;
  options.model_name = kModelName;
  options.model_base_path = HalfPlusTwoPath();
  return options;
}

// A Predict with `n` floats 0..n-1 in tensor_content: big enough that the
// daemon spends a while on each call.
tfs::PredictRequest BigRequest(int64_t n) {
  tfs::PredictRequest request = MakePredictRequest(kModelName);
  tensorflow::TensorProto x = FloatTensorProto({}, {n});
  std::vector<float> values(n);
  for (int64_t i = 0; i < n; ++i) values[i] = static_cast<float>(i % 1000);
  x.set_tensor_content(std::string(reinterpret_cast<const char*>(values.data()),
                                   values.size() * sizeof(float)));
  (*request.mutable_inputs())["x"] = std::move(x);
  return request;
}

// "" if `response` is y = 0.5 x + 2 for BigRequest(n), else what is wrong.
std::string CheckBigResponse(const tfs::PredictResponse& response, int64_t n) {
  if (response.outputs().count("y") == 0) return "no output y";
  const std::vector<float> y = FloatValues(response.outputs().at("y"));
  if (static_cast<int64_t>(y.size()) != n) {
    return absl::StrCat("y has ", y.size(), " values, want ", n);
  }
  for (int64_t i = 0; i < n; i += 997) {
    const float want = 0.5f * static_cast<float>(i % 1000) + 2.0f;
    if (std::fabs(y[i] - want) > 1e-5f) {
      return absl::StrCat("y[", i, "] = ", y[i], ", want ", want);
    }
  }
  return "";
}

TEST(DaemonLifecycle, SigtermUnderLoadEndsEveryCallCleanlyAndExits0) {
  SKIP_WITHOUT_MODEL();
  auto daemon = DaemonProcess::Start(HalfPlusTwoOptions());
  ASSERT_TRUE(daemon.ok()) << daemon.status();
  constexpr int64_t kFloats = 4 << 20;  // 16 MB each way
  const tfs::PredictRequest request = BigRequest(kFloats);
  {
    tfs::PredictResponse response;
    const grpc::Status status =
        CallPredict((*daemon)->prediction(), request, &response);
    ASSERT_TRUE(status.ok()) << status.error_message();
    ASSERT_EQ(CheckBigResponse(response, kFloats), "");
  }

  struct Call {
    absl::Time start, end;
    grpc::Status status;
    std::string check;
  };
  std::mutex mu;
  std::vector<Call> calls;
  std::atomic<bool> stop{false};
  std::vector<std::thread> clients;
  for (int c = 0; c < 3; ++c) {
    clients.emplace_back([&, c] {
      // Each client on its own connection.
      auto stub = tfs::PredictionService::NewStub((*daemon)->NewChannel());
      const absl::Time give_up = absl::Now() + absl::Seconds(60);
      while (!stop && absl::Now() < give_up) {
        Call call;
        call.start = absl::Now();
        tfs::PredictResponse response;
        call.status = CallPredict(*stub, request, &response);
        call.end = absl::Now();
        if (call.status.ok()) call.check = CheckBigResponse(response, kFloats);
        const bool refused =
            call.status.error_code() == grpc::StatusCode::UNAVAILABLE;
        std::lock_guard<std::mutex> lock(mu);
        calls.push_back(std::move(call));
        if (refused) return;  // the server is gone or going
      }
    });
  }
  absl::SleepFor(absl::Milliseconds(500));
  const absl::Time signalled = absl::Now();
  (*daemon)->Signal(SIGTERM);
  auto exit_code = (*daemon)->WaitForExit(absl::Seconds(30));
  const absl::Time exited = absl::Now();
  stop = true;
  for (std::thread& client : clients) client.join();
  ASSERT_TRUE(exit_code.ok()) << exit_code.status();
  EXPECT_EQ(*exit_code, 0) << (*daemon)->Stderr();

  // Every call ends cleanly: answered, cancelled while its request was still
  // arriving, or refused once shutdown began. (That a call being computed
  // at SIGTERM completes is drain_test.cc's deterministic test; with 16 MB
  // requests, whether one is past arriving at the signal is up to timing.)
  int answered_across_signal = 0;
  for (const Call& call : calls) {
    if (call.status.ok()) {
      EXPECT_EQ(call.check, "");
      if (call.start < signalled && call.end > signalled) {
        ++answered_across_signal;
      }
    } else if (call.status.error_code() == grpc::StatusCode::CANCELLED) {
      // gRPC cancels a call whose request message was still arriving when
      // the server began to shut down (it had not reached the service yet).
      // Shutdown begins a little after `signalled` (the signal has to be
      // delivered and handled), so such a call may start in between.
      EXPECT_LT(call.start, exited) << call.status.error_message();
    } else {
      // Calls begun after the shutdown started are refused.
      EXPECT_EQ(call.status.error_code(), grpc::StatusCode::UNAVAILABLE)
          << call.status.error_message();
    }
  }
  EXPECT_FALSE(calls.empty());
  LOG(INFO) << calls.size() << " calls, " << answered_across_signal
            << " answered across the signal";
  EXPECT_THAT((*daemon)->Stderr(), HasSubstr("shutting down"));
}

TEST(DaemonLifecycle, SigintAlsoExits0) {
  SKIP_WITHOUT_MODEL();
  auto daemon = DaemonProcess::Start(HalfPlusTwoOptions());
  ASSERT_TRUE(daemon.ok()) << daemon.status();
  (*daemon)->Signal(SIGINT);
  auto exit_code = (*daemon)->WaitForExit();
  ASSERT_TRUE(exit_code.ok()) << exit_code.status();
  EXPECT_EQ(*exit_code, 0) << (*daemon)->Stderr();
}

TEST(DaemonLifecycle, PortHeldByAnotherDaemonFailsLoudly) {
  SKIP_WITHOUT_MODEL();
  auto first = DaemonProcess::Start(HalfPlusTwoOptions());
  ASSERT_TRUE(first.ok()) << first.status();
  const int port = (*first)->port();
  auto second = testing::RunDaemonToExit(
      {absl::StrCat("--port=", port), absl::StrCat("--model_name=", kModelName),
       absl::StrCat("--model_base_path=", HalfPlusTwoPath())});
  ASSERT_TRUE(second.ok()) << second.status();
  EXPECT_EQ(second->exit_code, 1) << second->stderr_text;
  EXPECT_THAT(second->stderr_text,
              HasSubstr(absl::StrCat("could not listen on 0.0.0.0:", port)));

  // The first daemon still owns the port and serves.
  tfs::PredictRequest request = MakePredictRequest(kModelName);
  (*request.mutable_inputs())["x"] = FloatTensorProto({2}, {1});
  tfs::PredictResponse response;
  const grpc::Status status =
      CallPredict((*first)->prediction(), request, &response);
  EXPECT_TRUE(status.ok()) << status.error_message();
  auto exit_code = (*first)->Stop();
  ASSERT_TRUE(exit_code.ok()) << exit_code.status();
  EXPECT_EQ(*exit_code, 0);
}

TEST(DaemonLifecycle, PortHeldByAnyListenerFailsLoudly) {
  SKIP_WITHOUT_MODEL();
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  ASSERT_GE(fd, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof(address);
  ASSERT_EQ(bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)),
            0);
  ASSERT_EQ(listen(fd, 1), 0);
  ASSERT_EQ(getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length), 0);
  const int port = ntohs(address.sin_port);
  auto run = testing::RunDaemonToExit(
      {absl::StrCat("--port=", port), absl::StrCat("--model_name=", kModelName),
       absl::StrCat("--model_base_path=", HalfPlusTwoPath())});
  close(fd);
  ASSERT_TRUE(run.ok()) << run.status();
  EXPECT_EQ(run->exit_code, 1) << run->stderr_text;
  EXPECT_THAT(run->stderr_text, HasSubstr("could not listen on"));
}

TEST(DaemonLifecycle, ServesOnAUnixSocket) {
  SKIP_WITHOUT_MODEL();
  auto dir = testing::TempDirectory::Create();
  ASSERT_TRUE(dir.ok()) << dir.status();
  const std::string socket_path = (*dir)->path() + "/grpc.sock";
  DaemonOptions options = HalfPlusTwoOptions();
  options.extra_flags = {"--grpc_socket_path=" + socket_path};
  auto daemon = DaemonProcess::Start(options);
  ASSERT_TRUE(daemon.ok()) << daemon.status();
  auto stub = tfs::PredictionService::NewStub(grpc::CreateChannel(
      "unix:" + socket_path, grpc::InsecureChannelCredentials()));
  tfs::PredictRequest request = MakePredictRequest(kModelName);
  (*request.mutable_inputs())["x"] = FloatTensorProto({2}, {1});
  tfs::PredictResponse response;
  const grpc::Status status = CallPredict(*stub, request, &response);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(response.model_spec().version().value(), 123);
  auto exit_code = (*daemon)->Stop();
  ASSERT_TRUE(exit_code.ok()) << exit_code.status();
  EXPECT_EQ(*exit_code, 0) << (*daemon)->Stderr();
}

}  // namespace
}  // namespace model_server
