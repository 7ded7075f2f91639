#include "runtime/kernels/nn/conv_engine.h"

#include <algorithm>
#include <cstring>
#include <type_traits>

#include "runtime/eigen_device.h"
#include "runtime/kernels/broadcast.h"
#include "runtime/kernels/math/gemm.h"
#include "runtime/status_macros.h"
#include "runtime/tensor.h"

namespace model_server {
namespace {

// Backward input: the column matrix of a block of output rows is computed
// whole by one (parallel) GEMM and then scattered by Col2Im; blocks are
// limited to this size.
constexpr int64_t kMaxColumnBytes = int64_t{64} << 20;

// Forward: each pool task copies the receptive fields of a tile of output
// rows into a buffer of its own and multiplies it at once, while the tile is
// still in the core's L2 cache. One patch matrix for the whole batch (57 MB
// for the bench CNN's second layer at batch 64) was a fresh mmap on every
// run whose page faults cost several times the arithmetic; tiles of a few
// hundred KB are reused from the heap and keep the cost per image flat
// across batch sizes (docs/kernel_performance.md). Fewer than ~64 rows make
// Eigen's GEMM inefficient, more than ~1000 gain nothing.
constexpr int64_t kPatchTileBytes = int64_t{512} << 10;
constexpr int64_t kMinTileRows = 64;
constexpr int64_t kMaxTileRows = 1024;

// An output row (flat over N*OD*OH*OW) as batch and spatial indices.
struct OutputPosition {
  int64_t batch;
  std::array<int64_t, 3> at;
};

OutputPosition PositionOf(const ConvGeometry& g, int64_t row) {
  OutputPosition p;
  p.at[2] = row % g.output[2];
  row /= g.output[2];
  p.at[1] = row % g.output[1];
  row /= g.output[1];
  p.at[0] = row % g.output[0];
  p.batch = row / g.output[0];
  return p;
}

// Calls fn(tap, input_offset) for every filter tap of output row `row` that
// falls inside the input: `tap` is the flat (kd, kh, kw) index, and
// `input_offset` the element offset of that input position's channel 0.
template <typename Fn>
void ForEachTap(const ConvGeometry& g, int64_t row, const Fn& fn) {
  const OutputPosition p = PositionOf(g, row);
  std::array<int64_t, 3> origin;
  for (int s = 0; s < 3; ++s) {
    origin[s] = p.at[s] * g.stride[s] - g.pad_before[s];
  }
  for (int64_t kd = 0; kd < g.filter[0]; ++kd) {
    const int64_t id = origin[0] + kd * g.dilation[0];
    if (id < 0 || id >= g.input[0]) continue;
    for (int64_t kh = 0; kh < g.filter[1]; ++kh) {
      const int64_t ih = origin[1] + kh * g.dilation[1];
      if (ih < 0 || ih >= g.input[1]) continue;
      const int64_t line =
          ((p.batch * g.input[0] + id) * g.input[1] + ih) * g.input[2];
      for (int64_t kw = 0; kw < g.filter[2]; ++kw) {
        const int64_t iw = origin[2] + kw * g.dilation[2];
        if (iw < 0 || iw >= g.input[2]) continue;
        fn((kd * g.filter[1] + kh) * g.filter[2] + kw,
           (line + iw) * g.in_depth);
      }
    }
  }
}

// Copies the receptive fields of output rows [r0, r1), channels
// [c0, c0 + cg), into `patches` ([r1 - r0, taps * cg]), zeros for padding,
// on the calling thread.
template <typename T>
void Im2ColRows(const ConvGeometry& g, const T* input, int64_t c0, int64_t cg,
                int64_t r0, int64_t r1, T* patches) {
  const int64_t row_len = g.filter_taps() * cg;
  for (int64_t r = r0; r < r1; ++r) {
    T* dst = patches + (r - r0) * row_len;
    std::fill(dst, dst + row_len, T(0));
    ForEachTap(g, r, [&](int64_t tap, int64_t offset) {
      const T* src = input + offset + c0;
      T* to = dst + tap * cg;
      if (cg <= 8) {  // e.g. RGB input: skip the memcpy call
        for (int64_t c = 0; c < cg; ++c) to[c] = src[c];
      } else {
        std::memcpy(to, src, cg * sizeof(T));
      }
    });
  }
}

// Adds the columns of output rows [r0, r1) (`cols`, [r1 - r0, taps * C])
// into their receptive fields of `in_backprop`. Different rows add into the
// same input positions, so the work is split over channel ranges instead.
template <typename T>
void Col2Im(const ConvGeometry& g, const T* cols, int64_t r0, int64_t r1,
            T* in_backprop) {
  const int64_t depth = g.in_depth;
  const int64_t row_len = g.filter_taps() * depth;
  const double cost_per_channel =
      static_cast<double>((r1 - r0) * g.filter_taps());
  ParallelFor(depth, 3.0 * cost_per_channel * sizeof(T), cost_per_channel,
              [&](int64_t c_first, int64_t c_last) {
                const int64_t n = c_last - c_first;
                for (int64_t r = r0; r < r1; ++r) {
                  const T* src_row = cols + (r - r0) * row_len + c_first;
                  ForEachTap(g, r, [&](int64_t tap, int64_t offset) {
                    const T* src = src_row + tap * depth;
                    T* dst = in_backprop + offset + c_first;
                    for (int64_t c = 0; c < n; ++c) dst[c] += src[c];
                  });
                }
              });
}

// Output rows per column-matrix block (backward) for rows of `row_len`
// elements.
template <typename T>
int64_t ColumnBlockRows(int64_t rows, int64_t row_len) {
  return std::max<int64_t>(
      1,
      std::min<int64_t>(
          rows, kMaxColumnBytes / std::max<int64_t>(1, row_len * sizeof(T))));
}

// How ConvForward splits its `rows` output rows (patch rows of `row_len`
// elements) into tiles: about kPatchTileBytes each, within [kMinTileRows,
// kMaxTileRows], at least one per thread when there are enough rows, and
// all of one size but the last.
struct ForwardTiles {
  int64_t rows_per_tile;
  int64_t count;
};

template <typename T>
ForwardTiles PlanForwardTiles(int64_t rows, int64_t row_len, int threads) {
  const int64_t row_bytes =
      std::max<int64_t>(1, row_len * static_cast<int64_t>(sizeof(T)));
  const int64_t target =
      std::clamp(kPatchTileBytes / row_bytes, kMinTileRows, kMaxTileRows);
  int64_t count = (rows + target - 1) / target;
  count = std::max(count, std::min<int64_t>(threads, (rows + kMinTileRows - 1) /
                                                         kMinTileRows));
  count = std::clamp<int64_t>(count, 1, rows);
  const int64_t rows_per_tile = (rows + count - 1) / count;
  return {rows_per_tile, (rows + rows_per_tile - 1) / rows_per_tile};
}

bool Unpadded(const ConvGeometry& g) {
  for (int s = 0; s < 3; ++s) {
    if (g.pad_before[s] != 0 || g.pad_after[s] != 0) return false;
  }
  return true;
}

}  // namespace

template <typename T>
absl::Status ConvForward(const ConvGeometry& g, const T* input, const T* filter,
                         T* output) {
  const int64_t rows = g.batch * g.output_positions();
  const int64_t groups = g.groups();
  const bool unit_stride =
      g.stride[0] == 1 && g.stride[1] == 1 && g.stride[2] == 1;
  const bool unit_dilation =
      g.dilation[0] == 1 && g.dilation[1] == 1 && g.dilation[2] == 1;
  if (groups == 1 && g.filter_taps() == 1 && unit_stride && Unpadded(g)) {
    Gemm(input, false, filter, false, output, rows, g.out_depth, g.in_depth,
         /*parallel=*/true);
    return absl::OkStatus();
  }
  if (groups == 1 && Unpadded(g) && g.filter == g.input && unit_dilation) {
    Gemm(input, false, filter, false, output, g.batch, g.out_depth,
         g.input_positions() * g.in_depth, /*parallel=*/true);
    return absl::OkStatus();
  }
  const int64_t group_out = g.out_depth / groups;
  const int64_t k = g.filter_taps() * g.filter_depth;
  const Eigen::ThreadPoolDevice& device = EigenDevice();
  const ForwardTiles tiles = PlanForwardTiles<T>(rows, k, device.numThreads());
  // One tile buffer per thread that can run a task: the pool's threads and
  // the calling thread (currentThreadId() -1). A thread runs one of this
  // call's tasks at a time, and no task waits on the pool.
  const int64_t tile_elements = tiles.rows_per_tile * k;
  MS_ASSIGN_OR_RETURN(
      Tensor buffers,
      Tensor::Create(DataTypeOf<T>::value,
                     TensorShape{device.numThreads() + 1, tile_elements}));
  T* const tile_buffers = buffers.data<T>();
  const double tile_macs =
      static_cast<double>(tiles.rows_per_tile) * k * g.out_depth;
  const Eigen::TensorOpCost cost(
      static_cast<double>(tile_elements * sizeof(T)),
      static_cast<double>(tiles.rows_per_tile * g.out_depth * sizeof(T)),
      tile_macs / 8);  // an AVX2 core does about 8 multiply-adds a cycle
  device.parallelFor(
      tiles.count, cost, [&](Eigen::Index first, Eigen::Index last) {
        T* tile = tile_buffers + (device.currentThreadId() + 1) * tile_elements;
        for (Eigen::Index t = first; t < last; ++t) {
          const int64_t r0 = t * tiles.rows_per_tile;
          const int64_t r1 = std::min(rows, r0 + tiles.rows_per_tile);
          for (int64_t grp = 0; grp < groups; ++grp) {
            Im2ColRows(g, input, grp * g.filter_depth, g.filter_depth, r0, r1,
                       tile);
            GemmOnThisThread(tile, k, filter + grp * group_out, g.out_depth,
                             output + r0 * g.out_depth + grp * group_out,
                             g.out_depth, r1 - r0, group_out, k);
          }
        }
      });
  return absl::OkStatus();
}

template <typename T>
absl::Status ConvBackwardInput(const ConvGeometry& g, const T* out_backprop,
                               const T* filter, T* in_backprop) {
  const int64_t rows = g.batch * g.output_positions();
  const int64_t k = g.filter_taps() * g.in_depth;
  const int64_t in_elements = g.batch * g.input_positions() * g.in_depth;
  const bool unit_stride =
      g.stride[0] == 1 && g.stride[1] == 1 && g.stride[2] == 1;
  if (g.filter_taps() == 1 && unit_stride && Unpadded(g)) {
    Gemm(out_backprop, false, filter, true, in_backprop, rows, g.in_depth,
         g.out_depth, /*parallel=*/true);
    return absl::OkStatus();
  }
  std::fill(in_backprop, in_backprop + in_elements, T(0));
  const int64_t tile_rows = ColumnBlockRows<T>(rows, k);
  MS_ASSIGN_OR_RETURN(Tensor cols, Tensor::Create(DataTypeOf<T>::value,
                                                  TensorShape{tile_rows, k}));
  for (int64_t r0 = 0; r0 < rows; r0 += tile_rows) {
    const int64_t r1 = std::min(rows, r0 + tile_rows);
    T* c = cols.data<T>();
    Gemm(out_backprop + r0 * g.out_depth, false, filter, true, c, r1 - r0, k,
         g.out_depth, /*parallel=*/true);
    Col2Im(g, c, r0, r1, in_backprop);
  }
  return absl::OkStatus();
}

template <typename T>
void ExtractPatches(const ConvGeometry& g, const T* input, T* patches) {
  const int64_t row_len = g.filter_taps() * g.in_depth;
  ParallelFor(g.batch * g.output_positions(), 2.0 * row_len * sizeof(T),
              row_len, [&](int64_t first, int64_t last) {
                Im2ColRows(g, input, 0, g.in_depth, first, last,
                           patches + first * row_len);
              });
}

template void ExtractPatches<uint8_t>(const ConvGeometry&, const uint8_t*,
                                      uint8_t*);
template void ExtractPatches<uint16_t>(const ConvGeometry&, const uint16_t*,
                                       uint16_t*);
template void ExtractPatches<uint32_t>(const ConvGeometry&, const uint32_t*,
                                       uint32_t*);
template void ExtractPatches<uint64_t>(const ConvGeometry&, const uint64_t*,
                                       uint64_t*);

#define MS_INSTANTIATE_CONV_ENGINE(T)                                       \
  template absl::Status ConvForward<T>(const ConvGeometry&, const T*,       \
                                       const T*, T*);                       \
  template absl::Status ConvBackwardInput<T>(const ConvGeometry&, const T*, \
                                             const T*, T*);
MS_INSTANTIATE_CONV_ENGINE(float)
MS_INSTANTIATE_CONV_ENGINE(double)
MS_INSTANTIATE_CONV_ENGINE(int32_t)
#undef MS_INSTANTIATE_CONV_ENGINE

}  // namespace model_server
