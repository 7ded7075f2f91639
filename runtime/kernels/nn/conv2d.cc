// Conv2D: 2-D convolution of an NHWC input [N,H,W,C] with a filter
// [KH,KW,C/groups,OC], giving [N,OH,OW,OC].
//
// Implemented as im2col + GEMM: each output pixel's receptive field is copied
// into one row of a patch matrix [rows, KH*KW*C], which is multiplied by the
// filter viewed as [KH*KW*C, OC]; the product is the NHWC output itself.
// (Per the design notes, plain im2col + GEMM beats Eigen's spatial
// convolution about 2x at batch 1.)
// Special cases need no patch matrix at all: a 1x1 stride-1 unpadded filter
// is a plain GEMM over the input, and a VALID filter covering the whole image
// is a GEMM over each image. The patch matrix is built in tiles of output rows
// so that it never exceeds kMaxPatchBytes.
//
// Attributes as TensorFlow: strides, padding (SAME/VALID/EXPLICIT),
// explicit_paddings, dilations, data_format. Grouped convolution (input depth
// a multiple of the filter depth) is supported. NCHW, which TensorFlow's CPU
// kernel rejects as UNIMPLEMENTED, is accepted here and computed through
// transposes to NHWC (a deliberate superset). Types: float, double, int32,
// and half/bfloat16 (computed in float, rounded once).
#include <algorithm>
#include <array>
#include <cstdint>
#include <cstring>
#include <limits>
#include <memory>
#include <string>
#include <type_traits>
#include <vector>

#include "absl/strings/str_cat.h"
#include "runtime/eigen_device.h"
#include "runtime/kernels/nn/window_geometry.h"
#include "runtime/op_kernel.h"
#include "runtime/op_registry.h"
#include "runtime/status_macros.h"

namespace model_server {
namespace {

constexpr int64_t kMaxPatchBytes = int64_t{64} << 20;
constexpr int64_t kParallelGemmWork = int64_t{1} << 18;
constexpr int64_t kIntMax = std::numeric_limits<int32_t>::max();

// C[m,n] = A[m,k] * B[k,n], all row-major and contiguous. Large float
// products use Eigen's tensor contraction on the shared pool; other types are
// split into row or column blocks over the pool (one contraction
// instantiation keeps this file's compile time bounded).
template <typename T>
void Gemm(const T* a, const T* b, T* c, int64_t m, int64_t n, int64_t k) {
  using Matrix =
      Eigen::Matrix<T, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
  if (m == 0 || n == 0) return;
  if (k == 0) {
    std::fill(c, c + m * n, T(0));
    return;
  }
  if (m * n * k < kParallelGemmWork) {
    Eigen::Map<Matrix>(c, m, n).noalias() =
        Eigen::Map<const Matrix>(a, m, k) * Eigen::Map<const Matrix>(b, k, n);
    return;
  }
  if constexpr (std::is_same_v<T, float>) {
    if (std::min(m, n) > 1) {
      using ConstMap =
          Eigen::TensorMap<Eigen::Tensor<const T, 2, Eigen::RowMajor>>;
      Eigen::TensorMap<Eigen::Tensor<T, 2, Eigen::RowMajor>> cm(c, m, n);
      Eigen::array<Eigen::IndexPair<Eigen::Index>, 1> dims = {
          Eigen::IndexPair<Eigen::Index>(1, 0)};
      cm.device(EigenDevice()) =
          ConstMap(a, m, k).contract(ConstMap(b, k, n), dims);
      return;
    }
  }
  const bool split_rows = m >= n;
  const int64_t other = split_rows ? n : m;
  const Eigen::TensorOpCost cost(
      static_cast<double>((k + k * other) * sizeof(T)),
      static_cast<double>(other * sizeof(T)),
      static_cast<double>(2 * k * other));
  EigenDevice().parallelFor(
      split_rows ? m : n, cost,
      [](Eigen::Index size) { return (size + 7) / 8 * 8; },
      [&](Eigen::Index first, Eigen::Index last) {
        Eigen::Map<const Matrix> am(a, m, k);
        Eigen::Map<const Matrix> bm(b, k, n);
        Eigen::Map<Matrix> cm(c, m, n);
        if (split_rows) {
          cm.middleRows(first, last - first).noalias() =
              am.middleRows(first, last - first) * bm;
        } else {
          cm.middleCols(first, last - first).noalias() =
              am * bm.middleCols(first, last - first);
        }
      });
}

// Shapes of one convolution, in NHWC terms.
struct ConvDims {
  int64_t batch, in_rows, in_cols, in_depth;
  int64_t filter_rows, filter_cols, patch_depth, out_depth;
  int64_t stride_rows, stride_cols, dilation_rows, dilation_cols;
  int64_t out_rows, out_cols;
  int64_t pad_top, pad_bottom, pad_left, pad_right;
};

// Copies the receptive fields of output rows [r0, r1) (flat over N*OH*OW),
// channels [c0, c0 + cg), into `patches` ([r1 - r0, KH*KW*cg]).
template <typename T>
void Im2Col(const ConvDims& d, const T* input, int64_t c0, int64_t cg,
            int64_t r0, int64_t r1, T* patches) {
  const int64_t row_len = d.filter_rows * d.filter_cols * cg;
  auto fill_rows = [&](int64_t first, int64_t last) {
    for (int64_t r = first; r < last; ++r) {
      const int64_t ow = r % d.out_cols;
      const int64_t oh = (r / d.out_cols) % d.out_rows;
      const int64_t b = r / (d.out_cols * d.out_rows);
      T* dst = patches + (r - r0) * row_len;
      const int64_t ih0 = oh * d.stride_rows - d.pad_top;
      const int64_t iw0 = ow * d.stride_cols - d.pad_left;
      for (int64_t kh = 0; kh < d.filter_rows; ++kh) {
        const int64_t ih = ih0 + kh * d.dilation_rows;
        if (ih < 0 || ih >= d.in_rows) {
          std::fill(dst, dst + d.filter_cols * cg, T(0));
          dst += d.filter_cols * cg;
          continue;
        }
        const T* src_row =
            input + ((b * d.in_rows + ih) * d.in_cols) * d.in_depth + c0;
        for (int64_t kw = 0; kw < d.filter_cols; ++kw, dst += cg) {
          const int64_t iw = iw0 + kw * d.dilation_cols;
          if (iw < 0 || iw >= d.in_cols) {
            std::fill(dst, dst + cg, T(0));
          } else if (cg <= 8) {  // e.g. RGB input: skip the memcpy call
            const T* src = src_row + iw * d.in_depth;
            for (int64_t c = 0; c < cg; ++c) dst[c] = src[c];
          } else {
            std::memcpy(dst, src_row + iw * d.in_depth, cg * sizeof(T));
          }
        }
      }
    }
  };
  const Eigen::TensorOpCost cost(row_len * sizeof(T), row_len * sizeof(T),
                                 row_len);
  EigenDevice().parallelFor(r1 - r0, cost,
                            [&](Eigen::Index first, Eigen::Index last) {
                              fill_rows(r0 + first, r0 + last);
                            });
}

// NHWC convolution on compute-type buffers.
template <typename T>
absl::Status ConvNHWC(const ConvDims& d, const T* input, const T* filter,
                      T* output) {
  const int64_t rows = d.batch * d.out_rows * d.out_cols;
  const int64_t groups = d.in_depth / d.patch_depth;
  const bool unpadded = d.pad_top == 0 && d.pad_bottom == 0 &&
                        d.pad_left == 0 && d.pad_right == 0;
  if (groups == 1 && d.filter_rows == 1 && d.filter_cols == 1 &&
      d.stride_rows == 1 && d.stride_cols == 1 && unpadded) {
    Gemm(input, filter, output, rows, d.out_depth, d.in_depth);
    return absl::OkStatus();
  }
  if (groups == 1 && unpadded && d.filter_rows == d.in_rows &&
      d.filter_cols == d.in_cols && d.dilation_rows == 1 &&
      d.dilation_cols == 1) {
    Gemm(input, filter, output, d.batch, d.out_depth,
         d.in_rows * d.in_cols * d.in_depth);
    return absl::OkStatus();
  }
  const int64_t group_depth = d.out_depth / groups;
  const int64_t k = d.filter_rows * d.filter_cols * d.patch_depth;
  const int64_t tile_rows = std::max<int64_t>(
      1, std::min<int64_t>(
             rows, kMaxPatchBytes / std::max<int64_t>(1, k * sizeof(T))));
  const DataType dtype = DataTypeOf<T>::value;
  MS_ASSIGN_OR_RETURN(Tensor patches,
                      Tensor::Create(dtype, TensorShape{tile_rows, k}));
  Tensor group_filter, group_out;
  if (groups > 1) {
    MS_ASSIGN_OR_RETURN(group_filter,
                        Tensor::Create(dtype, TensorShape{k, group_depth}));
    MS_ASSIGN_OR_RETURN(
        group_out, Tensor::Create(dtype, TensorShape{tile_rows, group_depth}));
  }
  for (int64_t g = 0; g < groups; ++g) {
    const T* f = filter;
    if (groups > 1) {
      T* gf = group_filter.data<T>();
      for (int64_t i = 0; i < k; ++i) {
        std::copy_n(filter + i * d.out_depth + g * group_depth, group_depth,
                    gf + i * group_depth);
      }
      f = gf;
    }
    for (int64_t r0 = 0; r0 < rows; r0 += tile_rows) {
      const int64_t r1 = std::min(rows, r0 + tile_rows);
      T* p = patches.data<T>();
      Im2Col(d, input, g * d.patch_depth, d.patch_depth, r0, r1, p);
      if (groups == 1) {
        Gemm(p, f, output + r0 * d.out_depth, r1 - r0, d.out_depth, k);
        continue;
      }
      T* go = group_out.data<T>();
      Gemm(p, f, go, r1 - r0, group_depth, k);
      for (int64_t r = r0; r < r1; ++r) {
        std::copy_n(go + (r - r0) * group_depth, group_depth,
                    output + r * d.out_depth + g * group_depth);
      }
    }
  }
  return absl::OkStatus();
}

// dst = src transposed by `perm`, for 4-D row-major tensors.
template <typename T>
void Transpose4(const T* src, const std::array<int64_t, 4>& dims,
                const std::array<int, 4>& perm, T* dst) {
  Eigen::TensorMap<Eigen::Tensor<const T, 4, Eigen::RowMajor>> in(
      src, dims[0], dims[1], dims[2], dims[3]);
  Eigen::TensorMap<Eigen::Tensor<T, 4, Eigen::RowMajor>> out(
      dst, dims[perm[0]], dims[perm[1]], dims[perm[2]], dims[perm[3]]);
  if (in.size() >= kMinParallelWork) {
    out.device(EigenDevice()) = in.shuffle(perm);
  } else {
    out = in.shuffle(perm);
  }
}

template <typename Out, typename In>
void Convert(const In* src, int64_t n, Out* dst) {
  for (int64_t i = 0; i < n; ++i) {
    dst[i] = static_cast<Out>(static_cast<float>(src[i]));
  }
}

class Conv2DKernel : public OpKernel {
 public:
  static absl::StatusOr<std::unique_ptr<OpKernel>> Create(
      const KernelConstruction& c) {
    const NodeAttrs& attrs = c.attrs;
    auto k = std::unique_ptr<Conv2DKernel>(new Conv2DKernel());
    MS_RETURN_IF_ERROR(attrs.Get("T", &k->dtype_));
    if (k->dtype_ != DT_FLOAT && k->dtype_ != DT_DOUBLE &&
        k->dtype_ != DT_INT32 && k->dtype_ != DT_HALF &&
        k->dtype_ != DT_BFLOAT16) {
      return absl::UnimplementedError(
          absl::StrCat("Conv2D node '", attrs.node_name(),
                       "': unsupported type ", DataTypeName(k->dtype_),
                       "; supported: float, double, half, bfloat16, int32"));
    }
    std::string format;
    MS_RETURN_IF_ERROR(
        attrs.GetOr("data_format", std::string("NHWC"), &format));
    if (format != "NHWC" && format != "NCHW") {
      return attrs.Error(absl::StrCat("Invalid data format: ", format));
    }
    k->nchw_ = format == "NCHW";
    std::vector<int32_t> strides, dilations;
    MS_RETURN_IF_ERROR(attrs.Get("strides", &strides));
    MS_RETURN_IF_ERROR(
        attrs.GetOr("dilations", std::vector<int32_t>{1, 1, 1, 1}, &dilations));
    if (dilations.size() != 4) {
      return attrs.Error(
          "Sliding window dilations field must specify 4 dimensions");
    }
    if (strides.size() != 4) {
      return attrs.Error(
          "Sliding window strides field must specify 4 dimensions");
    }
    const int h = k->nchw_ ? 2 : 1, w = k->nchw_ ? 3 : 2, ch = k->nchw_ ? 1 : 3;
    if (strides[0] != 1 || strides[ch] != 1) {
      return absl::UnimplementedError(absl::StrCat(
          "Conv2D node '", attrs.node_name(),
          "': Current implementation does not yet support strides in the "
          "batch and depth dimensions."));
    }
    if (strides[h] <= 0 || strides[w] <= 0) {
      return attrs.Error("Row and column strides should be larger than 0.");
    }
    if (dilations[0] != 1 || dilations[ch] != 1) {
      return absl::UnimplementedError(absl::StrCat(
          "Conv2D node '", attrs.node_name(),
          "': Current implementation does not yet support dilations in the "
          "batch and depth dimensions."));
    }
    if (dilations[h] <= 0 || dilations[w] <= 0) {
      return attrs.Error("Dilated rates should be larger than 0.");
    }
    k->stride_rows_ = strides[h];
    k->stride_cols_ = strides[w];
    k->dilation_rows_ = dilations[h];
    k->dilation_cols_ = dilations[w];
    MS_ASSIGN_OR_RETURN(k->padding_,
                        PaddingAttr(attrs, /*allow_explicit=*/true));
    MS_ASSIGN_OR_RETURN(const auto pads,
                        ExplicitPaddingsAttr(attrs, k->padding_, ch, h, w));
    k->pad_top_ = pads[0];
    k->pad_bottom_ = pads[1];
    k->pad_left_ = pads[2];
    k->pad_right_ = pads[3];
    MS_RETURN_IF_ERROR(CheckNumInputs(c, 2));
    return std::unique_ptr<OpKernel>(std::move(k));
  }

  absl::Status Compute(OpKernelContext& ctx) const override {
    const Tensor& input = ctx.input(0);
    const Tensor& filter = ctx.input(1);
    if (input.dtype() != dtype_ || filter.dtype() != dtype_) {
      return ctx.InvalidArgument(absl::StrCat(
          "Conv2D expects input and filter of type ", DataTypeName(dtype_),
          ", got ", DataTypeName(input.dtype()), " and ",
          DataTypeName(filter.dtype())));
    }
    ConvDims d;
    MS_RETURN_IF_ERROR(ComputeDims(input.shape(), filter.shape(), &d));
    TensorShape out_shape =
        nchw_ ? TensorShape{d.batch, d.out_depth, d.out_rows, d.out_cols}
              : TensorShape{d.batch, d.out_rows, d.out_cols, d.out_depth};
    MS_ASSIGN_OR_RETURN(Tensor * output,
                        ctx.allocate_output(0, dtype_, out_shape));
    if (out_shape.num_elements() == 0) return absl::OkStatus();
    switch (dtype_) {
      case DT_FLOAT:
        return Run<float>(d, input, filter, output);
      case DT_DOUBLE:
        return Run<double>(d, input, filter, output);
      case DT_INT32:
        return Run<int32_t>(d, input, filter, output);
      default:
        return Run<float>(d, input, filter, output);  // half, bfloat16
    }
  }

 private:
  Conv2DKernel() = default;

  absl::Status ComputeDims(const TensorShape& in, const TensorShape& f,
                           ConvDims* d) const {
    if (in.rank() != 4) {
      return absl::InvalidArgumentError(
          absl::StrCat("input must be 4-dimensional", in.DebugString()));
    }
    if (f.rank() != 4) {
      return absl::InvalidArgumentError(
          absl::StrCat("filter must be 4-dimensional: ", f.DebugString()));
    }
    for (int i = 0; i < 3; ++i) {
      if (f.dim(i) > kIntMax) {
        return absl::InvalidArgumentError("filter too large");
      }
    }
    d->batch = in.dim(0);
    d->in_rows = in.dim(nchw_ ? 2 : 1);
    d->in_cols = in.dim(nchw_ ? 3 : 2);
    d->in_depth = in.dim(nchw_ ? 1 : 3);
    if (d->in_depth > kIntMax) {
      return absl::InvalidArgumentError("Input depth too large");
    }
    if (d->in_rows > kIntMax) {
      return absl::InvalidArgumentError("Input rows too large");
    }
    if (d->in_cols > kIntMax) {
      return absl::InvalidArgumentError("Input cols too large");
    }
    if (d->batch > kIntMax) {
      return absl::InvalidArgumentError("batch is too large");
    }
    d->filter_rows = f.dim(0);
    d->filter_cols = f.dim(1);
    d->patch_depth = f.dim(2);
    d->out_depth = f.dim(3);
    if (d->patch_depth <= 0) {
      return absl::InvalidArgumentError(absl::StrCat(
          "filter depth must be stricly positive, got ", d->patch_depth));
    }
    if (d->in_depth % d->patch_depth != 0) {
      return absl::InvalidArgumentError(absl::StrCat(
          "input depth must be evenly divisible by filter depth: ", d->in_depth,
          " vs ", d->patch_depth));
    }
    const int64_t groups = d->in_depth / d->patch_depth;
    if (groups <= 0) {
      return absl::InvalidArgumentError(absl::StrCat(
          "number of groups must be stricly positive, got ", groups));
    }
    if (d->out_depth % groups != 0 || d->out_depth < groups) {
      return absl::InvalidArgumentError(absl::StrCat(
          "output depth must be evenly divisible by number of groups: ",
          d->out_depth, " vs ", groups));
    }
    d->stride_rows = stride_rows_;
    d->stride_cols = stride_cols_;
    d->dilation_rows = dilation_rows_;
    d->dilation_cols = dilation_cols_;
    d->pad_top = pad_top_;
    d->pad_bottom = pad_bottom_;
    d->pad_left = pad_left_;
    d->pad_right = pad_right_;
    MS_RETURN_IF_ERROR(WindowedOutputSize(
        d->in_rows, d->filter_rows, d->dilation_rows, d->stride_rows, padding_,
        &d->out_rows, &d->pad_top, &d->pad_bottom));
    MS_RETURN_IF_ERROR(WindowedOutputSize(
        d->in_cols, d->filter_cols, d->dilation_cols, d->stride_cols, padding_,
        &d->out_cols, &d->pad_left, &d->pad_right));
    return absl::OkStatus();
  }

  // Converts to the compute type T and to NHWC as needed, convolves, and
  // converts back into `output`.
  template <typename T>
  absl::Status Run(const ConvDims& d, const Tensor& input, const Tensor& filter,
                   Tensor* output) const {
    const DataType ct = DataTypeOf<T>::value;
    Tensor in = input, f = filter;
    if (dtype_ != ct) {
      MS_ASSIGN_OR_RETURN(in, Tensor::Create(ct, input.shape()));
      MS_ASSIGN_OR_RETURN(f, Tensor::Create(ct, filter.shape()));
      if (dtype_ == DT_HALF) {
        Convert(input.data<Eigen::half>(), input.NumElements(), in.data<T>());
        Convert(filter.data<Eigen::half>(), filter.NumElements(), f.data<T>());
      } else {
        Convert(input.data<Eigen::bfloat16>(), input.NumElements(),
                in.data<T>());
        Convert(filter.data<Eigen::bfloat16>(), filter.NumElements(),
                f.data<T>());
      }
    }
    const TensorShape nhwc_out{d.batch, d.out_rows, d.out_cols, d.out_depth};
    if (nchw_) {
      MS_ASSIGN_OR_RETURN(
          Tensor nhwc, Tensor::Create(ct, TensorShape{d.batch, d.in_rows,
                                                      d.in_cols, d.in_depth}));
      Transpose4(in.data<T>(), {d.batch, d.in_depth, d.in_rows, d.in_cols},
                 {0, 2, 3, 1}, nhwc.data<T>());
      in = nhwc;
    }
    Tensor out = *output;
    if (nchw_ || dtype_ != ct) {
      MS_ASSIGN_OR_RETURN(out, Tensor::Create(ct, nhwc_out));
    }
    MS_RETURN_IF_ERROR(
        ConvNHWC<T>(d, in.data<T>(), f.data<T>(), out.data<T>()));
    if (nchw_) {
      Tensor nchw = *output;
      if (dtype_ != ct) {
        MS_ASSIGN_OR_RETURN(nchw, Tensor::Create(ct, output->shape()));
      }
      Transpose4(out.data<T>(), {d.batch, d.out_rows, d.out_cols, d.out_depth},
                 {0, 3, 1, 2}, nchw.data<T>());
      out = nchw;
    }
    if (dtype_ == DT_HALF) {
      Convert(out.data<T>(), out.NumElements(), output->data<Eigen::half>());
    } else if (dtype_ == DT_BFLOAT16) {
      Convert(out.data<T>(), out.NumElements(),
              output->data<Eigen::bfloat16>());
    }
    return absl::OkStatus();
  }

  DataType dtype_ = DT_INVALID;
  bool nchw_ = false;
  Padding padding_ = Padding::kValid;
  int64_t stride_rows_ = 1, stride_cols_ = 1;
  int64_t dilation_rows_ = 1, dilation_cols_ = 1;
  int64_t pad_top_ = 0, pad_bottom_ = 0, pad_left_ = 0, pad_right_ = 0;
};

}  // namespace

REGISTER_KERNEL(OpSpec("Conv2D").Output("output"), Conv2DKernel::Create);

}  // namespace model_server
