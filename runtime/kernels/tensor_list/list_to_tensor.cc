// List ops that turn elements back into one tensor: TensorListStack,
// TensorListGather, TensorListConcat, TensorListConcatV2. Every element
// dtype. Elements never set read as zeros, which needs a fully known element
// shape (from the op's input or attr, the list, or the set elements).
//
// TensorListStack(input_handle, element_shape: int32) -> tensor
//   [num elements, element shape...]; attr num_elements (-1: any) must match.
// TensorListGather(input_handle, indices: int32, element_shape: int32)
//     -> values [len(indices), element shape...]
// TensorListConcat(input_handle) -> (tensor, lengths: int64)
//   elements (rank >= 1, equal but for their first dimension) joined along
//   their first dimension; lengths[i] is element i's first dimension. Attr
//   element_shape: the elements' shape, if known.
// TensorListConcatV2(input_handle, element_shape, leading_dims: int64)
//     -> (tensor, lengths)
//   the same with element_shape as a shape tensor; leading_dims[i] is the
//   first dimension used for element i when it was never set.
#include <memory>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "runtime/kernels/kernel_util.h"
#include "runtime/kernels/tensor_list/tensor_list.h"
#include "runtime/op_registry.h"
#include "runtime/status_macros.h"

namespace model_server {
namespace {

// Writes `elements` (set ones as they are, unset ones as zeros of
// `element_shape`) one after another into output 0 of shape
// [elements.size(), element_shape...].
absl::Status StackElements(OpKernelContext& ctx, DataType dtype,
                           const std::vector<const Tensor*>& elements,
                           const TensorShape& element_shape) {
  TensorShape out_shape = element_shape;
  MS_RETURN_IF_ERROR(
      out_shape.InsertDim(0, static_cast<int64_t>(elements.size())));
  MS_ASSIGN_OR_RETURN(Tensor * out, ctx.allocate_output(0, dtype, out_shape));
  if (out->NumElements() == 0) return absl::OkStatus();
  Tensor zeros;
  std::vector<const Tensor*> parts;
  parts.reserve(elements.size());
  for (const Tensor* element : elements) {
    if (element->IsInitialized()) {
      parts.push_back(element);
      continue;
    }
    if (!zeros.IsInitialized()) {
      MS_ASSIGN_OR_RETURN(zeros, ZerosTensor(dtype, element_shape));
    }
    parts.push_back(&zeros);
  }
  ConcatenateInto(parts, out);
  return absl::OkStatus();
}

class TensorListStackKernel final : public OpKernel {
 public:
  TensorListStackKernel(DataType dtype, int64_t num_elements)
      : dtype_(dtype), num_elements_(num_elements) {}

  static absl::StatusOr<std::unique_ptr<OpKernel>> Create(
      const KernelConstruction& c) {
    MS_RETURN_IF_ERROR(CheckNumInputs(c, 2));
    MS_ASSIGN_OR_RETURN(DataType dtype, ListElementDtypeAttr(c));
    int64_t num_elements = -1;
    MS_RETURN_IF_ERROR(
        c.attrs.GetOr("num_elements", int64_t{-1}, &num_elements));
    return std::unique_ptr<OpKernel>(
        new TensorListStackKernel(dtype, num_elements));
  }

  absl::Status Compute(OpKernelContext& ctx) const override {
    MS_ASSIGN_OR_RETURN(const TensorList* list, ListFromHandle(ctx.input(0)));
    MS_RETURN_IF_ERROR(CheckElementDtype(dtype_, *list));
    const int64_t size = static_cast<int64_t>(list->elements.size());
    if (num_elements_ != -1 && size != num_elements_) {
      return ctx.InvalidArgument(
          absl::StrCat("Operation expected a list with ", num_elements_,
                       " elements but got a list with ", size, " elements."));
    }
    MS_ASSIGN_OR_RETURN(PartialShape op_shape, ShapeFromTensor(ctx.input(1)));
    MS_ASSIGN_OR_RETURN(PartialShape shape,
                        MergeShapes(op_shape, list->element_shape));
    if (!shape.IsFullyDefined() && size == 0) {
      return ctx.InvalidArgument(absl::StrCat(
          "Tried to stack elements of an empty list with non-fully-defined "
          "element_shape: ",
          shape.DebugString()));
    }
    std::vector<const Tensor*> elements;
    elements.reserve(size);
    for (const Tensor& element : list->elements) elements.push_back(&element);
    MS_ASSIGN_OR_RETURN(shape, ElementShapeOfElements(*list, shape, elements));
    absl::StatusOr<TensorShape> element_shape = ToTensorShape(shape);
    if (!element_shape.ok()) {
      return ctx.InvalidArgument(absl::StrCat(
          "Tried to stack list which only contains uninitialized tensors and "
          "has a non-fully-defined element_shape: ",
          shape.DebugString()));
    }
    return StackElements(ctx, dtype_, elements, *element_shape);
  }

 private:
  const DataType dtype_;
  const int64_t num_elements_;
};

class TensorListGatherKernel final : public OpKernel {
 public:
  explicit TensorListGatherKernel(DataType dtype) : dtype_(dtype) {}

  static absl::StatusOr<std::unique_ptr<OpKernel>> Create(
      const KernelConstruction& c) {
    MS_RETURN_IF_ERROR(CheckNumInputs(c, 3));
    MS_ASSIGN_OR_RETURN(DataType dtype, ListElementDtypeAttr(c));
    return std::unique_ptr<OpKernel>(new TensorListGatherKernel(dtype));
  }

  absl::Status Compute(OpKernelContext& ctx) const override {
    MS_ASSIGN_OR_RETURN(const TensorList* list, ListFromHandle(ctx.input(0)));
    MS_RETURN_IF_ERROR(CheckElementDtype(dtype_, *list));
    const Tensor& indices = ctx.input(1);
    MS_RETURN_IF_ERROR(CheckIntTensor(indices, "indices"));
    if (indices.rank() > 1) {
      return ctx.InvalidArgument(
          absl::StrCat("indices must be a vector, got shape ",
                       indices.shape().DebugString()));
    }
    MS_ASSIGN_OR_RETURN(PartialShape op_shape, ShapeFromTensor(ctx.input(2)));
    MS_ASSIGN_OR_RETURN(PartialShape shape,
                        MergeShapes(op_shape, list->element_shape));
    if (!shape.IsFullyDefined() && indices.NumElements() == 0) {
      return ctx.InvalidArgument(absl::StrCat(
          "Tried to gather 0-elements from a list with non-fully-defined "
          "shape: ",
          shape.DebugString()));
    }
    const int64_t size = static_cast<int64_t>(list->elements.size());
    std::vector<const Tensor*> elements;
    elements.reserve(indices.NumElements());
    for (int64_t k = 0; k < indices.NumElements(); ++k) {
      const int64_t i = IntAt(indices, k);
      if (i < 0 || i >= size) {
        return ctx.InvalidArgument(absl::StrCat(
            "Index ", i, " out o range; list only has ", size, " elements."));
      }
      elements.push_back(&list->elements[i]);
    }
    MS_ASSIGN_OR_RETURN(shape, ElementShapeOfElements(*list, shape, elements));
    absl::StatusOr<TensorShape> element_shape = ToTensorShape(shape);
    if (!element_shape.ok()) {
      return ctx.InvalidArgument(
          absl::StrCat("Tried to gather uninitialized tensors from a list with "
                       "non-fully-defined element_shape: ",
                       shape.DebugString()));
    }
    return StackElements(ctx, dtype_, elements, *element_shape);
  }

 private:
  const DataType dtype_;
};

// `shape` without its first dimension (unknown rank stays unknown).
PartialShape WithoutFirstDim(const PartialShape& shape) {
  PartialShape inner = shape;
  if (inner.rank > 0) {
    inner.dims.erase(inner.dims.begin());
    --inner.rank;
  }
  return inner;
}

// TensorListConcat (V1: element_shape attr) and TensorListConcatV2
// (element_shape and leading_dims inputs).
class TensorListConcatKernel final : public OpKernel {
 public:
  TensorListConcatKernel(DataType dtype, bool v2, PartialShape attr_shape)
      : dtype_(dtype), v2_(v2), attr_shape_(std::move(attr_shape)) {}

  static absl::StatusOr<std::unique_ptr<OpKernel>> CreateV1(
      const KernelConstruction& c) {
    MS_RETURN_IF_ERROR(CheckNumInputs(c, 1));
    MS_ASSIGN_OR_RETURN(DataType dtype, ListElementDtypeAttr(c));
    PartialShape shape;
    MS_RETURN_IF_ERROR(c.attrs.GetOr("element_shape", PartialShape(), &shape));
    if (shape.rank == 0) {
      return c.attrs.Error(
          "Concat requires elements to be at least vectors, found scalars "
          "instead.");
    }
    return std::unique_ptr<OpKernel>(
        new TensorListConcatKernel(dtype, /*v2=*/false, std::move(shape)));
  }

  static absl::StatusOr<std::unique_ptr<OpKernel>> CreateV2(
      const KernelConstruction& c) {
    MS_RETURN_IF_ERROR(CheckNumInputs(c, 3));
    MS_ASSIGN_OR_RETURN(DataType dtype, ListElementDtypeAttr(c));
    return std::unique_ptr<OpKernel>(
        new TensorListConcatKernel(dtype, /*v2=*/true, PartialShape()));
  }

  absl::Status Compute(OpKernelContext& ctx) const override {
    MS_ASSIGN_OR_RETURN(const TensorList* list, ListFromHandle(ctx.input(0)));
    MS_RETURN_IF_ERROR(CheckElementDtype(dtype_, *list));
    PartialShape shape = attr_shape_;
    const Tensor* leading_dims = nullptr;
    if (v2_) {
      MS_ASSIGN_OR_RETURN(PartialShape op_shape, ShapeFromTensor(ctx.input(1)));
      MS_ASSIGN_OR_RETURN(shape, MergeShapes(op_shape, list->element_shape));
      if (shape.rank == 0) {
        return ctx.InvalidArgument(
            "Concat requires elements to be at least vectors, found scalars "
            "instead.");
      }
      leading_dims = &ctx.input(2);
      MS_RETURN_IF_ERROR(CheckIntTensor(*leading_dims, "leading_dims"));
    }
    int64_t first_dim = shape.rank > 0 ? shape.dims[0] : -1;
    PartialShape inner = WithoutFirstDim(shape);
    const int64_t size = static_cast<int64_t>(list->elements.size());
    if (size == 0 && !inner.IsFullyDefined()) {
      return ctx.InvalidArgument(absl::StrCat(
          "All except the first dimension must be fully defined when "
          "concating an empty tensor list. element_shape: ",
          inner.DebugString()));
    }
    MS_RETURN_IF_ERROR(CheckElements(*list, &first_dim, &inner));
    absl::StatusOr<TensorShape> inner_shape = ToTensorShape(inner);
    if (!inner_shape.ok()) {
      return ctx.InvalidArgument(absl::StrCat(
          "Trying to concat list with only uninitialized tensors but "
          "element_shape_except_first_dim_ is not fully defined: ",
          inner.DebugString()));
    }
    MS_ASSIGN_OR_RETURN(Tensor * lengths,
                        ctx.allocate_output(1, DT_INT64, TensorShape{size}));
    int64_t total = 0;
    for (int64_t i = 0; i < size; ++i) {
      MS_ASSIGN_OR_RETURN(int64_t length, LengthOf(ctx, list->elements[i], i,
                                                   first_dim, leading_dims));
      lengths->data<int64_t>()[i] = length;
      if (__builtin_add_overflow(total, length, &total)) {
        return ctx.InvalidArgument("concatenated length overflows int64");
      }
    }
    TensorShape out_shape = *inner_shape;
    MS_RETURN_IF_ERROR(out_shape.InsertDim(0, total));
    MS_ASSIGN_OR_RETURN(Tensor * out,
                        ctx.allocate_output(0, dtype_, out_shape));
    if (out->NumElements() == 0) return absl::OkStatus();
    std::vector<Tensor> zeros;
    zeros.reserve(size);
    std::vector<const Tensor*> parts;
    parts.reserve(size);
    for (int64_t i = 0; i < size; ++i) {
      const Tensor& element = list->elements[i];
      if (element.IsInitialized()) {
        parts.push_back(&element);
        continue;
      }
      TensorShape zeros_shape = *inner_shape;
      MS_RETURN_IF_ERROR(zeros_shape.InsertDim(0, lengths->data<int64_t>()[i]));
      MS_ASSIGN_OR_RETURN(Tensor zero, ZerosTensor(dtype_, zeros_shape));
      zeros.push_back(std::move(zero));
      parts.push_back(&zeros.back());
    }
    ConcatenateInto(parts, out);
    return absl::OkStatus();
  }

 private:
  // Checks the set elements (at least vectors, equal inner dimensions,
  // first dimension == *first_dim if known); merges their inner shape into
  // `inner`. If *first_dim is unknown and every set element has the same
  // first dimension, sets *first_dim to it.
  static absl::Status CheckElements(const TensorList& list, int64_t* first_dim,
                                    PartialShape* inner) {
    const bool infer = *first_dim == -1;
    int64_t common = -1;
    bool consistent = true;
    for (size_t i = 0; i < list.elements.size(); ++i) {
      const Tensor& t = list.elements[i];
      if (!t.IsInitialized()) continue;
      if (t.rank() < 1) {
        return absl::InvalidArgumentError(
            absl::StrCat("Concat saw a scalar shape at index ", i,
                         " but requires at least vectors."));
      }
      MS_ASSIGN_OR_RETURN(
          *inner,
          MergeShapes(*inner, WithoutFirstDim(PartialShapeOf(t.shape()))));
      if (*first_dim != -1 && !infer && *first_dim != t.dim(0)) {
        return absl::InvalidArgumentError(absl::StrCat(
            "First entry of element_shape input does not match the first dim "
            "of list element at index: ",
            i, " Expected: ", *first_dim, " Actual: ", t.dim(0)));
      }
      if (infer && consistent) {
        if (common == -1) {
          common = t.dim(0);
        } else if (common != t.dim(0)) {
          consistent = false;
        }
      }
    }
    if (infer) *first_dim = consistent ? common : -1;
    return absl::OkStatus();
  }

  // The first dimension element `i` contributes.
  absl::StatusOr<int64_t> LengthOf(OpKernelContext& ctx, const Tensor& element,
                                   int64_t i, int64_t first_dim,
                                   const Tensor* leading_dims) const {
    if (element.IsInitialized()) return element.dim(0);
    const int64_t given =
        leading_dims == nullptr ? 0 : leading_dims->NumElements();
    if (i >= given && first_dim != -1) return first_dim;
    if (!v2_) {
      return ctx.InvalidArgument(
          "Concating lists with uninitialized tensors is not supported in "
          "this version of TensorListConcat. Consider updating your GraphDef "
          "to run the newer version.");
    }
    if (i >= given) {
      return ctx.InvalidArgument(
          absl::StrCat("List contains uninitialized tensor at index ", i,
                       " but leading_dims has only ", given, " elements."));
    }
    const int64_t length = IntAt(*leading_dims, i);
    if (length < 0) {
      return ctx.InvalidArgument(absl::StrCat(
          "leading_dims[", i, "] = ", length, " must be non-negative"));
    }
    return length;
  }

  const DataType dtype_;
  const bool v2_;
  const PartialShape attr_shape_;
};

}  // namespace

REGISTER_KERNEL(OpSpec("TensorListStack").Output("tensor"),
                TensorListStackKernel::Create);
REGISTER_KERNEL(OpSpec("TensorListGather").Output("values"),
                TensorListGatherKernel::Create);
REGISTER_KERNEL(OpSpec("TensorListConcat").Output("tensor").Output("lengths"),
                TensorListConcatKernel::CreateV1);
REGISTER_KERNEL(OpSpec("TensorListConcatV2").Output("tensor").Output("lengths"),
                TensorListConcatKernel::CreateV2);

}  // namespace model_server
