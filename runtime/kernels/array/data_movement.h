// Moving elements without looking at them, for the array ops (slice, tile,
// transpose, reverse, gather, concat, split, ...).
//
// Data-movement kernels are written once per element size: numbers of every
// dtype are moved as unsigned integers of the same size, strings, resources
// and variants as themselves. So every dtype works without an instantiation
// per type:
//
//   SwitchOnMoveType(input.dtype(), [&](auto tag) {
//     using T = decltype(tag);
//     Copy(DataAs<T>(input), DataAs<T>(out), ...);
//   });
#ifndef MODEL_SERVER_RUNTIME_KERNELS_ARRAY_DATA_MOVEMENT_H_
#define MODEL_SERVER_RUNTIME_KERNELS_ARRAY_DATA_MOVEMENT_H_

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <memory>
#include <string>
#include <type_traits>

#include "absl/types/span.h"
#include "runtime/data_type.h"
#include "runtime/eigen_device.h"
#include "runtime/kernels/kernel_util.h"
#include "runtime/tensor.h"

namespace model_server {

// The element type that moves 16-byte numbers (complex128).
struct Pod16 {
  uint64_t lo, hi;
};

// Calls fn(tag) with a value of the type that moves elements of `dtype`;
// returns false (without calling fn) if no type does.
template <typename Fn>
bool SwitchOnMoveType(DataType dtype, Fn&& fn) {
  switch (dtype) {
    case DT_STRING:
      fn(std::string());
      return true;
    case DT_RESOURCE:
      fn(std::shared_ptr<ResourceBase>());
      return true;
    case DT_VARIANT:
      fn(std::shared_ptr<VariantValue>());
      return true;
    default:
      break;
  }
  switch (DataTypeSize(dtype)) {
    case 1:
      fn(uint8_t());
      return true;
    case 2:
      fn(uint16_t());
      return true;
    case 4:
      fn(uint32_t());
      return true;
    case 8:
      fn(uint64_t());
      return true;
    case 16:
      fn(Pod16());
      return true;
    default:
      return false;
  }
}

// A tensor's buffer as elements of its move type.
template <typename T>
const T* DataAs(const Tensor& t) {
  return static_cast<const T*>(t.raw_data());
}
template <typename T>
T* DataAs(Tensor* t) {
  return static_cast<T*>(t->raw_data());
}

// dst[0, n) = src[0, n).
template <typename T>
void CopyRun(const T* src, int64_t n, T* dst) {
  if (n == 1) {
    *dst = *src;
  } else if constexpr (std::is_trivially_copyable_v<T>) {
    std::memcpy(dst, src, n * sizeof(T));
  } else {
    std::copy(src, src + n, dst);
  }
}

// The product of `dims` (1 for none).
inline int64_t Product(absl::Span<const int64_t> dims) {
  int64_t n = 1;
  for (int64_t d : dims) n *= d;
  return n;
}

// Row-major strides (in elements) of a shape.
Dims StridesOf(absl::Span<const int64_t> dims);

// "[i,j]" position of flat index `flat` in `shape`; "" for a scalar. For
// error messages that name an element (indices[1,2] = 7 is not in [0, 5)).
std::string SliceDebugString(absl::Span<const int64_t> shape, int64_t flat);

// Runs fn(begin, end) over [0, rows), on the shared thread pool when the rows
// hold at least kMinParallelWork elements in total.
template <typename Fn>
void ForRows(int64_t rows, int64_t elements_per_row, const Fn& fn) {
  if (rows > 1 && rows * elements_per_row >= kMinParallelWork) {
    const double bytes = 8.0 * static_cast<double>(elements_per_row);
    EigenDevice().parallelFor(
        rows, Eigen::TensorOpCost(bytes, bytes, 1),
        [&](Eigen::Index begin, Eigen::Index end) { fn(begin, end); });
  } else {
    fn(0, rows);
  }
}

// Drops size-1 dimensions and merges neighbours that are contiguous in the
// source, so strided copies run over as few, as long, rows as possible.
void SimplifyStridedView(Dims* dims, Dims* strides);

// out (contiguous, shape `dims`) = in[start + sum_d idx_d * strides_d].
template <typename T>
void StridedCopy(const T* in, int64_t start, Dims dims, Dims strides, T* out) {
  SimplifyStridedView(&dims, &strides);
  const int rank = static_cast<int>(dims.size());
  if (rank == 0) {
    out[0] = in[start];
    return;
  }
  const int64_t inner = dims[rank - 1];
  const int64_t inner_stride = strides[rank - 1];
  const int64_t rows = Product(absl::MakeSpan(dims).subspan(0, rank - 1));
  ForRows(rows, inner, [&](int64_t begin, int64_t end) {
    Dims idx(rank - 1, 0);
    int64_t offset = start;
    int64_t rest = begin;
    for (int d = rank - 2; d >= 0; --d) {
      idx[d] = rest % dims[d];
      rest /= dims[d];
      offset += idx[d] * strides[d];
    }
    for (int64_t row = begin; row < end; ++row) {
      const T* src = in + offset;
      T* dst = out + row * inner;
      if (inner_stride == 1) {
        CopyRun(src, inner, dst);
      } else {
        for (int64_t j = 0; j < inner; ++j) dst[j] = src[j * inner_stride];
      }
      for (int d = rank - 2; d >= 0; --d) {
        offset += strides[d];
        if (++idx[d] < dims[d]) break;
        offset -= strides[d] * dims[d];
        idx[d] = 0;
      }
    }
  });
}

// Copies a strided view of `in` into `out` (already allocated, contiguous,
// same dtype).
void CopyView(const Tensor& in, int64_t start, const Dims& dims,
              const Dims& strides, Tensor* out);

}  // namespace model_server

#endif  // MODEL_SERVER_RUNTIME_KERNELS_ARRAY_DATA_MOVEMENT_H_
