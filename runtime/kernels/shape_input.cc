#include "runtime/kernels/shape_input.h"

#include "absl/strings/str_cat.h"
#include "runtime/kernels/kernel_util.h"

namespace model_server {

absl::StatusOr<TensorShape> ShapeFromTensor(const Tensor& t,
                                            absl::string_view what) {
  if ((t.dtype() != DT_INT32 && t.dtype() != DT_INT64) || t.rank() != 1) {
    return absl::InvalidArgumentError(absl::StrCat(
        what, " must be a vector of int32 or int64, got ",
        DataTypeName(t.dtype()), " of shape ", t.shape().DebugString()));
  }
  const Dims dims = IntValues(t);
  for (int64_t d : dims) {
    if (d < 0) {
      return absl::InvalidArgumentError(
          absl::StrCat("Dimension ", d, " must be >= 0"));
    }
  }
  return TensorShape::FromDims(dims);
}

}  // namespace model_server
