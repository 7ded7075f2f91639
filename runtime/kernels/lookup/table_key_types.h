// What the mutable table implementations share: the C++ types keys are
// stored as (strings as std::string, int32 and int64 keys widened to
// int64_t) and the dispatch from (key dtype, value dtype) to a template
// instantiation.
#ifndef MODEL_SERVER_RUNTIME_KERNELS_LOOKUP_TABLE_KEY_TYPES_H_
#define MODEL_SERVER_RUNTIME_KERNELS_LOOKUP_TABLE_KEY_TYPES_H_

#include <cstdint>
#include <string>
#include <type_traits>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "runtime/tensor.h"

namespace model_server {
namespace lookup_internal {

// Element i of a key tensor as the stored key type K.
template <typename K>
K KeyAt(const Tensor& keys, int64_t i) {
  if constexpr (std::is_same_v<K, std::string>) {
    return keys.data<std::string>()[i];
  } else {
    return keys.dtype() == DT_INT32 ? keys.data<int32_t>()[i]
                                    : keys.data<int64_t>()[i];
  }
}

// Writes a stored key into element i of a tensor of the table's key dtype.
template <typename K>
void StoreKey(const K& key, Tensor* keys, int64_t i) {
  if constexpr (std::is_same_v<K, std::string>) {
    keys->data<std::string>()[i] = key;
  } else if (keys->dtype() == DT_INT32) {
    keys->data<int32_t>()[i] = static_cast<int32_t>(key);
  } else {
    keys->data<int64_t>()[i] = key;
  }
}

// Calls fn(K{}, V{}) for the stored key type of key_dtype and the value type
// of value_dtype. REQUIRES: IsLookupKeyType(key_dtype),
// IsLookupValueType(value_dtype).
template <typename Fn>
void SwitchOnKeyAndValue(DataType key_dtype, DataType value_dtype, Fn&& fn) {
  SwitchOnDataType(value_dtype, [&](auto value_tag) {
    using V = decltype(value_tag);
    if constexpr (std::is_same_v<V, bool> || std::is_same_v<V, int32_t> ||
                  std::is_same_v<V, int64_t> || std::is_same_v<V, float> ||
                  std::is_same_v<V, double> || std::is_same_v<V, std::string>) {
      if (key_dtype == DT_STRING) {
        fn(std::string(), V{});
      } else {
        fn(int64_t{0}, V{});
      }
    }
  });
}

// Row i of `out` (rows of `value_size` elements) becomes the row `find(i)`
// returns, or the default: `default_value` itself when it has one row
// (value_shape), else its row i. Stops at the first error `find` returns.
// find: (int64_t i) -> absl::StatusOr<const V*>, null for a missing key.
template <typename V, typename FindRow>
absl::Status FillRows(int64_t rows, int64_t value_size,
                      const Tensor& default_value, Tensor* out,
                      FindRow&& find) {
  const bool default_per_row = default_value.NumElements() != value_size;
  const V* defaults = default_value.data<V>();
  V* dst = out->data<V>();
  for (int64_t i = 0; i < rows; ++i) {
    absl::StatusOr<const V*> found = find(i);
    if (!found.ok()) return found.status();
    const V* src = *found != nullptr
                       ? *found
                       : defaults + (default_per_row ? i * value_size : 0);
    for (int64_t j = 0; j < value_size; ++j) dst[i * value_size + j] = src[j];
  }
  return absl::OkStatus();
}

}  // namespace lookup_internal
}  // namespace model_server

#endif  // MODEL_SERVER_RUNTIME_KERNELS_LOOKUP_TABLE_KEY_TYPES_H_
