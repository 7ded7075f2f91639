#include "runtime/kernels/array/data_movement.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace model_server {

Dims StridesOf(absl::Span<const int64_t> dims) {
  Dims strides(dims.size());
  int64_t stride = 1;
  for (int i = static_cast<int>(dims.size()) - 1; i >= 0; --i) {
    strides[i] = stride;
    stride *= dims[i];
  }
  return strides;
}

std::string SliceDebugString(absl::Span<const int64_t> shape, int64_t flat) {
  if (shape.empty()) return "";
  Dims index(shape.size());
  for (int d = static_cast<int>(shape.size()) - 1; d >= 0; --d) {
    index[d] = shape[d] == 0 ? 0 : flat % shape[d];
    flat = shape[d] == 0 ? 0 : flat / shape[d];
  }
  return absl::StrCat("[", absl::StrJoin(index, ","), "]");
}

void SimplifyStridedView(Dims* dims, Dims* strides) {
  Dims d, s;
  for (size_t i = 0; i < dims->size(); ++i) {
    if ((*dims)[i] == 1) continue;
    if (!d.empty() && s.back() == (*strides)[i] * (*dims)[i]) {
      d.back() *= (*dims)[i];
      s.back() = (*strides)[i];
      continue;
    }
    d.push_back((*dims)[i]);
    s.push_back((*strides)[i]);
  }
  *dims = std::move(d);
  *strides = std::move(s);
}

void CopyView(const Tensor& in, int64_t start, const Dims& dims,
              const Dims& strides, Tensor* out) {
  if (out->NumElements() == 0) return;
  SwitchOnMoveType(in.dtype(), [&](auto tag) {
    using T = decltype(tag);
    StridedCopy<T>(DataAs<T>(in), start, dims, strides, DataAs<T>(out));
  });
}

}  // namespace model_server
