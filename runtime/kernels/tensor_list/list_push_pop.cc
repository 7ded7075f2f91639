// List ops that grow or shrink lists at the end: TensorListPushBack,
// TensorListPopBack, TensorListPushBackBatch, TensorListConcatLists.
//
// TensorListPushBack(input_handle, tensor) -> output_handle
//   the list with `tensor` appended (shape compatible with the list's element
//   shape; at most max_num_elements elements).
// TensorListPopBack(input_handle, element_shape: int32)
//     -> (output_handle, tensor)
//   the list without its last element, and that element (zeros of the
//   element shape if it was never set).
// TensorListPushBackBatch(input_handles: variant [B], tensor [B, ...])
//     -> output_handles [B]
//   row b of `tensor` appended to list b.
// TensorListConcatLists(input_a, input_b) -> output
//   element-wise over two equally shaped variant tensors of lists: b's
//   elements appended to a's (the lists' element shapes must be identical).
#include <memory>
#include <utility>

#include "absl/strings/str_cat.h"
#include "runtime/kernels/kernel_util.h"
#include "runtime/kernels/tensor_list/tensor_list.h"
#include "runtime/op_registry.h"
#include "runtime/status_macros.h"

namespace model_server {
namespace {

using VariantPtr = std::shared_ptr<VariantValue>;

// OK if `list` has room for one more element (its max_num_elements and the
// runtime's list size limit).
absl::Status CheckRoomForOne(const TensorList& list) {
  const int64_t size = static_cast<int64_t>(list.elements.size());
  if (list.max_num_elements != -1 && size >= list.max_num_elements) {
    return absl::InvalidArgumentError(
        absl::StrCat("Tried to push item into a full list list size: ", size,
                     " max_num_elements: ", list.max_num_elements));
  }
  return CheckListSize(size + 1, "TensorListPushBack");
}

class TensorListPushBackKernel final : public OpKernel {
 public:
  explicit TensorListPushBackKernel(DataType dtype) : dtype_(dtype) {}

  static absl::StatusOr<std::unique_ptr<OpKernel>> Create(
      const KernelConstruction& c) {
    MS_RETURN_IF_ERROR(CheckNumInputs(c, 2));
    MS_ASSIGN_OR_RETURN(DataType dtype, ListElementDtypeAttr(c));
    return std::unique_ptr<OpKernel>(new TensorListPushBackKernel(dtype));
  }

  absl::Status Compute(OpKernelContext& ctx) const override {
    const Tensor& item = ctx.input(1);
    if (item.dtype() != dtype_) {
      return ctx.InvalidArgument(absl::StrCat(
          "Invalid data types; list elements ", DataTypeName(dtype_),
          " but tried to append ", DataTypeName(item.dtype())));
    }
    MS_ASSIGN_OR_RETURN(const TensorList* list, ListFromHandle(ctx.input(0)));
    if (!IsCompatible(list->element_shape, item.shape())) {
      return ctx.InvalidArgument(absl::StrCat(
          "Tried to append a tensor with incompatible shape to a list. Op "
          "element shape: ",
          item.shape().DebugString(),
          " list shape: ", list->element_shape.DebugString()));
    }
    MS_RETURN_IF_ERROR(CheckElementDtype(dtype_, *list));
    MS_RETURN_IF_ERROR(CheckRoomForOne(*list));
    std::shared_ptr<TensorList> out = CopyList(*list);
    out->elements.push_back(item);
    return SetListOutput(ctx, 0, std::move(out));
  }

 private:
  const DataType dtype_;
};

class TensorListPopBackKernel final : public OpKernel {
 public:
  explicit TensorListPopBackKernel(DataType dtype) : dtype_(dtype) {}

  static absl::StatusOr<std::unique_ptr<OpKernel>> Create(
      const KernelConstruction& c) {
    MS_RETURN_IF_ERROR(CheckNumInputs(c, 2));
    MS_ASSIGN_OR_RETURN(DataType dtype, ListElementDtypeAttr(c));
    return std::unique_ptr<OpKernel>(new TensorListPopBackKernel(dtype));
  }

  absl::Status Compute(OpKernelContext& ctx) const override {
    MS_ASSIGN_OR_RETURN(const TensorList* list, ListFromHandle(ctx.input(0)));
    MS_RETURN_IF_ERROR(CheckElementDtype(dtype_, *list));
    if (list->elements.empty()) {
      return ctx.InvalidArgument("Trying to pop from an empty list.");
    }
    const Tensor& last = list->elements.back();
    if (last.IsInitialized()) {
      ctx.set_output(1, last);
    } else {
      MS_ASSIGN_OR_RETURN(PartialShape op_shape, ShapeFromTensor(ctx.input(1)));
      MS_ASSIGN_OR_RETURN(PartialShape shape,
                          MergeShapes(op_shape, list->element_shape));
      absl::StatusOr<TensorShape> zeros_shape = ToTensorShape(shape);
      if (!zeros_shape.ok()) {
        return ctx.InvalidArgument(absl::StrCat(
            "Trying to read an uninitialized tensor but element_shape is not "
            "fully defined.",
            shape.DebugString()));
      }
      MS_ASSIGN_OR_RETURN(Tensor zeros, ZerosTensor(dtype_, *zeros_shape));
      ctx.set_output(1, std::move(zeros));
    }
    std::shared_ptr<TensorList> out = CopyList(*list);
    out->elements.pop_back();
    return SetListOutput(ctx, 0, std::move(out));
  }

 private:
  const DataType dtype_;
};

class TensorListPushBackBatchKernel final : public OpKernel {
 public:
  explicit TensorListPushBackBatchKernel(DataType dtype) : dtype_(dtype) {}

  static absl::StatusOr<std::unique_ptr<OpKernel>> Create(
      const KernelConstruction& c) {
    MS_RETURN_IF_ERROR(CheckNumInputs(c, 2));
    MS_ASSIGN_OR_RETURN(DataType dtype, ListElementDtypeAttr(c));
    return std::unique_ptr<OpKernel>(new TensorListPushBackBatchKernel(dtype));
  }

  absl::Status Compute(OpKernelContext& ctx) const override {
    const Tensor& handles = ctx.input(0);
    const Tensor& tensor = ctx.input(1);
    if (tensor.dtype() != dtype_) {
      return ctx.InvalidArgument(absl::StrCat(
          "Invalid data types; list elements ", DataTypeName(dtype_),
          " but tried to append ", DataTypeName(tensor.dtype())));
    }
    if (tensor.rank() < 1) {
      return ctx.InvalidArgument(absl::StrCat(
          "Expected tensor to be at least a vector, but saw shape: ",
          tensor.shape().DebugString()));
    }
    if (handles.dtype() != DT_VARIANT) {
      return ctx.InvalidArgument(
          absl::StrCat("Expected input_handles dtype to be Variant, but saw: ",
                       DataTypeName(handles.dtype())));
    }
    if (handles.rank() != 1) {
      return ctx.InvalidArgument(
          absl::StrCat("Expected input_handles to be a vector, but saw shape: ",
                       handles.shape().DebugString()));
    }
    const int64_t batch = handles.dim(0);
    if (tensor.dim(0) != batch) {
      return ctx.InvalidArgument(absl::StrCat(
          "Expected tensor.shape[0] == input_handles.size, but saw ",
          tensor.dim(0), " vs. ", batch));
    }
    TensorShape row_shape = tensor.shape();
    row_shape.RemoveDim(0);
    MS_ASSIGN_OR_RETURN(Tensor * out,
                        ctx.allocate_output(0, DT_VARIANT, handles.shape()));
    const VariantPtr* in = handles.data<VariantPtr>();
    VariantPtr* results = out->data<VariantPtr>();
    for (int64_t b = 0; b < batch; ++b) {
      const auto* list = dynamic_cast<const TensorList*>(in[b].get());
      if (list == nullptr) {
        return ctx.InvalidArgument(
            absl::StrCat("Input handle at index ", b, " is not a list. Saw: '",
                         in[b] == nullptr ? "null" : in[b]->TypeName(), "'"));
      }
      if (!IsCompatible(list->element_shape, row_shape)) {
        return ctx.InvalidArgument(absl::StrCat(
            "Tried to append a tensor with incompatible shape to a list at "
            "index ",
            b, ". Op element shape: ", row_shape.DebugString(),
            " list shape: ", list->element_shape.DebugString()));
      }
      if (list->element_dtype != dtype_) {
        return ctx.InvalidArgument(
            absl::StrCat("Invalid data type at index ", b, "; op elements ",
                         DataTypeName(dtype_), " but list elements ",
                         DataTypeName(list->element_dtype)));
      }
      MS_RETURN_IF_ERROR(CheckRoomForOne(*list));
      MS_ASSIGN_OR_RETURN(Tensor row,
                          CopyRows(tensor, b, b + 1, /*drop_first_dim=*/true));
      std::shared_ptr<TensorList> grown = CopyList(*list);
      grown->elements.push_back(std::move(row));
      results[b] = std::move(grown);
    }
    return absl::OkStatus();
  }

 private:
  const DataType dtype_;
};

bool IdenticalShapes(const PartialShape& a, const PartialShape& b) {
  return a.rank == b.rank && a.dims == b.dims;
}

class TensorListConcatListsKernel final : public OpKernel {
 public:
  explicit TensorListConcatListsKernel(DataType dtype) : dtype_(dtype) {}

  static absl::StatusOr<std::unique_ptr<OpKernel>> Create(
      const KernelConstruction& c) {
    MS_RETURN_IF_ERROR(CheckNumInputs(c, 2));
    MS_ASSIGN_OR_RETURN(DataType dtype, ListElementDtypeAttr(c));
    return std::unique_ptr<OpKernel>(new TensorListConcatListsKernel(dtype));
  }

  absl::Status Compute(OpKernelContext& ctx) const override {
    const Tensor& a = ctx.input(0);
    const Tensor& b = ctx.input(1);
    if (a.dtype() != DT_VARIANT || b.dtype() != DT_VARIANT) {
      return ctx.InvalidArgument(absl::StrCat(
          "input_a and input_b must be variant tensors of lists, got ",
          DataTypeName(a.dtype()), " and ", DataTypeName(b.dtype())));
    }
    if (a.shape() != b.shape()) {
      return ctx.InvalidArgument(absl::StrCat(
          "Incompatible input TensorList tensor shapes: ",
          a.shape().DebugString(), " vs. ", b.shape().DebugString()));
    }
    MS_ASSIGN_OR_RETURN(Tensor * out,
                        ctx.allocate_output(0, DT_VARIANT, a.shape()));
    const VariantPtr* in_a = a.data<VariantPtr>();
    const VariantPtr* in_b = b.data<VariantPtr>();
    VariantPtr* results = out->data<VariantPtr>();
    for (int64_t i = 0; i < a.NumElements(); ++i) {
      const auto* list_a = dynamic_cast<const TensorList*>(in_a[i].get());
      const auto* list_b = dynamic_cast<const TensorList*>(in_b[i].get());
      if (list_a == nullptr || list_b == nullptr) {
        const VariantPtr& bad = list_a == nullptr ? in_a[i] : in_b[i];
        return ctx.InvalidArgument(
            absl::StrCat(list_a == nullptr ? "input_a" : "input_b",
                         " is not a TensorList at index ", i, ".  Saw: '",
                         bad == nullptr ? "null" : bad->TypeName(), "'"));
      }
      for (const auto& [name, list] :
           {std::pair{"input_a", list_a}, std::pair{"input_b", list_b}}) {
        if (list->element_dtype != dtype_) {
          return ctx.InvalidArgument(
              absl::StrCat(name, "[", i, "].dtype != element_dtype.  Saw: ",
                           DataTypeName(list->element_dtype), " vs. ",
                           DataTypeName(dtype_)));
        }
      }
      if (!IdenticalShapes(list_a->element_shape, list_b->element_shape)) {
        return ctx.InvalidArgument(absl::StrCat(
            "input_a and input_b TensorList element shapes are not identical "
            "at index ",
            i, ".  Saw ", list_a->element_shape.DebugString(), " vs. ",
            list_b->element_shape.DebugString()));
      }
      MS_RETURN_IF_ERROR(
          CheckListSize(static_cast<int64_t>(list_a->elements.size() +
                                             list_b->elements.size()),
                        "TensorListConcatLists"));
      std::shared_ptr<TensorList> joined = CopyList(*list_a);
      joined->elements.insert(joined->elements.end(), list_b->elements.begin(),
                              list_b->elements.end());
      results[i] = std::move(joined);
    }
    return absl::OkStatus();
  }

 private:
  const DataType dtype_;
};

}  // namespace

REGISTER_KERNEL(OpSpec("TensorListPushBack").Output("output_handle"),
                TensorListPushBackKernel::Create);
REGISTER_KERNEL(
    OpSpec("TensorListPopBack").Output("output_handle").Output("tensor"),
    TensorListPopBackKernel::Create);
REGISTER_KERNEL(OpSpec("TensorListPushBackBatch").Output("output_handles"),
                TensorListPushBackBatchKernel::Create);
REGISTER_KERNEL(OpSpec("TensorListConcatLists").Output("output"),
                TensorListConcatListsKernel::Create);

}  // namespace model_server
