// ParseExample, ParseExampleV2 and ParseSingleExample: serialized tf.Example
// protos to dense, sparse and ragged tensors. TF Serving's Classify and
// Regress feed Examples through these ops, so results and error messages
// follow TensorFlow's kernels (example_parsing_ops.cc) and its fast parser;
// the feature extraction lives in example_parser.h.
//
// ParseExample (v1) inputs: serialized [B], names [B] or [0], Nsparse scalar
// sparse_keys, Ndense scalar dense_keys, Ndense dense_defaults.
// ParseExampleV2 inputs: serialized [B] or scalar, names, sparse_keys,
// dense_keys and ragged_keys as vectors, dense_defaults.
// ParseSingleExample inputs: serialized scalar, dense_defaults; keys are
// attrs.
// Outputs: sparse_indices, sparse_values, sparse_shapes, dense_values
// (+ ragged_values, ragged_row_splits for V2). Value types: float, int64,
// string; ragged splits int32 or int64.
//
// TensorFlow's OpDef guarantees input dtypes and key ranks; graphs here are
// untrusted, so a non-string input or a non-scalar v1 key (on which
// TensorFlow would abort) is an INVALID_ARGUMENT error. Duplicate keys across
// the sparse, dense and ragged lists fail with TensorFlow's INTERNAL "Could
// not avoid collision" error.
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "runtime/kernels/parsing/example_parser.h"
#include "runtime/op_kernel.h"
#include "runtime/op_registry.h"
#include "runtime/status_macros.h"

namespace model_server {
namespace {

// Attrs shared by the three ops, checked at load as TensorFlow's
// ParseExampleAttrs / ParseSingleExampleAttrs do.
struct ParseAttrs {
  std::vector<DataType> sparse_types;
  std::vector<DenseFeatureSpec> dense;    // dtype and shape; no key or default
  std::vector<RaggedFeatureSpec> ragged;  // dtypes; no key
};

absl::Status CheckTypes(const ParseAttrs& attrs) {
  for (const DenseFeatureSpec& spec : attrs.dense) {
    MS_RETURN_IF_ERROR(CheckExampleValueType(spec.dtype));
  }
  for (DataType dtype : attrs.sparse_types) {
    MS_RETURN_IF_ERROR(CheckExampleValueType(dtype));
  }
  for (const RaggedFeatureSpec& spec : attrs.ragged) {
    MS_RETURN_IF_ERROR(CheckExampleValueType(spec.dtype));
  }
  for (const RaggedFeatureSpec& spec : attrs.ragged) {
    if (spec.splits_dtype != DT_INT32 && spec.splits_dtype != DT_INT64) {
      return absl::InvalidArgumentError(absl::StrCat(
          "Invalid ragged_split_type: ", DataTypeName(spec.splits_dtype)));
    }
  }
  return absl::OkStatus();
}

// Reads sparse_types, Tdense and dense_shapes (common to every op).
absl::Status ReadCommonAttrs(const NodeAttrs& attrs, ParseAttrs* out,
                             std::vector<DataType>* dense_types) {
  MS_RETURN_IF_ERROR(attrs.Get("sparse_types", &out->sparse_types));
  MS_RETURN_IF_ERROR(attrs.Get("Tdense", dense_types));
  std::vector<PartialShape> dense_shapes;
  MS_RETURN_IF_ERROR(attrs.Get("dense_shapes", &dense_shapes));
  absl::Status status = DenseShapesToSpecs(dense_shapes, &out->dense);
  if (!status.ok()) return attrs.Error(status.message());
  return absl::OkStatus();
}

// Sets the dense dtypes once the counts are known to agree.
void SetDenseTypes(const std::vector<DataType>& dense_types,
                   ParseAttrs* attrs) {
  for (size_t d = 0; d < attrs->dense.size(); ++d) {
    attrs->dense[d].dtype = dense_types[d];
  }
}

absl::Status ExpectString(const Tensor& t, absl::string_view what) {
  if (t.dtype() != DT_STRING) {
    return absl::InvalidArgumentError(
        absl::StrCat("Expected ", what, " to be a string tensor, got ",
                     DataTypeName(t.dtype())));
  }
  return absl::OkStatus();
}

// Writes the outputs in OpDef order.
void SetOutputs(OpKernelContext& ctx, ParsedExamples& result,
                bool with_ragged) {
  int out = 0;
  for (Tensor& t : result.sparse_indices) ctx.set_output(out++, std::move(t));
  for (Tensor& t : result.sparse_values) ctx.set_output(out++, std::move(t));
  for (Tensor& t : result.sparse_shapes) ctx.set_output(out++, std::move(t));
  for (Tensor& t : result.dense_values) ctx.set_output(out++, std::move(t));
  if (!with_ragged) return;
  for (Tensor& t : result.ragged_values) ctx.set_output(out++, std::move(t));
  for (Tensor& t : result.ragged_splits) ctx.set_output(out++, std::move(t));
}

// ParseExample and ParseExampleV2 (TensorFlow runs both with one kernel).
class ParseExampleKernel : public OpKernel {
 public:
  static absl::StatusOr<std::unique_ptr<OpKernel>> CreateV1(
      const KernelConstruction& construction) {
    const NodeAttrs& attrs = construction.attrs;
    auto kernel = std::unique_ptr<ParseExampleKernel>(new ParseExampleKernel);
    kernel->version_ = 1;
    std::vector<DataType> dense_types;
    MS_RETURN_IF_ERROR(ReadCommonAttrs(attrs, &kernel->attrs_, &dense_types));
    int64_t num_sparse = 0;
    int64_t num_dense = 0;
    MS_RETURN_IF_ERROR(attrs.Get("Nsparse", &num_sparse));
    MS_RETURN_IF_ERROR(attrs.Get("Ndense", &num_dense));
    if (num_sparse < 0 || num_dense < 0) {
      return attrs.Error("Nsparse and Ndense must be >= 0");
    }
    if (static_cast<size_t>(num_sparse) != kernel->attrs_.sparse_types.size()) {
      return attrs.Error("len(sparse_keys) != len(sparse_types)");
    }
    if (static_cast<size_t>(num_dense) != dense_types.size()) {
      return attrs.Error("len(dense_keys) != len(dense_types)");
    }
    if (static_cast<size_t>(num_dense) != kernel->attrs_.dense.size()) {
      return attrs.Error("len(dense_keys) != len(dense_shapes)");
    }
    return Finish(std::move(kernel), construction, dense_types,
                  2 + num_sparse + 2 * num_dense,
                  "serialized, names, sparse_keys, dense_keys, "
                  "dense_defaults");
  }

  static absl::StatusOr<std::unique_ptr<OpKernel>> CreateV2(
      const KernelConstruction& construction) {
    const NodeAttrs& attrs = construction.attrs;
    auto kernel = std::unique_ptr<ParseExampleKernel>(new ParseExampleKernel);
    kernel->version_ = 2;
    std::vector<DataType> dense_types;
    MS_RETURN_IF_ERROR(ReadCommonAttrs(attrs, &kernel->attrs_, &dense_types));
    std::vector<DataType> ragged_value_types;
    std::vector<DataType> ragged_split_types;
    int64_t num_sparse = 0;
    MS_RETURN_IF_ERROR(attrs.Get("ragged_value_types", &ragged_value_types));
    MS_RETURN_IF_ERROR(attrs.Get("num_sparse", &num_sparse));
    MS_RETURN_IF_ERROR(attrs.Get("ragged_split_types", &ragged_split_types));
    if (num_sparse < 0 ||
        static_cast<size_t>(num_sparse) != kernel->attrs_.sparse_types.size()) {
      return attrs.Error("len(sparse_keys) != len(sparse_types)");
    }
    if (dense_types.size() != kernel->attrs_.dense.size()) {
      return attrs.Error("len(dense_keys) != len(dense_shapes)");
    }
    if (ragged_value_types.size() != ragged_split_types.size()) {
      return attrs.Error("len(ragged_keys) != len(ragged_split_types)");
    }
    for (size_t r = 0; r < ragged_value_types.size(); ++r) {
      RaggedFeatureSpec spec;
      spec.dtype = ragged_value_types[r];
      spec.splits_dtype = ragged_split_types[r];
      kernel->attrs_.ragged.push_back(spec);
    }
    return Finish(std::move(kernel), construction, dense_types,
                  5 + static_cast<int64_t>(dense_types.size()),
                  "serialized, names, sparse_keys, dense_keys, ragged_keys, "
                  "dense_defaults");
  }

  absl::Status Compute(OpKernelContext& ctx) const override {
    const Tensor& serialized = ctx.input(0);
    const Tensor& names = ctx.input(1);
    MS_RETURN_IF_ERROR(ExpectString(serialized, "serialized"));
    MS_RETURN_IF_ERROR(ExpectString(names, "names"));
    ExampleParserConfig config;
    config.dense = attrs_.dense;
    config.ragged = attrs_.ragged;
    config.sparse.resize(attrs_.sparse_types.size());
    for (size_t s = 0; s < config.sparse.size(); ++s) {
      config.sparse[s].dtype = attrs_.sparse_types[s];
    }
    MS_RETURN_IF_ERROR(version_ == 1 ? ReadKeysV1(ctx, &config)
                                     : ReadKeysV2(ctx, &config));
    MS_RETURN_IF_ERROR(CheckInputShapes(serialized, names, config));

    // dense_defaults are the last inputs.
    const int defaults_at =
        ctx.num_inputs() - static_cast<int>(config.dense.size());
    std::vector<const Tensor*> defaults;
    for (size_t d = 0; d < config.dense.size(); ++d) {
      defaults.push_back(&ctx.input(defaults_at + static_cast<int>(d)));
    }
    MS_RETURN_IF_ERROR(SetDenseDefaults(defaults, &config));

    ParsedExamples result;
    if (serialized.rank() == 1) {
      MS_RETURN_IF_ERROR(ParseExampleBatch(config,
                                           serialized.flat<std::string>(),
                                           names.flat<std::string>(), &result));
    } else {
      MS_RETURN_IF_ERROR(ParseSingleExample(
          config, serialized.flat<std::string>()[0], &result));
    }
    SetOutputs(ctx, result, version_ == 2);
    return absl::OkStatus();
  }

 private:
  ParseExampleKernel() = default;

  static absl::StatusOr<std::unique_ptr<OpKernel>> Finish(
      std::unique_ptr<ParseExampleKernel> kernel,
      const KernelConstruction& construction,
      const std::vector<DataType>& dense_types, int64_t num_inputs,
      absl::string_view input_names) {
    SetDenseTypes(dense_types, &kernel->attrs_);
    absl::Status status = CheckTypes(kernel->attrs_);
    if (!status.ok()) return construction.attrs.Error(status.message());
    if (construction.num_inputs != num_inputs) {
      return construction.attrs.Error(
          absl::StrCat("expects ", num_inputs, " inputs (", input_names,
                       "), got ", construction.num_inputs));
    }
    return std::unique_ptr<OpKernel>(std::move(kernel));
  }

  // v1: one string scalar input per key.
  absl::Status ReadKeysV1(OpKernelContext& ctx,
                          ExampleParserConfig* config) const {
    int input = 2;
    auto read = [&](const char* list, size_t i,
                    absl::string_view* key) -> absl::Status {
      const Tensor& t = ctx.input(input++);
      if (t.dtype() != DT_STRING || t.rank() != 0) {
        return absl::InvalidArgumentError(absl::StrCat(
            "Expected ", list, "[", i, "] to be a string scalar, got ",
            DataTypeName(t.dtype()), " ", t.shape().DebugString()));
      }
      *key = t.scalar<std::string>();
      return absl::OkStatus();
    };
    for (size_t s = 0; s < config->sparse.size(); ++s) {
      MS_RETURN_IF_ERROR(read("sparse_keys", s, &config->sparse[s].key));
    }
    for (size_t d = 0; d < config->dense.size(); ++d) {
      MS_RETURN_IF_ERROR(read("dense_keys", d, &config->dense[d].key));
    }
    return absl::OkStatus();
  }

  // v2: one string tensor per key kind; counts must match the attrs.
  absl::Status ReadKeysV2(OpKernelContext& ctx,
                          ExampleParserConfig* config) const {
    const Tensor& sparse_keys = ctx.input(2);
    const Tensor& dense_keys = ctx.input(3);
    const Tensor& ragged_keys = ctx.input(4);
    MS_RETURN_IF_ERROR(ExpectString(sparse_keys, "sparse_keys"));
    MS_RETURN_IF_ERROR(ExpectString(dense_keys, "dense_keys"));
    MS_RETURN_IF_ERROR(ExpectString(ragged_keys, "ragged_keys"));
    const Tensor& serialized = ctx.input(0);
    if (serialized.rank() > 1) {
      return absl::InvalidArgumentError(
          absl::StrCat("Expected serialized to be a scalar or vector, got "
                       "shape: ",
                       serialized.shape().DebugString()));
    }
    const Tensor& names = ctx.input(1);
    MS_RETURN_IF_ERROR(CheckNames(serialized, names));
    if (dense_keys.NumElements() !=
        static_cast<int64_t>(config->dense.size())) {
      return absl::InvalidArgumentError(absl::StrCat(
          "Expected len(dense_keys) == len(dense_types) but got: ",
          dense_keys.NumElements(), " vs. ", config->dense.size()));
    }
    if (sparse_keys.NumElements() !=
        static_cast<int64_t>(config->sparse.size())) {
      return absl::InvalidArgumentError(absl::StrCat(
          "Expected len(sparse_keys) == num_sparse but got: ",
          sparse_keys.NumElements(), " vs. ", config->sparse.size()));
    }
    if (ragged_keys.NumElements() !=
        static_cast<int64_t>(config->ragged.size())) {
      return absl::InvalidArgumentError(absl::StrCat(
          "Expected len(ragged_keys) == len(ragged_value_types) but got: ",
          ragged_keys.NumElements(), " vs. ", config->ragged.size()));
    }
    for (size_t s = 0; s < config->sparse.size(); ++s) {
      config->sparse[s].key = sparse_keys.data<std::string>()[s];
    }
    for (size_t d = 0; d < config->dense.size(); ++d) {
      config->dense[d].key = dense_keys.data<std::string>()[d];
    }
    for (size_t r = 0; r < config->ragged.size(); ++r) {
      config->ragged[r].key = ragged_keys.data<std::string>()[r];
    }
    return absl::OkStatus();
  }

  static absl::Status CheckNames(const Tensor& serialized,
                                 const Tensor& names) {
    if (names.NumElements() > 0 && names.shape() != serialized.shape()) {
      return absl::InvalidArgumentError(absl::StrCat(
          "Expected names have the same shape as serialized: name.shape=",
          names.shape().DebugString(),
          ", serialized.shape=", serialized.shape().DebugString()));
    }
    return absl::OkStatus();
  }

  // TensorFlow's CheckInputShapes (v2 has already checked its part while
  // reading the keys).
  absl::Status CheckInputShapes(const Tensor& serialized, const Tensor& names,
                                const ExampleParserConfig& config) const {
    if (version_ == 2) return absl::OkStatus();
    if (serialized.rank() != 1) {
      return absl::InvalidArgumentError(
          absl::StrCat("Expected serialized to be a vector, got shape: ",
                       serialized.shape().DebugString()));
    }
    return CheckNames(serialized, names);
  }

  int version_ = 1;
  ParseAttrs attrs_;
};

// ParseSingleExample: one scalar Example, keys given as attrs.
class ParseSingleExampleKernel : public OpKernel {
 public:
  static absl::StatusOr<std::unique_ptr<OpKernel>> Create(
      const KernelConstruction& construction) {
    const NodeAttrs& attrs = construction.attrs;
    auto kernel =
        std::unique_ptr<ParseSingleExampleKernel>(new ParseSingleExampleKernel);
    std::vector<DataType> dense_types;
    MS_RETURN_IF_ERROR(attrs.Get("sparse_keys", &kernel->sparse_keys_));
    MS_RETURN_IF_ERROR(attrs.Get("dense_keys", &kernel->dense_keys_));
    MS_RETURN_IF_ERROR(ReadCommonAttrs(attrs, &kernel->attrs_, &dense_types));
    int64_t num_sparse = 0;
    MS_RETURN_IF_ERROR(attrs.Get("num_sparse", &num_sparse));
    const size_t num_sparse_keys = kernel->sparse_keys_.size();
    if (num_sparse < 0 || static_cast<size_t>(num_sparse) != num_sparse_keys ||
        num_sparse_keys != kernel->attrs_.sparse_types.size()) {
      return attrs.Error(absl::StrCat("num_sparse (", num_sparse,
                                      ") must match the size of sparse_keys (",
                                      num_sparse_keys, ") and sparse_types (",
                                      kernel->attrs_.sparse_types.size(), ")"));
    }
    if (kernel->dense_keys_.size() != dense_types.size()) {
      return attrs.Error("len(dense_keys) != len(dense_types)");
    }
    if (kernel->dense_keys_.size() != kernel->attrs_.dense.size()) {
      return attrs.Error("len(dense_keys) != len(dense_shapes)");
    }
    SetDenseTypes(dense_types, &kernel->attrs_);
    absl::Status status = CheckTypes(kernel->attrs_);
    if (!status.ok()) return attrs.Error(status.message());
    const int64_t num_inputs = 1 + static_cast<int64_t>(dense_types.size());
    if (construction.num_inputs != num_inputs) {
      return attrs.Error(absl::StrCat(
          "expects ", num_inputs, " inputs (serialized, dense_defaults), got ",
          construction.num_inputs));
    }
    return std::unique_ptr<OpKernel>(std::move(kernel));
  }

  absl::Status Compute(OpKernelContext& ctx) const override {
    const Tensor& serialized = ctx.input(0);
    MS_RETURN_IF_ERROR(ExpectString(serialized, "serialized"));
    if (serialized.rank() != 0) {
      return absl::InvalidArgumentError(
          absl::StrCat("Expected serialized to be a scalar, got shape: ",
                       serialized.shape().DebugString()));
    }
    ExampleParserConfig config;
    config.dense = attrs_.dense;
    for (size_t d = 0; d < config.dense.size(); ++d) {
      config.dense[d].key = dense_keys_[d];
    }
    config.sparse.resize(sparse_keys_.size());
    for (size_t s = 0; s < config.sparse.size(); ++s) {
      config.sparse[s].key = sparse_keys_[s];
      config.sparse[s].dtype = attrs_.sparse_types[s];
    }
    std::vector<const Tensor*> defaults;
    for (size_t d = 0; d < config.dense.size(); ++d) {
      defaults.push_back(&ctx.input(1 + static_cast<int>(d)));
    }
    MS_RETURN_IF_ERROR(SetDenseDefaults(defaults, &config));
    ParsedExamples result;
    MS_RETURN_IF_ERROR(
        ParseSingleExample(config, serialized.scalar<std::string>(), &result));
    SetOutputs(ctx, result, /*with_ragged=*/false);
    return absl::OkStatus();
  }

 private:
  ParseSingleExampleKernel() = default;

  std::vector<std::string> sparse_keys_;
  std::vector<std::string> dense_keys_;
  ParseAttrs attrs_;
};

}  // namespace

REGISTER_KERNEL(OpSpec("ParseExample")
                    .Output("sparse_indices", "Nsparse")
                    .Output("sparse_values", "sparse_types")
                    .Output("sparse_shapes", "Nsparse")
                    .Output("dense_values", "Tdense"),
                ParseExampleKernel::CreateV1);
REGISTER_KERNEL(OpSpec("ParseExampleV2")
                    .Output("sparse_indices", "num_sparse")
                    .Output("sparse_values", "sparse_types")
                    .Output("sparse_shapes", "num_sparse")
                    .Output("dense_values", "Tdense")
                    .Output("ragged_values", "ragged_value_types")
                    .Output("ragged_row_splits", "ragged_split_types"),
                ParseExampleKernel::CreateV2);
REGISTER_KERNEL(OpSpec("ParseSingleExample")
                    .Output("sparse_indices", "num_sparse")
                    .Output("sparse_values", "sparse_types")
                    .Output("sparse_shapes", "num_sparse")
                    .Output("dense_values", "Tdense"),
                ParseSingleExampleKernel::Create);

}  // namespace model_server
