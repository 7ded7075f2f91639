// The hostile-request matrix (issue 14): a model made to be attacked (one
// signature per kernel that sizes its output from request values, plus a TF1
// while loop counting to a requested bound), the limits a daemon serving it
// runs with, and the requests built to crash, exhaust or hang it over gRPC and
// REST, each with the error it must get. tests/daemon/hostile_requests_test.cc
// sends them; the fuzz targets and other robustness tests can reuse them.
#ifndef MODEL_SERVER_TESTS_TESTING_HOSTILE_MATRIX_H_
#define MODEL_SERVER_TESTS_TESTING_HOSTILE_MATRIX_H_

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "grpcpp/support/status.h"
#include "tensorflow_serving/apis/predict.pb.h"

namespace model_server {
namespace testing {

// The limits the daemon runs with: small, so that the matrix stays cheap.
inline constexpr int64_t kHostileMaxRequestBytes = 4 << 20;
inline constexpr int64_t kHostileMaxTensorElements = 1000000;
inline constexpr int64_t kHostileMaxRequestTensorBytes = 6000000;

// Writes the model the cases target (served as "hostile") to `dir`.
absl::Status WriteHostileModel(const std::string& dir);

// A good request for the model's "add" signature: x = [1, 2], y = 3, so
// z = [4, 5]. A daemon that still serves answers it.
tensorflow::serving::PredictRequest HostileModelGoodRequest();

struct GrpcCase {
  std::string name;
  tensorflow::serving::PredictRequest request;
  grpc::StatusCode expected;
  // A piece of the message the answer must contain (empty: any non-empty
  // message).
  std::string message;
  absl::Duration deadline = absl::Seconds(30);
};

std::vector<GrpcCase> GrpcCases();

struct RestCase {
  std::string name;
  std::string path;
  std::string body;
  int expected_status;
  std::string message;
  std::vector<std::pair<std::string, std::string>> headers = {};
};

// Built once (the gzip bomb takes a moment to compress).
const std::vector<RestCase>& RestCases();

}  // namespace testing
}  // namespace model_server

#endif  // MODEL_SERVER_TESTS_TESTING_HOSTILE_MATRIX_H_
