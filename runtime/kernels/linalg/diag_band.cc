#include "runtime/kernels/linalg/diag_band.h"

#include <string>
#include <type_traits>

#include "absl/strings/str_cat.h"
#include "runtime/kernels/kernel_util.h"
#include "runtime/status_macros.h"

namespace model_server {

absl::StatusOr<DiagAlignment> ReadDiagAlignment(const KernelConstruction& c,
                                                bool has_align_attr) {
  DiagAlignment align;
  if (!has_align_attr) return align;
  std::string value;
  MS_RETURN_IF_ERROR(c.attrs.GetOr<std::string>("align", "RIGHT_LEFT", &value));
  if (value != "LEFT_LEFT" && value != "LEFT_RIGHT" && value != "RIGHT_LEFT" &&
      value != "RIGHT_RIGHT") {
    return c.attrs.Error(absl::StrCat(
        "align must be one of LEFT_LEFT, LEFT_RIGHT, RIGHT_LEFT, RIGHT_RIGHT, "
        "got '",
        value, "'"));
  }
  align.left_align_superdiagonals =
      value == "LEFT_LEFT" || value == "LEFT_RIGHT";
  align.left_align_subdiagonals = value == "LEFT_LEFT" || value == "RIGHT_LEFT";
  return align;
}

absl::StatusOr<DiagRange> ReadDiagIndex(const Tensor& k) {
  MS_RETURN_IF_ERROR(CheckIntTensor(k, "k"));
  if (k.rank() > 1) {
    return absl::InvalidArgumentError(
        absl::StrCat("diag_index must be a scalar or vector, received shape: ",
                     k.shape().DebugString()));
  }
  if (k.rank() == 1 && (k.NumElements() < 1 || k.NumElements() > 2)) {
    return absl::InvalidArgumentError(
        absl::StrCat("diag_index must have only one or two elements, received ",
                     k.NumElements(), " elements."));
  }
  DiagRange range;
  range.lower = IntAt(k, 0);
  range.upper = k.NumElements() == 2 ? IntAt(k, 1) : range.lower;
  if (range.lower > range.upper) {
    return absl::InvalidArgumentError(absl::StrCat(
        "lower_diag_index must not be larger than upper_diag_index: ",
        range.lower, " > ", range.upper));
  }
  return range;
}

absl::Status CheckDiagRangeInMatrix(const DiagRange& range, int64_t rows,
                                    int64_t cols) {
  const auto in_matrix = [&](int64_t d) {
    return (-rows < d && d < cols) || d == 0;
  };
  if (!in_matrix(range.lower)) {
    return absl::InvalidArgumentError(
        absl::StrCat("lower_diag_index is out of bound: ", range.lower,
                     ". It must be between ", -rows, " and ", cols));
  }
  if (!in_matrix(range.upper)) {
    return absl::InvalidArgumentError(
        absl::StrCat("upper_diag_index is out of bound: ", range.upper,
                     " It must be between ", -rows, " and ", cols));
  }
  return absl::OkStatus();
}

std::vector<DiagPlacement> PlaceDiagonals(const DiagRange& range,
                                          int64_t max_len, int64_t rows,
                                          int64_t cols,
                                          const DiagAlignment& align) {
  std::vector<DiagPlacement> placements;
  placements.reserve(range.num_diags());
  for (int64_t d = range.upper; d >= range.lower; --d) {
    placements.push_back(PlaceDiagonal(d, max_len, rows, cols, align));
  }
  return placements;
}

absl::StatusOr<const void*> ReadPaddingValue(const Tensor& t, DataType dtype) {
  MS_RETURN_IF_ERROR(CheckInputDtype(t, dtype));
  if (t.NumElements() != 1) {
    return absl::InvalidArgumentError(
        absl::StrCat("padding_value must be a scalar, received shape: ",
                     t.shape().DebugString()));
  }
  return t.raw_data();
}

absl::Status CheckAtLeastMatrix(const Tensor& input) {
  if (input.rank() < 2) {
    return absl::InvalidArgumentError(
        absl::StrCat("input must be at least 2-dim, received shape: ",
                     input.shape().DebugString()));
  }
  return absl::OkStatus();
}

absl::Status CheckPodDtype(const KernelConstruction& c, DataType dtype) {
  const bool pod = DtypeIs(dtype, [](auto tag) {
    return !std::is_same_v<decltype(tag), std::string>;
  });
  if (!pod) return UnsupportedDtypeError(c, dtype);
  return absl::OkStatus();
}

}  // namespace model_server
