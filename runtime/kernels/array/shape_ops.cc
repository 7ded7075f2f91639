// Ops that read or change only a tensor's shape.
//
// Shape: input; attr out_type int32/int64 (default int32); the dims as a
//   vector ("output").
// ShapeN: N inputs; N shape vectors ("output", sized by attr N).
// Size: element count as a scalar of out_type. Rank: rank as an int32 scalar.
// Reshape: tensor, shape (Tshape int32/int64, one entry may be -1).
// ExpandDims: input, dim (Tdim int32/int64 single value in
//   [-rank-1, rank]).
// Squeeze: input; attr squeeze_dims (list, may be negative; empty squeezes
//   every dimension of size 1).
//
// Reshape, ExpandDims and Squeeze share the input's buffer (tensors are
// immutable), so they never copy data.
#include <cstdint>
#include <limits>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "runtime/kernels/kernel_util.h"
#include "runtime/op_kernel.h"
#include "runtime/op_registry.h"
#include "runtime/status_macros.h"

namespace model_server {
namespace {

// Writes `dims` as a vector of `dtype` (int32 fails if a value overflows;
// `shape_n_index` >= 0 words the error as ShapeN does).
absl::StatusOr<Tensor> DimsTensor(absl::Span<const int64_t> dims,
                                  DataType dtype, int shape_n_index) {
  MS_ASSIGN_OR_RETURN(
      Tensor out,
      Tensor::Create(dtype, TensorShape{static_cast<int64_t>(dims.size())}));
  for (size_t i = 0; i < dims.size(); ++i) {
    if (dtype == DT_INT32) {
      if (dims[i] > std::numeric_limits<int32_t>::max()) {
        // TensorFlow's texts, including Shape's double space.
        return absl::InvalidArgumentError(
            shape_n_index < 0
                ? absl::StrCat("Shape output type is 32-bit  but dim ", i,
                               " is ", dims[i])
                : absl::StrCat("ShapeN output type is 32-bit but shape ",
                               shape_n_index, " dim ", i, " is ", dims[i]));
      }
      out.data<int32_t>()[i] = static_cast<int32_t>(dims[i]);
    } else {
      out.data<int64_t>()[i] = dims[i];
    }
  }
  return out;
}

class ShapeKernel : public OpKernel {
 public:
  static absl::StatusOr<std::unique_ptr<OpKernel>> Create(
      const KernelConstruction& c) {
    MS_ASSIGN_OR_RETURN(DataType out_type,
                        IndexTypeAttr(c, "out_type", DT_INT32));
    if (c.attrs.op() == "ShapeN") {
      int64_t n;
      MS_RETURN_IF_ERROR(c.attrs.Get("N", &n));
      MS_RETURN_IF_ERROR(CheckNumInputs(c, static_cast<int>(n)));
    } else {
      MS_RETURN_IF_ERROR(CheckNumInputs(c, 1));
    }
    return std::unique_ptr<OpKernel>(
        new ShapeKernel(out_type, c.attrs.op() == "ShapeN"));
  }

  absl::Status Compute(OpKernelContext& ctx) const override {
    for (int i = 0; i < ctx.num_outputs(); ++i) {
      MS_ASSIGN_OR_RETURN(Tensor dims,
                          DimsTensor(ctx.input(i).shape().dims(), out_type_,
                                     shape_n_ ? i : -1));
      ctx.set_output(i, std::move(dims));
    }
    return absl::OkStatus();
  }

 private:
  ShapeKernel(DataType out_type, bool shape_n)
      : out_type_(out_type), shape_n_(shape_n) {}
  const DataType out_type_;
  const bool shape_n_;
};

class SizeKernel : public OpKernel {
 public:
  static absl::StatusOr<std::unique_ptr<OpKernel>> Create(
      const KernelConstruction& c) {
    MS_RETURN_IF_ERROR(CheckNumInputs(c, 1));
    MS_ASSIGN_OR_RETURN(DataType out_type,
                        IndexTypeAttr(c, "out_type", DT_INT32));
    return std::unique_ptr<OpKernel>(new SizeKernel(out_type));
  }

  absl::Status Compute(OpKernelContext& ctx) const override {
    const int64_t n = ctx.input(0).NumElements();
    if (out_type_ == DT_INT64) {
      ctx.set_output(0, Tensor::Scalar<int64_t>(n));
      return absl::OkStatus();
    }
    if (n > std::numeric_limits<int32_t>::max()) {
      return ctx.InvalidArgument(
          "Number of elements was larger than representable by 32-bit output "
          "type");
    }
    ctx.set_output(0, Tensor::Scalar<int32_t>(static_cast<int32_t>(n)));
    return absl::OkStatus();
  }

 private:
  explicit SizeKernel(DataType out_type) : out_type_(out_type) {}
  const DataType out_type_;
};

class RankKernel : public OpKernel {
 public:
  static absl::StatusOr<std::unique_ptr<OpKernel>> Create(
      const KernelConstruction& c) {
    MS_RETURN_IF_ERROR(CheckNumInputs(c, 1));
    return std::unique_ptr<OpKernel>(new RankKernel());
  }

  absl::Status Compute(OpKernelContext& ctx) const override {
    ctx.set_output(0, Tensor::Scalar<int32_t>(ctx.input(0).rank()));
    return absl::OkStatus();
  }
};

class ReshapeKernel : public OpKernel {
 public:
  static absl::StatusOr<std::unique_ptr<OpKernel>> Create(
      const KernelConstruction& c) {
    MS_RETURN_IF_ERROR(CheckNumInputs(c, 2));
    MS_RETURN_IF_ERROR(IndexTypeAttr(c, "Tshape", DT_INT32).status());
    return std::unique_ptr<OpKernel>(new ReshapeKernel());
  }

  absl::Status Compute(OpKernelContext& ctx) const override {
    const Tensor& input = ctx.input(0);
    const Tensor& sizes = ctx.input(1);
    MS_RETURN_IF_ERROR(CheckIntTensor(sizes, "shape"));
    // TensorFlow accepts a legacy scalar/[1]-shaped size list as well as a
    // vector.
    if (sizes.rank() > 1) {
      return ctx.InvalidArgument(absl::StrCat("sizes input must be 1-D, not ",
                                              sizes.shape().DebugString()));
    }
    const int64_t count = sizes.NumElements();
    std::vector<int64_t> dims(count);
    int64_t product = 1;
    int unknown = -1;
    bool sizes_have_zero = false;
    for (int64_t d = 0; d < count; ++d) {
      const int64_t size = IntAt(sizes, d);
      if (size == -1) {
        if (unknown != -1) {
          return ctx.InvalidArgument(absl::StrCat(
              "Only one input size may be -1, not both ", unknown, " and ", d));
        }
        unknown = static_cast<int>(d);
        dims[d] = 1;
      } else if (size < 0) {
        return ctx.InvalidArgument(
            absl::StrCat("Size ", d, " must be non-negative, not ", size));
      } else {
        dims[d] = size;
        if (size == 0) {
          sizes_have_zero = true;
        } else if (__builtin_mul_overflow(product, size, &product)) {
          return ctx.InvalidArgument(absl::StrCat(
              "Input to reshape is a tensor with ", input.NumElements(),
              " values, but the requested shape is too large"));
        }
      }
    }
    if (unknown != -1) {
      // Zero-sized input dimensions do not count when the requested shape
      // also has a zero, so the other dimensions can still be inferred.
      int64_t input_count = 1;
      bool input_has_zero = false;
      for (int64_t dim : input.shape().dims()) {
        if (dim > 0 || !sizes_have_zero) {
          input_count *= dim;
        } else {
          input_has_zero = true;
        }
      }
      const int64_t missing = input_count / product;
      if (!input_has_zero && product * missing != input_count) {
        return ctx.InvalidArgument(absl::StrCat(
            "Input to reshape is a tensor with ", input_count,
            " values, but the requested shape requires a multiple of ",
            product));
      }
      dims[unknown] = missing;
    }
    absl::StatusOr<TensorShape> shape = TensorShape::FromDims(dims);
    if (!shape.ok() || shape->num_elements() != input.NumElements()) {
      int64_t requested = 1;
      for (int64_t d : dims) {
        if (__builtin_mul_overflow(requested, d, &requested)) break;
      }
      return ctx.InvalidArgument(absl::StrCat(
          "Input to reshape is a tensor with ", input.NumElements(),
          " values, but the requested shape has ", requested));
    }
    MS_ASSIGN_OR_RETURN(Tensor out, input.Reshaped(*shape));
    ctx.set_output(0, std::move(out));
    return absl::OkStatus();
  }
};

class ExpandDimsKernel : public OpKernel {
 public:
  static absl::StatusOr<std::unique_ptr<OpKernel>> Create(
      const KernelConstruction& c) {
    MS_RETURN_IF_ERROR(CheckNumInputs(c, 2));
    MS_RETURN_IF_ERROR(IndexTypeAttr(c, "Tdim", DT_INT32).status());
    return std::unique_ptr<OpKernel>(new ExpandDimsKernel());
  }

  absl::Status Compute(OpKernelContext& ctx) const override {
    const Tensor& input = ctx.input(0);
    const Tensor& dim_tensor = ctx.input(1);
    MS_RETURN_IF_ERROR(CheckIntTensor(dim_tensor, "dim"));
    if (dim_tensor.NumElements() != 1) {
      return ctx.InvalidArgument("'dim' must be a tensor with a single value");
    }
    int64_t dim = IntAt(dim_tensor, 0);
    const int rank = input.rank();
    if (dim < -1 - rank || dim > rank) {
      return ctx.InvalidArgument(absl::StrCat("Tried to expand dim index ", dim,
                                              " for tensor with ", rank,
                                              " dimensions."));
    }
    if (dim < 0) dim += rank + 1;
    TensorShape shape = input.shape();
    MS_RETURN_IF_ERROR(shape.InsertDim(static_cast<int>(dim), 1));
    MS_ASSIGN_OR_RETURN(Tensor out, input.Reshaped(shape));
    ctx.set_output(0, std::move(out));
    return absl::OkStatus();
  }
};

class SqueezeKernel : public OpKernel {
 public:
  static absl::StatusOr<std::unique_ptr<OpKernel>> Create(
      const KernelConstruction& c) {
    MS_RETURN_IF_ERROR(CheckNumInputs(c, 1));
    std::vector<int64_t> dims;
    MS_RETURN_IF_ERROR(
        c.attrs.GetOr("squeeze_dims", std::vector<int64_t>(), &dims));
    return std::unique_ptr<OpKernel>(new SqueezeKernel(std::move(dims)));
  }

  absl::Status Compute(OpKernelContext& ctx) const override {
    const Tensor& input = ctx.input(0);
    const int rank = input.rank();
    std::vector<bool> squeeze(rank, false);
    for (int64_t dim : squeeze_dims_) {
      if (dim < -rank || dim >= rank) {
        return ctx.InvalidArgument(absl::StrCat("Tried to squeeze dim index ",
                                                dim, " for tensor with ", rank,
                                                " dimensions."));
      }
      squeeze[dim < 0 ? dim + rank : dim] = true;
    }
    std::vector<int64_t> dims;
    for (int i = 0; i < rank; ++i) {
      const int64_t size = input.dim(i);
      if (squeeze_dims_.empty()) {
        if (size != 1) dims.push_back(size);
      } else if (squeeze[i]) {
        if (size != 1) {
          return ctx.InvalidArgument(
              absl::StrCat("Can not squeeze dim[", i,
                           "], expected a dimension of 1, got ", size));
        }
      } else {
        dims.push_back(size);
      }
    }
    MS_ASSIGN_OR_RETURN(TensorShape shape, TensorShape::FromDims(dims));
    MS_ASSIGN_OR_RETURN(Tensor out, input.Reshaped(shape));
    ctx.set_output(0, std::move(out));
    return absl::OkStatus();
  }

 private:
  explicit SqueezeKernel(std::vector<int64_t> dims)
      : squeeze_dims_(std::move(dims)) {}
  const std::vector<int64_t> squeeze_dims_;
};

}  // namespace

REGISTER_KERNEL(OpSpec("Shape").Output("output"), ShapeKernel::Create);
REGISTER_KERNEL(OpSpec("ShapeN").Output("output", "N"), ShapeKernel::Create);
REGISTER_KERNEL(OpSpec("Size").Output("output"), SizeKernel::Create);
REGISTER_KERNEL(OpSpec("Rank").Output("output"), RankKernel::Create);
REGISTER_KERNEL(OpSpec("Reshape").Output("output"), ReshapeKernel::Create);
REGISTER_KERNEL(OpSpec("ExpandDims").Output("output"),
                ExpandDimsKernel::Create);
REGISTER_KERNEL(OpSpec("Squeeze").Output("output"), SqueezeKernel::Create);

}  // namespace model_server
