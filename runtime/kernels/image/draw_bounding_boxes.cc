// DrawBoundingBoxes and DrawBoundingBoxesV2: images [batch, H, W, depth]
// (half or float; depth 1, 3 or 4), boxes float [batch, num_boxes, 4] of
// normalised [y_min, x_min, y_max, x_max] (V2: colors float [num_colors,
// >= depth]) -> the images with each box's 1-pixel outline drawn.
//
// As TensorFlow's DrawBoundingBoxesOp: a box's rows are y * (H - 1)
// truncated toward zero (columns alike); box k uses colour k % num_colors,
// from `colors` or, when none are given (V1, or an empty colors tensor),
// TensorFlow's 10-colour default table (channel 0 forced to 1 for depth 1).
// Each edge is drawn only where it lies inside the image, clipped to it;
// inverted boxes and boxes wholly outside are skipped, as are boxes with a
// NaN coordinate.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <memory>
#include <vector>

#include "absl/strings/str_cat.h"
#include "runtime/kernels/kernel_util.h"
#include "runtime/op_kernel.h"
#include "runtime/op_registry.h"
#include "runtime/status_macros.h"

namespace model_server {
namespace {

using ColorTable = std::vector<std::vector<float>>;

ColorTable DefaultColors(int64_t depth) {
  ColorTable table = {{1, 1, 0, 1},   {0, 0, 1, 1},     {1, 0, 0, 1},
                      {0, 1, 0, 1},   {0.5, 0, 0.5, 1}, {0.5, 0.5, 0, 1},
                      {0.5, 0, 0, 1}, {0, 0, 0.5, 1},   {0, 1, 1, 1},
                      {1, 0, 1, 1}};
  if (depth == 1) {
    for (auto& colour : table) colour[0] = 1;
  }
  return table;
}

// normalised * (size - 1) truncated toward zero; false for NaN. Values far
// outside the image saturate (they only decide "outside").
bool PixelCoordinate(float normalised, int64_t size, int64_t* out) {
  const double v = static_cast<double>(normalised) * (size - 1);
  if (std::isnan(v)) return false;
  constexpr double kLimit = 4e18;
  *out = static_cast<int64_t>(std::clamp(v, -kLimit, kLimit));
  return true;
}

template <typename T>
class DrawBoundingBoxesKernel : public OpKernel {
 public:
  absl::Status Compute(OpKernelContext& ctx) const override {
    const Tensor& images = ctx.input(0);
    const Tensor& boxes = ctx.input(1);
    MS_RETURN_IF_ERROR(CheckInputDtype(images, DataTypeOf<T>::value));
    if (images.rank() != 4) {
      return absl::InvalidArgumentError("The rank of the images should be 4");
    }
    if (boxes.rank() != 3) {
      return absl::InvalidArgumentError(
          "The rank of the boxes tensor should be 3");
    }
    if (boxes.dtype() != DT_FLOAT) {
      return absl::InvalidArgumentError(absl::StrCat(
          "boxes must be float, got ", DataTypeName(boxes.dtype())));
    }
    if (images.dim(0) != boxes.dim(0)) {
      return absl::InvalidArgumentError("The batch sizes should be the same");
    }
    const int64_t depth = images.dim(3);
    if (depth != 1 && depth != 3 && depth != 4) {
      return absl::InvalidArgumentError(
          "Channel depth should be either 1 (GRY), 3 (RGB), or 4 (RGBA)");
    }
    if (boxes.dim(2) != 4) {
      return absl::InvalidArgumentError(
          absl::StrCat("The size of the third dimension of the box must be 4. "
                       "Received: ",
                       boxes.dim(2)));
    }
    ColorTable colors;
    if (ctx.num_inputs() == 3) {
      MS_ASSIGN_OR_RETURN(colors, ReadColors(ctx.input(2), depth));
    }
    if (colors.empty()) colors = DefaultColors(depth);

    MS_ASSIGN_OR_RETURN(Tensor * out,
                        ctx.allocate_output(0, images.dtype(), images.shape()));
    if (images.NumElements() == 0) return absl::OkStatus();
    std::memcpy(out->data<T>(), images.data<T>(),
                images.NumElements() * sizeof(T));
    const int64_t batch = images.dim(0), height = images.dim(1),
                  width = images.dim(2), num_boxes = boxes.dim(1);
    for (int64_t b = 0; b < batch; ++b) {
      T* canvas = out->data<T>() + b * height * width * depth;
      for (int64_t k = 0; k < num_boxes; ++k) {
        const float* box = boxes.data<float>() + (b * num_boxes + k) * 4;
        std::vector<T> colour(depth);
        for (int64_t c = 0; c < depth; ++c) {
          colour[c] = static_cast<T>(colors[k % colors.size()][c]);
        }
        DrawBox(box, height, width, colour, canvas);
      }
    }
    return absl::OkStatus();
  }

 private:
  static absl::StatusOr<ColorTable> ReadColors(const Tensor& colors,
                                               int64_t depth) {
    if (colors.rank() != 2) {
      return absl::InvalidArgumentError(absl::StrCat(
          "colors must be a 2-D matrix", colors.shape().DebugString()));
    }
    if (colors.dim(1) < depth) {
      return absl::InvalidArgumentError(
          absl::StrCat("colors must have equal or more channels than the "
                       "image provided: ",
                       colors.shape().DebugString()));
    }
    if (colors.dtype() != DT_FLOAT) {
      return absl::InvalidArgumentError(absl::StrCat(
          "colors must be float, got ", DataTypeName(colors.dtype())));
    }
    ColorTable table;
    const float* v = colors.data<float>();
    for (int64_t i = 0; i < colors.dim(0); ++i) {
      table.emplace_back(v + i * colors.dim(1), v + i * colors.dim(1) + depth);
    }
    return table;
  }

  static void DrawBox(const float* box, int64_t height, int64_t width,
                      const std::vector<T>& colour, T* canvas) {
    int64_t min_row, min_col, max_row, max_col;
    if (!PixelCoordinate(box[0], height, &min_row) ||
        !PixelCoordinate(box[1], width, &min_col) ||
        !PixelCoordinate(box[2], height, &max_row) ||
        !PixelCoordinate(box[3], width, &max_col)) {
      return;
    }
    if (min_row > max_row || min_col > max_col) return;  // inverted
    if (min_row >= height || max_row < 0 || min_col >= width || max_col < 0) {
      return;  // wholly outside
    }
    const int64_t row_lo = std::max<int64_t>(min_row, 0);
    const int64_t row_hi = std::min(max_row, height - 1);
    const int64_t col_lo = std::max<int64_t>(min_col, 0);
    const int64_t col_hi = std::min(max_col, width - 1);
    const int64_t depth = static_cast<int64_t>(colour.size());
    auto paint = [&](int64_t y, int64_t x) {
      std::copy(colour.begin(), colour.end(), canvas + (y * width + x) * depth);
    };
    if (min_row >= 0) {
      for (int64_t x = col_lo; x <= col_hi; ++x) paint(min_row, x);
    }
    if (max_row < height) {
      for (int64_t x = col_lo; x <= col_hi; ++x) paint(max_row, x);
    }
    if (min_col >= 0) {
      for (int64_t y = row_lo; y <= row_hi; ++y) paint(y, min_col);
    }
    if (max_col < width) {
      for (int64_t y = row_lo; y <= row_hi; ++y) paint(y, max_col);
    }
  }
};

template <int kInputs>
absl::StatusOr<std::unique_ptr<OpKernel>> CreateDrawBoundingBoxes(
    const KernelConstruction& c) {
  MS_RETURN_IF_ERROR(CheckNumInputs(c, kInputs));
  DataType dtype;
  MS_RETURN_IF_ERROR(c.attrs.GetOr("T", DT_FLOAT, &dtype));
  if (dtype == DT_FLOAT) {
    return std::unique_ptr<OpKernel>(new DrawBoundingBoxesKernel<float>());
  }
  if (dtype == DT_HALF) {
    return std::unique_ptr<OpKernel>(
        new DrawBoundingBoxesKernel<Eigen::half>());
  }
  return UnsupportedDtypeError(c, dtype);
}

}  // namespace

REGISTER_KERNEL(OpSpec("DrawBoundingBoxes").Output("output"),
                CreateDrawBoundingBoxes<2>);
REGISTER_KERNEL(OpSpec("DrawBoundingBoxesV2").Output("output"),
                CreateDrawBoundingBoxes<3>);

}  // namespace model_server
