// Conv2DBackpropInput, Conv3DBackpropInput and Conv3DBackpropInputV2: the
// gradient of a convolution with respect to its input, which is what Keras'
// Conv2DTranspose / Conv3DTranspose layers and tf.nn.conv2d_transpose run.
// Given out_backprop [N, (OD,) OH, OW, OC] and the filter [(KD,) KH, KW, C,
// OC], the result has the convolution's input shape [N, (D,) H, W, C], read
// from:
//   Conv2DBackpropInput:   input_sizes, int32, 4 values, or 2 (H, W; N from
//                          out_backprop, C from the filter);
//   Conv3DBackpropInputV2: input_sizes, int32 or int64 (Tshape), 5 values;
//   Conv3DBackpropInput:   the shape of its first input (deprecated op).
// out_backprop must have exactly the convolution's output shape for that
// input (TensorFlow's "Size of out_backprop doesn't match computed" check).
//
// Attributes as the forward ops (conv_common.h): strides, padding (EXPLICIT
// with explicit_paddings for the 2-D op), dilations, data_format
// (channels-first through transposes: a deliberate superset). Grouped
// filters (C a multiple of the filter depth) are UNIMPLEMENTED.
//
// Types: Conv2DBackpropInput float, double, half, bfloat16, int32;
// Conv3DBackpropInputV2 float, double, half, bfloat16; Conv3DBackpropInput
// float, double, half. half and bfloat16 are computed in float.
#include <algorithm>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "runtime/kernels/kernel_util.h"
#include "runtime/kernels/nn/conv_common.h"
#include "runtime/op_kernel.h"
#include "runtime/op_registry.h"
#include "runtime/status_macros.h"

namespace model_server {
namespace {

// How the op gives the shape of its result.
enum class InputShapeFrom { kSizes2D, kSizes3D, kTensor };

class ConvBackpropInputKernel : public OpKernel {
 public:
  ConvBackpropInputKernel(std::string label, InputShapeFrom shape_from,
                          DataType dtype, ConvParams params)
      : label_(std::move(label)),
        shape_from_(shape_from),
        dtype_(dtype),
        params_(params) {}

  absl::Status Compute(OpKernelContext& ctx) const override {
    const Tensor& filter = ctx.input(1);
    const Tensor& out_backprop = ctx.input(2);
    if (filter.dtype() != dtype_ || out_backprop.dtype() != dtype_) {
      return ctx.InvalidArgument(absl::StrCat(
          label_, " expects filter and out_backprop of type ",
          DataTypeName(dtype_), ", got ", DataTypeName(filter.dtype()), " and ",
          DataTypeName(out_backprop.dtype())));
    }
    MS_ASSIGN_OR_RETURN(TensorShape input_shape,
                        InputShape(ctx.input(0), filter, out_backprop));
    ConvGeometry g;
    MS_RETURN_IF_ERROR(ConvGeometryFromShapes(label_, params_, input_shape,
                                              filter.shape(), &g));
    MS_RETURN_IF_ERROR(CheckOutBackprop(g, out_backprop.shape()));
    if (g.groups() != 1) {
      return absl::UnimplementedError(absl::StrCat(
          label_, ": grouped filters are not supported (input depth ",
          g.in_depth, ", filter depth ", g.filter_depth, ")"));
    }
    MS_ASSIGN_OR_RETURN(Tensor * in_backprop,
                        ctx.allocate_output(0, dtype_, input_shape));
    if (in_backprop->NumElements() == 0) return absl::OkStatus();
    if (out_backprop.NumElements() == 0 || filter.NumElements() == 0) {
      std::fill_n(static_cast<char*>(in_backprop->raw_data()),
                  in_backprop->TotalBytes(), 0);
      return absl::OkStatus();
    }
    return RunConvEngine(params_, g, /*backward=*/true, out_backprop, filter,
                         in_backprop);
  }

 private:
  absl::StatusOr<TensorShape> InputShape(const Tensor& sizes,
                                         const Tensor& filter,
                                         const Tensor& out_backprop) const {
    if (shape_from_ == InputShapeFrom::kTensor) return sizes.shape();
    const int rank = params_.rank();
    if (sizes.rank() != 1) {
      return absl::InvalidArgumentError(absl::StrCat(
          label_, ": input_sizes input must be 1-dim, not ", sizes.rank()));
    }
    MS_RETURN_IF_ERROR(CheckIntTensor(sizes, "input_sizes"));
    if (shape_from_ == InputShapeFrom::kSizes2D && sizes.dtype() != DT_INT32) {
      return absl::InvalidArgumentError(
          absl::StrCat(label_, ": input_sizes must be int32, got ",
                       DataTypeName(sizes.dtype())));
    }
    Dims dims = IntValues(sizes);
    if (shape_from_ == InputShapeFrom::kSizes2D && dims.size() == 2) {
      if (dims[0] < 0 || dims[1] < 0) {
        return absl::InvalidArgumentError(
            absl::StrCat(label_, ": elements of input_sizes must be >= 0, not ",
                         dims[0], "x", dims[1]));
      }
      if (out_backprop.rank() != rank || filter.rank() != rank) {
        return absl::InvalidArgumentError(
            absl::StrCat(label_, ": filter and out_backprop must be ", rank,
                         "-dimensional, got ", filter.shape().DebugString(),
                         " and ", out_backprop.shape().DebugString()));
      }
      const int64_t batch = out_backprop.dim(0);
      const int64_t depth = filter.dim(2);
      dims = params_.format == DataFormat::kChannelsLast
                 ? Dims{batch, dims[0], dims[1], depth}
                 : Dims{batch, depth, dims[0], dims[1]};
    } else if (static_cast<int>(dims.size()) != rank) {
      return absl::InvalidArgumentError(absl::StrCat(
          label_, " requires input_sizes to contain ", rank,
          shape_from_ == InputShapeFrom::kSizes2D ? " values or 2 values"
                                                  : " values",
          ", but got: ", dims.size()));
    }
    for (int64_t d : dims) {
      if (d < 0) {
        return absl::InvalidArgumentError(
            absl::StrCat(label_, ": input_sizes must not be negative, got [",
                         absl::StrJoin(dims, ","), "]"));
      }
    }
    return TensorShape::FromDims(dims);
  }

  // TensorFlow's checks of out_backprop against the forward output shape.
  absl::Status CheckOutBackprop(const ConvGeometry& g,
                                const TensorShape& out_backprop) const {
    const int rank = params_.rank();
    if (out_backprop.rank() != rank) {
      return absl::InvalidArgumentError(
          absl::StrCat(label_, ": out_backprop must be ", rank,
                       "-dimensional, got ", out_backprop.DebugString()));
    }
    if (out_backprop.dim(0) != g.batch) {
      return absl::InvalidArgumentError(absl::StrCat(
          label_, ": input and out_backprop must have the same batch size. ",
          "Input batch: ", g.batch,
          ", outbackprop batch: ", out_backprop.dim(0)));
    }
    if (out_backprop.dim(ChannelDim(params_.format, rank)) != g.out_depth) {
      return absl::InvalidArgumentError(absl::StrCat(
          label_, ": filter and out_backprop must have the same out_depth"));
    }
    const TensorShape expected = ConvOutputShape(params_, g);
    for (int i = 0; i < params_.spatial_dims; ++i) {
      const int dim = SpatialDim(params_.format, rank, i);
      if (out_backprop.dim(dim) != expected.dim(dim)) {
        return absl::InvalidArgumentError(absl::StrCat(
            label_, ": Size of out_backprop doesn't match computed: actual = ",
            out_backprop.dim(dim), ", computed = ", expected.dim(dim),
            " spatial_dim: ", dim));
      }
    }
    return absl::OkStatus();
  }

  const std::string label_;
  const InputShapeFrom shape_from_;
  const DataType dtype_;
  const ConvParams params_;
};

template <InputShapeFrom kShapeFrom>
absl::StatusOr<std::unique_ptr<OpKernel>> CreateConvBackpropInput(
    const KernelConstruction& c) {
  MS_RETURN_IF_ERROR(CheckNumInputs(c, 3));
  DataType dtype;
  MS_RETURN_IF_ERROR(c.attrs.Get("T", &dtype));
  const bool is_2d = kShapeFrom == InputShapeFrom::kSizes2D;
  bool supported = dtype == DT_FLOAT || dtype == DT_DOUBLE || dtype == DT_HALF;
  if (kShapeFrom != InputShapeFrom::kTensor) {
    supported = supported || dtype == DT_BFLOAT16;
  }
  if (is_2d) supported = supported || dtype == DT_INT32;
  if (!supported) return UnsupportedDtypeError(c, dtype);
  if (kShapeFrom == InputShapeFrom::kSizes3D) {
    MS_RETURN_IF_ERROR(CheckIndexTypeAttr(c, "Tshape"));
  }
  MS_ASSIGN_OR_RETURN(
      ConvParams params,
      ConvParamsFromAttrs(c, is_2d ? 2 : 3, /*allow_explicit=*/is_2d));
  return std::make_unique<ConvBackpropInputKernel>(c.attrs.op(), kShapeFrom,
                                                   dtype, params);
}

}  // namespace

REGISTER_KERNEL(OpSpec("Conv2DBackpropInput").Output("output"),
                CreateConvBackpropInput<InputShapeFrom::kSizes2D>);
REGISTER_KERNEL(OpSpec("Conv3DBackpropInputV2").Output("output"),
                CreateConvBackpropInput<InputShapeFrom::kSizes3D>);
REGISTER_KERNEL(OpSpec("Conv3DBackpropInput").Output("output"),
                CreateConvBackpropInput<InputShapeFrom::kTensor>);

}  // namespace model_server
