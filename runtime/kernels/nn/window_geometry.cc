#include "runtime/kernels/nn/window_geometry.h"

#include <algorithm>
#include <limits>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "runtime/status_macros.h"

namespace model_server {

absl::StatusOr<Padding> PaddingAttr(const NodeAttrs& attrs,
                                    bool allow_explicit) {
  std::string padding;
  MS_RETURN_IF_ERROR(attrs.Get("padding", &padding));
  if (padding == "SAME") return Padding::kSame;
  if (padding == "VALID") return Padding::kValid;
  if (padding == "EXPLICIT" && allow_explicit) return Padding::kExplicit;
  return attrs.Error(absl::StrCat("Invalid padding: ", padding));
}

absl::StatusOr<std::array<int64_t, 4>> ExplicitPaddingsAttr(
    const NodeAttrs& attrs, Padding padding, int depth_dim, int rows_dim,
    int cols_dim) {
  std::vector<int64_t> paddings;
  MS_RETURN_IF_ERROR(
      attrs.GetOr("explicit_paddings", std::vector<int64_t>{}, &paddings));
  if (padding != Padding::kExplicit) {
    if (!paddings.empty()) {
      return attrs.Error(
          "explicit_paddings attribute must be empty if the padding attribute "
          "is not EXPLICIT");
    }
    return std::array<int64_t, 4>{0, 0, 0, 0};
  }
  if (paddings.size() != 8) {
    return attrs.Error(absl::StrCat(
        "explicit_paddings attribute must contain 8 values, but got: ",
        paddings.size()));
  }
  for (int64_t p : paddings) {
    if (p < 0) {
      return attrs.Error(
          "All elements of explicit_paddings must be nonnegative");
    }
    if (p > std::numeric_limits<int32_t>::max()) {
      return attrs.Error("explicit padding too large");
    }
  }
  if (paddings[0] != 0 || paddings[1] != 0 || paddings[2 * depth_dim] != 0 ||
      paddings[2 * depth_dim + 1] != 0) {
    return attrs.Error(
        "Nonzero explicit padding in the batch or depth dimensions is "
        "not supported");
  }
  return std::array<int64_t, 4>{
      paddings[2 * rows_dim], paddings[2 * rows_dim + 1],
      paddings[2 * cols_dim], paddings[2 * cols_dim + 1]};
}

absl::Status WindowedOutputSize(int64_t input, int64_t filter, int64_t dilation,
                                int64_t stride, Padding padding,
                                int64_t* output, int64_t* pad_before,
                                int64_t* pad_after) {
  if (stride <= 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("Stride must be > 0, but got ", stride));
  }
  const int64_t effective = (filter - 1) * dilation + 1;
  switch (padding) {
    case Padding::kValid:
      *output = (input - effective + stride) / stride;
      *pad_before = *pad_after = 0;
      break;
    case Padding::kExplicit:
      *output =
          (input + *pad_before + *pad_after - effective + stride) / stride;
      break;
    case Padding::kSame: {
      *output = (input + stride - 1) / stride;
      const int64_t needed =
          std::max<int64_t>(0, (*output - 1) * stride + effective - input);
      *pad_before = needed / 2;
      *pad_after = needed - *pad_before;
      break;
    }
  }
  if (*output < 0) {
    return absl::InvalidArgumentError(absl::StrCat(
        "Computed output size would be negative: ", *output,
        " [input_size: ", input, ", effective_filter_size: ", effective,
        ", stride: ", stride, "]"));
  }
  return absl::OkStatus();
}

}  // namespace model_server
