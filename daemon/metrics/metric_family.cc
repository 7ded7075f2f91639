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

// Key of a cell in the per-thread caches: the family's id and the values.
std::string CacheKey(uint64_t family_id, absl::Span<const std::string> values) {
  std::string key = absl::StrCat(family_id, "/");
  for (const std::string& value : values) {
    absl::StrAppend(&key, value.size(), ":", value);
  }
  return key;
}

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
  thread_local absl::flat_hash_map<std::string, MetricCell*> cache;
  const std::string key = CacheKey(id_, label_values);
  auto cached = cache.find(key);
  if (cached != cache.end()) return cached->second;

  std::vector<std::string> values(label_values.begin(), label_values.end());
  values.resize(label_names_.size());
  absl::MutexLock lock(&mu_);
  std::unique_ptr<MetricCell>& cell = cells_[std::move(values)];
  if (cell == nullptr) {
    cell = std::make_unique<MetricCell>(
        type_ == MetricType::kHistogram ? bounds_.size() + 1 : 0);
  }
  cache.emplace(key, cell.get());
  return cell.get();
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
