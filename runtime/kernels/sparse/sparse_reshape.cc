// SparseReshape: the indices of a SparseTensor under a new dense shape.
//
// Inputs: input_indices int64 [N, R], input_shape int64 [R], new_shape int64
// [R'] (one entry may be -1, inferred from the others). Outputs:
// output_indices int64 [N, R'] (each entry keeps its row-major position) and
// output_shape int64 [R']. Reshaping to the same shape forwards both inputs.
// Errors follow TensorFlow's texts. Unlike TensorFlow, which silently
// produces meaningless positions, an index outside input_shape is an
// INVALID_ARGUMENT error.
#include <cstdint>
#include <memory>
#include <vector>

#include "absl/container/inlined_vector.h"
#include "absl/strings/str_cat.h"
#include "runtime/op_kernel.h"
#include "runtime/op_registry.h"
#include "runtime/status_macros.h"

namespace model_server {
namespace {

absl::Status CheckInputs(const Tensor& indices, const Tensor& input_shape,
                         const Tensor& new_shape) {
  if (indices.dtype() != DT_INT64 || input_shape.dtype() != DT_INT64 ||
      new_shape.dtype() != DT_INT64) {
    return absl::InvalidArgumentError(absl::StrCat(
        "SparseReshape inputs must be int64, got ",
        DataTypeName(indices.dtype()), ", ", DataTypeName(input_shape.dtype()),
        " and ", DataTypeName(new_shape.dtype())));
  }
  if (indices.rank() != 2) {
    return absl::InvalidArgumentError("Input must be a matrix.");
  }
  if (input_shape.rank() != 1) {
    return absl::InvalidArgumentError("Input shape must be a vector.");
  }
  if (indices.dim(1) != input_shape.dim(0)) {
    return absl::InvalidArgumentError(
        "Input tensor rank must match input shape length.");
  }
  if (new_shape.rank() != 1) {
    return absl::InvalidArgumentError(
        absl::StrCat("Target shape should be a vector but received shape ",
                     new_shape.shape().DebugString()));
  }
  return absl::OkStatus();
}

// The dense output shape, with a -1 entry inferred (TensorFlow's rules).
absl::StatusOr<TensorShape> OutputShape(const TensorShape& input_shape,
                                        const Tensor& new_shape) {
  const int64_t dense_size = input_shape.num_elements();
  const int64_t* sizes = new_shape.data<int64_t>();
  const int64_t rank = new_shape.NumElements();
  std::vector<int64_t> dims(rank);
  int64_t product = 1;
  int64_t unknown = -1;
  for (int64_t d = 0; d < rank; ++d) {
    if (sizes[d] == -1) {
      if (unknown != -1) {
        return absl::InvalidArgumentError(
            absl::StrCat("only one output dimension may be -1, not both ",
                         unknown, " and ", d));
      }
      unknown = d;
      dims[d] = 1;
    } else if (sizes[d] < 0) {
      return absl::InvalidArgumentError(
          absl::StrCat("size ", d, " must be non-negative, not ", sizes[d]));
    } else {
      dims[d] = sizes[d];
      if (__builtin_mul_overflow(product, sizes[d], &product)) {
        return absl::InvalidArgumentError(absl::StrCat(
            "Input to reshape is a tensor with ", dense_size,
            " dense values, but the requested shape is too large"));
      }
    }
  }
  MS_ASSIGN_OR_RETURN(TensorShape partial, TensorShape::FromDims(dims));
  if (unknown != -1) {
    if (product <= 0) {
      return absl::InvalidArgumentError(
          "reshape cannot infer the missing input size for an empty tensor "
          "unless all specified input sizes are non-zero");
    }
    const int64_t missing = dense_size / product;
    if (product * missing != dense_size) {
      return absl::InvalidArgumentError(absl::StrCat(
          "Input to reshape is a SparseTensor with ", dense_size,
          " dense values, but the requested shape requires a multiple of ",
          product, ". input_shape=", input_shape.DebugString(),
          " output_shape=", partial.DebugString()));
    }
    dims[unknown] = missing;
  }
  MS_ASSIGN_OR_RETURN(TensorShape shape, TensorShape::FromDims(dims));
  if (shape.num_elements() != dense_size) {
    return absl::InvalidArgumentError(absl::StrCat(
        "Input to reshape is a tensor with ", dense_size,
        " dense values, but the requested shape has ", shape.num_elements(),
        ". input_shape=", input_shape.DebugString(),
        " output_shape=", shape.DebugString()));
  }
  return shape;
}

// Row-major strides of `shape`.
absl::InlinedVector<int64_t, 8> Strides(const TensorShape& shape) {
  absl::InlinedVector<int64_t, 8> strides(shape.rank(), 1);
  for (int d = shape.rank() - 2; d >= 0; --d) {
    strides[d] = strides[d + 1] * shape.dim(d + 1);
  }
  return strides;
}

class SparseReshapeKernel final : public OpKernel {
 public:
  absl::Status Compute(OpKernelContext& ctx) const override {
    const Tensor& indices = ctx.input(0);
    const Tensor& input_shape_t = ctx.input(1);
    const Tensor& new_shape = ctx.input(2);
    MS_RETURN_IF_ERROR(CheckInputs(indices, input_shape_t, new_shape));
    MS_ASSIGN_OR_RETURN(TensorShape input_shape,
                        TensorShape::FromDims(input_shape_t.flat<int64_t>()));
    MS_ASSIGN_OR_RETURN(TensorShape output_shape,
                        OutputShape(input_shape, new_shape));
    if (input_shape == output_shape) {
      ctx.set_output(0, indices);
      ctx.set_output(1, input_shape_t);
      return absl::OkStatus();
    }

    const int64_t nnz = indices.dim(0);
    const int in_rank = input_shape.rank();
    const int out_rank = output_shape.rank();
    MS_ASSIGN_OR_RETURN(
        Tensor * shape_out,
        ctx.allocate_output(1, DT_INT64, TensorShape{out_rank}));
    for (int d = 0; d < out_rank; ++d) {
      shape_out->data<int64_t>()[d] = output_shape.dim(d);
    }
    MS_ASSIGN_OR_RETURN(TensorShape indices_shape,
                        TensorShape::FromDims({nnz, out_rank}));
    MS_ASSIGN_OR_RETURN(Tensor * indices_out,
                        ctx.allocate_output(0, DT_INT64, indices_shape));
    if (nnz == 0) return absl::OkStatus();
    if (input_shape.num_elements() == 0 || output_shape.num_elements() == 0) {
      return ctx.InvalidArgument(absl::StrCat(
          "Input tensor has ", nnz, " non zero elements but input shape (",
          input_shape.DebugString(), ") or output shape (",
          output_shape.DebugString(), ") is empty"));
    }

    const auto in_strides = Strides(input_shape);
    const auto out_strides = Strides(output_shape);
    const int64_t* in = indices.data<int64_t>();
    int64_t* out = indices_out->data<int64_t>();
    for (int64_t i = 0; i < nnz; ++i) {
      int64_t position = 0;
      for (int d = 0; d < in_rank; ++d) {
        const int64_t index = in[i * in_rank + d];
        if (index < 0 || index >= input_shape.dim(d)) {
          return ctx.InvalidArgument(absl::StrCat(
              "input_indices[", i, ", ", d, "] = ", index,
              " is out of bounds for input_shape ", input_shape.DebugString()));
        }
        position += index * in_strides[d];
      }
      for (int d = 0; d < out_rank; ++d) {
        out[i * out_rank + d] = position / out_strides[d];
        position %= out_strides[d];
      }
    }
    return absl::OkStatus();
  }
};

absl::StatusOr<std::unique_ptr<OpKernel>> CreateSparseReshape(
    const KernelConstruction& c) {
  MS_RETURN_IF_ERROR(CheckNumInputs(c, 3));
  return std::unique_ptr<OpKernel>(new SparseReshapeKernel());
}

}  // namespace

REGISTER_KERNEL(
    OpSpec("SparseReshape").Output("output_indices").Output("output_shape"),
    CreateSparseReshape);

}  // namespace model_server
