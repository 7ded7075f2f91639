#include "runtime/kernels/kernel_util.h"

#include <string>

#include "absl/strings/str_cat.h"
#include "runtime/status_macros.h"

namespace model_server {

absl::Status UnsupportedAttrError(const KernelConstruction& c,
                                  absl::string_view what) {
  return absl::UnimplementedError(
      absl::StrCat(c.attrs.op(), " node '", c.node_name(), "': ", what));
}

absl::StatusOr<DataType> IndexTypeAttr(const KernelConstruction& c,
                                       absl::string_view name,
                                       DataType fallback) {
  DataType dtype;
  MS_RETURN_IF_ERROR(c.attrs.GetOr(std::string(name), fallback, &dtype));
  if (dtype != DT_INT32 && dtype != DT_INT64) {
    return UnsupportedAttrError(
        c, absl::StrCat("attr '", name, "' must be int32 or int64, got ",
                        DataTypeName(dtype)));
  }
  return dtype;
}

absl::Status CheckIndexTypeAttr(const KernelConstruction& c,
                                absl::string_view name) {
  return IndexTypeAttr(c, name, DT_INT32).status();
}

absl::Status CheckIntTensor(const Tensor& t, absl::string_view what) {
  if (t.dtype() != DT_INT32 && t.dtype() != DT_INT64) {
    return absl::InvalidArgumentError(absl::StrCat(
        what, " must be int32 or int64, got ", DataTypeName(t.dtype())));
  }
  return absl::OkStatus();
}

Dims IntValues(const Tensor& t) {
  Dims values(t.NumElements());
  for (int64_t i = 0; i < t.NumElements(); ++i) values[i] = IntAt(t, i);
  return values;
}

absl::StatusOr<int64_t> ScalarIndex(const Tensor& t, absl::string_view what) {
  MS_RETURN_IF_ERROR(CheckIntTensor(t, what));
  if (t.NumElements() != 1 || t.rank() > 1) {
    return absl::InvalidArgumentError(
        absl::StrCat(what, " tensor should be a scalar integer, but got shape ",
                     t.shape().DebugString()));
  }
  return IntAt(t, 0);
}

absl::Status CheckInputDtype(const Tensor& t, DataType expected) {
  if (t.dtype() != expected) {
    return absl::InvalidArgumentError(
        absl::StrCat("expected input of type ", DataTypeName(expected),
                     ", got ", DataTypeName(t.dtype())));
  }
  return absl::OkStatus();
}

}  // namespace model_server
