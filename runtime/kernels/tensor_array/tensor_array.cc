#include "runtime/kernels/tensor_array/tensor_array.h"

#include <cstring>
#include <utility>

#include "absl/strings/str_cat.h"
#include "runtime/status_macros.h"

namespace model_server {

absl::StatusOr<std::shared_ptr<TensorArray>> TensorArray::Create(
    Options options, int64_t size) {
  if (size < 0) return absl::InvalidArgumentError("Size should be >= 0.");
  std::shared_ptr<TensorArray> array(new TensorArray(std::move(options)));
  absl::MutexLock lock(&array->mu_);
  array->element_shape_ = array->options_.element_shape;
  MS_RETURN_IF_ERROR(array->Grow(size));
  return array;
}

absl::Status TensorArray::Error(absl::string_view message) const {
  return absl::InvalidArgumentError(
      absl::StrCat("TensorArray ", options_.name, ": ", message));
}

absl::Status TensorArray::CheckOpen() const {
  if (closed_) {
    return absl::InvalidArgumentError(absl::StrCat(
        "TensorArray ", options_.name, " has already been closed."));
  }
  return absl::OkStatus();
}

absl::Status TensorArray::Grow(int64_t size) {
  if (size > kMaxSize) {
    return absl::ResourceExhaustedError(absl::StrCat(
        "TensorArray ", options_.name, ": ", size,
        " elements exceed the limit of ", kMaxSize, " per TensorArray"));
  }
  if (size > static_cast<int64_t>(elements_.size())) elements_.resize(size);
  return absl::OkStatus();
}

absl::Status TensorArray::Write(int64_t index, const Tensor& value) {
  absl::MutexLock lock(&mu_);
  return LockedWrite(index, value);
}

absl::Status TensorArray::WriteMany(const std::vector<int64_t>& indices,
                                    const std::vector<Tensor>& values) {
  absl::MutexLock lock(&mu_);
  for (size_t i = 0; i < indices.size(); ++i) {
    MS_RETURN_IF_ERROR(LockedWrite(indices[i], values[i]));
  }
  return absl::OkStatus();
}

absl::Status TensorArray::LockedWrite(int64_t index, const Tensor& value) {
  MS_RETURN_IF_ERROR(CheckOpen());
  const int64_t size = static_cast<int64_t>(elements_.size());
  if (index < 0 || (!options_.dynamic_size && index >= size)) {
    return Error(
        absl::StrCat("Tried to write to index ", index,
                     " but array is not resizeable and size is: ", size));
  }
  if (index >= size) MS_RETURN_IF_ERROR(Grow(index + 1));
  Element& element = elements_[index];
  if (value.dtype() != options_.dtype) {
    return Error(absl::StrCat(
        "Could not write to TensorArray index ", index,
        " because the value dtype is ", DataTypeName(value.dtype()),
        " but TensorArray dtype is ", DataTypeName(options_.dtype), "."));
  }
  if (!IsCompatible(element_shape_, value.shape())) {
    return Error(absl::StrCat(
        "Could not write to TensorArray index ", index,
        " because the value shape is ", value.shape().DebugString(),
        " which is incompatible with the TensorArray's inferred element "
        "shape: ",
        element_shape_.DebugString(),
        " (consider setting infer_shape=False)."));
  }
  if (options_.identical_element_shapes && !element_shape_.IsFullyDefined()) {
    element_shape_.rank = value.rank();
    element_shape_.dims.assign(value.shape().dims().begin(),
                               value.shape().dims().end());
  }
  if (element.read) {
    return Error(absl::StrCat("Could not write to TensorArray index ", index,
                              " because it has already been read."));
  }
  if (element.written) {
    return Error(absl::StrCat("Could not write to TensorArray index ", index,
                              " because it has already been written to."));
  }
  element.tensor = value;
  element.shape = value.shape();
  element.written = true;
  return absl::OkStatus();
}

absl::StatusOr<Tensor> TensorArray::Read(int64_t index) {
  absl::MutexLock lock(&mu_);
  return LockedRead(index);
}

absl::Status TensorArray::ReadMany(const std::vector<int64_t>& indices,
                                   std::vector<Tensor>* values) {
  absl::MutexLock lock(&mu_);
  values->clear();
  values->reserve(indices.size());
  for (int64_t index : indices) {
    MS_ASSIGN_OR_RETURN(Tensor value, LockedRead(index));
    values->push_back(std::move(value));
  }
  return absl::OkStatus();
}

absl::StatusOr<Tensor> TensorArray::LockedRead(int64_t index) {
  MS_RETURN_IF_ERROR(CheckOpen());
  const int64_t size = static_cast<int64_t>(elements_.size());
  if (index < 0 || index >= size) {
    return absl::InvalidArgumentError(absl::StrCat(
        "Tried to read from index ", index, " but array size is: ", size));
  }
  Element& element = elements_[index];
  if (!element.written) {
    if (!element_shape_.IsFullyDefined()) {
      return Error(absl::StrCat(
          "Could not read from TensorArray index ", index,
          ".  Furthermore, the element shape is not fully defined: ",
          element_shape_.DebugString(),
          ".  It is possible you are working with a resizeable TensorArray "
          "and stop_gradients is not allowing the gradients to be written.  "
          "If you set the full element_shape property on the forward "
          "TensorArray, the proper all-zeros tensor will be returned instead "
          "of incurring this error."));
    }
    MS_ASSIGN_OR_RETURN(element.shape, ToTensorShape(element_shape_));
    element.written = true;
  }
  if (element.cleared) {
    return Error(absl::StrCat(
        "Could not read index ", index,
        " twice because it was cleared after a previous read (perhaps try "
        "setting clear_after_read = false?)."));
  }
  if (!element.tensor.IsInitialized()) {
    MS_ASSIGN_OR_RETURN(element.tensor,
                        ZerosTensor(options_.dtype, element.shape));
  }
  Tensor value = element.tensor;
  if (options_.clear_after_read) {
    element.tensor = Tensor();
    element.cleared = true;
  }
  element.read = true;
  return value;
}

absl::StatusOr<int64_t> TensorArray::Size() const {
  absl::MutexLock lock(&mu_);
  MS_RETURN_IF_ERROR(CheckOpen());
  return static_cast<int64_t>(elements_.size());
}

PartialShape TensorArray::element_shape() const {
  absl::MutexLock lock(&mu_);
  return element_shape_;
}

absl::Status TensorArray::MergeElementShape(const PartialShape& shape) {
  absl::MutexLock lock(&mu_);
  MS_ASSIGN_OR_RETURN(element_shape_, MergeShapes(element_shape_, shape));
  return absl::OkStatus();
}

void TensorArray::Close() {
  absl::MutexLock lock(&mu_);
  elements_.clear();
  closed_ = true;
}

absl::StatusOr<std::shared_ptr<TensorArray>> TensorArrayFromHandle(
    const Tensor& handle) {
  if (handle.dtype() != DT_RESOURCE || handle.NumElements() != 1) {
    return absl::InvalidArgumentError(absl::StrCat(
        "expected a TensorArray handle (a resource scalar), got ",
        DataTypeName(handle.dtype()), " ", handle.shape().DebugString()));
  }
  auto array = std::dynamic_pointer_cast<TensorArray>(
      handle.data<std::shared_ptr<ResourceBase>>()[0]);
  if (array == nullptr) {
    return absl::InvalidArgumentError(
        "the resource handle does not point to a TensorArray");
  }
  return array;
}

}  // namespace model_server
