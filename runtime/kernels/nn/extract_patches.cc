// ExtractImagePatches and ExtractVolumePatches: every window of an input
// [N, H, W, C] (or [N, P, H, W, C]) laid out along the depth, giving
// [N, OH, OW, KH * KW * C] (or [N, OP, OH, OW, KP * KH * KW * C]); taps in
// padding are zeros. This is the convolution engine's im2col
// (conv_engine.h: ExtractPatches).
//
// Attrs as TensorFlow: ksizes, strides (and rates, the dilation, for
// ExtractImagePatches) with one entry per dimension, 1 for batch and
// channels (UNIMPLEMENTED otherwise); padding SAME or VALID. Every
// number dtype up to 8 bytes (elements are only moved): not complex128 or
// strings.
#include <array>
#include <cstdint>
#include <limits>
#include <memory>
#include <string>
#include <type_traits>
#include <vector>

#include "absl/strings/str_cat.h"
#include "runtime/kernels/array/data_movement.h"
#include "runtime/kernels/kernel_util.h"
#include "runtime/kernels/nn/conv_engine.h"
#include "runtime/kernels/nn/window_geometry.h"
#include "runtime/op_kernel.h"
#include "runtime/op_registry.h"
#include "runtime/status_macros.h"

namespace model_server {
namespace {

class ExtractPatchesKernel : public OpKernel {
 public:
  ExtractPatchesKernel(int spatial_dims, Padding padding,
                       std::array<int64_t, 3> ksize,
                       std::array<int64_t, 3> stride,
                       std::array<int64_t, 3> rate)
      : spatial_dims_(spatial_dims),
        padding_(padding),
        ksize_(ksize),
        stride_(stride),
        rate_(rate) {}

  absl::Status Compute(OpKernelContext& ctx) const override {
    const Tensor& input = ctx.input(0);
    const int rank = spatial_dims_ + 2;
    if (input.rank() != rank) {
      return ctx.InvalidArgument(absl::StrCat("input must be ", rank,
                                              "-dimensional, got ",
                                              input.shape().DebugString()));
    }
    ConvGeometry g;
    g.batch = input.dim(0);
    g.in_depth = g.filter_depth = input.dim(rank - 1);
    g.stride = stride_;
    g.dilation = rate_;
    for (int i = 0; i < spatial_dims_; ++i) {
      const int s = 3 - spatial_dims_ + i;
      g.input[s] = input.dim(1 + i);
      g.filter[s] = ksize_[s];
      MS_RETURN_IF_ERROR(WindowedOutputSize(
          g.input[s], g.filter[s], g.dilation[s], g.stride[s], padding_,
          &g.output[s], &g.pad_before[s], &g.pad_after[s]));
    }
    int64_t depth;
    if (__builtin_mul_overflow(g.filter_taps(), g.in_depth, &depth)) {
      return ctx.InvalidArgument("patch depth is too large");
    }
    Dims dims = {g.batch};
    for (int i = 0; i < spatial_dims_; ++i) {
      dims.push_back(g.output[3 - spatial_dims_ + i]);
    }
    dims.push_back(depth);
    MS_ASSIGN_OR_RETURN(TensorShape shape, TensorShape::FromDims(dims));
    MS_ASSIGN_OR_RETURN(Tensor * out,
                        ctx.allocate_output(0, input.dtype(), shape));
    if (out->NumElements() == 0) return absl::OkStatus();
    bool moved = false;
    SwitchOnMoveType(input.dtype(), [&](auto tag) {
      using T = decltype(tag);
      if constexpr (std::is_unsigned_v<T>) {
        ExtractPatches<T>(g, DataAs<T>(input), DataAs<T>(out));
        moved = true;
      }
    });
    if (!moved) {
      return ctx.InvalidArgument(
          absl::StrCat("unsupported dtype ", DataTypeName(input.dtype())));
    }
    return absl::OkStatus();
  }

 private:
  const int spatial_dims_;
  const Padding padding_;
  const std::array<int64_t, 3> ksize_, stride_, rate_;
};

// Reads a window attr ("ksizes", "strides", "rates") into spatial slots.
absl::Status WindowAttr(const KernelConstruction& c, const char* name,
                        int spatial_dims, std::array<int64_t, 3>* out) {
  const int rank = spatial_dims + 2;
  std::vector<int64_t> values;
  MS_RETURN_IF_ERROR(c.attrs.Get(name, &values));
  if (static_cast<int>(values.size()) != rank) {
    return c.attrs.Error(absl::StrCat(name, " must specify ", rank,
                                      " dimensions, got ", values.size()));
  }
  if (values[0] != 1 || values[rank - 1] != 1) {
    return UnsupportedAttrError(
        c, absl::StrCat("Only support ", name, " across space."));
  }
  *out = {1, 1, 1};
  for (int i = 0; i < spatial_dims; ++i) {
    const int64_t v = values[1 + i];
    if (v <= 0 || v > std::numeric_limits<int32_t>::max()) {
      return c.attrs.Error(absl::StrCat(name, " must be positive, got ", v));
    }
    (*out)[3 - spatial_dims + i] = v;
  }
  return absl::OkStatus();
}

template <int kSpatialDims>
absl::StatusOr<std::unique_ptr<OpKernel>> CreateExtractPatches(
    const KernelConstruction& c) {
  MS_RETURN_IF_ERROR(CheckNumInputs(c, 1));
  DataType dtype;
  MS_RETURN_IF_ERROR(c.attrs.Get("T", &dtype));
  const int64_t size = DataTypeSize(dtype);
  if (dtype == DT_STRING || dtype == DT_RESOURCE || dtype == DT_VARIANT ||
      size < 1 || size > 8) {
    return UnsupportedDtypeError(c, dtype);
  }
  std::array<int64_t, 3> ksize, stride, rate = {1, 1, 1};
  MS_RETURN_IF_ERROR(WindowAttr(c, "ksizes", kSpatialDims, &ksize));
  MS_RETURN_IF_ERROR(WindowAttr(c, "strides", kSpatialDims, &stride));
  if (kSpatialDims == 2) {
    MS_RETURN_IF_ERROR(WindowAttr(c, "rates", kSpatialDims, &rate));
  }
  MS_ASSIGN_OR_RETURN(Padding padding,
                      PaddingAttr(c.attrs, /*allow_explicit=*/false));
  return std::make_unique<ExtractPatchesKernel>(kSpatialDims, padding, ksize,
                                                stride, rate);
}

}  // namespace

REGISTER_KERNEL(OpSpec("ExtractImagePatches").Output("patches"),
                CreateExtractPatches<2>);
REGISTER_KERNEL(OpSpec("ExtractVolumePatches").Output("patches"),
                CreateExtractPatches<3>);

}  // namespace model_server
