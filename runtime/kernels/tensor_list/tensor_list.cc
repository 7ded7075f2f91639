#include "runtime/kernels/tensor_list/tensor_list.h"

#include <cstring>
#include <string>
#include <type_traits>

#include "absl/strings/str_cat.h"
#include "runtime/kernels/array/data_movement.h"
#include "runtime/kernels/kernel_util.h"
#include "runtime/status_macros.h"

namespace model_server {

absl::StatusOr<DataType> ListElementDtypeAttr(const KernelConstruction& c) {
  DataType dtype;
  MS_RETURN_IF_ERROR(c.attrs.Get("element_dtype", &dtype));
  if (c.attrs.Has("shape_type")) {
    MS_RETURN_IF_ERROR(CheckIndexTypeAttr(c, "shape_type"));
  }
  return dtype;
}

absl::StatusOr<const TensorList*> ListFromHandle(const Tensor& handle) {
  if (handle.rank() != 0) {
    return absl::InvalidArgumentError(absl::StrCat(
        "Input list must be a scalar saw: ", handle.shape().DebugString()));
  }
  if (handle.dtype() != DT_VARIANT) {
    return absl::InvalidArgumentError(
        absl::StrCat("Input handle is not a list. Saw: '",
                     DataTypeName(handle.dtype()), "'"));
  }
  const std::shared_ptr<VariantValue>& value =
      handle.scalar<std::shared_ptr<VariantValue>>();
  const auto* list = dynamic_cast<const TensorList*>(value.get());
  if (list == nullptr) {
    return absl::InvalidArgumentError(
        absl::StrCat("Input handle is not a list. Saw: '",
                     value == nullptr ? "null" : value->TypeName(), "'"));
  }
  return list;
}

absl::Status SetListOutput(OpKernelContext& ctx, int index,
                           std::shared_ptr<TensorList> list) {
  MS_ASSIGN_OR_RETURN(Tensor * out,
                      ctx.allocate_output(index, DT_VARIANT, TensorShape()));
  out->data<std::shared_ptr<VariantValue>>()[0] = std::move(list);
  return absl::OkStatus();
}

std::shared_ptr<TensorList> CopyList(const TensorList& list) {
  return std::make_shared<TensorList>(list);
}

absl::Status CheckListSize(int64_t size, absl::string_view what) {
  if (size < 0 || size > TensorList::kMaxElements) {
    return absl::ResourceExhaustedError(
        absl::StrCat(what, ": a list of ", size,
                     " elements is more than the runtime allows (",
                     TensorList::kMaxElements, ")"));
  }
  return absl::OkStatus();
}

absl::StatusOr<PartialShape> ShapeFromTensor(const Tensor& shape) {
  if (shape.dtype() != DT_INT32 && shape.dtype() != DT_INT64) {
    return absl::InvalidArgumentError(
        absl::StrCat("Expected an int32 or int64 shape tensor; found ",
                     DataTypeName(shape.dtype())));
  }
  auto at = [&](int64_t i) -> int64_t {
    return shape.dtype() == DT_INT32 ? shape.data<int32_t>()[i]
                                     : shape.data<int64_t>()[i];
  };
  PartialShape result;
  if (shape.rank() == 0) {
    if (at(0) == -1) return result;
    return absl::InvalidArgumentError(
        "The only valid scalar shape tensor is the fully unknown shape "
        "specified as -1.");
  }
  if (shape.rank() != 1) {
    return absl::InvalidArgumentError(
        absl::StrCat("shape must be a vector or the scalar -1, got shape ",
                     shape.shape().DebugString()));
  }
  if (shape.NumElements() > TensorShape::kMaxRank) {
    return absl::InvalidArgumentError(absl::StrCat(
        "Shape has ", shape.NumElements(),
        " dimensions which is over the limit of ", TensorShape::kMaxRank));
  }
  result.rank = static_cast<int>(shape.NumElements());
  for (int64_t i = 0; i < shape.NumElements(); ++i) {
    const int64_t d = at(i);
    if (d < -1) {
      return absl::InvalidArgumentError(
          absl::StrCat("Dimension ", d, " must be >= -1"));
    }
    result.dims.push_back(d);
  }
  return result;
}

absl::StatusOr<PartialShape> ElementShapeOfElements(
    const TensorList& list, const PartialShape& op_shape,
    absl::Span<const Tensor* const> elements) {
  MS_ASSIGN_OR_RETURN(PartialShape shape,
                      MergeShapes(op_shape, list.element_shape));
  for (const Tensor* element : elements) {
    if (!element->IsInitialized()) continue;
    MS_ASSIGN_OR_RETURN(shape,
                        MergeShapes(shape, PartialShapeOf(element->shape())));
  }
  return shape;
}

absl::Status CheckElementDtype(DataType op_dtype, const TensorList& list) {
  if (op_dtype != list.element_dtype) {
    return absl::InvalidArgumentError(
        absl::StrCat("Invalid data types; op elements ", DataTypeName(op_dtype),
                     " but list elements ", DataTypeName(list.element_dtype)));
  }
  return absl::OkStatus();
}

void ConcatenateInto(absl::Span<const Tensor* const> parts, Tensor* out) {
  SwitchOnMoveType(out->dtype(), [&](auto tag) {
    using T = decltype(tag);
    T* dst = DataAs<T>(out);
    for (const Tensor* part : parts) {
      const int64_t n = part->NumElements();
      if (n == 0) continue;
      CopyRun(DataAs<T>(*part), n, dst);
      dst += n;
    }
  });
}

absl::StatusOr<Tensor> CopyRows(const Tensor& tensor, int64_t begin,
                                int64_t end, bool drop_first_dim) {
  TensorShape shape = tensor.shape();
  if (drop_first_dim) {
    shape.RemoveDim(0);
  } else {
    MS_RETURN_IF_ERROR(shape.SetDim(0, end - begin));
  }
  MS_ASSIGN_OR_RETURN(Tensor out, Tensor::Create(tensor.dtype(), shape));
  const int64_t row =
      tensor.dim(0) == 0 ? 0 : tensor.NumElements() / tensor.dim(0);
  const int64_t n = (end - begin) * row;
  if (n > 0) {
    SwitchOnMoveType(tensor.dtype(), [&](auto tag) {
      using T = decltype(tag);
      CopyRun(DataAs<T>(tensor) + begin * row, n, DataAs<T>(&out));
    });
  }
  return out;
}

}  // namespace model_server
