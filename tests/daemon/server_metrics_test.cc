// ServerMetrics as versions come and go, in-process: requests on a version
// create its series, and OnVersionUnloaded drops them again, so neither the
// page nor the heap grows with the number of versions a server has served
// (before, each version kept its series for ever: about 9 kB of RSS per
// version in the soak).
#include "daemon/metrics/server_metrics.h"

#include <malloc.h>

#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "loader/load_observer.h"
#include "loader/servable.h"

namespace model_server {
namespace {

std::string PathOf(int64_t version) {
  return absl::StrCat("/models/m/", version);
}

// What a server does for one version: load it, serve a few requests over
// both front ends (on threads of their own, like gRPC's and the HTTP
// server's), unload it.
void ServeOneVersion(ServerMetrics& metrics, int64_t version) {
  LoadAttempt attempt;
  attempt.model_name = "m";
  attempt.version = version;
  attempt.path = PathOf(version);
  metrics.OnLoadAttempt(attempt);
  auto served = std::make_shared<ServedVersion>();
  served->model_name = "m";
  served->version = version;
  auto serve = [&](const char* entrypoint) {
    for (int i = 0; i < 3; ++i) {
      ServerMetrics::Request record(&metrics, "Predict", entrypoint);
      record.set_model_name("m");
      record.set_served_version(served);
      record.set_signature("serving_default");
      record.Finish(absl::OkStatus());
    }
  };
  serve("GRPC");
  std::thread rest([&] { serve("REST"); });
  rest.join();
  served.reset();
  metrics.OnVersionUnloaded("m", version, PathOf(version));
}

size_t HeapBytesInUse() { return mallinfo2().uordblks; }

TEST(ServerMetrics, AnUnloadedVersionLeavesNoSeries) {
  ServerMetrics metrics;
  ServeOneVersion(metrics, 1);
  const std::string page = metrics.PrometheusPage();
  EXPECT_FALSE(absl::StrContains(page, "version=\"1\"")) << page;
  EXPECT_FALSE(absl::StrContains(page, PathOf(1))) << page;
  // The per-model totals stay.
  EXPECT_TRUE(absl::StrContains(
      page,
      ":tensorflow:serving:request_count{model_name=\"m\",status=\"OK\"} 6\n"))
      << page;
}

TEST(ServerMetrics, NeitherThePageNorTheHeapGrowsWithVersions) {
  ServerMetrics metrics;
  int64_t version = 1;
  for (; version <= 50; ++version) ServeOneVersion(metrics, version);
  const size_t page_bytes = metrics.PrometheusPage().size();
  const size_t heap_before = HeapBytesInUse();
  constexpr int kMoreVersions = 500;
  for (int i = 0; i < kMoreVersions; ++i, ++version) {
    ServeOneVersion(metrics, version);
  }
  const size_t heap_after = HeapBytesInUse();
  // Only the numbers of the per-model series grow (a few more digits).
  EXPECT_LE(metrics.PrometheusPage().size(), page_bytes + 256);
  // Before the fix each version kept ~4 series of kilobytes each; allow a
  // few bytes per version for the allocator's own noise.
  const double per_version =
      (static_cast<double>(heap_after) - static_cast<double>(heap_before)) /
      kMoreVersions;
  EXPECT_LT(per_version, 64)
      << "heap grew " << per_version << " bytes per version";
}

}  // namespace
}  // namespace model_server
