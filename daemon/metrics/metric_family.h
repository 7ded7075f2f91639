// Prometheus metrics without a client library: a family is one metric name
// with its type, help and label names; a cell is one label-value
// combination of it, created on first use (label values must come from a
// bounded set: configured model names, versions, API names, status codes;
// never a request's free text). RemoveCells drops the cells of label values
// that are gone (a model version that unloaded), so the page and the memory
// stay bounded while versions come and go.
//
// The request path is lock-free once a thread has seen a cell: each thread
// keeps its own cache from (family id, label values) to cells, and cells are
// updated with relaxed atomics. Creating a cell (once per thread and label
// values) takes the family's mutex. Family ids are never reused, so a
// family created where a destroyed one lived cannot find the old one's
// cells in a thread's cache. RemoveCells bumps the family's generation; a
// thread that sees a new generation empties its cache of the family (and so
// lets go of removed cells) on its next use of it. Cells are shared between
// the family and the caches, so a cell removed while a thread updates it
// stays valid (that update is lost with the cell).
//
// Render() writes the family in Prometheus' text format 0.0.4: "# HELP" and
// "# TYPE" lines, then one sample per cell (histograms: cumulative
// <name>_bucket{...,le="..."} lines ending in le="+Inf", then _sum and
// _count), cells in label order.
#ifndef MODEL_SERVER_DAEMON_METRICS_METRIC_FAMILY_H_
#define MODEL_SERVER_DAEMON_METRICS_METRIC_FAMILY_H_

#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "absl/types/span.h"

namespace model_server {

enum class MetricType { kCounter, kGauge, kHistogram };

// One label-value combination's numbers.
class MetricCell {
 public:
  explicit MetricCell(size_t num_buckets);

  // Counters and gauges.
  void Add(double delta);
  void Set(double value);
  double value() const { return value_.load(std::memory_order_relaxed); }

  // Histograms: counts `value` in the first bucket whose upper bound is
  // >= value (the last bucket is +Inf) and adds it to the sum.
  void Observe(double value, absl::Span<const double> bounds);
  // Per-bucket (not cumulative) counts; the last is +Inf's.
  std::vector<int64_t> bucket_counts() const;
  double sum() const { return sum_.load(std::memory_order_relaxed); }

 private:
  std::atomic<double> value_{0};
  std::atomic<double> sum_{0};
  std::unique_ptr<std::atomic<int64_t>[]> buckets_;
  size_t num_buckets_;
};

class MetricFamily {
 public:
  // `bounds`: histogram bucket upper bounds, ascending (+Inf is implied).
  MetricFamily(std::string name, std::string help, MetricType type,
               std::vector<std::string> label_names,
               std::vector<double> bounds = {});
  MetricFamily(const MetricFamily&) = delete;
  MetricFamily& operator=(const MetricFamily&) = delete;

  // The cell of `label_values` (one per label name, in order).
  MetricCell* Cell(absl::Span<const std::string> label_values);

  void Increment(absl::Span<const std::string> label_values, double delta = 1) {
    Cell(label_values)->Add(delta);
  }
  void Set(absl::Span<const std::string> label_values, double value) {
    Cell(label_values)->Set(value);
  }
  void Observe(absl::Span<const std::string> label_values, double value) {
    Cell(label_values)->Observe(value, bounds_);
  }

  // Removes every cell whose label `label_name` has value `label_value`
  // (nothing when the family has no such label). Such a cell comes back,
  // from zero, if the same label values are used again.
  void RemoveCells(absl::string_view label_name, absl::string_view label_value);
  // Removes every cell whose labels have both values given.
  void RemoveCells(absl::string_view label_name, absl::string_view label_value,
                   absl::string_view label_name2,
                   absl::string_view label_value2);
  // How many cells the family has (tests).
  size_t num_cells() const;

  // Appends the family's text (nothing when it has no cells).
  void Render(std::string* out) const;

  const std::string& name() const { return name_; }

  // n bounds: scale, scale*growth, ..., scale*growth^(n-1).
  static std::vector<double> ExponentialBounds(double scale, double growth,
                                               int n);

 private:
  const uint64_t id_;  // unique in the process, for the per-thread caches
  const std::string name_;
  const std::string help_;
  const MetricType type_;
  const std::vector<std::string> label_names_;
  const std::vector<double> bounds_;
  // Which label index (-1: none) `label_name` is.
  int LabelIndex(absl::string_view label_name) const;
  void RemoveCellsMatching(
      absl::Span<const std::pair<int, absl::string_view>> index_and_value);

  // Bumped by every RemoveCells that removed something; see the file
  // comment.
  std::atomic<uint64_t> generation_{0};
  mutable absl::Mutex mu_;
  std::map<std::vector<std::string>, std::shared_ptr<MetricCell>> cells_
      ABSL_GUARDED_BY(mu_);
};

// A label value or help text escaped for the text format.
std::string EscapeLabelValue(absl::string_view value);

}  // namespace model_server

#endif  // MODEL_SERVER_DAEMON_METRICS_METRIC_FAMILY_H_
