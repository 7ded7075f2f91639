// The TensorArray ops that move whole arrays: TensorArrayGatherV3 (stack),
// TensorArrayScatterV3 (unstack), TensorArrayConcatV3 and
// TensorArraySplitV3. Any dtype. Semantics and error texts are
// TensorFlow's:
//
// TensorArrayGatherV3(handle, indices: int32 vector, flow_in) -> value
//   attrs dtype, element_shape (default unknown; merged into the array's).
//   value = stack of the elements at `indices`; they must share a shape.
//   With no indices the result is [0] + the array's element shape (after
//   the merge), which must then be fully defined (UNIMPLEMENTED otherwise,
//   as in TensorFlow).
// TensorArrayScatterV3(handle, indices: int32 vector, value: T, flow_in)
//   -> flow_out. Writes value[i] at indices[i]; a dynamic_size array grows.
// TensorArrayConcatV3(handle, flow_in) -> (value, lengths: int64)
//   attrs dtype, element_shape_except0. Concatenates every element along
//   dimension 0; lengths holds each element's first dimension.
// TensorArraySplitV3(handle, value: T, lengths: int64 vector, flow_in)
//   -> flow_out. Writes value's rows split by `lengths` at 0, 1, ...
#include <algorithm>
#include <limits>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "runtime/kernels/tensor_array/tensor_array.h"
#include "runtime/kernels/tensor_array/tensor_array_util.h"
#include "runtime/op_kernel.h"
#include "runtime/op_registry.h"
#include "runtime/status_macros.h"

namespace model_server {
namespace {

// [0] + `shape`, for an empty stack or concatenation.
absl::StatusOr<TensorShape> EmptyResultShape(const PartialShape& shape,
                                             absl::string_view attr,
                                             absl::string_view verb) {
  if (!shape.IsFullyDefined()) {
    return absl::UnimplementedError(absl::StrCat(
        "TensorArray has size zero, but ", attr, " ", shape.DebugString(),
        " is not fully defined. Currently only static shapes are supported "
        "when ",
        verb, " zero-size TensorArrays."));
  }
  MS_ASSIGN_OR_RETURN(TensorShape result, ToTensorShape(shape));
  MS_RETURN_IF_ERROR(result.InsertDim(0, 0));
  return result;
}

std::string ShapeExcept0(const TensorShape& shape) {
  TensorShape rest = shape;
  rest.RemoveDim(0);
  return rest.DebugString();
}

class TensorArrayGatherKernel final : public OpKernel {
 public:
  static absl::StatusOr<std::unique_ptr<OpKernel>> Create(
      const KernelConstruction& c) {
    MS_RETURN_IF_ERROR(CheckNumInputs(c, 3));
    DataType dtype;
    MS_RETURN_IF_ERROR(c.attrs.Get("dtype", &dtype));
    PartialShape element_shape;
    MS_RETURN_IF_ERROR(
        c.attrs.GetOr("element_shape", PartialShape(), &element_shape));
    return std::unique_ptr<OpKernel>(
        new TensorArrayGatherKernel(dtype, std::move(element_shape)));
  }

  absl::Status Compute(OpKernelContext& ctx) const override {
    MS_ASSIGN_OR_RETURN(std::shared_ptr<TensorArray> array,
                        TensorArrayFromHandle(ctx.input(0)));
    MS_RETURN_IF_ERROR(CheckArrayDtype(*array, dtype_));
    MS_RETURN_IF_ERROR(array->MergeElementShape(element_shape_));
    MS_ASSIGN_OR_RETURN(std::vector<int64_t> indices,
                        TensorArrayIndices(ctx.input(1)));
    if (indices.empty()) {
      MS_ASSIGN_OR_RETURN(
          TensorShape shape,
          EmptyResultShape(array->element_shape(), "element shape", "packing"));
      return ctx.allocate_output(0, dtype_, shape).status();
    }
    std::vector<Tensor> values;
    MS_RETURN_IF_ERROR(array->ReadMany(indices, &values));
    const TensorShape& first = values[0].shape();
    if (!IsCompatible(element_shape_, first)) {
      return ctx.InvalidArgument(absl::StrCat(
          "TensorArray was passed element_shape ", element_shape_.DebugString(),
          " which does not match the Tensor at index 0: ",
          first.DebugString()));
    }
    for (size_t i = 1; i < values.size(); ++i) {
      if (values[i].shape() != first) {
        return ctx.InvalidArgument(absl::StrCat(
            "TensorArray has inconsistent shapes.  Index 0 has shape: ",
            first.DebugString(), " but index ", i,
            " has shape: ", values[i].shape().DebugString()));
      }
    }
    TensorShape shape = first;
    MS_RETURN_IF_ERROR(shape.InsertDim(0, static_cast<int64_t>(values.size())));
    MS_ASSIGN_OR_RETURN(Tensor * out, ctx.allocate_output(0, dtype_, shape));
    const int64_t n = first.num_elements();
    for (size_t i = 0; i < values.size(); ++i) {
      CopyElements(values[i], 0, n, out, static_cast<int64_t>(i) * n);
    }
    return absl::OkStatus();
  }

 private:
  TensorArrayGatherKernel(DataType dtype, PartialShape element_shape)
      : dtype_(dtype), element_shape_(std::move(element_shape)) {}
  const DataType dtype_;
  const PartialShape element_shape_;
};

// Checks `value` against the array it is written into.
absl::Status CheckWrittenDtype(const TensorArray& array, const Tensor& value) {
  if (value.dtype() != array.dtype()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "TensorArray dtype is ", DataTypeName(array.dtype()),
        " but Op is trying to write dtype ", DataTypeName(value.dtype()), "."));
  }
  return absl::OkStatus();
}

// Rows [begin, begin + count) of `value` (dimension 0) as a new tensor.
absl::StatusOr<Tensor> Rows(const Tensor& value, int64_t begin, int64_t count) {
  TensorShape shape = value.shape();
  MS_RETURN_IF_ERROR(shape.SetDim(0, count));
  MS_ASSIGN_OR_RETURN(Tensor rows, Tensor::Create(value.dtype(), shape));
  const int64_t per_row =
      value.dim(0) == 0 ? 0 : value.NumElements() / value.dim(0);
  CopyElements(value, begin * per_row, count * per_row, &rows, 0);
  return rows;
}

class TensorArrayScatterKernel final : public OpKernel {
 public:
  static absl::StatusOr<std::unique_ptr<OpKernel>> Create(
      const KernelConstruction& c) {
    MS_RETURN_IF_ERROR(CheckNumInputs(c, 4));
    return std::unique_ptr<OpKernel>(new TensorArrayScatterKernel());
  }

  absl::Status Compute(OpKernelContext& ctx) const override {
    MS_ASSIGN_OR_RETURN(std::shared_ptr<TensorArray> array,
                        TensorArrayFromHandle(ctx.input(0)));
    const Tensor& value = ctx.input(2);
    MS_RETURN_IF_ERROR(CheckWrittenDtype(*array, value));
    if (value.rank() == 0) {
      return ctx.InvalidArgument(absl::StrCat(
          "Input value for unpack must be at least a vector but received "
          "shape: ",
          value.shape().DebugString()));
    }
    MS_ASSIGN_OR_RETURN(int64_t size, array->Size());
    MS_ASSIGN_OR_RETURN(std::vector<int64_t> indices,
                        TensorArrayIndices(ctx.input(1)));
    const int64_t num_values = static_cast<int64_t>(indices.size());
    if (num_values != value.dim(0)) {
      return ctx.InvalidArgument(absl::StrCat(
          "Expected len(indices) == values.shape[0], but saw: ", num_values,
          " vs. ", value.dim(0)));
    }
    int64_t max_index = -1;
    for (int64_t index : indices) max_index = std::max(max_index, index);
    if (array->dynamic_size() && size < max_index + 1) size = max_index + 1;
    if (max_index >= size) {
      return ctx.InvalidArgument(
          absl::StrCat("Max scatter index must be < array size (", max_index,
                       " vs. ", size, ")"));
    }
    std::vector<Tensor> rows;
    rows.reserve(num_values);
    for (int64_t i = 0; i < num_values; ++i) {
      MS_ASSIGN_OR_RETURN(Tensor row, Rows(value, i, 1));
      TensorShape element = row.shape();
      element.RemoveDim(0);
      MS_ASSIGN_OR_RETURN(row, row.Reshaped(element));
      rows.push_back(std::move(row));
    }
    MS_RETURN_IF_ERROR(array->WriteMany(indices, rows));
    ctx.set_output(0, ctx.input(3));
    return absl::OkStatus();
  }
};

class TensorArrayConcatKernel final : public OpKernel {
 public:
  static absl::StatusOr<std::unique_ptr<OpKernel>> Create(
      const KernelConstruction& c) {
    MS_RETURN_IF_ERROR(CheckNumInputs(c, 2));
    DataType dtype;
    MS_RETURN_IF_ERROR(c.attrs.Get("dtype", &dtype));
    PartialShape except0;
    MS_RETURN_IF_ERROR(
        c.attrs.GetOr("element_shape_except0", PartialShape(), &except0));
    return std::unique_ptr<OpKernel>(
        new TensorArrayConcatKernel(dtype, std::move(except0)));
  }

  absl::Status Compute(OpKernelContext& ctx) const override {
    MS_ASSIGN_OR_RETURN(std::shared_ptr<TensorArray> array,
                        TensorArrayFromHandle(ctx.input(0)));
    MS_RETURN_IF_ERROR(CheckArrayDtype(*array, dtype_));
    MS_ASSIGN_OR_RETURN(int64_t size, array->Size());
    if (size == 0) {
      MS_ASSIGN_OR_RETURN(
          TensorShape shape,
          EmptyResultShape(except0_, "element_shape_except0", "concatenating"));
      MS_RETURN_IF_ERROR(ctx.allocate_output(0, dtype_, shape).status());
      return ctx.allocate_output(1, DT_INT64, TensorShape{0}).status();
    }
    std::vector<int64_t> all(size);
    for (int64_t i = 0; i < size; ++i) all[i] = i;
    std::vector<Tensor> values;
    MS_RETURN_IF_ERROR(array->ReadMany(all, &values));
    MS_ASSIGN_OR_RETURN(Tensor * lengths,
                        ctx.allocate_output(1, DT_INT64, TensorShape{size}));
    TensorShape shape;
    for (int64_t i = 0; i < size; ++i) {
      const TensorShape& element = values[i].shape();
      if (element.rank() == 0) {
        return ctx.InvalidArgument(absl::StrCat(
            "Concat saw a scalar shape at index ", i,
            " but requires at least vectors.  Did you mean to call pack?"));
      }
      lengths->data<int64_t>()[i] = element.dim(0);
      if (i == 0) {
        TensorShape rest = element;
        rest.RemoveDim(0);
        if (!IsCompatible(except0_, rest)) {
          return ctx.InvalidArgument(
              absl::StrCat("TensorArray was passed element_shape_except0 ",
                           except0_.DebugString(),
                           " but index 0 has (excepting dimension 0) shape: ",
                           rest.DebugString(), " which does not match."));
        }
        shape = element;
        continue;
      }
      if (ShapeExcept0(element) != ShapeExcept0(shape)) {
        return ctx.InvalidArgument(absl::StrCat(
            "TensorArray has inconsistent shapes.  Index 0 has (excepting "
            "dimension 0) shape: ",
            ShapeExcept0(shape), " but index ", i,
            " has (excepting dimension 0) shape: ", ShapeExcept0(element)));
      }
      MS_RETURN_IF_ERROR(shape.SetDim(0, shape.dim(0) + element.dim(0)));
    }
    MS_ASSIGN_OR_RETURN(Tensor * out, ctx.allocate_output(0, dtype_, shape));
    int64_t offset = 0;
    for (const Tensor& value : values) {
      CopyElements(value, 0, value.NumElements(), out, offset);
      offset += value.NumElements();
    }
    return absl::OkStatus();
  }

 private:
  TensorArrayConcatKernel(DataType dtype, PartialShape except0)
      : dtype_(dtype), except0_(std::move(except0)) {}
  const DataType dtype_;
  const PartialShape except0_;
};

class TensorArraySplitKernel final : public OpKernel {
 public:
  static absl::StatusOr<std::unique_ptr<OpKernel>> Create(
      const KernelConstruction& c) {
    MS_RETURN_IF_ERROR(CheckNumInputs(c, 4));
    return std::unique_ptr<OpKernel>(new TensorArraySplitKernel());
  }

  absl::Status Compute(OpKernelContext& ctx) const override {
    MS_ASSIGN_OR_RETURN(std::shared_ptr<TensorArray> array,
                        TensorArrayFromHandle(ctx.input(0)));
    const Tensor& value = ctx.input(1);
    const Tensor& lengths = ctx.input(2);
    if (lengths.rank() != 1) {
      return ctx.InvalidArgument(
          absl::StrCat("Expected lengths to be a vector, received shape: ",
                       lengths.shape().DebugString()));
    }
    if (lengths.dtype() != DT_INT64) {
      return ctx.InvalidArgument(
          absl::StrCat("TensorArray lengths must be int64, got ",
                       DataTypeName(lengths.dtype())));
    }
    const int64_t num_tensors = lengths.NumElements();
    int64_t total = 0;
    for (int64_t length : lengths.flat<int64_t>()) {
      if (length < 0 || length > std::numeric_limits<int64_t>::max() - total) {
        return ctx.InvalidArgument(absl::StrCat(
            "Expected non-negative lengths that sum to values.shape[0], got "
            "a length of ",
            length));
      }
      total += length;
    }
    if (value.rank() == 0) {
      return ctx.InvalidArgument(absl::StrCat(
          "Expected value to be at least a vector, but received shape: ",
          value.shape().DebugString()));
    }
    if (total != value.dim(0)) {
      return ctx.InvalidArgument(absl::StrCat(
          "Expected sum of lengths to be equal to values.shape[0], but sum "
          "of lengths is ",
          total, " and value's shape is: ", value.shape().DebugString()));
    }
    MS_ASSIGN_OR_RETURN(int64_t size, array->Size());
    if (array->dynamic_size() && size < num_tensors) size = num_tensors;
    if (size != num_tensors) {
      return ctx.InvalidArgument(absl::StrCat(
          "TensorArray's size is not equal to the size of lengths (", size,
          " vs. ", num_tensors,
          "), and the TensorArray is not marked as dynamically resizeable"));
    }
    MS_RETURN_IF_ERROR(CheckWrittenDtype(*array, value));
    std::vector<Tensor> pieces;
    std::vector<int64_t> indices;
    int64_t begin = 0;
    for (int64_t i = 0; i < num_tensors; ++i) {
      const int64_t length = lengths.flat<int64_t>()[i];
      MS_ASSIGN_OR_RETURN(Tensor piece, Rows(value, begin, length));
      pieces.push_back(std::move(piece));
      indices.push_back(i);
      begin += length;
    }
    MS_RETURN_IF_ERROR(array->WriteMany(indices, pieces));
    ctx.set_output(0, ctx.input(3));
    return absl::OkStatus();
  }
};

}  // namespace

REGISTER_KERNEL(OpSpec("TensorArrayGatherV3").Output("value"),
                TensorArrayGatherKernel::Create);
REGISTER_KERNEL(OpSpec("TensorArrayScatterV3").Output("flow_out"),
                TensorArrayScatterKernel::Create);
REGISTER_KERNEL(OpSpec("TensorArrayConcatV3").Output("value").Output("lengths"),
                TensorArrayConcatKernel::Create);
REGISTER_KERNEL(OpSpec("TensorArraySplitV3").Output("flow_out"),
                TensorArraySplitKernel::Create);

}  // namespace model_server
