// List ops that read or replace single elements, or the list's size:
// TensorListGetItem, TensorListSetItem, TensorListLength,
// TensorListElementShape, TensorListResize.
//
// TensorListGetItem(input_handle, index: int32, element_shape: int32) -> item
//   element `index`; an element never set reads as zeros of the element
//   shape (the op's element_shape merged with the list's and with the set
//   elements' shapes, which must then be fully defined).
// TensorListSetItem(input_handle, index: int32, item) -> output_handle
//   a list with element `index` replaced by `item`, whose shape must be
//   compatible with the list's element shape. With the attr
//   resize_if_index_out_of_bounds the list first grows to index + 1.
// TensorListLength(input_handle) -> length: int32
// TensorListElementShape(input_handle) -> element_shape: shape_type
//   the list's element shape, -1 for unknown dimensions; the scalar -1 when
//   the rank is unknown.
// TensorListResize(input_handle, size: int32) -> output_handle
//   truncated, or grown with unset elements.
#include <memory>
#include <utility>

#include "absl/strings/str_cat.h"
#include "runtime/kernels/kernel_util.h"
#include "runtime/kernels/tensor_list/tensor_list.h"
#include "runtime/op_registry.h"
#include "runtime/status_macros.h"

namespace model_server {
namespace {

class TensorListGetItemKernel final : public OpKernel {
 public:
  explicit TensorListGetItemKernel(DataType dtype) : dtype_(dtype) {}

  static absl::StatusOr<std::unique_ptr<OpKernel>> Create(
      const KernelConstruction& c) {
    MS_RETURN_IF_ERROR(CheckNumInputs(c, 3));
    MS_ASSIGN_OR_RETURN(DataType dtype, ListElementDtypeAttr(c));
    return std::unique_ptr<OpKernel>(new TensorListGetItemKernel(dtype));
  }

  absl::Status Compute(OpKernelContext& ctx) const override {
    MS_ASSIGN_OR_RETURN(const TensorList* list, ListFromHandle(ctx.input(0)));
    MS_RETURN_IF_ERROR(CheckElementDtype(dtype_, *list));
    MS_ASSIGN_OR_RETURN(int64_t index, ScalarIndex(ctx.input(1), "index"));
    const int64_t size = static_cast<int64_t>(list->elements.size());
    if (index < 0 || index >= size) {
      return ctx.InvalidArgument(absl::StrCat("Trying to access element ",
                                              index, " in a list with ", size,
                                              " elements."));
    }
    const Tensor& item = list->elements[index];
    if (item.IsInitialized()) {
      ctx.set_output(0, item);
      return absl::OkStatus();
    }
    MS_ASSIGN_OR_RETURN(PartialShape op_shape, ShapeFromTensor(ctx.input(2)));
    std::vector<const Tensor*> elements;
    elements.reserve(list->elements.size());
    for (const Tensor& element : list->elements) elements.push_back(&element);
    MS_ASSIGN_OR_RETURN(PartialShape shape,
                        ElementShapeOfElements(*list, op_shape, elements));
    absl::StatusOr<TensorShape> zeros_shape = ToTensorShape(shape);
    if (!zeros_shape.ok()) {
      return ctx.InvalidArgument(absl::StrCat(
          "Trying to read an uninitialized tensor but element_shape is not "
          "fully defined: ",
          shape.DebugString(), " and no list element is set."));
    }
    MS_ASSIGN_OR_RETURN(Tensor zeros, ZerosTensor(dtype_, *zeros_shape));
    ctx.set_output(0, std::move(zeros));
    return absl::OkStatus();
  }

 private:
  const DataType dtype_;
};

class TensorListSetItemKernel final : public OpKernel {
 public:
  TensorListSetItemKernel(DataType dtype, bool resize)
      : dtype_(dtype), resize_(resize) {}

  static absl::StatusOr<std::unique_ptr<OpKernel>> Create(
      const KernelConstruction& c) {
    MS_RETURN_IF_ERROR(CheckNumInputs(c, 3));
    MS_ASSIGN_OR_RETURN(DataType dtype, ListElementDtypeAttr(c));
    bool resize = false;
    MS_RETURN_IF_ERROR(
        c.attrs.GetOr("resize_if_index_out_of_bounds", false, &resize));
    return std::unique_ptr<OpKernel>(
        new TensorListSetItemKernel(dtype, resize));
  }

  absl::Status Compute(OpKernelContext& ctx) const override {
    MS_ASSIGN_OR_RETURN(const TensorList* list, ListFromHandle(ctx.input(0)));
    MS_RETURN_IF_ERROR(CheckElementDtype(dtype_, *list));
    MS_ASSIGN_OR_RETURN(int64_t index, ScalarIndex(ctx.input(1), "index"));
    const Tensor& item = ctx.input(2);
    MS_RETURN_IF_ERROR(CheckInputDtype(item, dtype_));
    const int64_t size = static_cast<int64_t>(list->elements.size());
    if (index < 0 || (index >= size && !resize_)) {
      return ctx.InvalidArgument(absl::StrCat("Trying to modify element ",
                                              index, " in a list with ", size,
                                              " elements."));
    }
    if (!IsCompatible(list->element_shape, item.shape())) {
      return ctx.InvalidArgument(absl::StrCat(
          "Tried to set a tensor with incompatible shape at a list index. "
          "Item element shape: ",
          item.shape().DebugString(),
          " list shape: ", list->element_shape.DebugString()));
    }
    std::shared_ptr<TensorList> out = CopyList(*list);
    if (index >= size) {
      MS_RETURN_IF_ERROR(CheckListSize(index + 1, "TensorListSetItem"));
      out->elements.resize(index + 1);
    }
    out->elements[index] = item;
    return SetListOutput(ctx, 0, std::move(out));
  }

 private:
  const DataType dtype_;
  const bool resize_;
};

class TensorListLengthKernel final : public OpKernel {
 public:
  static absl::StatusOr<std::unique_ptr<OpKernel>> Create(
      const KernelConstruction& c) {
    MS_RETURN_IF_ERROR(CheckNumInputs(c, 1));
    return std::unique_ptr<OpKernel>(new TensorListLengthKernel());
  }

  absl::Status Compute(OpKernelContext& ctx) const override {
    MS_ASSIGN_OR_RETURN(const TensorList* list, ListFromHandle(ctx.input(0)));
    ctx.set_output(0,
                   Tensor::Scalar(static_cast<int32_t>(list->elements.size())));
    return absl::OkStatus();
  }
};

class TensorListElementShapeKernel final : public OpKernel {
 public:
  explicit TensorListElementShapeKernel(DataType shape_type)
      : shape_type_(shape_type) {}

  static absl::StatusOr<std::unique_ptr<OpKernel>> Create(
      const KernelConstruction& c) {
    MS_RETURN_IF_ERROR(CheckNumInputs(c, 1));
    MS_ASSIGN_OR_RETURN(DataType shape_type,
                        IndexTypeAttr(c, "shape_type", DT_INT32));
    return std::unique_ptr<OpKernel>(
        new TensorListElementShapeKernel(shape_type));
  }

  absl::Status Compute(OpKernelContext& ctx) const override {
    MS_ASSIGN_OR_RETURN(const TensorList* list, ListFromHandle(ctx.input(0)));
    const PartialShape& shape = list->element_shape;
    TensorShape out_shape;
    if (shape.rank >= 0) out_shape = TensorShape{shape.rank};
    MS_ASSIGN_OR_RETURN(Tensor * out,
                        ctx.allocate_output(0, shape_type_, out_shape));
    for (int64_t i = 0; i < out->NumElements(); ++i) {
      const int64_t d = shape.rank < 0 ? -1 : shape.dims[i];
      if (shape_type_ == DT_INT32) {
        out->data<int32_t>()[i] = static_cast<int32_t>(d);
      } else {
        out->data<int64_t>()[i] = d;
      }
    }
    return absl::OkStatus();
  }

 private:
  const DataType shape_type_;
};

class TensorListResizeKernel final : public OpKernel {
 public:
  static absl::StatusOr<std::unique_ptr<OpKernel>> Create(
      const KernelConstruction& c) {
    MS_RETURN_IF_ERROR(CheckNumInputs(c, 2));
    return std::unique_ptr<OpKernel>(new TensorListResizeKernel());
  }

  absl::Status Compute(OpKernelContext& ctx) const override {
    MS_ASSIGN_OR_RETURN(const TensorList* list, ListFromHandle(ctx.input(0)));
    MS_ASSIGN_OR_RETURN(int64_t size, ScalarIndex(ctx.input(1), "size"));
    if (size < 0) {
      return ctx.InvalidArgument(absl::StrCat(
          "TensorListSlice expects size to be non-negative. Got: ", size));
    }
    MS_RETURN_IF_ERROR(CheckListSize(size, "TensorListResize"));
    std::shared_ptr<TensorList> out = CopyList(*list);
    out->elements.resize(size);
    return SetListOutput(ctx, 0, std::move(out));
  }
};

}  // namespace

REGISTER_KERNEL(OpSpec("TensorListGetItem").Output("item"),
                TensorListGetItemKernel::Create);
REGISTER_KERNEL(OpSpec("TensorListSetItem").Output("output_handle"),
                TensorListSetItemKernel::Create);
REGISTER_KERNEL(OpSpec("TensorListLength").Output("length"),
                TensorListLengthKernel::Create);
REGISTER_KERNEL(OpSpec("TensorListElementShape").Output("element_shape"),
                TensorListElementShapeKernel::Create);
REGISTER_KERNEL(OpSpec("TensorListResize").Output("output_handle"),
                TensorListResizeKernel::Create);

}  // namespace model_server
