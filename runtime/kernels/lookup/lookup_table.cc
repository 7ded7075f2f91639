#include "runtime/kernels/lookup/lookup_table.h"

#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "runtime/status_macros.h"

namespace model_server {
namespace {

template <typename T>
constexpr bool kIsValueType =
    std::is_same_v<T, std::string> || std::is_same_v<T, bool> ||
    std::is_same_v<T, int32_t> || std::is_same_v<T, int64_t> ||
    std::is_same_v<T, float> || std::is_same_v<T, double>;

// Calls fn(T{}) for the value dtype; dtype must be a supported value type.
template <typename Fn>
void SwitchOnValueType(DataType dtype, Fn&& fn) {
  SwitchOnDataType(dtype, [&](auto tag) {
    if constexpr (kIsValueType<decltype(tag)>) fn(tag);
  });
}

bool ValuesEqual(const Tensor& a, int64_t i, const Tensor& b, int64_t j) {
  bool equal = false;
  SwitchOnValueType(a.dtype(), [&](auto tag) {
    using T = decltype(tag);
    equal = a.data<T>()[i] == b.data<T>()[j];
  });
  return equal;
}

std::string ElementString(const Tensor& t, int64_t i) {
  std::string out;
  SwitchOnDataType(t.dtype(), [&](auto tag) {
    using T = decltype(tag);
    if constexpr (kIsValueType<T>) out = absl::StrCat(t.data<T>()[i]);
  });
  return out;
}

// out[k] = in[rows[k]].
absl::StatusOr<Tensor> GatherRows(const Tensor& in,
                                  const std::vector<int64_t>& rows) {
  MS_ASSIGN_OR_RETURN(
      Tensor out,
      Tensor::Create(in.dtype(),
                     TensorShape{static_cast<int64_t>(rows.size())}));
  SwitchOnValueType(in.dtype(), [&](auto tag) {
    using T = decltype(tag);
    const T* src = in.data<T>();
    T* dst = out.data<T>();
    for (size_t k = 0; k < rows.size(); ++k) dst[k] = src[rows[k]];
  });
  return out;
}

int64_t IntKey(const Tensor& keys, int64_t i) {
  return keys.dtype() == DT_INT32 ? keys.data<int32_t>()[i]
                                  : keys.data<int64_t>()[i];
}

}  // namespace

bool LookupTable::IsSupportedKeyType(DataType dtype) {
  return IsLookupKeyType(dtype);
}

bool LookupTable::IsSupportedValueType(DataType dtype) {
  return IsLookupValueType(dtype);
}

bool LookupTable::initialized() const {
  absl::ReaderMutexLock lock(&mu_);
  return initialized_;
}

int64_t LookupTable::size() const {
  absl::ReaderMutexLock lock(&mu_);
  return initialized_ ? values_.NumElements() : 0;
}

absl::Status LookupTable::BuildIndex(
    const Tensor& keys, const Tensor& values,
    absl::flat_hash_map<std::string, int64_t>* string_rows,
    absl::flat_hash_map<int64_t, int64_t>* int_rows,
    std::vector<int64_t>* source_rows) const {
  const int64_t n = keys.NumElements();
  for (int64_t i = 0; i < n; ++i) {
    const int64_t next = static_cast<int64_t>(source_rows->size());
    bool inserted;
    int64_t row;
    if (key_dtype_ == DT_STRING) {
      auto [it, added] =
          string_rows->emplace(keys.data<std::string>()[i], next);
      inserted = added;
      row = it->second;
    } else {
      auto [it, added] = int_rows->emplace(IntKey(keys, i), next);
      inserted = added;
      row = it->second;
    }
    if (inserted) {
      source_rows->push_back(i);
      continue;
    }
    const int64_t previous = (*source_rows)[row];
    if (!ValuesEqual(values, previous, values, i)) {
      return absl::FailedPreconditionError(absl::StrCat(
          "HashTable has different value for same key. Key ",
          ElementString(keys, i), " has ", ElementString(values, previous),
          " and trying to add value ", ElementString(values, i)));
    }
  }
  return absl::OkStatus();
}

int64_t LookupTable::RowOf(const Tensor& keys, int64_t i) const {
  if (key_dtype_ == DT_STRING) {
    auto it = string_rows_.find(keys.data<std::string>()[i]);
    return it == string_rows_.end() ? -1 : it->second;
  }
  auto it = int_rows_.find(IntKey(keys, i));
  return it == int_rows_.end() ? -1 : it->second;
}

absl::Status LookupTable::CheckSameEntries(const Tensor& keys,
                                           const Tensor& values) const {
  absl::flat_hash_map<std::string, int64_t> string_rows;
  absl::flat_hash_map<int64_t, int64_t> int_rows;
  std::vector<int64_t> source_rows;
  MS_RETURN_IF_ERROR(
      BuildIndex(keys, values, &string_rows, &int_rows, &source_rows));
  bool same = static_cast<int64_t>(source_rows.size()) == values_.NumElements();
  for (size_t k = 0; same && k < source_rows.size(); ++k) {
    const int64_t row = RowOf(keys, source_rows[k]);
    same = row >= 0 && ValuesEqual(values_, row, values, source_rows[k]);
  }
  if (!same) {
    return absl::FailedPreconditionError(
        "Table was already initialized with different data.");
  }
  return absl::OkStatus();
}

absl::Status LookupTable::Export(Tensor* keys, Tensor* values) const {
  absl::ReaderMutexLock lock(&mu_);
  if (!initialized_) {
    return absl::FailedPreconditionError(
        absl::StrCat("Table ", name_, " is not initialized"));
  }
  const int64_t n = values_.NumElements();
  MS_ASSIGN_OR_RETURN(*keys, Tensor::Create(key_dtype_, TensorShape{n}));
  if (key_dtype_ == DT_STRING) {
    for (const auto& [key, row] : string_rows_) {
      keys->data<std::string>()[row] = key;
    }
  } else {
    for (const auto& [key, row] : int_rows_) {
      if (key_dtype_ == DT_INT32) {
        keys->data<int32_t>()[row] = static_cast<int32_t>(key);
      } else {
        keys->data<int64_t>()[row] = key;
      }
    }
  }
  *values = values_;
  return absl::OkStatus();
}

absl::Status LookupTable::Initialize(const Tensor& keys, const Tensor& values) {
  if (keys.dtype() != key_dtype_ || values.dtype() != value_dtype_) {
    return absl::InvalidArgumentError(absl::StrCat(
        "Conflicting key/value dtypes ", DataTypeName(keys.dtype()), "->",
        DataTypeName(values.dtype()), " with ", DataTypeName(key_dtype_), "-",
        DataTypeName(value_dtype_), " for table ", name_));
  }
  if (keys.NumElements() != values.NumElements()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "Expected shape ", keys.shape().DebugString(), " for values of table ",
        name_, ", got ", values.shape().DebugString()));
  }
  absl::MutexLock lock(&mu_);
  if (initialized_) return CheckSameEntries(keys, values);
  absl::flat_hash_map<std::string, int64_t> string_rows;
  absl::flat_hash_map<int64_t, int64_t> int_rows;
  std::vector<int64_t> source_rows;
  MS_RETURN_IF_ERROR(
      BuildIndex(keys, values, &string_rows, &int_rows, &source_rows));
  MS_ASSIGN_OR_RETURN(values_, GatherRows(values, source_rows));
  string_rows_ = std::move(string_rows);
  int_rows_ = std::move(int_rows);
  initialized_ = true;
  return absl::OkStatus();
}

absl::StatusOr<Tensor> LookupTable::Find(const Tensor& keys,
                                         const Tensor& default_value) const {
  if (keys.dtype() != key_dtype_ || default_value.dtype() != value_dtype_) {
    return absl::InvalidArgumentError(absl::StrCat(
        "Table ", name_, " maps ", DataTypeName(key_dtype_), " to ",
        DataTypeName(value_dtype_), "; got keys of type ",
        DataTypeName(keys.dtype()), " and a default value of type ",
        DataTypeName(default_value.dtype())));
  }
  const bool scalar_default = default_value.rank() == 0;
  if (!scalar_default && default_value.shape() != keys.shape()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "Expected shape [] or ", keys.shape().DebugString(),
        " for default value, got ", default_value.shape().DebugString()));
  }
  absl::ReaderMutexLock lock(&mu_);
  if (!initialized_) {
    return absl::FailedPreconditionError(
        absl::StrCat("Table not initialized: ", name_));
  }
  MS_ASSIGN_OR_RETURN(Tensor out, Tensor::Create(value_dtype_, keys.shape()));
  const int64_t n = keys.NumElements();
  SwitchOnValueType(value_dtype_, [&](auto tag) {
    using T = decltype(tag);
    const T* table = values_.data<T>();
    const T* defaults = default_value.data<T>();
    T* dst = out.data<T>();
    for (int64_t i = 0; i < n; ++i) {
      const int64_t row = RowOf(keys, i);
      dst[i] = row >= 0 ? table[row] : defaults[scalar_default ? 0 : i];
    }
  });
  return out;
}

absl::StatusOr<LookupTable*> LookupTableFromHandle(const Tensor& handle) {
  MS_ASSIGN_OR_RETURN(LookupInterface * table,
                      LookupInterfaceFromHandle(handle));
  auto* initializable = dynamic_cast<LookupTable*>(table);
  if (initializable == nullptr) {
    return absl::InvalidArgumentError(absl::StrCat(
        "table ", table->name(), " is a ", table->TypeName(),
        ", which initializer ops cannot fill (they need a HashTable)"));
  }
  return initializable;
}

}  // namespace model_server
