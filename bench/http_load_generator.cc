// http_load_generator: a closed-loop HTTP/1.1 load test of one loopback
// URL, the REST counterpart of load_generator.
//
//   http_load_generator --target=127.0.0.1:8501
//       --path=/v1/models/half_plus_two:predict --body_file=request.json
//       --concurrency=32 --seconds=5
//
// Opens --concurrency keep-alive connections (as a pool of HTTP clients
// would) and keeps one request in flight on each, all from one thread with
// epoll: each answered request is replaced by the next until the run ends.
// The first --warmup_seconds are not measured; then for --seconds it counts
// the responses (QPS) and the latency of each request that both started and
// ended inside that window. The request (POST with the body of --body_file,
// or GET without --body_file) is formatted once up front. A response other
// than 200, a connection closed by the server or a request older than
// --timeout_ms counts as an error and ends the run (a closed loop cannot
// continue sensibly). The first 200 response's body must not be empty.
//
// Prints one line of JSON and one line for people, like load_generator.
// Exits 0 without errors, 1 on errors (results still printed), 2 on bad
// flags or a non-loopback target (nothing is sent).
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "bench/latency_summary.h"
#include "bench/loopback_target.h"

ABSL_FLAG(std::string, target, "127.0.0.1:8501",
          "host:port; loopback only (127.0.0.0/8 or localhost)");
ABSL_FLAG(std::string, path, "/v1/models/half_plus_two:predict",
          "Request path");
ABSL_FLAG(std::string, body_file, "",
          "File holding the POST body; empty sends GET requests");
ABSL_FLAG(int, concurrency, 1, "Connections, one request in flight each");
ABSL_FLAG(double, seconds, 5, "Measured duration in seconds (0 < s <= 600)");
ABSL_FLAG(double, warmup_seconds, 1, "Unmeasured warm-up (0 <= s <= 60)");
ABSL_FLAG(int, timeout_ms, 10000, "Longest a request may take");
ABSL_FLAG(std::string, label, "", "Free text copied into the JSON output");

namespace model_server {
namespace {

using Clock = std::chrono::steady_clock;

struct Connection {
  int fd = -1;
  size_t sent = 0;            // bytes of the request written
  std::string received;       // bytes of the response read so far
  Clock::time_point started;  // when the current request started
};

int Connect(const sockaddr_in& address) {
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
  if (fd < 0) return -1;
  int one = 1;
  setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
  if (connect(fd, reinterpret_cast<const sockaddr*>(&address),
              sizeof(address)) != 0 &&
      errno != EINPROGRESS) {
    close(fd);
    return -1;
  }
  return fd;
}

// Length of the complete response at the start of `data`, 0 while it is
// incomplete, -1 when it cannot be parsed. Sets *status and *body_bytes.
long CompleteResponseBytes(const std::string& data, int* status,
                           size_t* body_bytes) {
  const size_t header_end = data.find("\r\n\r\n");
  if (header_end == std::string::npos) return 0;
  absl::string_view head(data.data(), header_end);
  if (!absl::StartsWith(head, "HTTP/1.1 ") || head.size() < 12 ||
      !absl::SimpleAtoi(head.substr(9, 3), status)) {
    return -1;
  }
  size_t length = 0;
  bool has_length = false;
  size_t pos = 0;
  while ((pos = head.find("\r\n", pos)) != absl::string_view::npos) {
    pos += 2;
    absl::string_view line = head.substr(pos, head.find("\r\n", pos) - pos);
    if (absl::StartsWithIgnoreCase(line, "content-length:")) {
      absl::string_view value = line.substr(15);
      while (!value.empty() && value.front() == ' ') value.remove_prefix(1);
      has_length = absl::SimpleAtoi(value, &length);
    }
  }
  if (!has_length) return -1;
  *body_bytes = length;
  const size_t total = header_end + 4 + length;
  return data.size() >= total ? static_cast<long>(total) : 0;
}

struct RunResult {
  int64_t requests = 0;
  int64_t errors = 0;
  std::string first_error;
  std::vector<double> latencies_us;
  size_t response_bytes = 0;
};

int Run() {
  const std::string target = absl::GetFlag(FLAGS_target);
  if (absl::Status s = CheckLoopbackTarget(target); !s.ok()) {
    std::fprintf(stderr, "http_load_generator: %s\n",
                 std::string(s.message()).c_str());
    return 2;
  }
  const size_t colon = target.rfind(':');
  std::string host = target.substr(0, colon);
  if (host == "localhost") host = "127.0.0.1";
  int port = 0;
  sockaddr_in address{};
  address.sin_family = AF_INET;
  if (!absl::SimpleAtoi(target.substr(colon + 1), &port) ||
      inet_pton(AF_INET, host.c_str(), &address.sin_addr) != 1) {
    std::fprintf(stderr, "http_load_generator: --target must be IPv4:port\n");
    return 2;
  }
  address.sin_port = htons(static_cast<uint16_t>(port));
  const int concurrency = absl::GetFlag(FLAGS_concurrency);
  const double seconds = absl::GetFlag(FLAGS_seconds);
  const double warmup = absl::GetFlag(FLAGS_warmup_seconds);
  if (concurrency < 1 || concurrency > 1024 || seconds <= 0 || seconds > 600 ||
      warmup < 0 || warmup > 60) {
    std::fprintf(stderr, "http_load_generator: flag out of range\n");
    return 2;
  }
  std::string body;
  const std::string body_file = absl::GetFlag(FLAGS_body_file);
  if (!body_file.empty()) {
    std::ifstream in(body_file, std::ios::binary);
    if (!in) {
      std::fprintf(stderr, "http_load_generator: cannot read %s\n",
                   body_file.c_str());
      return 2;
    }
    std::stringstream buffer;
    buffer << in.rdbuf();
    body = buffer.str();
  }
  const std::string request =
      body_file.empty()
          ? absl::StrCat("GET ", absl::GetFlag(FLAGS_path),
                         " HTTP/1.1\r\nHost: ", target, "\r\n\r\n")
          : absl::StrCat("POST ", absl::GetFlag(FLAGS_path),
                         " HTTP/1.1\r\nHost: ", target,
                         "\r\nContent-Type: application/json\r\n"
                         "Content-Length: ",
                         body.size(), "\r\n\r\n", body);

  const int epoll_fd = epoll_create1(0);
  std::vector<Connection> connections(concurrency);
  const Clock::time_point start = Clock::now();
  const Clock::time_point window_start =
      start + std::chrono::duration_cast<Clock::duration>(
                  std::chrono::duration<double>(warmup));
  const Clock::time_point end =
      window_start + std::chrono::duration_cast<Clock::duration>(
                         std::chrono::duration<double>(seconds));
  const auto timeout =
      std::chrono::milliseconds(absl::GetFlag(FLAGS_timeout_ms));
  RunResult result;
  auto fail = [&](std::string why) {
    if (result.errors++ == 0) result.first_error = std::move(why);
  };
  for (int i = 0; i < concurrency; ++i) {
    Connection& c = connections[i];
    c.fd = Connect(address);
    if (c.fd < 0) {
      std::fprintf(stderr, "http_load_generator: cannot connect to %s\n",
                   target.c_str());
      return 2;
    }
    c.started = Clock::now();
    epoll_event event{};
    event.events = EPOLLIN | EPOLLOUT;
    event.data.u32 = static_cast<uint32_t>(i);
    epoll_ctl(epoll_fd, EPOLL_CTL_ADD, c.fd, &event);
  }
  std::vector<epoll_event> events(concurrency);
  char buffer[1 << 16];
  bool checked_first = false;
  while (result.errors == 0) {
    const Clock::time_point now = Clock::now();
    if (now >= end) break;
    const int ready = epoll_wait(epoll_fd, events.data(), concurrency, 100);
    for (int e = 0; e < ready && result.errors == 0; ++e) {
      Connection& c = connections[events[e].data.u32];
      if (c.sent < request.size() && (events[e].events & EPOLLOUT)) {
        const ssize_t n = send(c.fd, request.data() + c.sent,
                               request.size() - c.sent, MSG_NOSIGNAL);
        if (n > 0) c.sent += static_cast<size_t>(n);
        if (n < 0 && errno != EAGAIN) fail("send failed");
        if (c.sent == request.size()) {
          epoll_event event{};
          event.events = EPOLLIN;
          event.data.u32 = events[e].data.u32;
          epoll_ctl(epoll_fd, EPOLL_CTL_MOD, c.fd, &event);
        }
      }
      if (!(events[e].events & (EPOLLIN | EPOLLHUP | EPOLLERR))) continue;
      const ssize_t n = recv(c.fd, buffer, sizeof(buffer), 0);
      if (n == 0 || (n < 0 && errno != EAGAIN)) {
        fail("the server closed the connection");
        break;
      }
      if (n < 0) continue;
      c.received.append(buffer, static_cast<size_t>(n));
      int status = 0;
      size_t body_bytes = 0;
      const long complete =
          CompleteResponseBytes(c.received, &status, &body_bytes);
      if (complete < 0) fail("unparsable response");
      if (complete <= 0) continue;
      const Clock::time_point done = Clock::now();
      ++result.requests;
      if (status != 200) {
        fail(absl::StrCat("HTTP ", status, ": ",
                          c.received.substr(complete - body_bytes, 300)));
        break;
      }
      if (!checked_first) {
        checked_first = true;
        result.response_bytes = body_bytes;
        if (body_bytes == 0) fail("empty response body");
      }
      if (c.started >= window_start && done <= end) {
        result.latencies_us.push_back(
            std::chrono::duration<double, std::micro>(done - c.started)
                .count());
      }
      c.received.erase(0, complete);
      c.sent = 0;
      c.started = done;
      epoll_event event{};
      event.events = EPOLLIN | EPOLLOUT;
      event.data.u32 = events[e].data.u32;
      epoll_ctl(epoll_fd, EPOLL_CTL_MOD, c.fd, &event);
    }
    for (const Connection& c : connections) {
      if (Clock::now() - c.started > timeout) {
        fail("a request exceeded --timeout_ms");
        break;
      }
    }
  }
  for (Connection& c : connections) close(c.fd);
  close(epoll_fd);

  const size_t measured = result.latencies_us.size();
  LatencySummary latency = SummarizeLatencies(result.latencies_us);
  const double qps = measured / seconds;
  std::printf(
      "{\"label\":\"%s\",\"target\":\"%s\",\"path\":\"%s\",\"concurrency\":%d,"
      "\"seconds\":%g,\"warmup_seconds\":%g,\"request_bytes\":%zu,"
      "\"response_bytes\":%zu,\"requests\":%lld,\"measured\":%zu,\"qps\":%.1f,"
      "\"mean_us\":%.1f,\"p50_us\":%.1f,\"p90_us\":%.1f,\"p99_us\":%.1f,"
      "\"max_us\":%.1f,\"errors\":%lld}\n",
      absl::GetFlag(FLAGS_label).c_str(), target.c_str(),
      absl::GetFlag(FLAGS_path).c_str(), concurrency, seconds, warmup,
      body.size(), result.response_bytes,
      static_cast<long long>(result.requests), measured, qps, latency.mean_us,
      latency.p50_us, latency.p90_us, latency.p99_us, latency.max_us,
      static_cast<long long>(result.errors));
  std::printf(
      "%s c=%d: %.0f req/s, p50 %.0f us, p99 %.0f us, %lld errors%s%s\n",
      absl::GetFlag(FLAGS_path).c_str(), concurrency, qps, latency.p50_us,
      latency.p99_us, static_cast<long long>(result.errors),
      result.errors ? ": " : "", result.first_error.c_str());
  return result.errors == 0 ? 0 : 1;
}

}  // namespace
}  // namespace model_server

int main(int argc, char** argv) {
  absl::SetProgramUsageMessage(
      "closed-loop HTTP/1.1 load on one loopback URL (see the file comment)");
  absl::ParseCommandLine(argc, argv);
  return model_server::Run();
}
