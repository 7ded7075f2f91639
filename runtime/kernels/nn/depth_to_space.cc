// DepthToSpace and SpaceToDepth: rearranging blocks of block_size x
// block_size pixels between the spatial dimensions and the depth.
//
//   DepthToSpace: [N, H, W, C] -> [N, H*bs, W*bs, C/(bs*bs)],
//     out[n, h*bs + i, w*bs + j, c] = in[n, h, w, (i*bs + j) * C/(bs*bs) + c]
//   SpaceToDepth: the inverse, [N, H, W, C] -> [N, H/bs, W/bs, C*bs*bs].
//
// data_format NHWC or NCHW (channels-first through transposes, the same
// element mapping; NCHW_VECT_C is UNIMPLEMENTED). block_size must be > 1.
// Every dtype (elements are moved, not read). Error texts as TensorFlow's.
#include <cstdint>
#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "runtime/kernels/array/data_movement.h"
#include "runtime/kernels/kernel_util.h"
#include "runtime/kernels/nn/data_format.h"
#include "runtime/op_kernel.h"
#include "runtime/op_registry.h"
#include "runtime/status_macros.h"

namespace model_server {
namespace {

class DepthSpaceKernel : public OpKernel {
 public:
  DepthSpaceKernel(bool to_space, int64_t block, DataFormat format)
      : to_space_(to_space), block_(block), format_(format) {}

  absl::Status Compute(OpKernelContext& ctx) const override {
    const Tensor& input = ctx.input(0);
    if (input.rank() != 4) {
      return ctx.InvalidArgument(
          absl::StrCat("Input rank should be: 4 instead of: ", input.rank()));
    }
    const bool first = format_ == DataFormat::kChannelsFirst;
    Tensor x = input;
    if (first) {
      MS_ASSIGN_OR_RETURN(x, ChannelsFirstToLast(input));
    }
    const int64_t n = x.dim(0), h = x.dim(1), w = x.dim(2), c = x.dim(3);
    const int64_t bs = block_;
    // Channels-last shapes: `view` of the input (6-D) whose dims 2 and 3
    // swap to give the output.
    Dims view, out_dims;
    if (to_space_) {
      if (c % (bs * bs) != 0) {
        return ctx.InvalidArgument(absl::StrCat(
            "Input depth dimension ", c, " should be divisible by: ", bs * bs));
      }
      const int64_t oc = c / (bs * bs);
      view = {n, h, w, bs, bs, oc};
      out_dims = {n, h * bs, w * bs, oc};
    } else {
      if (h % bs != 0 || w % bs != 0) {
        return ctx.InvalidArgument(
            absl::StrCat("Image width ", w, " and height ", h,
                         " should be divisible by block_size: ", bs));
      }
      view = {n, h / bs, bs, w / bs, bs, c};
      out_dims = {n, h / bs, w / bs, c * bs * bs};
    }
    MS_ASSIGN_OR_RETURN(TensorShape last_shape,
                        TensorShape::FromDims(out_dims));
    TensorShape out_shape = last_shape;
    if (first) {
      MS_ASSIGN_OR_RETURN(
          out_shape, TensorShape::FromDims(
                         {out_dims[0], out_dims[3], out_dims[1], out_dims[2]}));
    }
    MS_ASSIGN_OR_RETURN(Tensor * out,
                        ctx.allocate_output(0, input.dtype(), out_shape));
    if (out->NumElements() == 0) return absl::OkStatus();
    Tensor y = *out;
    if (first) {
      MS_ASSIGN_OR_RETURN(y, Tensor::Create(input.dtype(), last_shape));
    }
    const Dims strides = StridesOf(view);
    CopyView(x, 0, {view[0], view[1], view[3], view[2], view[4], view[5]},
             {strides[0], strides[1], strides[3], strides[2], strides[4],
              strides[5]},
             &y);
    if (first) ChannelsLastToFirst(y, out);
    return absl::OkStatus();
  }

 private:
  const bool to_space_;
  const int64_t block_;
  const DataFormat format_;
};

template <bool kToSpace>
absl::StatusOr<std::unique_ptr<OpKernel>> CreateDepthSpace(
    const KernelConstruction& c) {
  MS_RETURN_IF_ERROR(CheckNumInputs(c, 1));
  int64_t block;
  MS_RETURN_IF_ERROR(c.attrs.Get("block_size", &block));
  if (block <= 1) {
    return c.attrs.Error(
        absl::StrCat("Block size should be > 1, but was: ", block));
  }
  std::string format;
  MS_RETURN_IF_ERROR(
      c.attrs.GetOr("data_format", std::string("NHWC"), &format));
  if (format == "NCHW_VECT_C") {
    return UnsupportedAttrError(c, "data_format NCHW_VECT_C");
  }
  MS_ASSIGN_OR_RETURN(DataFormat data_format, DataFormatAttr(c.attrs, 2));
  return std::make_unique<DepthSpaceKernel>(kToSpace, block, data_format);
}

}  // namespace

REGISTER_KERNEL(OpSpec("DepthToSpace").Output("output"),
                CreateDepthSpace<true>);
REGISTER_KERNEL(OpSpec("SpaceToDepth").Output("output"),
                CreateDepthSpace<false>);

}  // namespace model_server
