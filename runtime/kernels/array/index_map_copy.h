// Copies in which every output dimension is placed independently of the
// others (Pad, MirrorPad, Roll): one index map per dimension says which
// input coordinate each output coordinate reads. Every dtype, through the
// move types of data_movement.h.
#ifndef MODEL_SERVER_RUNTIME_KERNELS_ARRAY_INDEX_MAP_COPY_H_
#define MODEL_SERVER_RUNTIME_KERNELS_ARRAY_INDEX_MAP_COPY_H_

#include <algorithm>
#include <cstdint>
#include <vector>

#include "absl/types/span.h"
#include "runtime/kernels/array/data_movement.h"

namespace model_server {

// One index map per output dimension: maps[d][o] is the input coordinate
// that output coordinate o of dimension d reads, or -1 for "no input
// element" (the fill value). Pad, MirrorPad and Roll place every dimension
// independently, so they are all such maps.
using IndexMaps = std::vector<std::vector<int64_t>>;

// out[o_0, ..., o_r-1] = in[maps[0][o_0], ..., maps[r-1][o_r-1]], or `fill`
// where any map gives -1. `in_dims` is the input's shape; the output's shape
// is the maps' lengths.
// REQUIRES: maps.size() == in_dims.size(); every map entry is -1 or in
// [0, in_dims[d]).
template <typename T>
void CopyWithIndexMaps(const T* in, absl::Span<const int64_t> in_dims,
                       const IndexMaps& maps, const T& fill, T* out) {
  const int rank = static_cast<int>(maps.size());
  if (rank == 0) {
    out[0] = in[0];
    return;
  }
  const Dims in_strides = StridesOf(in_dims);
  const std::vector<int64_t>& inner_map = maps[rank - 1];
  const int64_t inner = static_cast<int64_t>(inner_map.size());
  int64_t rows = 1;
  for (int d = 0; d + 1 < rank; ++d) {
    rows *= static_cast<int64_t>(maps[d].size());
  }
  if (rows == 0 || inner == 0) return;
  ForRows(rows, inner, [&](int64_t begin, int64_t end) {
    Dims idx(rank - 1, 0);
    int64_t rest = begin;
    for (int d = rank - 2; d >= 0; --d) {
      const int64_t n = static_cast<int64_t>(maps[d].size());
      idx[d] = rest % n;
      rest /= n;
    }
    for (int64_t row = begin; row < end; ++row) {
      T* dst = out + row * inner;
      int64_t src_offset = 0;
      bool filled = false;
      for (int d = 0; d + 1 < rank; ++d) {
        const int64_t s = maps[d][idx[d]];
        if (s < 0) {
          filled = true;
          break;
        }
        src_offset += s * in_strides[d];
      }
      if (filled) {
        std::fill(dst, dst + inner, fill);
      } else {
        const T* src = in + src_offset;
        for (int64_t j = 0; j < inner; ++j) {
          const int64_t s = inner_map[j];
          dst[j] = s < 0 ? fill : src[s];
        }
      }
      for (int d = rank - 2; d >= 0; --d) {
        if (++idx[d] < static_cast<int64_t>(maps[d].size())) break;
        idx[d] = 0;
      }
    }
  });
}

}  // namespace model_server

#endif  // MODEL_SERVER_RUNTIME_KERNELS_ARRAY_INDEX_MAP_COPY_H_
