// The band of diagonals that the MatrixDiag, MatrixDiagPart and MatrixSetDiag
// families (V1, V2, V3) address, and how each diagonal is packed into the
// "diagonal" tensor.
//
// A band k = [lower, upper] of diagonals of a rows x cols matrix (diagonal d
// holds the elements (i, i + d)) is packed as [..., num_diags, max_len] with
// num_diags = upper - lower + 1 (the num_diags dimension is dropped when
// lower == upper). Row m of the packing holds diagonal upper - m. A diagonal
// shorter than max_len is padded on one side: `align` (V3) says which, per
// side of the main diagonal ("RIGHT_LEFT", the default, right-aligns
// superdiagonals and left-aligns subdiagonals); V2 always left-aligns; V1 has
// only the main diagonal.
#ifndef MODEL_SERVER_RUNTIME_KERNELS_LINALG_DIAG_BAND_H_
#define MODEL_SERVER_RUNTIME_KERNELS_LINALG_DIAG_BAND_H_

#include <algorithm>
#include <cstdint>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "runtime/op_kernel.h"
#include "runtime/tensor.h"

namespace model_server {

struct DiagAlignment {
  bool left_align_superdiagonals = true;
  bool left_align_subdiagonals = true;
};

// The node's `align` attr (V3; "RIGHT_LEFT" when absent on a V3 node), or
// LEFT_LEFT for the ops without it (V1, V2). INVALID_ARGUMENT naming the node
// for a value other than LEFT_LEFT, LEFT_RIGHT, RIGHT_LEFT, RIGHT_RIGHT.
absl::StatusOr<DiagAlignment> ReadDiagAlignment(const KernelConstruction& c,
                                                bool has_align_attr);

struct DiagRange {
  int64_t lower = 0;
  int64_t upper = 0;
  int64_t num_diags() const { return upper - lower + 1; }
};

// The `k` input: a scalar d (the band [d, d]) or a vector [lower] or
// [lower, upper]. INVALID_ARGUMENT with TensorFlow's texts for other shapes
// and for lower > upper.
absl::StatusOr<DiagRange> ReadDiagIndex(const Tensor& k);

// TensorFlow's check that both ends of `range` address a diagonal of a
// rows x cols matrix (or are 0).
absl::Status CheckDiagRangeInMatrix(const DiagRange& range, int64_t rows,
                                    int64_t cols);

// The length of the longest diagonal of `range` in a rows x cols matrix.
inline int64_t MaxDiagLength(const DiagRange& range, int64_t rows,
                             int64_t cols) {
  return std::max<int64_t>(0,
                           std::min(rows + std::min<int64_t>(range.upper, 0),
                                    cols - std::max<int64_t>(range.lower, 0)));
}

// Where diagonal d of a rows x cols matrix sits in a packed row of max_len
// elements: its `length` elements are at [offset, offset + length).
struct DiagPlacement {
  int64_t length;
  int64_t offset;
};
inline DiagPlacement PlaceDiagonal(int64_t d, int64_t max_len, int64_t rows,
                                   int64_t cols, const DiagAlignment& align) {
  const int64_t length = std::max<int64_t>(
      0,
      std::min(rows + std::min<int64_t>(0, d), cols - std::max<int64_t>(0, d)));
  const bool left = (d >= 0 && align.left_align_superdiagonals) ||
                    (d <= 0 && align.left_align_subdiagonals);
  return {length, left ? 0 : std::max<int64_t>(0, max_len - length)};
}

// PlaceDiagonal for each diagonal of `range`, upper first (packing order).
std::vector<DiagPlacement> PlaceDiagonals(const DiagRange& range,
                                          int64_t max_len, int64_t rows,
                                          int64_t cols,
                                          const DiagAlignment& align);

// The padding_value input's only element (of `dtype`), as raw bytes;
// INVALID_ARGUMENT unless `t` holds exactly one element of `dtype`.
absl::StatusOr<const void*> ReadPaddingValue(const Tensor& t, DataType dtype);

// INVALID_ARGUMENT "input must be at least 2-dim, received shape: [..]"
// unless `input` is a (batch of) matrices.
absl::Status CheckAtLeastMatrix(const Tensor& input);

// UNIMPLEMENTED unless `dtype` is one TensorFlow registers these ops for (the
// numbers and bool: no strings, resources or variants).
absl::Status CheckPodDtype(const KernelConstruction& c, DataType dtype);

}  // namespace model_server

#endif  // MODEL_SERVER_RUNTIME_KERNELS_LINALG_DIAG_BAND_H_
