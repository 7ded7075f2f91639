// Feature extraction from serialized tf.Example protos, shared by the
// ParseExample, ParseExampleV2 and ParseSingleExample kernels.
//
// TensorFlow parses Examples with its own wire-level parser
// (tensorflow/core/util/example_proto_fast_parsing.cc), not with protobuf's
// generated code, and clients depend on its exact behaviour: which malformed
// inputs it accepts, which duplicate wins, and the text of every error. This
// parser reproduces that behaviour on the same grammar:
//   - Example: any number of `features` fields (field 1), whose map entries
//     are concatenated; other top-level fields are skipped;
//   - a map entry holds exactly two fields among key (1) and value (2);
//   - a Feature's kind is its first byte (bytes_list, float_list or
//     int64_list); an empty Feature has no kind and counts as absent for
//     dense features;
//   - float and int64 lists are either one packed run or all unpacked;
//   - when a key repeats, the last entry wins.
// Lengths that point past the enclosing message are clamped to it, exactly as
// protobuf's CodedInputStream::PushLimit does, so TensorFlow and this parser
// accept and reject the same byte strings.
//
// Deliberate differences, all for inputs on which TensorFlow crashes or
// writes out of bounds: a variable-length dense shape whose rows hold zero
// elements, e.g. [-1,0] (TensorFlow divides by zero), gives zero rows and
// reports any value as not a multiple of the row size; a non-packed float
// list with more values than a fixed dense shape holds is reported as a size
// error (TensorFlow writes past its output buffer); byte strings and
// serialized Examples of 2 GiB or more are rejected as unparsable.
#ifndef MODEL_SERVER_RUNTIME_KERNELS_PARSING_EXAMPLE_PARSER_H_
#define MODEL_SERVER_RUNTIME_KERNELS_PARSING_EXAMPLE_PARSER_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "runtime/data_type.h"
#include "runtime/node_attrs.h"
#include "runtime/tensor.h"
#include "runtime/tensor_shape.h"

namespace model_server {

// One dense (FixedLenFeature / FixedLenSequenceFeature) output.
struct DenseFeatureSpec {
  absl::string_view key;
  DataType dtype = DT_INVALID;  // DT_FLOAT, DT_INT64 or DT_STRING
  // The dense_shapes entry as TensorFlow prints it in errors ("[?,2]"; with
  // variable_length the first dimension is unknown).
  std::string shape_string;
  // True when shape's first dimension is -1: rows are padded with
  // default_value to the longest example in the batch.
  bool variable_length = false;
  // Elements of one example (fixed) or of one row (variable length).
  int64_t elements_per_stride = 0;
  // The shape of one example's value (fixed length) or of one row.
  TensorShape stride_shape;
  // Fixed length: the value for a missing feature (no elements means the
  // feature is required). Variable length: one element, the padding value.
  Tensor default_value;
};

// One sparse (VarLenFeature) output.
struct SparseFeatureSpec {
  absl::string_view key;
  DataType dtype = DT_INVALID;
};

// One ragged (RaggedFeature) output.
struct RaggedFeatureSpec {
  absl::string_view key;
  DataType dtype = DT_INVALID;
  DataType splits_dtype = DT_INT64;  // DT_INT32 or DT_INT64
};

struct ExampleParserConfig {
  std::vector<DenseFeatureSpec> dense;
  std::vector<SparseFeatureSpec> sparse;
  std::vector<RaggedFeatureSpec> ragged;
};

// The parser's outputs, one entry per configured feature.
struct ParsedExamples {
  std::vector<Tensor> sparse_indices;
  std::vector<Tensor> sparse_values;
  std::vector<Tensor> sparse_shapes;
  std::vector<Tensor> dense_values;
  std::vector<Tensor> ragged_values;
  std::vector<Tensor> ragged_splits;
};

// Validates the attrs shared by the parse ops (TensorFlow's
// ParseExampleAttrs): each dense shape must have a known rank and known inner
// dimensions, and only its first dimension may be -1. Fills `specs`'
// shape_string, variable_length, elements_per_stride and stride_shape (one
// spec per shape).
// Returns INVALID_ARGUMENT with TensorFlow's message otherwise.
absl::Status DenseShapesToSpecs(const std::vector<PartialShape>& dense_shapes,
                                std::vector<DenseFeatureSpec>* specs);

// OK for the Example value types (float, int64, string); else TensorFlow's
// "Received input dtype: ..." error.
absl::Status CheckExampleValueType(DataType dtype);

// Checks the dense defaults against the specs' shapes and dtypes the way
// TensorFlow's kernels do, then stores them in the specs.
// REQUIRES: defaults.size() == config->dense.size().
absl::Status SetDenseDefaults(absl::Span<const Tensor* const> defaults,
                              ExampleParserConfig* config);

// Parses a batch of serialized Examples (TensorFlow's FastParseExample).
// `names` is empty or holds one debug name per example, used in errors.
// Outputs: sparse indices [N,2] (example, position), values [N], dense shape
// [batch, longest]; dense values [batch] + shape (variable length: [batch,
// longest row count] + inner dims, padded); ragged values [N] and row splits
// [batch+1]. Large batches are parsed on the shared Eigen thread pool.
absl::Status ParseExampleBatch(const ExampleParserConfig& config,
                               absl::Span<const std::string> serialized,
                               absl::Span<const std::string> names,
                               ParsedExamples* result);

// Parses one serialized Example (TensorFlow's FastParseSingleExample): dense
// values have the feature's shape, sparse indices are [N,1] with dense shape
// [N], ragged row splits are empty ([0]).
absl::Status ParseSingleExample(const ExampleParserConfig& config,
                                absl::string_view serialized,
                                ParsedExamples* result);

}  // namespace model_server

#endif  // MODEL_SERVER_RUNTIME_KERNELS_PARSING_EXAMPLE_PARSER_H_
