// Unique and UniqueWithCounts over a 1-D tensor.
//
// Inputs: x [N]. Outputs: y, the distinct values in order of first
// occurrence; idx [N] (attr out_idx int32 or int64, default int32), the
// position in y of each x; UniqueWithCounts adds count, how often each y
// occurs. dtypes: every integer type, float, double, half, bfloat16, bool
// and string. Floats compare with ==, so -0.0 and 0.0 are one value and
// every NaN is its own value, as in TensorFlow.
#include <cstdint>
#include <functional>
#include <limits>
#include <memory>
#include <string>
#include <type_traits>
#include <unordered_map>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "runtime/kernels/kernel_util.h"
#include "runtime/op_kernel.h"
#include "runtime/op_registry.h"
#include "runtime/status_macros.h"

namespace model_server {
namespace {

// Hashes Eigen's 16-bit floats through float (so -0 and 0 agree).
struct NarrowFloatHash {
  template <typename T>
  size_t operator()(const T& v) const {
    return std::hash<float>()(static_cast<float>(v));
  }
};

// Map from a value to its position in y. Strings are keyed by view (the
// input outlives the map). Floating types use std::unordered_map, which
// tolerates NaN keys that never compare equal; absl's map does not.
template <typename T>
struct PositionMap {
  using Key = T;
  using type = std::conditional_t<
      std::is_floating_point_v<T>, std::unordered_map<T, int64_t>,
      std::conditional_t<std::is_same_v<T, Eigen::half> ||
                             std::is_same_v<T, Eigen::bfloat16>,
                         std::unordered_map<T, int64_t, NarrowFloatHash>,
                         absl::flat_hash_map<T, int64_t>>>;
};
template <>
struct PositionMap<std::string> {
  using Key = absl::string_view;
  using type = absl::flat_hash_map<absl::string_view, int64_t>;
};

template <typename T>
constexpr bool kUniqueSupports =
    std::is_arithmetic_v<T> || std::is_same_v<T, Eigen::half> ||
    std::is_same_v<T, Eigen::bfloat16> || std::is_same_v<T, std::string>;

template <typename T>
class UniqueKernel final : public OpKernel {
 public:
  UniqueKernel(DataType out_idx, bool with_counts)
      : out_idx_(out_idx), with_counts_(with_counts) {}

  absl::Status Compute(OpKernelContext& ctx) const override {
    const Tensor& x = ctx.input(0);
    constexpr DataType kDtype = DataTypeOf<T>::value;
    if (x.dtype() != kDtype) {
      return ctx.InvalidArgument(absl::StrCat("x must be ",
                                              DataTypeName(kDtype), ", got ",
                                              DataTypeName(x.dtype())));
    }
    if (x.NumElements() > std::numeric_limits<int32_t>::max()) {
      return ctx.InvalidArgument(
          absl::StrCat("unique does not support input tensors larger than ",
                       std::numeric_limits<int32_t>::max(), " elements"));
    }
    if (x.rank() != 1) {
      return ctx.InvalidArgument("unique expects a 1D vector.");
    }
    const int64_t n = x.NumElements();
    const T* in = x.data<T>();

    typename PositionMap<T>::type positions;
    positions.reserve(n);
    std::vector<int64_t> idx(n);
    std::vector<int64_t> first;  // index in x of each y
    for (int64_t i = 0; i < n; ++i) {
      auto [it, inserted] =
          positions.emplace(typename PositionMap<T>::Key(in[i]),
                            static_cast<int64_t>(first.size()));
      if (inserted) first.push_back(i);
      idx[i] = it->second;
    }
    const int64_t unique = static_cast<int64_t>(first.size());

    MS_ASSIGN_OR_RETURN(Tensor * y,
                        ctx.allocate_output(0, kDtype, TensorShape{unique}));
    T* out = y->data<T>();
    for (int64_t j = 0; j < unique; ++j) out[j] = in[first[j]];
    MS_RETURN_IF_ERROR(WriteIndices(ctx, 1, idx));
    if (with_counts_) {
      std::vector<int64_t> counts(unique, 0);
      for (int64_t j : idx) ++counts[j];
      MS_RETURN_IF_ERROR(WriteIndices(ctx, 2, counts));
    }
    return absl::OkStatus();
  }

 private:
  // Output `i` as an out_idx vector. Values are < 2^31 (checked above).
  absl::Status WriteIndices(OpKernelContext& ctx, int i,
                            const std::vector<int64_t>& values) const {
    const TensorShape shape{static_cast<int64_t>(values.size())};
    MS_ASSIGN_OR_RETURN(Tensor * out, ctx.allocate_output(i, out_idx_, shape));
    for (size_t k = 0; k < values.size(); ++k) {
      if (out_idx_ == DT_INT32) {
        out->data<int32_t>()[k] = static_cast<int32_t>(values[k]);
      } else {
        out->data<int64_t>()[k] = values[k];
      }
    }
    return absl::OkStatus();
  }

  const DataType out_idx_;
  const bool with_counts_;
};

absl::StatusOr<std::unique_ptr<OpKernel>> CreateUnique(
    const KernelConstruction& c) {
  MS_RETURN_IF_ERROR(CheckNumInputs(c, 1));
  DataType dtype, out_idx;
  MS_RETURN_IF_ERROR(c.attrs.Get("T", &dtype));
  MS_RETURN_IF_ERROR(c.attrs.GetOr("out_idx", DT_INT32, &out_idx));
  if (out_idx != DT_INT32 && out_idx != DT_INT64) {
    return c.attrs.Error(absl::StrCat(
        "attr 'out_idx' must be int32 or int64, got ", DataTypeName(out_idx)));
  }
  const bool with_counts = c.attrs.op() == "UniqueWithCounts";
  return MakeTypedKernel(c, dtype, [&](auto tag) -> std::unique_ptr<OpKernel> {
    using T = decltype(tag);
    if constexpr (kUniqueSupports<T>) {
      return std::make_unique<UniqueKernel<T>>(out_idx, with_counts);
    }
    return nullptr;
  });
}

}  // namespace

REGISTER_KERNEL(OpSpec("Unique").Output("y").Output("idx"), CreateUnique);
REGISTER_KERNEL(
    OpSpec("UniqueWithCounts").Output("y").Output("idx").Output("count"),
    CreateUnique);

}  // namespace model_server
