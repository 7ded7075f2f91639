// A minimal blocking HTTP/1.1 client for end-to-end tests of the REST API:
// one connection per call to 127.0.0.1, "Connection: close", the whole
// response read until the server closes.
#ifndef MODEL_SERVER_TESTS_TESTING_HTTP_CLIENT_H_
#define MODEL_SERVER_TESTS_TESTING_HTTP_CLIENT_H_

#include <map>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace model_server {
namespace testing {

struct HttpResult {
  int status = 0;
  // Header names lower-cased.
  std::map<std::string, std::string> headers;
  std::string body;
};

// Sends `method path` with `body` (Content-Length set when the method is
// not GET or the body is not empty) and `headers`.
absl::StatusOr<HttpResult> HttpCall(
    int port, const std::string& method, const std::string& path,
    const std::string& body = "",
    const std::vector<std::pair<std::string, std::string>>& headers = {},
    absl::Duration timeout = absl::Seconds(60));

// Sends `raw` bytes as they are (for malformed requests) and reads the
// response until the server closes the connection or `timeout` passes.
absl::StatusOr<HttpResult> HttpRaw(int port, const std::string& raw,
                                   absl::Duration timeout = absl::Seconds(60));

// The bytes of `data` gzip-compressed.
std::string Gzip(const std::string& data);

}  // namespace testing
}  // namespace model_server

#endif  // MODEL_SERVER_TESTS_TESTING_HTTP_CLIENT_H_
