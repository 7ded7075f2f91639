// MetricFamily: Prometheus' text format for counters, gauges and histograms
// (hand-written expected pages), exact counts from many threads, and cells
// that never leak from a destroyed family into a new one; cells removed
// (a version that unloaded) leave the page and every thread's cache.
#include "daemon/metrics/metric_family.h"

#include <atomic>
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

TEST(MetricFamily, RemoveCellsDropsTheCellsOfOneLabelValue) {
  MetricFamily family("r_total", "R.", MetricType::kCounter,
                      {"model", "version"});
  family.Increment({"m", "1"});
  family.Increment({"m", "2"});
  family.Increment({"other", "1"});
  family.RemoveCells("model", "m", "version", "1");
  EXPECT_EQ(family.num_cells(), 2u);
  family.RemoveCells("no_such_label", "m");
  EXPECT_EQ(family.num_cells(), 2u);
  family.RemoveCells("model", "m");
  std::string page;
  family.Render(&page);
  EXPECT_EQ(page,
            "# HELP r_total R.\n# TYPE r_total counter\n"
            "r_total{model=\"other\",version=\"1\"} 1\n");
}

TEST(MetricFamily, AThreadThatCachedARemovedCellGetsAFreshOne) {
  MetricFamily family("f_total", "F.", MetricType::kCounter, {"version"});
  family.Increment({"1"}, 5);  // this thread now caches the cell
  family.RemoveCells("version", "1");
  EXPECT_EQ(family.num_cells(), 0u);
  family.Increment({"1"});  // the version came back: counts from zero
  EXPECT_EQ(family.Cell({"1"})->value(), 1);
  EXPECT_EQ(family.num_cells(), 1u);
}

TEST(MetricFamily, CellsRemovedWhileOtherThreadsCountStayUsable) {
  MetricFamily family("busy_total", "Busy.", MetricType::kCounter, {"version"});
  std::atomic<bool> stop{false};
  std::vector<std::thread> threads;
  for (int t = 0; t < 3; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; !stop.load(); ++i) {
        family.Increment({std::to_string(i % 16)});
      }
    });
  }
  for (int round = 0; round < 2000; ++round) {
    family.RemoveCells("version", std::to_string(round % 16));
  }
  stop = true;
  for (std::thread& thread : threads) thread.join();
  EXPECT_LE(family.num_cells(), 16u);
}

}  // namespace
}  // namespace model_server
