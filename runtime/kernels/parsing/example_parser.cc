#include "runtime/kernels/parsing/example_parser.h"

#include <algorithm>
#include <cstring>
#include <functional>
#include <limits>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "runtime/eigen_device.h"
#include "runtime/status_macros.h"

namespace model_server {
namespace {

// ---------------------------------------------------------------------------
// Wire level: TensorFlow's grammar for serialized Examples. WireReader
// mirrors the parts of protobuf's CodedInputStream that TensorFlow's parser
// relies on, over one in-memory buffer, so that the same byte strings are
// accepted and rejected.

static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__,
              "packed floats are copied as little-endian bytes");

constexpr uint8_t DelimitedTag(int field) { return (field << 3) | 2; }
constexpr uint8_t kVarintTag1 = (1 << 3) | 0;
constexpr uint8_t kFixed32Tag1 = (1 << 3) | 5;
constexpr uint32_t kMaxLimit = std::numeric_limits<int32_t>::max();

class WireReader {
 public:
  explicit WireReader(absl::string_view data)
      : data_(reinterpret_cast<const uint8_t*>(data.data())),
        limit_(data.size()) {}

  // ExpectAtEnd: at the innermost limit.
  bool AtEnd() const { return pos_ == limit_; }
  size_t BytesUntilLimit() const { return limit_ - pos_; }
  // The next byte, 0 at the limit (TensorFlow's PeekTag).
  uint8_t Peek() const { return pos_ < limit_ ? data_[pos_] : 0; }
  // ExpectTag for a one-byte tag: consumes it if it is next.
  bool Expect(uint8_t tag) {
    if (pos_ < limit_ && data_[pos_] == tag) {
      ++pos_;
      return true;
    }
    return false;
  }
  // A varint of at most 10 bytes, all before the limit.
  bool ReadVarint64(uint64_t* value) {
    uint64_t result = 0;
    for (int i = 0; i < 10; ++i) {
      if (pos_ == limit_) return false;
      const uint8_t b = data_[pos_++];
      result |= static_cast<uint64_t>(b & 0x7f) << (7 * i);
      if ((b & 0x80) == 0) {
        *value = result;
        return true;
      }
    }
    return false;
  }
  // As ReadVarint64, keeping the low 32 bits (also how tags are read).
  bool ReadVarint32(uint32_t* value) {
    uint64_t v;
    if (!ReadVarint64(&v)) return false;
    *value = static_cast<uint32_t>(v);
    return true;
  }
  bool ReadFixed32(uint32_t* value) {
    if (limit_ - pos_ < 4) return false;
    std::memcpy(value, data_ + pos_, 4);
    pos_ += 4;
    return true;
  }
  bool SkipFixed64() {
    if (limit_ - pos_ < 8) return false;
    pos_ += 8;
    return true;
  }
  // `n` bytes before the limit.
  bool ReadBytes(size_t n, absl::string_view* out) {
    if (n > limit_ - pos_) return false;
    *out = absl::string_view(reinterpret_cast<const char*>(data_ + pos_), n);
    pos_ += n;
    return true;
  }
  // Protobuf's Skip: a count above INT_MAX fails without moving; a count past
  // the limit moves to the limit and fails.
  bool Skip(uint32_t n) {
    if (n > kMaxLimit) return false;
    if (n > limit_ - pos_) {
      pos_ = limit_;
      return false;
    }
    pos_ += n;
    return true;
  }
  // Protobuf's PushLimit: a length reaching past the current limit (or above
  // INT_MAX) leaves the current limit in place. Returns the limit to restore.
  size_t PushLimit(uint32_t length) {
    const size_t old = limit_;
    if (length <= kMaxLimit && length < limit_ - pos_) limit_ = pos_ + length;
    return old;
  }
  void PopLimit(size_t old) { limit_ = old; }

 private:
  const uint8_t* data_;
  size_t pos_ = 0;
  size_t limit_;
};

// A length-prefixed byte string (TensorFlow's ParseString).
bool ReadString(WireReader* r, absl::string_view* out) {
  uint32_t length;
  return r->ReadVarint32(&length) && r->ReadBytes(length, out);
}

// One map<string, Feature> entry: exactly two fields, each the key (1) or
// the value (2), in either order.
struct FeatureEntry {
  absl::string_view key;
  absl::string_view feature;  // a serialized Feature
};

bool ParseMapEntry(WireReader* r, FeatureEntry* entry) {
  uint32_t length;
  if (!r->ReadVarint32(&length)) return false;
  const size_t limit = r->PushLimit(length);
  for (int n = 0; n < 2; ++n) {
    uint32_t tag;
    if (!r->ReadVarint32(&tag)) return false;
    if (tag == DelimitedTag(1)) {
      if (!ReadString(r, &entry->key)) return false;
    } else if (tag == DelimitedTag(2)) {
      if (!ReadString(r, &entry->feature)) return false;
    } else {
      return false;
    }
  }
  if (!r->AtEnd()) return false;
  r->PopLimit(limit);
  return true;
}

bool ParseFeatures(WireReader* r, std::vector<FeatureEntry>* entries) {
  uint32_t length;
  if (!r->ReadVarint32(&length)) return false;
  const size_t limit = r->PushLimit(length);
  while (!r->AtEnd()) {
    FeatureEntry entry;
    if (!r->Expect(DelimitedTag(1)) || !ParseMapEntry(r, &entry)) {
      return false;
    }
    entries->push_back(entry);
  }
  r->PopLimit(limit);
  return true;
}

// Skips one top-level field other than `features` (TensorFlow's
// SkipExtraneousTag; groups are not supported and a length-delimited field
// cut short by the end of the input is skipped, not an error).
bool SkipField(WireReader* r) {
  uint32_t tag;
  if (!r->ReadVarint32(&tag)) return false;
  switch (tag & 7) {
    case 0: {
      uint32_t value;
      return r->ReadVarint32(&value);
    }
    case 1:
      return r->SkipFixed64();
    case 2: {
      uint32_t length;
      if (!r->ReadVarint32(&length)) return false;
      r->Skip(length);
      return true;
    }
    case 5: {
      uint32_t value;
      return r->ReadFixed32(&value);
    }
    default:
      return false;
  }
}

// Splits a serialized Example into its feature map entries, in order
// (several `features` fields concatenate). False if malformed.
bool ParseExampleEntries(absl::string_view serialized,
                         std::vector<FeatureEntry>* entries) {
  if (serialized.size() > kMaxLimit) return false;
  WireReader r(serialized);
  while (!r.AtEnd()) {
    if (r.Expect(DelimitedTag(1))) {
      if (!ParseFeatures(&r, entries)) return false;
    } else if (!SkipField(&r)) {
      return false;
    }
  }
  return true;
}

// The kind of a serialized Feature from its first byte; strips that byte.
// An empty Feature has no kind (DT_INVALID).
absl::Status ParseFeatureKind(absl::string_view* feature, DataType* dtype) {
  *dtype = DT_INVALID;
  if (feature->empty()) return absl::OkStatus();
  const uint8_t tag = static_cast<uint8_t>(feature->front());
  feature->remove_prefix(1);
  switch (tag) {
    case DelimitedTag(1):
      *dtype = DT_STRING;
      return absl::OkStatus();
    case DelimitedTag(2):
      *dtype = DT_FLOAT;
      return absl::OkStatus();
    case DelimitedTag(3):
      *dtype = DT_INT64;
      return absl::OkStatus();
    default:
      return absl::InvalidArgumentError("Unsupported datatype.");
  }
}

// Destinations of list values. VectorSink appends (TensorFlow's SmallVector
// results); FixedSink fills a fixed number of elements (TensorFlow's
// LimitedArraySlice): extra numbers are counted but not stored, extra byte
// strings fail the parse.
template <typename T>
class VectorSink {
 public:
  explicit VectorSink(std::vector<T>* out) : out_(out) {}
  // How many of `n` more values will be stored.
  size_t Writable(size_t n) const { return n; }
  // Appends `n` values; returns where the first Writable(n) go.
  T* Extend(size_t n) {
    const size_t old = out_->size();
    out_->resize(old + n);
    return out_->data() + old;
  }
  void Push(T value) { out_->push_back(value); }
  bool PushBytes(absl::string_view bytes) {
    out_->push_back(bytes);
    return true;
  }

 private:
  std::vector<T>* out_;
};

template <typename T>
class FixedSink {
 public:
  FixedSink(T* out, size_t capacity) : out_(out), capacity_(capacity) {}
  // Values seen so far, stored or not.
  size_t count() const { return count_; }
  size_t Writable(size_t n) const {
    return std::min(n, capacity_ - std::min(count_, capacity_));
  }
  T* Extend(size_t n) {
    T* at = out_ + std::min(count_, capacity_);
    count_ += n;
    return at;
  }
  void Push(T value) {
    if (count_ < capacity_) out_[count_] = value;
    ++count_;
  }
  bool PushBytes(absl::string_view bytes) {
    if (count_ >= capacity_) return false;
    out_[count_++].assign(bytes.data(), bytes.size());
    return true;
  }

 private:
  T* out_;
  size_t capacity_;
  size_t count_ = 0;
};

// The list parsers read the list message that follows a Feature's kind byte;
// anything after that list is ignored, as in TensorFlow.
template <typename Sink>
bool ParseBytesList(absl::string_view list, Sink* sink) {
  WireReader r(list);
  uint32_t length;
  if (!r.ReadVarint32(&length)) return false;
  r.PushLimit(length);
  while (!r.AtEnd()) {
    absl::string_view bytes;
    if (!r.Expect(DelimitedTag(1)) || !ReadString(&r, &bytes) ||
        !sink->PushBytes(bytes)) {
      return false;
    }
  }
  return true;
}

// One packed run, or only unpacked values; only the packed run is read when
// both appear.
template <typename Sink>
bool ParseFloatList(absl::string_view list, Sink* sink) {
  WireReader r(list);
  uint32_t length;
  if (!r.ReadVarint32(&length)) return false;
  r.PushLimit(length);
  if (r.AtEnd()) return true;
  if (r.Expect(DelimitedTag(1))) {
    uint32_t packed_length;
    if (!r.ReadVarint32(&packed_length)) return false;
    r.PushLimit(packed_length);
    // Trailing bytes short of a whole float are ignored.
    const size_t n = packed_length / sizeof(float);
    const size_t writable = sink->Writable(n);
    absl::string_view bytes;
    if (!r.ReadBytes(writable * sizeof(float), &bytes)) return false;
    float* out = sink->Extend(n);
    if (writable > 0) std::memcpy(out, bytes.data(), bytes.size());
    return true;
  }
  if (r.Peek() != kFixed32Tag1) return false;
  // Each unpacked value is a tag byte and four value bytes.
  const size_t n = r.BytesUntilLimit() / 5;
  const size_t writable = sink->Writable(n);
  float* out = sink->Extend(n);
  size_t i = 0;
  while (!r.AtEnd()) {
    uint32_t bits;
    if (!r.Expect(kFixed32Tag1) || !r.ReadFixed32(&bits)) return false;
    if (i < writable) std::memcpy(out + i, &bits, sizeof(bits));
    ++i;
  }
  return true;
}

template <typename Sink>
bool ParseInt64List(absl::string_view list, Sink* sink) {
  WireReader r(list);
  uint32_t length;
  if (!r.ReadVarint32(&length)) return false;
  r.PushLimit(length);
  if (r.AtEnd()) return true;
  uint64_t value;
  if (r.Expect(DelimitedTag(1))) {
    uint32_t packed_length;
    if (!r.ReadVarint32(&packed_length)) return false;
    r.PushLimit(packed_length);
    while (!r.AtEnd()) {
      if (!r.ReadVarint64(&value)) return false;
      sink->Push(static_cast<int64_t>(value));
    }
    return true;
  }
  if (r.Peek() != kVarintTag1) return false;
  while (!r.AtEnd()) {
    if (!r.Expect(kVarintTag1) || !r.ReadVarint64(&value)) return false;
    sink->Push(static_cast<int64_t>(value));
  }
  return true;
}

// Where a configured key's values go.
enum class Kind : uint8_t { kDense, kSparse, kRagged };
struct Slot {
  Kind kind;
  int index;
};
using FeatureIndex = absl::flat_hash_map<absl::string_view, Slot>;

// TensorFlow indexes the configured keys in a hash map that refuses
// duplicates and reports them with this INTERNAL error at run time.
absl::Status BuildIndex(const ExampleParserConfig& config,
                        FeatureIndex* index) {
  index->reserve(config.dense.size() + config.sparse.size() +
                 config.ragged.size());
  bool unique = true;
  auto add = [&](absl::string_view key, Kind kind, size_t i) {
    unique &= index->emplace(key, Slot{kind, static_cast<int>(i)}).second;
  };
  for (size_t i = 0; i < config.dense.size(); ++i) {
    add(config.dense[i].key, Kind::kDense, i);
  }
  for (size_t i = 0; i < config.sparse.size(); ++i) {
    add(config.sparse[i].key, Kind::kSparse, i);
  }
  for (size_t i = 0; i < config.ragged.size(); ++i) {
    add(config.ragged[i].key, Kind::kRagged, i);
  }
  if (!unique) {
    return absl::InternalError(
        "Could not avoid collision. This should not happen.");
  }
  return absl::OkStatus();
}

// How TensorFlow names a list type in value-count errors.
const char* ListTypeName(DataType dtype) {
  switch (dtype) {
    case DT_INT64:
      return "int64";
    case DT_FLOAT:
      return "float";
    default:
      return "bytes";
  }
}

// The values of one variable-length feature (sparse, ragged or
// variable-length dense) for a run of examples: the values back to back, and
// after each example the running count. Byte values point into the
// serialized input, which outlives the parse.
struct ValueBuffer {
  std::vector<float> floats;
  std::vector<int64_t> int64s;
  std::vector<absl::string_view> bytes;
  std::vector<size_t> example_ends;

  size_t size(DataType dtype) const {
    switch (dtype) {
      case DT_FLOAT:
        return floats.size();
      case DT_INT64:
        return int64s.size();
      default:
        return bytes.size();
    }
  }
  // Records the end of the current example.
  void EndExample(DataType dtype) { example_ends.push_back(size(dtype)); }
};

// Appends one feature's values to `buffer`; false if malformed.
bool AppendValues(DataType dtype, absl::string_view feature,
                  ValueBuffer* buffer) {
  switch (dtype) {
    case DT_FLOAT: {
      VectorSink<float> sink(&buffer->floats);
      return ParseFloatList(feature, &sink);
    }
    case DT_INT64: {
      VectorSink<int64_t> sink(&buffer->int64s);
      return ParseInt64List(feature, &sink);
    }
    default: {
      VectorSink<absl::string_view> sink(&buffer->bytes);
      return ParseBytesList(feature, &sink);
    }
  }
}

// Parses one feature into a fixed number of elements at `out` (TensorFlow's
// LimitedArraySlice). Returns false if malformed; `*count` is the number of
// values the feature holds (or, for bytes, at most `n`).
bool ParseFixed(DataType dtype, absl::string_view feature, void* out, size_t n,
                size_t* count) {
  switch (dtype) {
    case DT_FLOAT: {
      FixedSink<float> sink(static_cast<float*>(out), n);
      const bool ok = ParseFloatList(feature, &sink);
      *count = sink.count();
      return ok;
    }
    case DT_INT64: {
      FixedSink<int64_t> sink(static_cast<int64_t*>(out), n);
      const bool ok = ParseInt64List(feature, &sink);
      *count = sink.count();
      return ok;
    }
    default: {
      FixedSink<std::string> sink(static_cast<std::string*>(out), n);
      const bool ok = ParseBytesList(feature, &sink);
      *count = sink.count();
      return ok;
    }
  }
}

// Element `i` of `t` as an untyped pointer (float, int64 or string).
void* ElementPtr(Tensor& t, int64_t i) {
  switch (t.dtype()) {
    case DT_FLOAT:
      return t.data<float>() + i;
    case DT_INT64:
      return t.data<int64_t>() + i;
    default:
      return t.data<std::string>() + i;
  }
}

template <typename T>
void CopyElements(const Tensor& from, int64_t n, Tensor& to, int64_t offset) {
  std::copy_n(from.data<T>(), n, to.data<T>() + offset);
}

void CopyDefault(const Tensor& from, Tensor& to, int64_t offset) {
  const int64_t n = from.NumElements();
  switch (from.dtype()) {
    case DT_FLOAT:
      return CopyElements<float>(from, n, to, offset);
    case DT_INT64:
      return CopyElements<int64_t>(from, n, to, offset);
    default:
      return CopyElements<std::string>(from, n, to, offset);
  }
}

// ---------------------------------------------------------------------------
// Batches (TensorFlow's FastParseExample).

// TensorFlow splits a batch into minibatches of about this many serialized
// bytes (at least min(8, batch), at most 64). The split is reproduced because
// one error message (a variable-length count that is not a multiple of the
// row size) reports a count accumulated over the minibatch.
constexpr size_t kMinibatchBytes = 50000;
// Below this many serialized bytes the whole batch is parsed inline.
constexpr size_t kMinParallelBytes = 32 * 1024;

struct Minibatch {
  size_t begin = 0;
  size_t end = 0;
  std::vector<ValueBuffer> varlen_dense;
  std::vector<ValueBuffer> sparse;
  std::vector<ValueBuffer> ragged;
  absl::Status status;
};

// Reused across the examples of one minibatch.
struct Scratch {
  std::vector<FeatureEntry> entries;
  // Index of the last example in which each feature was seen, or -1.
  std::vector<int64_t> dense_seen;
  std::vector<int64_t> sparse_seen;
  std::vector<int64_t> ragged_seen;
};

class BatchParser {
 public:
  BatchParser(const ExampleParserConfig& config, const FeatureIndex& index,
              absl::Span<const std::string> serialized,
              absl::Span<const std::string> names,
              std::vector<Tensor>* fixed_dense)
      : config_(config),
        index_(index),
        serialized_(serialized),
        names_(names),
        fixed_dense_(*fixed_dense) {}

  void ParseMinibatch(Minibatch* batch) const {
    // Buffers only for the kinds of features present in the config.
    if (std::any_of(config_.dense.begin(), config_.dense.end(),
                    [](const DenseFeatureSpec& spec) {
                      return spec.variable_length;
                    })) {
      batch->varlen_dense.resize(config_.dense.size());
    }
    batch->sparse.resize(config_.sparse.size());
    batch->ragged.resize(config_.ragged.size());
    Scratch scratch;
    scratch.dense_seen.assign(config_.dense.size(), -1);
    scratch.sparse_seen.assign(config_.sparse.size(), -1);
    scratch.ragged_seen.assign(config_.ragged.size(), -1);
    for (size_t e = batch->begin; e < batch->end; ++e) {
      batch->status = ParseExample(e, batch, &scratch);
      if (!batch->status.ok()) return;
    }
  }

 private:
  absl::string_view Name(size_t e) const {
    return names_.empty() ? absl::string_view("<unknown>")
                          : absl::string_view(names_[e]);
  }

  absl::Status ParseExample(size_t e, Minibatch* batch,
                            Scratch* scratch) const {
    const std::string& serialized = serialized_[e];
    scratch->entries.clear();
    if (!ParseExampleEntries(serialized, &scratch->entries)) {
      return absl::InvalidArgumentError(absl::StrCat(
          "Could not parse example input, value: '", serialized, "'"));
    }
    const int64_t example = static_cast<int64_t>(e);
    // The last entry of a key wins, as in protobuf's map parsing: walk
    // backwards and skip keys already seen in this example.
    for (auto it = scratch->entries.rbegin(); it != scratch->entries.rend();
         ++it) {
      auto slot = index_.find(it->key);
      if (slot == index_.end()) continue;
      absl::string_view feature = it->feature;
      DataType kind;
      MS_RETURN_IF_ERROR(ParseFeatureKind(&feature, &kind));
      const int d = slot->second.index;
      switch (slot->second.kind) {
        case Kind::kDense:
          if (kind == DT_INVALID) continue;
          if (scratch->dense_seen[d] == example) continue;
          scratch->dense_seen[d] = example;
          MS_RETURN_IF_ERROR(ParseDense(e, it->key, kind, feature, d, batch));
          break;
        case Kind::kSparse:
        case Kind::kRagged: {
          const bool sparse = slot->second.kind == Kind::kSparse;
          int64_t& seen =
              sparse ? scratch->sparse_seen[d] : scratch->ragged_seen[d];
          if (seen == example) continue;
          seen = example;
          const DataType dtype =
              sparse ? config_.sparse[d].dtype : config_.ragged[d].dtype;
          ValueBuffer& buffer = sparse ? batch->sparse[d] : batch->ragged[d];
          if (kind != DT_INVALID && kind != dtype) {
            return ExampleError(
                e, it->key,
                absl::StrCat("Data types don't match. Expected type: ",
                             DataTypeName(dtype),
                             ", Actual type: ", DataTypeName(kind)));
          }
          if (kind != DT_INVALID && !AppendValues(dtype, feature, &buffer)) {
            return ParseError(e, it->key);
          }
          buffer.EndExample(dtype);
          break;
        }
      }
    }
    return FillMissing(e, batch, *scratch);
  }

  absl::Status ParseDense(size_t e, absl::string_view key, DataType kind,
                          absl::string_view feature, int d,
                          Minibatch* batch) const {
    const DenseFeatureSpec& spec = config_.dense[d];
    if (kind != spec.dtype) {
      return ExampleError(
          e, key,
          absl::StrCat(
              "Data types don't match. Data type: ", DataTypeName(kind),
              " but expected type: ", DataTypeName(spec.dtype)));
    }
    const size_t stride = static_cast<size_t>(spec.elements_per_stride);
    if (!spec.variable_length) {
      size_t count = 0;
      if (!ParseFixed(spec.dtype, feature,
                      ElementPtr(fixed_dense_[d], e * stride), stride,
                      &count)) {
        return ParseError(e, key);
      }
      if (count != stride) {
        return ExampleError(
            e, key,
            absl::StrCat("Number of ", ListTypeName(spec.dtype),
                         " values != expected.  Values size: ", count,
                         " but output shape: ", spec.shape_string));
      }
      return absl::OkStatus();
    }
    ValueBuffer& buffer = batch->varlen_dense[d];
    if (!AppendValues(spec.dtype, feature, &buffer)) {
      return ParseError(e, key);
    }
    // TensorFlow checks the count accumulated over the minibatch (and
    // divides by zero for an empty row shape; nothing is a multiple of 0
    // except 0 here).
    const size_t total = buffer.size(spec.dtype);
    if (stride == 0 ? total != 0 : total % stride != 0) {
      return ExampleError(
          e, key,
          absl::StrCat("Number of ", ListTypeName(spec.dtype),
                       " values is not a multiple of stride length. Saw ",
                       total,
                       " values but output shape is: ", spec.shape_string));
    }
    buffer.EndExample(spec.dtype);
    return absl::OkStatus();
  }

  absl::Status FillMissing(size_t e, Minibatch* batch,
                           const Scratch& scratch) const {
    const int64_t example = static_cast<int64_t>(e);
    for (size_t d = 0; d < config_.dense.size(); ++d) {
      const DenseFeatureSpec& spec = config_.dense[d];
      if (spec.variable_length || scratch.dense_seen[d] == example) continue;
      if (spec.default_value.NumElements() == 0) {
        return absl::InvalidArgumentError(
            absl::StrCat("Name: ", Name(e), ", Feature: ", spec.key,
                         " (data type: ", DataTypeName(spec.dtype), ")",
                         " is required but could not be found."));
      }
      CopyDefault(spec.default_value, fixed_dense_[d],
                  example * spec.elements_per_stride);
    }
    for (size_t d = 0; d < config_.dense.size(); ++d) {
      const DenseFeatureSpec& spec = config_.dense[d];
      if (!spec.variable_length || scratch.dense_seen[d] == example) continue;
      batch->varlen_dense[d].EndExample(spec.dtype);
    }
    for (size_t d = 0; d < config_.sparse.size(); ++d) {
      if (scratch.sparse_seen[d] == example) continue;
      batch->sparse[d].EndExample(config_.sparse[d].dtype);
    }
    for (size_t d = 0; d < config_.ragged.size(); ++d) {
      if (scratch.ragged_seen[d] == example) continue;
      batch->ragged[d].EndExample(config_.ragged[d].dtype);
    }
    return absl::OkStatus();
  }

  absl::Status ExampleError(size_t e, absl::string_view key,
                            absl::string_view suffix) const {
    return absl::InvalidArgumentError(absl::StrCat(
        "Name: ", Name(e), ", Key: ", key, ", Index: ", e, ".  ", suffix));
  }
  absl::Status ParseError(size_t e, absl::string_view key) const {
    return ExampleError(e, key, "Can't parse serialized Example.");
  }

  const ExampleParserConfig& config_;
  const FeatureIndex& index_;
  absl::Span<const std::string> serialized_;
  absl::Span<const std::string> names_;
  // Written concurrently, each minibatch into its own examples' rows.
  std::vector<Tensor>& fixed_dense_;
};

size_t NumMinibatches(absl::Span<const std::string> serialized) {
  size_t result = 0;
  size_t bytes = 0;
  for (const std::string& s : serialized) {
    if (bytes == 0) ++result;
    bytes += s.size() + 1;
    if (bytes > kMinibatchBytes) bytes = 0;
  }
  const size_t min_minibatches = std::min<size_t>(8, serialized.size());
  const size_t max_minibatches = 64;
  return std::max(min_minibatches, std::min(max_minibatches, result));
}

// Runs fn(0..n-1), on the shared pool when there is enough work.
void RunMinibatches(size_t n, size_t total_bytes,
                    const std::function<void(size_t)>& fn) {
  if (n <= 1 || total_bytes < kMinParallelBytes) {
    for (size_t i = 0; i < n; ++i) fn(i);
    return;
  }
  const Eigen::ThreadPoolDevice& device = EigenDevice();
  Eigen::Barrier barrier(static_cast<unsigned int>(n - 1));
  for (size_t i = 1; i < n; ++i) {
    device.enqueue_with_barrier(&barrier, [&fn, i] { fn(i); });
  }
  fn(0);
  barrier.Wait();
}

// Per-example value counts of buffers, in example order.
template <typename Visit>
void ForEachExample(const std::vector<Minibatch>& batches,
                    std::vector<ValueBuffer> Minibatch::*buffers, size_t d,
                    Visit visit) {
  for (const Minibatch& batch : batches) {
    const ValueBuffer& buffer = (batch.*buffers)[d];
    size_t start = 0;
    size_t e = batch.begin;
    for (size_t end : buffer.example_ends) {
      visit(e++, buffer, start, end);
      start = end;
    }
  }
}

// Copies buffer values [start, end) to `out` from element `offset`.
void CopyValues(DataType dtype, const ValueBuffer& buffer, size_t start,
                size_t end, Tensor& out, int64_t offset) {
  switch (dtype) {
    case DT_FLOAT:
      std::copy(buffer.floats.begin() + start, buffer.floats.begin() + end,
                out.data<float>() + offset);
      break;
    case DT_INT64:
      std::copy(buffer.int64s.begin() + start, buffer.int64s.begin() + end,
                out.data<int64_t>() + offset);
      break;
    default: {
      std::string* to = out.data<std::string>() + offset;
      for (size_t i = start; i < end; ++i) {
        to->assign(buffer.bytes[i].data(), buffer.bytes[i].size());
        ++to;
      }
    }
  }
}

absl::StatusOr<Tensor> MergeVarLenDense(const DenseFeatureSpec& spec,
                                        const std::vector<Minibatch>& batches,
                                        size_t d, int64_t batch_size) {
  size_t longest = 0;
  ForEachExample(batches, &Minibatch::varlen_dense, d,
                 [&](size_t, const ValueBuffer&, size_t start, size_t end) {
                   longest = std::max(longest, end - start);
                 });
  const int64_t stride = spec.elements_per_stride;
  const int64_t rows = stride == 0 ? 0 : static_cast<int64_t>(longest) / stride;
  TensorShape shape = spec.stride_shape;
  MS_RETURN_IF_ERROR(shape.InsertDim(0, rows));
  MS_RETURN_IF_ERROR(shape.InsertDim(0, batch_size));
  MS_ASSIGN_OR_RETURN(Tensor values, Tensor::Create(spec.dtype, shape));
  if (values.NumElements() == 0) return values;
  const int64_t per_example = rows * stride;
  switch (spec.dtype) {
    case DT_FLOAT:
      std::fill_n(values.data<float>(), values.NumElements(),
                  spec.default_value.data<float>()[0]);
      break;
    case DT_INT64:
      std::fill_n(values.data<int64_t>(), values.NumElements(),
                  spec.default_value.data<int64_t>()[0]);
      break;
    default:
      std::fill_n(values.data<std::string>(), values.NumElements(),
                  spec.default_value.data<std::string>()[0]);
  }
  ForEachExample(
      batches, &Minibatch::varlen_dense, d,
      [&](size_t e, const ValueBuffer& buffer, size_t start, size_t end) {
        CopyValues(spec.dtype, buffer, start, end, values,
                   static_cast<int64_t>(e) * per_example);
      });
  return values;
}

absl::Status MergeSparse(const SparseFeatureSpec& spec,
                         const std::vector<Minibatch>& batches, size_t d,
                         int64_t batch_size, ParsedExamples* result) {
  size_t total = 0;
  size_t longest = 0;
  ForEachExample(batches, &Minibatch::sparse, d,
                 [&](size_t, const ValueBuffer&, size_t start, size_t end) {
                   total += end - start;
                   longest = std::max(longest, end - start);
                 });
  const int64_t n = static_cast<int64_t>(total);
  MS_ASSIGN_OR_RETURN(TensorShape indices_shape, TensorShape::FromDims({n, 2}));
  MS_ASSIGN_OR_RETURN(Tensor indices, Tensor::Create(DT_INT64, indices_shape));
  MS_ASSIGN_OR_RETURN(Tensor values,
                      Tensor::Create(spec.dtype, TensorShape{n}));
  int64_t* index = indices.data<int64_t>();
  int64_t offset = 0;
  ForEachExample(
      batches, &Minibatch::sparse, d,
      [&](size_t e, const ValueBuffer& buffer, size_t start, size_t end) {
        for (size_t i = start; i < end; ++i) {
          *index++ = static_cast<int64_t>(e);
          *index++ = static_cast<int64_t>(i - start);
        }
        CopyValues(spec.dtype, buffer, start, end, values, offset);
        offset += static_cast<int64_t>(end - start);
      });
  result->sparse_indices.push_back(std::move(indices));
  result->sparse_values.push_back(std::move(values));
  result->sparse_shapes.push_back(
      Tensor::Vector<int64_t>({batch_size, static_cast<int64_t>(longest)}));
  return absl::OkStatus();
}

template <typename Split>
void FillSplits(const std::vector<Minibatch>& batches, size_t d, Split* out) {
  out[0] = 0;
  size_t total = 0;
  ForEachExample(batches, &Minibatch::ragged, d,
                 [&](size_t e, const ValueBuffer&, size_t start, size_t end) {
                   total += end - start;
                   out[e + 1] = static_cast<Split>(total);
                 });
}

absl::Status MergeRagged(const RaggedFeatureSpec& spec,
                         const std::vector<Minibatch>& batches, size_t d,
                         int64_t batch_size, ParsedExamples* result) {
  size_t total = 0;
  ForEachExample(batches, &Minibatch::ragged, d,
                 [&](size_t, const ValueBuffer&, size_t start, size_t end) {
                   total += end - start;
                 });
  MS_ASSIGN_OR_RETURN(
      Tensor values,
      Tensor::Create(spec.dtype, TensorShape{static_cast<int64_t>(total)}));
  MS_ASSIGN_OR_RETURN(
      Tensor splits,
      Tensor::Create(spec.splits_dtype, TensorShape{batch_size + 1}));
  if (spec.splits_dtype == DT_INT32) {
    FillSplits(batches, d, splits.data<int32_t>());
  } else {
    FillSplits(batches, d, splits.data<int64_t>());
  }
  int64_t offset = 0;
  ForEachExample(
      batches, &Minibatch::ragged, d,
      [&](size_t, const ValueBuffer& buffer, size_t start, size_t end) {
        CopyValues(spec.dtype, buffer, start, end, values, offset);
        offset += static_cast<int64_t>(end - start);
      });
  result->ragged_values.push_back(std::move(values));
  result->ragged_splits.push_back(std::move(splits));
  return absl::OkStatus();
}

// ---------------------------------------------------------------------------
// One example (TensorFlow's FastParseSingleExample).

const char* ListFieldName(DataType dtype) {
  switch (dtype) {
    case DT_FLOAT:
      return "float_list";
    case DT_INT64:
      return "int64_list";
    default:
      return "bytes_list";
  }
}

absl::Status KeyError(absl::string_view key, absl::string_view suffix) {
  return absl::InvalidArgumentError(absl::StrCat("Key: ", key, ".  ", suffix));
}
absl::Status KeyParseError(absl::string_view key,
                           absl::string_view description) {
  return KeyError(
      key, absl::StrCat("Can't parse serialized Example: ", description));
}

// Parses a variable-length feature of the single-example path into a new
// tensor of shape [count / divisor] + `row_shape`.
absl::StatusOr<Tensor> ParseVarLenSingle(absl::string_view key, DataType dtype,
                                         absl::string_view feature,
                                         int64_t divisor,
                                         const TensorShape& row_shape) {
  ValueBuffer buffer;
  if (!AppendValues(dtype, feature, &buffer)) {
    return KeyParseError(
        key, dtype == DT_STRING
                 ? std::string("Could not get num elements in bytes_list.")
                 : absl::StrCat("Parsing ", ListFieldName(dtype), " failed."));
  }
  const size_t n = buffer.size(dtype);
  if (divisor == 0 ? n != 0 : n % static_cast<size_t>(divisor) != 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("Error while parsing feature with key ", key,
                     ": number of elements should be divisible by ", divisor,
                     ", found ", n, " instead"));
  }
  TensorShape shape = row_shape;
  MS_RETURN_IF_ERROR(
      shape.InsertDim(0, divisor == 0 ? 0 : static_cast<int64_t>(n) / divisor));
  MS_ASSIGN_OR_RETURN(Tensor out, Tensor::Create(dtype, shape));
  CopyValues(dtype, buffer, 0, n, out, 0);
  return out;
}

}  // namespace

absl::Status CheckExampleValueType(DataType dtype) {
  switch (dtype) {
    case DT_INT64:
    case DT_FLOAT:
    case DT_STRING:
      return absl::OkStatus();
    default:
      return absl::InvalidArgumentError(
          absl::StrCat("Received input dtype: ", DataTypeName(dtype)));
  }
}

absl::Status DenseShapesToSpecs(const std::vector<PartialShape>& dense_shapes,
                                std::vector<DenseFeatureSpec>* specs) {
  specs->resize(dense_shapes.size());
  for (size_t i = 0; i < dense_shapes.size(); ++i) {
    const PartialShape& shape = dense_shapes[i];
    bool ok = shape.rank >= 0;
    for (int d = 1; ok && d < shape.rank; ++d) {
      if (shape.dims[d] < 0) ok = false;
    }
    if (!ok) {
      return absl::InvalidArgumentError(
          absl::StrCat("dense_shapes[", i,
                       "] has unknown rank or unknown inner dimensions: ",
                       shape.DebugString()));
    }
    DenseFeatureSpec& spec = (*specs)[i];
    spec.shape_string = shape.DebugString();
    spec.variable_length = shape.rank > 0 && shape.dims[0] < 0;
    std::vector<int64_t> dims(shape.dims.begin() + (spec.variable_length),
                              shape.dims.end());
    absl::StatusOr<TensorShape> stride_shape = TensorShape::FromDims(dims);
    if (!stride_shape.ok()) {
      return absl::InvalidArgumentError(
          absl::StrCat("dense_shapes[", i,
                       "] is invalid: ", stride_shape.status().message()));
    }
    spec.stride_shape = *stride_shape;
    spec.elements_per_stride = stride_shape->num_elements();
  }
  return absl::OkStatus();
}

absl::Status SetDenseDefaults(absl::Span<const Tensor* const> defaults,
                              ExampleParserConfig* config) {
  for (size_t d = 0; d < config->dense.size(); ++d) {
    DenseFeatureSpec& spec = config->dense[d];
    const Tensor& value = *defaults[d];
    if (spec.variable_length) {
      if (value.NumElements() != 1) {
        return absl::InvalidArgumentError(absl::StrCat(
            "dense_shape[", d, "] is a variable length shape: ",
            spec.shape_string, ", therefore def_value[", d,
            "] must contain a single element (the padding element).  But its "
            "shape is: ",
            value.shape().DebugString()));
      }
    } else if (value.NumElements() > 0 && value.shape() != spec.stride_shape) {
      return absl::InvalidArgumentError(absl::StrCat(
          "def_value[", d, "].shape() == ", value.shape().DebugString(),
          " is not compatible with dense_shapes_[", d,
          "] == ", spec.shape_string));
    }
    if (value.dtype() != spec.dtype) {
      return absl::InvalidArgumentError(absl::StrCat(
          "dense_defaults[", d, "].dtype() == ", DataTypeName(value.dtype()),
          " != dense_types_[", d, "] == ", DataTypeName(spec.dtype)));
    }
    spec.default_value = value;
  }
  return absl::OkStatus();
}

absl::Status ParseExampleBatch(const ExampleParserConfig& config,
                               absl::Span<const std::string> serialized,
                               absl::Span<const std::string> names,
                               ParsedExamples* result) {
  FeatureIndex index;
  MS_RETURN_IF_ERROR(BuildIndex(config, &index));
  const int64_t batch_size = static_cast<int64_t>(serialized.size());

  // Fixed-length dense values are written in place by every minibatch.
  std::vector<Tensor> fixed_dense(config.dense.size());
  for (size_t d = 0; d < config.dense.size(); ++d) {
    const DenseFeatureSpec& spec = config.dense[d];
    if (spec.variable_length) continue;
    TensorShape shape = spec.stride_shape;
    MS_RETURN_IF_ERROR(shape.InsertDim(0, batch_size));
    MS_ASSIGN_OR_RETURN(fixed_dense[d], Tensor::Create(spec.dtype, shape));
  }

  const size_t num_minibatches = NumMinibatches(serialized);
  std::vector<Minibatch> batches(num_minibatches);
  size_t total_bytes = 0;
  for (const std::string& s : serialized) total_bytes += s.size();
  for (size_t i = 0; i < num_minibatches; ++i) {
    batches[i].begin = serialized.size() * i / num_minibatches;
    batches[i].end = serialized.size() * (i + 1) / num_minibatches;
  }
  BatchParser parser(config, index, serialized, names, &fixed_dense);
  RunMinibatches(num_minibatches, total_bytes,
                 [&](size_t i) { parser.ParseMinibatch(&batches[i]); });
  // Each minibatch stops at its first error, so the first error in batch
  // order is the error of the first failing example.
  for (const Minibatch& batch : batches) MS_RETURN_IF_ERROR(batch.status);

  *result = ParsedExamples();
  result->dense_values = std::move(fixed_dense);
  for (size_t d = 0; d < config.dense.size(); ++d) {
    if (!config.dense[d].variable_length) continue;
    MS_ASSIGN_OR_RETURN(
        result->dense_values[d],
        MergeVarLenDense(config.dense[d], batches, d, batch_size));
  }
  for (size_t d = 0; d < config.sparse.size(); ++d) {
    MS_RETURN_IF_ERROR(
        MergeSparse(config.sparse[d], batches, d, batch_size, result));
  }
  for (size_t d = 0; d < config.ragged.size(); ++d) {
    MS_RETURN_IF_ERROR(
        MergeRagged(config.ragged[d], batches, d, batch_size, result));
  }
  return absl::OkStatus();
}

absl::Status ParseSingleExample(const ExampleParserConfig& config,
                                absl::string_view serialized,
                                ParsedExamples* result) {
  FeatureIndex index;
  MS_RETURN_IF_ERROR(BuildIndex(config, &index));
  *result = ParsedExamples();
  result->dense_values.resize(config.dense.size());
  result->sparse_indices.resize(config.sparse.size());
  result->sparse_values.resize(config.sparse.size());
  result->sparse_shapes.resize(config.sparse.size());
  result->ragged_values.resize(config.ragged.size());
  for (size_t d = 0; d < config.dense.size(); ++d) {
    const DenseFeatureSpec& spec = config.dense[d];
    if (spec.variable_length) continue;
    MS_ASSIGN_OR_RETURN(result->dense_values[d],
                        Tensor::Create(spec.dtype, spec.stride_shape));
  }
  for (const RaggedFeatureSpec& spec : config.ragged) {
    // Row splits are empty for a single (scalar) input.
    MS_ASSIGN_OR_RETURN(Tensor splits,
                        Tensor::Create(spec.splits_dtype, TensorShape{0}));
    result->ragged_splits.push_back(std::move(splits));
  }

  std::vector<FeatureEntry> entries;
  if (!ParseExampleEntries(serialized, &entries)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "Could not parse example input, value: '", serialized, "'"));
  }
  std::vector<bool> dense_seen(config.dense.size(), false);
  std::vector<bool> sparse_seen(config.sparse.size(), false);
  std::vector<bool> ragged_seen(config.ragged.size(), false);
  for (auto it = entries.rbegin(); it != entries.rend(); ++it) {
    auto slot = index.find(it->key);
    if (slot == index.end()) continue;
    const absl::string_view key = it->key;
    absl::string_view feature = it->feature;
    DataType kind;
    MS_RETURN_IF_ERROR(ParseFeatureKind(&feature, &kind));
    if (kind == DT_INVALID) continue;
    const size_t d = static_cast<size_t>(slot->second.index);

    if (slot->second.kind == Kind::kDense) {
      const DenseFeatureSpec& spec = config.dense[d];
      if (dense_seen[d]) continue;
      dense_seen[d] = true;
      if (kind != spec.dtype) {
        return KeyError(
            key, absl::StrCat(
                     "Data types don't match. Data type: ", DataTypeName(kind),
                     " but expected type: ", DataTypeName(spec.dtype)));
      }
      if (spec.variable_length) {
        MS_ASSIGN_OR_RETURN(
            result->dense_values[d],
            ParseVarLenSingle(key, kind, feature, spec.elements_per_stride,
                              spec.stride_shape));
        continue;
      }
      const size_t stride = static_cast<size_t>(spec.elements_per_stride);
      size_t count = 0;
      if (!ParseFixed(kind, feature, ElementPtr(result->dense_values[d], 0),
                      stride, &count)) {
        return KeyParseError(
            key, absl::StrCat("Parsing ", ListFieldName(kind), " failed."));
      }
      if (count != stride) {
        return KeyParseError(key, absl::StrCat("Some ", ListFieldName(kind),
                                               " slice was not parsed."));
      }
      continue;
    }

    const bool sparse = slot->second.kind == Kind::kSparse;
    std::vector<bool>& seen = sparse ? sparse_seen : ragged_seen;
    if (seen[d]) continue;
    seen[d] = true;
    const DataType dtype =
        sparse ? config.sparse[d].dtype : config.ragged[d].dtype;
    if (kind != dtype) {
      return KeyError(key, absl::StrCat("Data types don't match. ",
                                        "Expected type: ", DataTypeName(dtype),
                                        ", Actual type: ", DataTypeName(kind)));
    }
    MS_ASSIGN_OR_RETURN(
        Tensor values, ParseVarLenSingle(key, kind, feature, 1, TensorShape()));
    if (!sparse) {
      result->ragged_values[d] = std::move(values);
      continue;
    }
    const int64_t n = values.NumElements();
    MS_ASSIGN_OR_RETURN(TensorShape indices_shape,
                        TensorShape::FromDims({n, 1}));
    MS_ASSIGN_OR_RETURN(Tensor indices,
                        Tensor::Create(DT_INT64, indices_shape));
    for (int64_t i = 0; i < n; ++i) indices.data<int64_t>()[i] = i;
    result->sparse_indices[d] = std::move(indices);
    result->sparse_values[d] = std::move(values);
    result->sparse_shapes[d] = Tensor::Vector<int64_t>({n});
  }

  for (size_t d = 0; d < config.dense.size(); ++d) {
    const DenseFeatureSpec& spec = config.dense[d];
    if (dense_seen[d]) continue;
    if (!spec.variable_length) {
      if (spec.default_value.NumElements() == 0) {
        return absl::InvalidArgumentError(absl::StrCat(
            "Feature: ", spec.key, " (data type: ", DataTypeName(spec.dtype),
            ")", " is required but could not be found."));
      }
      result->dense_values[d] = spec.default_value;
    } else {
      TensorShape shape = spec.stride_shape;
      MS_RETURN_IF_ERROR(shape.InsertDim(0, 0));
      MS_ASSIGN_OR_RETURN(result->dense_values[d],
                          Tensor::Create(spec.dtype, shape));
    }
  }
  for (size_t d = 0; d < config.sparse.size(); ++d) {
    if (sparse_seen[d]) continue;
    MS_ASSIGN_OR_RETURN(result->sparse_indices[d],
                        Tensor::Create(DT_INT64, TensorShape{0, 1}));
    MS_ASSIGN_OR_RETURN(result->sparse_values[d],
                        Tensor::Create(config.sparse[d].dtype, TensorShape{0}));
    result->sparse_shapes[d] = Tensor::Vector<int64_t>({0});
  }
  for (size_t d = 0; d < config.ragged.size(); ++d) {
    if (ragged_seen[d]) continue;
    MS_ASSIGN_OR_RETURN(result->ragged_values[d],
                        Tensor::Create(config.ragged[d].dtype, TensorShape{0}));
  }
  return absl::OkStatus();
}

}  // namespace model_server
