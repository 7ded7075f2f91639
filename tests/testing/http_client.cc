#include "tests/testing/http_client.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>
#include <zlib.h>

#include <cerrno>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"

namespace model_server {
namespace testing {
namespace {

absl::StatusOr<HttpResult> ParseResponse(const std::string& data) {
  const size_t end = data.find("\r\n\r\n");
  if (end == std::string::npos) {
    return absl::DataLossError(
        absl::StrCat("incomplete HTTP response: ", data.substr(0, 200)));
  }
  HttpResult result;
  std::vector<std::string> lines = absl::StrSplit(data.substr(0, end), "\r\n");
  if (lines.empty() || lines[0].size() < 12 ||
      !absl::SimpleAtoi(lines[0].substr(9, 3), &result.status)) {
    return absl::DataLossError(absl::StrCat("bad status line: ", lines[0]));
  }
  for (size_t i = 1; i < lines.size(); ++i) {
    const size_t colon = lines[i].find(':');
    if (colon == std::string::npos) continue;
    result.headers[absl::AsciiStrToLower(lines[i].substr(0, colon))] =
        std::string(absl::StripAsciiWhitespace(lines[i].substr(colon + 1)));
  }
  result.body = data.substr(end + 4);
  return result;
}

}  // namespace

absl::StatusOr<HttpResult> HttpRaw(int port, const std::string& raw,
                                   absl::Duration timeout) {
  const absl::Time deadline = absl::Now() + timeout;
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return absl::InternalError("socket failed");
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<uint16_t>(port));
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) !=
      0) {
    close(fd);
    return absl::UnavailableError(absl::StrCat("cannot connect to ", port));
  }
  size_t sent = 0;
  std::string data;
  char buffer[1 << 16];
  // Write and read together: the server may answer (and close) before it
  // has read everything we send.
  while (true) {
    pollfd p{fd, static_cast<short>(POLLIN | (sent < raw.size() ? POLLOUT : 0)),
             0};
    const int64_t left = absl::ToInt64Milliseconds(deadline - absl::Now());
    if (left <= 0 || poll(&p, 1, static_cast<int>(left)) <= 0) {
      close(fd);
      return absl::DeadlineExceededError(absl::StrCat(
          "no complete response in time; got: ", data.substr(0, 200)));
    }
    if (p.revents & POLLOUT) {
      const ssize_t n =
          send(fd, raw.data() + sent, raw.size() - sent, MSG_NOSIGNAL);
      if (n > 0) {
        sent += static_cast<size_t>(n);
      } else {
        sent = raw.size();  // the server closed its side; read what it said
      }
    }
    if (p.revents & (POLLIN | POLLHUP | POLLERR)) {
      const ssize_t n = recv(fd, buffer, sizeof(buffer), 0);
      if (n <= 0) break;
      data.append(buffer, static_cast<size_t>(n));
    }
  }
  close(fd);
  return ParseResponse(data);
}

absl::StatusOr<HttpResult> HttpCall(
    int port, const std::string& method, const std::string& path,
    const std::string& body,
    const std::vector<std::pair<std::string, std::string>>& headers,
    absl::Duration timeout) {
  std::string raw = absl::StrCat(method, " ", path,
                                 " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                                 "Connection: close\r\n");
  bool has_length = false;
  for (const auto& [name, value] : headers) {
    absl::StrAppend(&raw, name, ": ", value, "\r\n");
    if (absl::EqualsIgnoreCase(name, "content-length")) has_length = true;
  }
  if (!has_length && (method != "GET" || !body.empty())) {
    absl::StrAppend(&raw, "Content-Length: ", body.size(), "\r\n");
  }
  absl::StrAppend(&raw, "\r\n", body);
  return HttpRaw(port, raw, timeout);
}

std::string Gzip(const std::string& data) {
  z_stream stream{};
  deflateInit2(&stream, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 15 + 16, 8,
               Z_DEFAULT_STRATEGY);
  std::string out(deflateBound(&stream, data.size()) + 64, '\0');
  stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  stream.avail_in = static_cast<uInt>(data.size());
  stream.next_out = reinterpret_cast<Bytef*>(out.data());
  stream.avail_out = static_cast<uInt>(out.size());
  deflate(&stream, Z_FINISH);
  out.resize(stream.total_out);
  deflateEnd(&stream);
  return out;
}

}  // namespace testing
}  // namespace model_server
