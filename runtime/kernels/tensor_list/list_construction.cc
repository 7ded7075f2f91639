// List ops that make a new list: EmptyTensorList, TensorListReserve,
// TensorListFromTensor, TensorListSplit. Every element dtype (numbers, bool,
// string, variant: lists of lists).
//
// EmptyTensorList(element_shape, max_num_elements: int32) -> handle
//   an empty list; PushBack may grow it to max_num_elements (-1: no limit).
// TensorListReserve(element_shape, num_elements: int32) -> handle
//   num_elements unset elements.
// TensorListFromTensor(tensor, element_shape) -> output_handle
//   one element per row of `tensor` (rank >= 1).
// TensorListSplit(tensor, element_shape, lengths: int64) -> output_handle
//   consecutive row blocks of `tensor` of the given lengths, which must add
//   up to tensor.shape[0].
// element_shape is a shape tensor (shape_type int32/int64; -1 dimensions
// unknown, the scalar -1 an unknown rank).
#include <memory>
#include <utility>

#include "absl/strings/str_cat.h"
#include "runtime/kernels/kernel_util.h"
#include "runtime/kernels/tensor_list/tensor_list.h"
#include "runtime/op_registry.h"
#include "runtime/status_macros.h"

namespace model_server {
namespace {

class EmptyTensorListKernel final : public OpKernel {
 public:
  explicit EmptyTensorListKernel(DataType dtype) : dtype_(dtype) {}

  static absl::StatusOr<std::unique_ptr<OpKernel>> Create(
      const KernelConstruction& c) {
    MS_RETURN_IF_ERROR(CheckNumInputs(c, 2));
    MS_ASSIGN_OR_RETURN(DataType dtype, ListElementDtypeAttr(c));
    return std::unique_ptr<OpKernel>(new EmptyTensorListKernel(dtype));
  }

  absl::Status Compute(OpKernelContext& ctx) const override {
    const Tensor& max_num_elements = ctx.input(1);
    if (max_num_elements.rank() != 0) {
      return ctx.InvalidArgument(absl::StrCat(
          "max_num_elements expected to be a scalar but got shape: ",
          max_num_elements.shape().DebugString()));
    }
    MS_ASSIGN_OR_RETURN(int64_t max,
                        ScalarIndex(max_num_elements, "max_num_elements"));
    MS_ASSIGN_OR_RETURN(PartialShape shape, ShapeFromTensor(ctx.input(0)));
    auto list = std::make_shared<TensorList>(dtype_, std::move(shape));
    list->max_num_elements = max;
    return SetListOutput(ctx, 0, std::move(list));
  }

 private:
  const DataType dtype_;
};

class TensorListReserveKernel final : public OpKernel {
 public:
  explicit TensorListReserveKernel(DataType dtype) : dtype_(dtype) {}

  static absl::StatusOr<std::unique_ptr<OpKernel>> Create(
      const KernelConstruction& c) {
    MS_RETURN_IF_ERROR(CheckNumInputs(c, 2));
    MS_ASSIGN_OR_RETURN(DataType dtype, ListElementDtypeAttr(c));
    return std::unique_ptr<OpKernel>(new TensorListReserveKernel(dtype));
  }

  absl::Status Compute(OpKernelContext& ctx) const override {
    MS_ASSIGN_OR_RETURN(PartialShape shape, ShapeFromTensor(ctx.input(0)));
    const Tensor& num_elements = ctx.input(1);
    if (num_elements.NumElements() != 1) {
      return ctx.InvalidArgument(absl::StrCat(
          "The num_elements to reserve must be a tensor size 1, but got ",
          num_elements.shape().DebugString()));
    }
    MS_ASSIGN_OR_RETURN(int64_t n, ScalarIndex(num_elements, "num_elements"));
    if (n < 0) {
      return ctx.InvalidArgument(absl::StrCat(
          "The num_elements to reserve must be a non negative number, but "
          "got ",
          n));
    }
    MS_RETURN_IF_ERROR(CheckListSize(n, "TensorListReserve"));
    auto list = std::make_shared<TensorList>(dtype_, std::move(shape));
    list->elements.resize(n);
    return SetListOutput(ctx, 0, std::move(list));
  }

 private:
  const DataType dtype_;
};

// Checks `tensor` (at least a vector of the list's dtype) against the
// element_shape input; returns the list's element shape.
absl::StatusOr<PartialShape> RowsListShape(const Tensor& tensor, DataType dtype,
                                           const Tensor& element_shape) {
  MS_RETURN_IF_ERROR(CheckInputDtype(tensor, dtype));
  if (tensor.rank() < 1) {
    return absl::InvalidArgumentError(
        absl::StrCat("Tensor must be at least a vector, but saw shape: ",
                     tensor.shape().DebugString()));
  }
  return ShapeFromTensor(element_shape);
}

class TensorListFromTensorKernel final : public OpKernel {
 public:
  explicit TensorListFromTensorKernel(DataType dtype) : dtype_(dtype) {}

  static absl::StatusOr<std::unique_ptr<OpKernel>> Create(
      const KernelConstruction& c) {
    MS_RETURN_IF_ERROR(CheckNumInputs(c, 2));
    MS_ASSIGN_OR_RETURN(DataType dtype, ListElementDtypeAttr(c));
    return std::unique_ptr<OpKernel>(new TensorListFromTensorKernel(dtype));
  }

  absl::Status Compute(OpKernelContext& ctx) const override {
    const Tensor& tensor = ctx.input(0);
    MS_ASSIGN_OR_RETURN(PartialShape shape,
                        RowsListShape(tensor, dtype_, ctx.input(1)));
    TensorShape row_shape = tensor.shape();
    row_shape.RemoveDim(0);
    if (!IsCompatible(shape, row_shape)) {
      return ctx.InvalidArgument(
          absl::StrCat("Specified a list with shape ", shape.DebugString(),
                       " from a tensor with shape ", row_shape.DebugString()));
    }
    MS_RETURN_IF_ERROR(CheckListSize(tensor.dim(0), "TensorListFromTensor"));
    auto list = std::make_shared<TensorList>(dtype_, std::move(shape));
    list->elements.reserve(tensor.dim(0));
    for (int64_t i = 0; i < tensor.dim(0); ++i) {
      MS_ASSIGN_OR_RETURN(Tensor row,
                          CopyRows(tensor, i, i + 1, /*drop_first_dim=*/true));
      list->elements.push_back(std::move(row));
    }
    return SetListOutput(ctx, 0, std::move(list));
  }

 private:
  const DataType dtype_;
};

class TensorListSplitKernel final : public OpKernel {
 public:
  explicit TensorListSplitKernel(DataType dtype) : dtype_(dtype) {}

  static absl::StatusOr<std::unique_ptr<OpKernel>> Create(
      const KernelConstruction& c) {
    MS_RETURN_IF_ERROR(CheckNumInputs(c, 3));
    MS_ASSIGN_OR_RETURN(DataType dtype, ListElementDtypeAttr(c));
    return std::unique_ptr<OpKernel>(new TensorListSplitKernel(dtype));
  }

  absl::Status Compute(OpKernelContext& ctx) const override {
    const Tensor& tensor = ctx.input(0);
    MS_ASSIGN_OR_RETURN(PartialShape shape,
                        RowsListShape(tensor, dtype_, ctx.input(1)));
    if (shape.rank == 0) {
      return ctx.InvalidArgument(absl::StrCat(
          "TensorListSplit requires element_shape to be at least of rank 1, "
          "but saw: ",
          shape.DebugString()));
    }
    // Every dimension but the first must match the tensor's.
    TensorShape inner_shape = tensor.shape();
    inner_shape.RemoveDim(0);
    PartialShape inner = shape;
    if (inner.rank > 0) {
      inner.dims.erase(inner.dims.begin());
      --inner.rank;
    }
    if (!IsCompatible(inner, inner_shape)) {
      return ctx.InvalidArgument(absl::StrCat(
          "tensor shape ", tensor.shape().DebugString(),
          " is not compatible with element_shape ", shape.DebugString()));
    }
    const Tensor& lengths = ctx.input(2);
    MS_RETURN_IF_ERROR(CheckIntTensor(lengths, "lengths"));
    if (lengths.rank() != 1) {
      return ctx.InvalidArgument(
          absl::StrCat("Expected lengths to be a vector, received shape: ",
                       lengths.shape().DebugString()));
    }
    MS_RETURN_IF_ERROR(CheckListSize(lengths.dim(0), "TensorListSplit"));
    auto list = std::make_shared<TensorList>(dtype_, std::move(shape));
    list->elements.reserve(lengths.dim(0));
    int64_t start = 0;
    for (int64_t i = 0; i < lengths.dim(0); ++i) {
      const int64_t length = IntAt(lengths, i);
      if (length < 0) {
        return ctx.InvalidArgument(
            absl::StrCat("Invalid value in lengths: ", length));
      }
      if (length > tensor.dim(0) - start) {
        return ctx.InvalidArgument(
            absl::StrCat("Attempting to slice [", start, ", ", start + length,
                         "] from tensor with length ", tensor.dim(0)));
      }
      MS_ASSIGN_OR_RETURN(Tensor block, CopyRows(tensor, start, start + length,
                                                 /*drop_first_dim=*/false));
      list->elements.push_back(std::move(block));
      start += length;
    }
    if (start != tensor.dim(0)) {
      return ctx.InvalidArgument(absl::StrCat(
          "Unused values in tensor. Length of tensor: ", tensor.dim(0),
          " Values used: ", start));
    }
    return SetListOutput(ctx, 0, std::move(list));
  }

 private:
  const DataType dtype_;
};

}  // namespace

REGISTER_KERNEL(OpSpec("EmptyTensorList").Output("handle"),
                EmptyTensorListKernel::Create);
REGISTER_KERNEL(OpSpec("TensorListReserve").Output("handle"),
                TensorListReserveKernel::Create);
REGISTER_KERNEL(OpSpec("TensorListFromTensor").Output("output_handle"),
                TensorListFromTensorKernel::Create);
REGISTER_KERNEL(OpSpec("TensorListSplit").Output("output_handle"),
                TensorListSplitKernel::Create);

}  // namespace model_server
