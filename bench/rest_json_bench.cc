// rest_json_bench: where a REST Predict's time goes inside the server, in
// process and on one thread: parsing the body, decoding it into tensors,
// running the signature, and writing the answer, for the example model
// half_plus_two (y = 0.5 x + 2) and the same bodies bench/rest_vs_grpc.sh
// sends ({"instances": [...N floats...]}).
//
//   rest_json_bench [--sizes=1,1000,100000] [--seconds=1]
//
// Prints one JSON line per size and one line for people: microseconds of
// this thread's CPU time per request for each stage (CPU time, not wall time,
// so other processes on a busy machine do not inflate it) and the share of
// JSON (parse + decode + encode) in their sum. Measures; asserts nothing.
#include <time.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "daemon/rest/json_document.h"
#include "daemon/rest/json_predict.h"
#include "loader/loaded_model.h"
#include "signatures/predict.h"
#include "tools/example_model.h"

ABSL_FLAG(std::string, sizes, "1,1000,100000",
          "Comma-separated numbers of floats per request");
ABSL_FLAG(double, seconds, 1, "Time per stage and size");

namespace model_server {
namespace {

double ThreadCpuSeconds() {
  timespec now;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now);
  return static_cast<double>(now.tv_sec) +
         1e-9 * static_cast<double>(now.tv_nsec);
}

// Runs `fn` repeatedly for about `seconds` of CPU time; CPU microseconds per
// call.
template <typename Fn>
double MicrosPerCall(double seconds, Fn&& fn) {
  int64_t calls = 0;
  const double start = ThreadCpuSeconds();
  double now = start;
  while (now - start < seconds) {
    for (int i = 0; i < 10; ++i) fn();
    calls += 10;
    now = ThreadCpuSeconds();
  }
  return 1e6 * (now - start) / static_cast<double>(calls);
}

// The body bench/rest_vs_grpc.sh sends: values 0.001 * (i % 1000).
std::string Body(int64_t n) {
  std::string body = "{\"instances\": [";
  for (int64_t i = 0; i < n; ++i) {
    absl::StrAppend(&body, i == 0 ? "" : ", ",
                    0.001 * static_cast<double>(i % 1000));
  }
  body += "]}";
  return body;
}

int Run() {
  char dir_template[] = "/tmp/rest_json_bench.XXXXXX";
  const char* dir = mkdtemp(dir_template);
  if (dir == nullptr) return 1;
  const std::string export_dir = absl::StrCat(dir, "/1");
  if (!WriteHalfPlusTwo(export_dir).ok()) return 1;
  auto model = LoadedModel::Load(export_dir, LoadOptions());
  std::system(absl::StrCat("rm -rf ", dir).c_str());
  if (!model.ok()) {
    std::fprintf(stderr, "load: %s\n", model.status().ToString().c_str());
    return 1;
  }
  const SignatureMap& signatures = (*model)->signatures();
  const Signature* signature = signatures.Find("serving_default");
  const double seconds = absl::GetFlag(FLAGS_seconds);
  for (absl::string_view size_text :
       absl::StrSplit(absl::GetFlag(FLAGS_sizes), ',')) {
    int64_t n = 0;
    if (!absl::SimpleAtoi(size_text, &n) || n <= 0) return 2;
    const std::string body = Body(n);
    auto find = [&](absl::string_view) -> absl::StatusOr<const Signature*> {
      return signature;
    };
    const double parse_us = MicrosPerCall(seconds, [&] {
      auto document = JsonDocument::Parse(body);
      if (!document.ok()) std::abort();
    });
    auto document = JsonDocument::Parse(body);
    const double parse_decode_us = MicrosPerCall(seconds, [&] {
      auto doc = JsonDocument::Parse(body);
      JsonPredictRequest request;
      if (!DecodePredictRequest(**doc, find, &request).ok()) std::abort();
    });
    JsonPredictRequest request;
    if (!DecodePredictRequest(**document, find, &request).ok()) return 1;
    PredictOutputs outputs;
    const double run_us = MicrosPerCall(seconds, [&] {
      if (!RunPredictSignature(*signature, request.inputs, {}, RunOptions(),
                               &outputs)
               .ok()) {
        std::abort();
      }
    });
    const double encode_us = MicrosPerCall(seconds, [&] {
      auto json = EncodePredictResponse(outputs, JsonPredictFormat::kRow);
      if (!json.ok()) std::abort();
    });
    const double json_us = parse_decode_us + encode_us;
    const double total_us = json_us + run_us;
    std::printf(
        "{\"floats\":%lld,\"body_bytes\":%zu,\"parse_us\":%.1f,"
        "\"parse_decode_us\":%.1f,\"run_us\":%.1f,\"encode_us\":%.1f,"
        "\"json_share\":%.3f}\n",
        static_cast<long long>(n), body.size(), parse_us, parse_decode_us,
        run_us, encode_us, json_us / total_us);
    std::printf(
        "%lld floats (%zu B): parse %.1f us, +decode %.1f us, run %.1f us, "
        "encode %.1f us: JSON is %.0f%% of in-server work\n",
        static_cast<long long>(n), body.size(), parse_us, parse_decode_us,
        run_us, encode_us, 100 * json_us / total_us);
  }
  return 0;
}

}  // namespace
}  // namespace model_server

int main(int argc, char** argv) {
  absl::ParseCommandLine(argc, argv);
  return model_server::Run();
}
