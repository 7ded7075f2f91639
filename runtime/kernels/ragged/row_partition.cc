#include "runtime/kernels/ragged/row_partition.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "runtime/kernels/kernel_util.h"
#include "runtime/status_macros.h"

namespace model_server {

absl::StatusOr<RowPartition> PartitionFromRowSplits(const Tensor& splits,
                                                    int64_t num_elements,
                                                    absl::string_view what) {
  MS_RETURN_IF_ERROR(CheckIntTensor(splits, what));
  if (splits.rank() != 1 || splits.NumElements() < 1) {
    return absl::InvalidArgumentError(
        absl::StrCat(what, " must be a non-empty vector, got shape ",
                     splits.shape().DebugString()));
  }
  const int64_t n = splits.NumElements();
  if (IntAt(splits, 0) != 0) {
    return absl::InvalidArgumentError(
        absl::StrCat(what, " must start with 0, got ", IntAt(splits, 0)));
  }
  if (IntAt(splits, n - 1) != num_elements) {
    return absl::InvalidArgumentError(
        absl::StrCat(what, " must end with the number of values (",
                     num_elements, "), got ", IntAt(splits, n - 1)));
  }
  RowPartition partition;
  partition.num_rows = n - 1;
  partition.row.resize(num_elements);
  partition.position.resize(num_elements);
  for (int64_t i = 0; i + 1 < n; ++i) {
    const int64_t begin = IntAt(splits, i), end = IntAt(splits, i + 1);
    if (end < begin) {
      return absl::InvalidArgumentError(absl::StrCat(
          what, " must be non-decreasing, got ", begin, " before ", end));
    }
    partition.max_row_length = std::max(partition.max_row_length, end - begin);
    for (int64_t j = begin; j < end; ++j) {
      partition.row[j] = i;
      partition.position[j] = j - begin;
    }
  }
  return partition;
}

absl::StatusOr<RowPartition> PartitionFromValueRowids(const Tensor& rowids,
                                                      int64_t num_rows,
                                                      absl::string_view what) {
  MS_RETURN_IF_ERROR(CheckIntTensor(rowids, what));
  if (rowids.rank() != 1) {
    return absl::InvalidArgumentError(absl::StrCat(
        what, " must be a vector, got shape ", rowids.shape().DebugString()));
  }
  if (num_rows < 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("the number of rows must be >= 0, got ", num_rows));
  }
  RowPartition partition;
  partition.num_rows = num_rows;
  const int64_t n = rowids.NumElements();
  partition.row.resize(n);
  partition.position.resize(n);
  int64_t previous = 0, run = 0;
  for (int64_t j = 0; j < n; ++j) {
    const int64_t r = IntAt(rowids, j);
    if (r < 0 || r >= num_rows) {
      return absl::InvalidArgumentError(absl::StrCat(
          what, "[", j, "] = ", r, " is not in [0, ", num_rows, ")"));
    }
    if (r < previous) {
      return absl::InvalidArgumentError(
          absl::StrCat(what, " must be sorted, got ", previous, " before ", r));
    }
    run = (j > 0 && r == previous) ? run + 1 : 0;
    previous = r;
    partition.row[j] = r;
    partition.position[j] = run;
    partition.max_row_length = std::max(partition.max_row_length, run + 1);
  }
  return partition;
}

std::vector<int64_t> RowSplitsOf(const RowPartition& partition) {
  std::vector<int64_t> splits(partition.num_rows + 1, 0);
  for (int64_t r : partition.row) ++splits[r + 1];
  for (int64_t i = 0; i < partition.num_rows; ++i) splits[i + 1] += splits[i];
  return splits;
}

}  // namespace model_server
