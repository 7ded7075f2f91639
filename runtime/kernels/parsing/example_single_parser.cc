// ParseSingleExample (example_parser.h): TensorFlow's
// FastParseSingleExample, one serialized Example straight into its outputs.
#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "runtime/kernels/parsing/example_feature_values.h"
#include "runtime/kernels/parsing/example_parser.h"
#include "runtime/kernels/parsing/example_wire_format.h"
#include "runtime/status_macros.h"

namespace model_server {
namespace example_parsing {
namespace {

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

absl::Status ParseSingle(const ExampleParserConfig& config,
                         absl::string_view serialized, ParsedExamples* result) {
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

}  // namespace example_parsing

absl::Status ParseSingleExample(const ExampleParserConfig& config,
                                absl::string_view serialized,
                                ParsedExamples* result) {
  return example_parsing::ParseSingle(config, serialized, result);
}

}  // namespace model_server
