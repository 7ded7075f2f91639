// The configuration half of example_parser.h: the dtypes, dense shapes and
// defaults the ParseExample kernels validate when a model loads. The parsing
// itself is in example_batch_parser.cc and example_single_parser.cc, on the
// wire-level reader in example_wire_format.h.
#include "runtime/kernels/parsing/example_parser.h"

#include "absl/strings/str_cat.h"
#include "runtime/status_macros.h"

namespace model_server {

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

}  // namespace model_server
