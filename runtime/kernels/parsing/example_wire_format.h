// The wire level of TensorFlow's tf.Example parser (example_parser.h): a
// reader over one in-memory buffer that mirrors the parts of protobuf's
// CodedInputStream TensorFlow's parser relies on, the split of a serialized
// Example into its feature map entries, and the list parsers that read a
// Feature's values into a sink. Internal to the parsing kernels.
#ifndef MODEL_SERVER_RUNTIME_KERNELS_PARSING_EXAMPLE_WIRE_FORMAT_H_
#define MODEL_SERVER_RUNTIME_KERNELS_PARSING_EXAMPLE_WIRE_FORMAT_H_

#include <cstdint>
#include <cstring>
#include <limits>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "runtime/data_type.h"

namespace model_server {
namespace example_parsing {

static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__,
              "packed floats are copied as little-endian bytes");

constexpr uint8_t DelimitedTag(int field) { return (field << 3) | 2; }
inline constexpr uint8_t kVarintTag1 = (1 << 3) | 0;
inline constexpr uint8_t kFixed32Tag1 = (1 << 3) | 5;
inline constexpr uint32_t kMaxLimit = std::numeric_limits<int32_t>::max();

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
inline bool ReadString(WireReader* r, absl::string_view* out) {
  uint32_t length;
  return r->ReadVarint32(&length) && r->ReadBytes(length, out);
}

// One map<string, Feature> entry: exactly two fields, each the key (1) or
// the value (2), in either order.
struct FeatureEntry {
  absl::string_view key;
  absl::string_view feature;  // a serialized Feature
};

// Splits a serialized Example into its feature map entries, in order
// (several `features` fields concatenate). False if malformed.
bool ParseExampleEntries(absl::string_view serialized,
                         std::vector<FeatureEntry>* entries);

// The kind of a serialized Feature from its first byte; strips that byte.
// An empty Feature has no kind (DT_INVALID).
absl::Status ParseFeatureKind(absl::string_view* feature, DataType* dtype);

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

}  // namespace example_parsing
}  // namespace model_server

#endif  // MODEL_SERVER_RUNTIME_KERNELS_PARSING_EXAMPLE_WIRE_FORMAT_H_
