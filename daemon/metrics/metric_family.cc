#include "daemon/metrics/metric_family.h"

#include <cmath>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"

namespace model_server {
namespace {

void AtomicAdd(std::atomic<double>& target, double delta) {
  double current = target.load(std::memory_order_relaxed);
  while (!target.compare_exchange_weak(current, current + delta,
                                       std::memory_order_relaxed)) {
  }
}

// Up to 15 significant digits (a bound like 10 * 1.8^2 prints as 32.4),
// and Prometheus' spellings of the infinities and NaN.
std::string FormatValue(double value) {
  if (std::isnan(value)) return "NaN";
  if (std::isinf(value)) return value > 0 ? "+Inf" : "-Inf";
  if (value == std::floor(value) && std::fabs(value) < 1e15) {
    return absl::StrFormat("%.0f", value);
  }
  return absl::StrFormat("%.15g", value);
}

uint64_t NextFamilyId() {
  static std::atomic<uint64_t> next_id{0};
  return next_id.fetch_add(1, std::memory_order_relaxed);
}

// Key of a cell in a thread's cache of one family: the values, each with
// its length (so no two value lists share a key).
std::string CacheKey(absl::Span<const std::string> values) {
  std::string key;
  for (const std::string& value : values) {
    absl::StrAppend(&key, value.size(), ":", value);
  }
  return key;
}

// One thread's cells of one family, valid for one generation of it.
struct FamilyCache {
  uint64_t generation = 0;
  absl::flat_hash_map<std::string, std::shared_ptr<MetricCell>> cells;
};

}  // namespace

std::string EscapeLabelValue(absl::string_view value) {
  std::string escaped;
  escaped.reserve(value.size());
  for (char c : value) {
    if (c == '\\') {
      escaped += "\\\\";
    } else if (c == '"') {
      escaped += "\\\"";
    } else if (c == '\n') {
      escaped += "\\n";
    } else {
      escaped += c;
    }
  }
  return escaped;
}

MetricCell::MetricCell(size_t num_buckets)
    : buckets_(num_buckets > 0 ? new std::atomic<int64_t>[num_buckets]
                               : nullptr),
      num_buckets_(num_buckets) {
  for (size_t i = 0; i < num_buckets_; ++i) buckets_[i].store(0);
}

void MetricCell::Add(double delta) { AtomicAdd(value_, delta); }

void MetricCell::Set(double value) {
  value_.store(value, std::memory_order_relaxed);
}

void MetricCell::Observe(double value, absl::Span<const double> bounds) {
  size_t bucket = 0;
  while (bucket < bounds.size() && value > bounds[bucket]) ++bucket;
  if (bucket < num_buckets_) {
    buckets_[bucket].fetch_add(1, std::memory_order_relaxed);
  }
  AtomicAdd(sum_, value);
}

std::vector<int64_t> MetricCell::bucket_counts() const {
  std::vector<int64_t> counts(num_buckets_);
  for (size_t i = 0; i < num_buckets_; ++i) {
    counts[i] = buckets_[i].load(std::memory_order_relaxed);
  }
  return counts;
}

MetricFamily::MetricFamily(std::string name, std::string help, MetricType type,
                           std::vector<std::string> label_names,
                           std::vector<double> bounds)
    : id_(NextFamilyId()),
      name_(std::move(name)),
      help_(std::move(help)),
      type_(type),
      label_names_(std::move(label_names)),
      bounds_(std::move(bounds)) {}

std::vector<double> MetricFamily::ExponentialBounds(double scale, double growth,
                                                    int n) {
  std::vector<double> bounds;
  double bound = scale;
  for (int i = 0; i < n; ++i) {
    bounds.push_back(bound);
    bound *= growth;
  }
  return bounds;
}

MetricCell* MetricFamily::Cell(absl::Span<const std::string> label_values) {
  thread_local absl::flat_hash_map<uint64_t, FamilyCache> caches;
  FamilyCache& cache = caches[id_];
  const uint64_t generation = generation_.load(std::memory_order_acquire);
  if (cache.generation != generation) {
    cache.cells.clear();
    cache.generation = generation;
  }
  std::string key = CacheKey(label_values);
  auto cached = cache.cells.find(key);
  if (cached != cache.cells.end()) return cached->second.get();

  std::vector<std::string> values(label_values.begin(), label_values.end());
  values.resize(label_names_.size());
  absl::MutexLock lock(&mu_);
  std::shared_ptr<MetricCell>& cell = cells_[std::move(values)];
  if (cell == nullptr) {
    cell = std::make_shared<MetricCell>(
        type_ == MetricType::kHistogram ? bounds_.size() + 1 : 0);
  }
  cache.cells.emplace(std::move(key), cell);
  return cell.get();
}

int MetricFamily::LabelIndex(absl::string_view label_name) const {
  for (size_t i = 0; i < label_names_.size(); ++i) {
    if (label_names_[i] == label_name) return static_cast<int>(i);
  }
  return -1;
}

void MetricFamily::RemoveCells(absl::string_view label_name,
                               absl::string_view label_value) {
  const int index = LabelIndex(label_name);
  if (index < 0) return;
  const std::pair<int, absl::string_view> match[] = {{index, label_value}};
  RemoveCellsMatching(match);
}

void MetricFamily::RemoveCells(absl::string_view label_name,
                               absl::string_view label_value,
                               absl::string_view label_name2,
                               absl::string_view label_value2) {
  const int index = LabelIndex(label_name);
  const int index2 = LabelIndex(label_name2);
  if (index < 0 || index2 < 0) return;
  const std::pair<int, absl::string_view> match[] = {{index, label_value},
                                                     {index2, label_value2}};
  RemoveCellsMatching(match);
}

void MetricFamily::RemoveCellsMatching(
    absl::Span<const std::pair<int, absl::string_view>> index_and_value) {
  absl::MutexLock lock(&mu_);
  bool removed = false;
  for (auto it = cells_.begin(); it != cells_.end();) {
    bool matches = true;
    for (const auto& [index, value] : index_and_value) {
      matches &= it->first[index] == value;
    }
    if (matches) {
      it = cells_.erase(it);
      removed = true;
    } else {
      ++it;
    }
  }
  if (removed) generation_.fetch_add(1, std::memory_order_release);
}

size_t MetricFamily::num_cells() const {
  absl::MutexLock lock(&mu_);
  return cells_.size();
}

void MetricFamily::Render(std::string* out) const {
  absl::MutexLock lock(&mu_);
  if (cells_.empty()) return;
  const char* type = type_ == MetricType::kCounter ? "counter"
                     : type_ == MetricType::kGauge ? "gauge"
                                                   : "histogram";
  absl::StrAppend(out, "# HELP ", name_, " ", help_, "\n", "# TYPE ", name_,
                  " ", type, "\n");
  for (const auto& [values, cell] : cells_) {
    std::vector<std::string> labels;
    for (size_t i = 0; i < label_names_.size(); ++i) {
      labels.push_back(absl::StrCat(label_names_[i], "=\"",
                                    EscapeLabelValue(values[i]), "\""));
    }
    const std::string joined = absl::StrJoin(labels, ",");
    if (type_ != MetricType::kHistogram) {
      absl::StrAppend(out, name_, joined.empty() ? "" : "{", joined,
                      joined.empty() ? "" : "}", " ",
                      FormatValue(cell->value()), "\n");
      continue;
    }
    const std::string prefix = joined.empty() ? "" : joined + ",";
    int64_t cumulative = 0;
    const std::vector<int64_t> counts = cell->bucket_counts();
    for (size_t i = 0; i < counts.size(); ++i) {
      cumulative += counts[i];
      const std::string le =
          i < bounds_.size() ? FormatValue(bounds_[i]) : "+Inf";
      absl::StrAppend(out, name_, "_bucket{", prefix, "le=\"", le, "\"} ",
                      cumulative, "\n");
    }
    const std::string braces = joined.empty() ? "" : "{" + joined + "}";
    absl::StrAppend(out, name_, "_sum", braces, " ", FormatValue(cell->sum()),
                    "\n", name_, "_count", braces, " ", cumulative, "\n");
  }
}

}  // namespace model_server
