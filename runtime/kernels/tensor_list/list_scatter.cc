// List ops that place the rows of a tensor at given indices:
// TensorListScatter, TensorListScatterV2, TensorListScatterIntoExistingList.
// Every element dtype. Rows go to indices in order, so with a repeated index
// the last row wins.
//
// TensorListScatter(tensor, indices: int32, element_shape) -> output_handle
//   a new list of max(indices) + 1 elements; row k of `tensor` becomes
//   element indices[k], the others stay unset.
// TensorListScatterV2(tensor, indices, element_shape, num_elements: int32)
//   the same with the list's size given (-1: as V1); indices must be below
//   it.
// TensorListScatterIntoExistingList(input_handle, tensor, indices)
//   -> output_handle
//   the rows written into a copy of an existing list, grown if an index is
//   past its end.
#include <algorithm>
#include <memory>
#include <utility>

#include "absl/strings/str_cat.h"
#include "runtime/kernels/kernel_util.h"
#include "runtime/kernels/tensor_list/tensor_list.h"
#include "runtime/op_registry.h"
#include "runtime/status_macros.h"

namespace model_server {
namespace {

// Checks `indices` (int32/int64 with one entry per row of `tensor`, all
// non-negative) and returns the largest (-1 for none).
absl::StatusOr<int64_t> CheckScatterIndices(const Tensor& tensor,
                                            const Tensor& indices) {
  MS_RETURN_IF_ERROR(CheckIntTensor(indices, "indices"));
  if (indices.rank() > 1) {
    return absl::InvalidArgumentError(
        absl::StrCat("Expected indices to be a vector, but received shape: ",
                     indices.shape().DebugString()));
  }
  if (indices.NumElements() != tensor.dim(0)) {
    return absl::InvalidArgumentError(
        absl::StrCat("Invalid number of rows in input tensor. Expected: ",
                     indices.NumElements(), " Actual: ", tensor.dim(0)));
  }
  int64_t highest = -1;
  for (int64_t k = 0; k < indices.NumElements(); ++k) {
    const int64_t i = IntAt(indices, k);
    if (i < 0) {
      return absl::InvalidArgumentError(
          "Indices in TensorListScatter must all be non-negative.");
    }
    highest = std::max(highest, i);
  }
  return highest;
}

// Writes row k of `tensor` to element indices[k] of `list`.
// REQUIRES: CheckScatterIndices passed and the list holds every index.
absl::Status ScatterRows(const Tensor& tensor, const Tensor& indices,
                         TensorList* list) {
  for (int64_t k = 0; k < indices.NumElements(); ++k) {
    MS_ASSIGN_OR_RETURN(Tensor row,
                        CopyRows(tensor, k, k + 1, /*drop_first_dim=*/true));
    list->elements[IntAt(indices, k)] = std::move(row);
  }
  return absl::OkStatus();
}

absl::Status CheckRowsFitShape(const Tensor& tensor,
                               const PartialShape& shape) {
  if (tensor.rank() < 1) {
    return absl::InvalidArgumentError(
        absl::StrCat("Tensor must be at least a vector, but saw shape: ",
                     tensor.shape().DebugString()));
  }
  TensorShape row_shape = tensor.shape();
  row_shape.RemoveDim(0);
  if (!IsCompatible(shape, row_shape)) {
    return absl::InvalidArgumentError(
        absl::StrCat("Specified a list with shape ", shape.DebugString(),
                     " from a tensor with shape ", row_shape.DebugString()));
  }
  return absl::OkStatus();
}

class TensorListScatterKernel final : public OpKernel {
 public:
  TensorListScatterKernel(DataType dtype, bool v2) : dtype_(dtype), v2_(v2) {}

  static absl::StatusOr<std::unique_ptr<OpKernel>> CreateV1(
      const KernelConstruction& c) {
    MS_RETURN_IF_ERROR(CheckNumInputs(c, 3));
    MS_ASSIGN_OR_RETURN(DataType dtype, ListElementDtypeAttr(c));
    return std::unique_ptr<OpKernel>(new TensorListScatterKernel(dtype, false));
  }
  static absl::StatusOr<std::unique_ptr<OpKernel>> CreateV2(
      const KernelConstruction& c) {
    MS_RETURN_IF_ERROR(CheckNumInputs(c, 4));
    MS_ASSIGN_OR_RETURN(DataType dtype, ListElementDtypeAttr(c));
    return std::unique_ptr<OpKernel>(new TensorListScatterKernel(dtype, true));
  }

  absl::Status Compute(OpKernelContext& ctx) const override {
    const Tensor& tensor = ctx.input(0);
    MS_RETURN_IF_ERROR(CheckInputDtype(tensor, dtype_));
    MS_ASSIGN_OR_RETURN(PartialShape shape, ShapeFromTensor(ctx.input(2)));
    int64_t num_elements = -1;
    if (v2_) {
      MS_ASSIGN_OR_RETURN(num_elements,
                          ScalarIndex(ctx.input(3), "num_elements"));
      if (num_elements < -1) {
        return ctx.InvalidArgument(absl::StrCat(
            "TensorListScatter expects num_elements >= -1, found: ",
            num_elements));
      }
    }
    MS_RETURN_IF_ERROR(CheckRowsFitShape(tensor, shape));
    const Tensor& indices = ctx.input(1);
    MS_ASSIGN_OR_RETURN(int64_t highest, CheckScatterIndices(tensor, indices));
    if (num_elements != -1 && highest >= num_elements) {
      return ctx.InvalidArgument(
          absl::StrCat("TensorListScatter: Trying to scatter at index ",
                       highest, " in list with size ", num_elements));
    }
    const int64_t size = std::max(highest + 1, num_elements);
    MS_RETURN_IF_ERROR(CheckListSize(size, "TensorListScatter"));
    auto list = std::make_shared<TensorList>(dtype_, std::move(shape));
    list->elements.resize(size);
    MS_RETURN_IF_ERROR(ScatterRows(tensor, indices, list.get()));
    return SetListOutput(ctx, 0, std::move(list));
  }

 private:
  const DataType dtype_;
  const bool v2_;
};

class TensorListScatterIntoExistingListKernel final : public OpKernel {
 public:
  explicit TensorListScatterIntoExistingListKernel(DataType dtype)
      : dtype_(dtype) {}

  static absl::StatusOr<std::unique_ptr<OpKernel>> Create(
      const KernelConstruction& c) {
    MS_RETURN_IF_ERROR(CheckNumInputs(c, 3));
    MS_ASSIGN_OR_RETURN(DataType dtype, ListElementDtypeAttr(c));
    return std::unique_ptr<OpKernel>(
        new TensorListScatterIntoExistingListKernel(dtype));
  }

  absl::Status Compute(OpKernelContext& ctx) const override {
    MS_ASSIGN_OR_RETURN(const TensorList* list, ListFromHandle(ctx.input(0)));
    MS_RETURN_IF_ERROR(CheckElementDtype(dtype_, *list));
    const Tensor& tensor = ctx.input(1);
    if (tensor.dtype() != list->element_dtype) {
      return ctx.InvalidArgument(absl::StrCat(
          "Invalid data types; input tensor type: ",
          DataTypeName(tensor.dtype()),
          " list element_type: ", DataTypeName(list->element_dtype)));
    }
    MS_RETURN_IF_ERROR(CheckRowsFitShape(tensor, list->element_shape));
    const Tensor& indices = ctx.input(2);
    MS_ASSIGN_OR_RETURN(int64_t highest, CheckScatterIndices(tensor, indices));
    std::shared_ptr<TensorList> out = CopyList(*list);
    if (highest + 1 > static_cast<int64_t>(out->elements.size())) {
      MS_RETURN_IF_ERROR(
          CheckListSize(highest + 1, "TensorListScatterIntoExistingList"));
      out->elements.resize(highest + 1);
    }
    MS_RETURN_IF_ERROR(ScatterRows(tensor, indices, out.get()));
    return SetListOutput(ctx, 0, std::move(out));
  }

 private:
  const DataType dtype_;
};

}  // namespace

REGISTER_KERNEL(OpSpec("TensorListScatter").Output("output_handle"),
                TensorListScatterKernel::CreateV1);
REGISTER_KERNEL(OpSpec("TensorListScatterV2").Output("output_handle"),
                TensorListScatterKernel::CreateV2);
REGISTER_KERNEL(
    OpSpec("TensorListScatterIntoExistingList").Output("output_handle"),
    TensorListScatterIntoExistingListKernel::Create);

}  // namespace model_server
