#include "runtime/kernels/lookup/lookup_interface.h"

#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "runtime/status_macros.h"

namespace model_server {

bool IsLookupKeyType(DataType dtype) {
  return dtype == DT_STRING || dtype == DT_INT32 || dtype == DT_INT64;
}

bool IsLookupValueType(DataType dtype) {
  return dtype == DT_BOOL || dtype == DT_INT32 || dtype == DT_INT64 ||
         dtype == DT_FLOAT || dtype == DT_DOUBLE || dtype == DT_STRING;
}

absl::Status LookupInterface::Insert(const Tensor&, const Tensor&) {
  return absl::UnimplementedError(absl::StrCat(
      "Insert not supported by table ", name(), " (a ", TypeName(), ")"));
}

absl::Status LookupInterface::Remove(const Tensor&) {
  return absl::UnimplementedError(absl::StrCat(
      "Remove not supported by table ", name(), " (a ", TypeName(), ")"));
}

absl::Status LookupInterface::Export(Tensor*, Tensor*) const {
  return absl::UnimplementedError(absl::StrCat(
      "Export not supported by table ", name(), " (a ", TypeName(), ")"));
}

absl::Status LookupInterface::CheckKeyDtype(const Tensor& keys) const {
  if (keys.dtype() != key_dtype()) {
    return absl::InvalidArgumentError(
        absl::StrCat("Key must be type ", DataTypeName(key_dtype()),
                     " but got ", DataTypeName(keys.dtype())));
  }
  return absl::OkStatus();
}

absl::Status LookupInterface::CheckKeyShape(const TensorShape& keys) const {
  const TensorShape key = key_shape();
  bool ends_with_key = keys.rank() >= key.rank();
  for (int i = 0; ends_with_key && i < key.rank(); ++i) {
    ends_with_key = keys.dim(keys.rank() - key.rank() + i) == key.dim(i);
  }
  if (!ends_with_key) {
    return absl::InvalidArgumentError(absl::StrCat(
        "Input key shape ", keys.DebugString(),
        " must end with the table's key shape ", key.DebugString()));
  }
  return absl::OkStatus();
}

absl::StatusOr<TensorShape> LookupInterface::ValueShapeFor(
    const TensorShape& keys) const {
  TensorShape shape = keys;
  for (int i = 0; i < key_shape().rank(); ++i)
    shape.RemoveDim(shape.rank() - 1);
  const TensorShape value = value_shape();
  for (int i = 0; i < value.rank(); ++i) {
    MS_RETURN_IF_ERROR(shape.AddDim(value.dim(i)));
  }
  return shape;
}

absl::Status LookupInterface::CheckFindArguments(
    const Tensor& keys, const Tensor& default_value) const {
  MS_RETURN_IF_ERROR(CheckKeyDtype(keys));
  if (default_value.dtype() != value_dtype()) {
    return absl::InvalidArgumentError(
        absl::StrCat("Value must be type ", DataTypeName(value_dtype()),
                     " but got ", DataTypeName(default_value.dtype())));
  }
  MS_RETURN_IF_ERROR(CheckKeyShape(keys.shape()));
  MS_ASSIGN_OR_RETURN(TensorShape full, ValueShapeFor(keys.shape()));
  if (default_value.shape() != value_shape() && default_value.shape() != full) {
    return absl::InvalidArgumentError(
        absl::StrCat("Expected shape ", value_shape().DebugString(), " or ",
                     full.DebugString(), " for default value, got ",
                     default_value.shape().DebugString()));
  }
  return absl::OkStatus();
}

absl::Status LookupInterface::CheckInsertArguments(const Tensor& keys,
                                                   const Tensor& values) const {
  MS_RETURN_IF_ERROR(CheckKeyDtype(keys));
  if (values.dtype() != value_dtype()) {
    return absl::InvalidArgumentError(
        absl::StrCat("Value must be type ", DataTypeName(value_dtype()),
                     " but got ", DataTypeName(values.dtype())));
  }
  MS_RETURN_IF_ERROR(CheckKeyShape(keys.shape()));
  MS_ASSIGN_OR_RETURN(TensorShape expected, ValueShapeFor(keys.shape()));
  if (values.shape() != expected) {
    return absl::InvalidArgumentError(
        absl::StrCat("Expected shape ", expected.DebugString(),
                     " for value, got ", values.shape().DebugString()));
  }
  return absl::OkStatus();
}

absl::Status LookupInterface::CheckRemoveArguments(const Tensor& keys) const {
  MS_RETURN_IF_ERROR(CheckKeyDtype(keys));
  return CheckKeyShape(keys.shape());
}

absl::StatusOr<LookupInterface*> LookupInterfaceFromHandle(
    const Tensor& handle) {
  if (handle.dtype() != DT_RESOURCE || handle.NumElements() != 1) {
    return absl::InvalidArgumentError(absl::StrCat(
        "expected a lookup table handle (resource scalar), got ",
        DataTypeName(handle.dtype()), " ", handle.shape().DebugString()));
  }
  const std::shared_ptr<ResourceBase>& resource =
      handle.data<std::shared_ptr<ResourceBase>>()[0];
  if (resource == nullptr) {
    return absl::InvalidArgumentError("lookup table handle is empty");
  }
  auto* table = dynamic_cast<LookupInterface*>(resource.get());
  if (table == nullptr) {
    return absl::InvalidArgumentError(
        absl::StrCat("Trying to access a resource of type ",
                     resource->TypeName(), " as a LookupTable"));
  }
  return table;
}

}  // namespace model_server
