#include "runtime/kernels/parsing/example_feature_values.h"

#include <algorithm>

#include "runtime/kernels/parsing/example_wire_format.h"

namespace model_server {
namespace example_parsing {
namespace {

template <typename T>
void CopyElements(const Tensor& from, int64_t n, Tensor& to, int64_t offset) {
  std::copy_n(from.data<T>(), n, to.data<T>() + offset);
}

}  // namespace

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

}  // namespace example_parsing
}  // namespace model_server
