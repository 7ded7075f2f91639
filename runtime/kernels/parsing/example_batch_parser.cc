// ParseExampleBatch (example_parser.h): TensorFlow's FastParseExample over a
// batch of serialized Examples, in minibatches on the shared thread pool,
// then merged into the dense, sparse and ragged outputs.
#include <algorithm>
#include <cstring>
#include <functional>
#include <limits>
#include <utility>

#include "absl/strings/str_cat.h"
#include "runtime/eigen_device.h"
#include "runtime/kernels/parsing/example_feature_values.h"
#include "runtime/kernels/parsing/example_parser.h"
#include "runtime/kernels/parsing/example_wire_format.h"
#include "runtime/status_macros.h"

namespace model_server {
namespace example_parsing {
namespace {

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

}  // namespace

absl::Status ParseBatch(const ExampleParserConfig& config,
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

}  // namespace example_parsing

absl::Status ParseExampleBatch(const ExampleParserConfig& config,
                               absl::Span<const std::string> serialized,
                               absl::Span<const std::string> names,
                               ParsedExamples* result) {
  return example_parsing::ParseBatch(config, serialized, names, result);
}

}  // namespace model_server
