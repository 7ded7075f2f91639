// Reading one level of a ragged tensor's row partition (row_splits or
// value_rowids) from untrusted tensors: the checks TensorFlow's ragged
// kernels make, and for each element of the level the row it belongs to and
// its position in that row.
#ifndef MODEL_SERVER_RUNTIME_KERNELS_RAGGED_ROW_PARTITION_H_
#define MODEL_SERVER_RUNTIME_KERNELS_RAGGED_ROW_PARTITION_H_

#include <cstdint>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "runtime/tensor.h"

namespace model_server {

// One partitioned level: `num_rows` rows holding `row[j]` / `position[j]`
// for each of its elements j, and the longest row.
struct RowPartition {
  int64_t num_rows = 0;
  std::vector<int64_t> row;
  std::vector<int64_t> position;
  int64_t max_row_length = 0;
  int64_t num_elements() const { return static_cast<int64_t>(row.size()); }
};

// From row_splits (int32/int64 vector of num_rows + 1 entries, starting at 0,
// non-decreasing). `num_elements` is the size of the partitioned level, which
// the last split must equal. INVALID_ARGUMENT naming `what` otherwise.
absl::StatusOr<RowPartition> PartitionFromRowSplits(const Tensor& splits,
                                                    int64_t num_elements,
                                                    absl::string_view what);

// From value_rowids (int32/int64 vector, one per element, non-decreasing, in
// [0, num_rows)). INVALID_ARGUMENT naming `what` otherwise.
absl::StatusOr<RowPartition> PartitionFromValueRowids(const Tensor& rowids,
                                                      int64_t num_rows,
                                                      absl::string_view what);

// The row_splits of a partition: num_rows + 1 entries.
std::vector<int64_t> RowSplitsOf(const RowPartition& partition);

}  // namespace model_server

#endif  // MODEL_SERVER_RUNTIME_KERNELS_RAGGED_ROW_PARTITION_H_
