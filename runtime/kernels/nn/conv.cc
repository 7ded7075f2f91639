// Conv2D and Conv3D: convolution of an input [N, (D,) H, W, C] (or
// channels-first) with a filter [(KD,) KH, KW, C / groups, OC], giving
// [N, (OD,) OH, OW, OC], on the shared engine (conv_engine.h: im2col + GEMM).
//
// Attributes as TensorFlow (conv_common.h): strides, padding (SAME, VALID,
// and EXPLICIT with explicit_paddings for Conv2D), dilations, data_format.
// Grouped convolution (input depth a multiple of the filter depth) is
// supported. Channels-first, which TensorFlow's CPU kernels reject, and
// dilated Conv3D are accepted (a deliberate superset).
//
// Types: Conv2D float, double, half, bfloat16, int32; Conv3D float, double,
// half, bfloat16 (TensorFlow's CPU registrations). half and bfloat16 are
// computed in float and rounded once.
#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "runtime/kernels/kernel_util.h"
#include "runtime/kernels/nn/conv_common.h"
#include "runtime/op_kernel.h"
#include "runtime/op_registry.h"
#include "runtime/status_macros.h"

namespace model_server {
namespace {

class ConvKernel : public OpKernel {
 public:
  ConvKernel(std::string label, DataType dtype, ConvParams params)
      : label_(std::move(label)), dtype_(dtype), params_(params) {}

  absl::Status Compute(OpKernelContext& ctx) const override {
    const Tensor& input = ctx.input(0);
    const Tensor& filter = ctx.input(1);
    if (input.dtype() != dtype_ || filter.dtype() != dtype_) {
      return ctx.InvalidArgument(absl::StrCat(
          label_, " expects input and filter of type ", DataTypeName(dtype_),
          ", got ", DataTypeName(input.dtype()), " and ",
          DataTypeName(filter.dtype())));
    }
    ConvGeometry g;
    MS_RETURN_IF_ERROR(ConvGeometryFromShapes(label_, params_, input.shape(),
                                              filter.shape(), &g));
    if (g.out_depth % g.groups() != 0 || g.out_depth < g.groups()) {
      return ctx.InvalidArgument(absl::StrCat(
          label_, ": output depth must be evenly divisible by number of ",
          "groups: ", g.out_depth, " vs ", g.groups()));
    }
    MS_ASSIGN_OR_RETURN(
        Tensor * output,
        ctx.allocate_output(0, dtype_, ConvOutputShape(params_, g)));
    if (output->NumElements() == 0) return absl::OkStatus();
    if (input.NumElements() == 0 || filter.NumElements() == 0) {
      // Nothing is summed (a zero-sized window or no channels): zeros.
      std::fill_n(static_cast<char*>(output->raw_data()), output->TotalBytes(),
                  0);
      return absl::OkStatus();
    }
    return RunConvEngine(params_, g, /*backward=*/false, input, filter, output);
  }

 private:
  const std::string label_;
  const DataType dtype_;
  const ConvParams params_;
};

template <int kSpatialDims>
absl::StatusOr<std::unique_ptr<OpKernel>> CreateConv(
    const KernelConstruction& c) {
  MS_RETURN_IF_ERROR(CheckNumInputs(c, 2));
  DataType dtype;
  MS_RETURN_IF_ERROR(c.attrs.Get("T", &dtype));
  const bool supported = dtype == DT_FLOAT || dtype == DT_DOUBLE ||
                         dtype == DT_HALF || dtype == DT_BFLOAT16 ||
                         (kSpatialDims == 2 && dtype == DT_INT32);
  if (!supported) return UnsupportedDtypeError(c, dtype);
  MS_ASSIGN_OR_RETURN(
      ConvParams params,
      ConvParamsFromAttrs(c, kSpatialDims,
                          /*allow_explicit=*/kSpatialDims == 2));
  return std::make_unique<ConvKernel>(kSpatialDims == 2 ? "Conv2D" : "Conv3D",
                                      dtype, params);
}

}  // namespace

REGISTER_KERNEL(OpSpec("Conv2D").Output("output"), CreateConv<2>);
REGISTER_KERNEL(OpSpec("Conv3D").Output("output"), CreateConv<3>);

}  // namespace model_server
