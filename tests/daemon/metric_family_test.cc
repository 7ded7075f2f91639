// MetricFamily: Prometheus' text format for counters, gauges and histograms
// (hand-written expected pages), exact counts from many threads, and cells
// that never leak from a destroyed family into a new one.
#include "daemon/metrics/metric_family.h"

#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace model_server {
namespace {

TEST(MetricFamily, RendersNothingBeforeItsFirstCell) {
  MetricFamily family("unused_total", "Never counted.", MetricType::kCounter,
                      {"model"});
  std::string page;
  family.Render(&page);
  EXPECT_EQ(page, "");
}

TEST(MetricFamily, RendersCountersInLabelOrderWithEscapedValues) {
  MetricFamily family("requests_total", "Requests.", MetricType::kCounter,
                      {"model", "code"});
  family.Increment({"b", "OK"});
  family.Increment({"a", "OK"}, 2);
  family.Increment({"a\"x\\y\n", "NOT_FOUND"});
  family.Increment({"b", "OK"});
  std::string page;
  family.Render(&page);
  EXPECT_EQ(page,
            "# HELP requests_total Requests.\n"
            "# TYPE requests_total counter\n"
            "requests_total{model=\"a\",code=\"OK\"} 2\n"
            "requests_total{model=\"a\\\"x\\\\y\\n\",code=\"NOT_FOUND\"} 1\n"
            "requests_total{model=\"b\",code=\"OK\"} 2\n");
}

TEST(MetricFamily, GaugesWithoutLabelsTakeTheLastValueOrSum) {
  MetricFamily family("in_flight", "Now.", MetricType::kGauge, {});
  family.Set({}, 5);
  family.Increment({}, -1.5);
  std::string page;
  family.Render(&page);
  EXPECT_EQ(page,
            "# HELP in_flight Now.\n"
            "# TYPE in_flight gauge\n"
            "in_flight 3.5\n");
}

TEST(MetricFamily, HistogramBucketsAreCumulativeUpToPlusInf) {
  // Bounds 10, 18, 32.4 (10 * 1.8^i, TF Serving's first three).
  MetricFamily family("latency", "Latency.", MetricType::kHistogram, {"api"},
                      MetricFamily::ExponentialBounds(10, 1.8, 3));
  for (double value : {10.0, 11.0, 18.0, 30.0, 1000.0}) {
    family.Observe({"Predict"}, value);
  }
  std::string page;
  family.Render(&page);
  EXPECT_EQ(page,
            "# HELP latency Latency.\n"
            "# TYPE latency histogram\n"
            "latency_bucket{api=\"Predict\",le=\"10\"} 1\n"
            "latency_bucket{api=\"Predict\",le=\"18\"} 3\n"
            "latency_bucket{api=\"Predict\",le=\"32.4\"} 4\n"
            "latency_bucket{api=\"Predict\",le=\"+Inf\"} 5\n"
            "latency_sum{api=\"Predict\"} 1069\n"
            "latency_count{api=\"Predict\"} 5\n");
}

TEST(MetricFamily, CountsFromManyThreadsAddUpExactly) {
  MetricFamily counter("c_total", "C.", MetricType::kCounter, {"model"});
  MetricFamily histogram("h", "H.", MetricType::kHistogram, {},
                         MetricFamily::ExponentialBounds(1, 2, 4));
  constexpr int kThreads = 4;
  constexpr int kPerThread = 10000;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < kPerThread; ++i) {
        counter.Increment({"m"});
        histogram.Observe({}, 3);
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(counter.Cell({"m"})->value(), kThreads * kPerThread);
  EXPECT_EQ(histogram.Cell({})->bucket_counts(),
            (std::vector<int64_t>{0, 0, kThreads * kPerThread, 0, 0}));
  EXPECT_EQ(histogram.Cell({})->sum(), 3.0 * kThreads * kPerThread);
}

TEST(MetricFamily, ANewFamilyNeverSeesTheCellsOfADestroyedOne) {
  // New families often live where the last one did; the calling thread's
  // cache must not hand back the destroyed family's cells.
  for (int round = 0; round < 50; ++round) {
    auto family = std::make_unique<MetricFamily>(
        "again_total", "Again.", MetricType::kCounter,
        std::vector<std::string>{"model"});
    family->Increment({"m"});
    std::string page;
    family->Render(&page);
    EXPECT_THAT(page, ::testing::HasSubstr("again_total{model=\"m\"} 1\n"))
        << "round " << round;
  }
}

}  // namespace
}  // namespace model_server
