// MutableDenseHashTable: scalar or vector keys with two reserved key values
// (see mutable_hash_table.h for the contract and the export layout).
#include <algorithm>
#include <cstdint>
#include <memory>
#include <string>
#include <utility>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/container/inlined_vector.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "runtime/kernels/lookup/mutable_hash_table.h"
#include "runtime/kernels/lookup/table_key_types.h"
#include "runtime/status_macros.h"

namespace model_server {
namespace {

using lookup_internal::KeyAt;
using lookup_internal::StoreKey;

template <typename K, typename V>
class MutableDenseHashTable final : public LookupInterface,
                                    public DenseTableKeys {
 public:
  using KeyRow = absl::InlinedVector<K, 1>;

  MutableDenseHashTable(DataType key_dtype, TensorShape value_shape,
                        int64_t initial_num_buckets, float max_load_factor,
                        std::string name)
      : key_dtype_(key_dtype),
        value_shape_(std::move(value_shape)),
        value_size_(value_shape_.num_elements()),
        max_load_factor_(max_load_factor),
        name_(std::move(name)),
        num_buckets_(initial_num_buckets) {}

  std::string TypeName() const override { return "MutableDenseHashTable"; }
  DataType key_dtype() const override { return key_dtype_; }
  DataType value_dtype() const override { return DataTypeOf<V>::value; }
  TensorShape key_shape() const override {
    absl::ReaderMutexLock lock(&mu_);
    return key_shape_;
  }
  TensorShape value_shape() const override { return value_shape_; }
  const std::string& name() const override { return name_; }

  absl::Status SetReservedKeys(const Tensor& empty_key,
                               const Tensor& deleted_key) override {
    if (empty_key.dtype() != key_dtype_ || deleted_key.dtype() != key_dtype_) {
      return absl::InvalidArgumentError(absl::StrCat(
          "empty_key and deleted_key must be ", DataTypeName(key_dtype_),
          ", got ", DataTypeName(empty_key.dtype()), " and ",
          DataTypeName(deleted_key.dtype())));
    }
    if (empty_key.rank() > 1) {
      return absl::InvalidArgumentError(
          absl::StrCat("Empty key must be a scalar or a vector, got shape ",
                       empty_key.shape().DebugString()));
    }
    if (deleted_key.shape() != empty_key.shape()) {
      return absl::InvalidArgumentError(absl::StrCat(
          "Empty and deleted keys must have same shape, got shapes: ",
          empty_key.shape().DebugString(), " and ",
          deleted_key.shape().DebugString()));
    }
    KeyRow empty = Row(empty_key, 0, empty_key.NumElements());
    KeyRow deleted = Row(deleted_key, 0, deleted_key.NumElements());
    if (empty == deleted) {
      return absl::InvalidArgumentError(
          "Empty and deleted keys cannot be equal");
    }
    absl::MutexLock lock(&mu_);
    if (reserved_set_) {
      if (empty != empty_key_ || deleted != deleted_key_ ||
          empty_key.shape() != key_shape_) {
        return absl::InvalidArgumentError(absl::StrCat(
            "table ", name_, " was created with other empty/deleted keys"));
      }
      return absl::OkStatus();
    }
    key_shape_ = empty_key.shape();
    key_size_ = empty_key.NumElements();
    empty_key_ = std::move(empty);
    deleted_key_ = std::move(deleted);
    reserved_set_ = true;
    return absl::OkStatus();
  }

  int64_t size() const override {
    absl::ReaderMutexLock lock(&mu_);
    return static_cast<int64_t>(table_.size());
  }

  absl::StatusOr<Tensor> Find(const Tensor& keys,
                              const Tensor& default_value) const override {
    absl::ReaderMutexLock lock(&mu_);
    MS_ASSIGN_OR_RETURN(int64_t n, NumKeyRows(keys));
    TensorShape shape{n};
    for (int i = 0; i < value_shape_.rank(); ++i) {
      MS_RETURN_IF_ERROR(shape.AddDim(value_shape_.dim(i)));
    }
    MS_ASSIGN_OR_RETURN(Tensor out, Tensor::Create(value_dtype(), shape));
    MS_RETURN_IF_ERROR(lookup_internal::FillRows<V>(
        n, value_size_, default_value, &out,
        [&](int64_t i) -> absl::StatusOr<const V*> {
          KeyRow key = Row(keys, i * key_size_, key_size_);
          MS_RETURN_IF_ERROR(CheckNotReserved(key));
          auto it = table_.find(key);
          return it != table_.end() ? it->second.data() : nullptr;
        }));
    return out;
  }

  absl::Status Insert(const Tensor& keys, const Tensor& values) override {
    absl::MutexLock lock(&mu_);
    MS_ASSIGN_OR_RETURN(int64_t n, NumKeyRows(keys));
    for (int64_t i = 0; i < n; ++i) {
      MS_RETURN_IF_ERROR(CheckNotReserved(Row(keys, i * key_size_, key_size_)));
    }
    // TensorFlow grows the buckets as if every key were new.
    const int64_t pending = static_cast<int64_t>(table_.size()) + n;
    while (pending > num_buckets_ * max_load_factor_ &&
           num_buckets_ < (int64_t{1} << 61)) {
      num_buckets_ <<= 1;
    }
    const V* src = values.data<V>();
    for (int64_t i = 0; i < n; ++i) {
      table_[Row(keys, i * key_size_, key_size_)].assign(
          src + i * value_size_, src + (i + 1) * value_size_);
    }
    return absl::OkStatus();
  }

  absl::Status Remove(const Tensor& keys) override {
    absl::MutexLock lock(&mu_);
    MS_ASSIGN_OR_RETURN(int64_t n, NumKeyRows(keys));
    for (int64_t i = 0; i < n; ++i) {
      MS_RETURN_IF_ERROR(CheckNotReserved(Row(keys, i * key_size_, key_size_)));
    }
    for (int64_t i = 0; i < n; ++i) {
      table_.erase(Row(keys, i * key_size_, key_size_));
    }
    return absl::OkStatus();
  }

  // keys [num_buckets, key_size] and values [num_buckets, value_size], the
  // layout Export writes (scalars as 1-element rows).
  absl::Status CheckImportArguments(const Tensor& keys,
                                    const Tensor& values) const override {
    if (keys.dtype() != key_dtype_ || values.dtype() != value_dtype()) {
      return absl::InvalidArgumentError(absl::StrCat(
          "Key must be type ", DataTypeName(key_dtype_), " and value type ",
          DataTypeName(value_dtype()), ", got ", DataTypeName(keys.dtype()),
          " and ", DataTypeName(values.dtype())));
    }
    absl::ReaderMutexLock lock(&mu_);
    const int64_t value_columns = value_size_;
    if (keys.rank() != 2 || keys.dim(1) != key_size_) {
      return absl::InvalidArgumentError(
          absl::StrCat("Expected key shape [num_buckets,", key_size_, "] got ",
                       keys.shape().DebugString()));
    }
    if (values.rank() != 2 || values.dim(0) != keys.dim(0) ||
        values.dim(1) != value_columns) {
      return absl::InvalidArgumentError(
          absl::StrCat("Expected shape [", keys.dim(0), ",", value_columns,
                       "] for value, got ", values.shape().DebugString()));
    }
    return absl::OkStatus();
  }

  absl::Status Import(const Tensor& keys, const Tensor& values) override {
    absl::MutexLock lock(&mu_);
    const int64_t buckets = keys.dim(0);
    const V* src = values.data<V>();
    absl::flat_hash_map<KeyRow, absl::InlinedVector<V, 1>> table;
    for (int64_t i = 0; i < buckets; ++i) {
      KeyRow key = Row(keys, i * key_size_, key_size_);
      if (key == empty_key_ || key == deleted_key_) continue;
      table[std::move(key)].assign(src + i * value_size_,
                                   src + (i + 1) * value_size_);
    }
    table_ = std::move(table);
    num_buckets_ = buckets;
    return absl::OkStatus();
  }

  absl::Status Export(Tensor* keys, Tensor* values) const override {
    absl::ReaderMutexLock lock(&mu_);
    const int64_t buckets =
        std::max<int64_t>(num_buckets_, static_cast<int64_t>(table_.size()));
    MS_ASSIGN_OR_RETURN(
        *keys, Tensor::Create(key_dtype_, TensorShape{buckets, key_size_}));
    MS_ASSIGN_OR_RETURN(
        *values,
        Tensor::Create(value_dtype(), TensorShape{buckets, value_size_}));
    V* dst = values->data<V>();
    int64_t row = 0;
    for (const auto& [key, value] : table_) {
      for (int64_t j = 0; j < key_size_; ++j) {
        StoreKey(key[j], keys, row * key_size_ + j);
      }
      for (int64_t j = 0; j < value_size_; ++j) {
        dst[row * value_size_ + j] = value[j];
      }
      ++row;
    }
    for (; row < buckets; ++row) {
      for (int64_t j = 0; j < key_size_; ++j) {
        StoreKey(empty_key_[j], keys, row * key_size_ + j);
      }
      for (int64_t j = 0; j < value_size_; ++j)
        dst[row * value_size_ + j] = V();
    }
    return absl::OkStatus();
  }

 private:
  static KeyRow Row(const Tensor& keys, int64_t start, int64_t size) {
    KeyRow row;
    row.reserve(size);
    for (int64_t j = 0; j < size; ++j) row.push_back(KeyAt<K>(keys, start + j));
    return row;
  }

  // The number of keys in `keys`, which must be [n, key_shape...].
  absl::StatusOr<int64_t> NumKeyRows(const Tensor& keys) const
      ABSL_SHARED_LOCKS_REQUIRED(mu_) {
    if (!reserved_set_) {
      return absl::FailedPreconditionError(
          absl::StrCat("table ", name_, " has no empty_key yet"));
    }
    bool ok = keys.rank() == 1 + key_shape_.rank();
    for (int i = 0; ok && i < key_shape_.rank(); ++i) {
      ok = keys.dim(i + 1) == key_shape_.dim(i);
    }
    if (!ok) {
      std::string expected = "[?";
      for (int i = 0; i < key_shape_.rank(); ++i) {
        absl::StrAppend(&expected, ",", key_shape_.dim(i));
      }
      return absl::InvalidArgumentError(
          absl::StrCat("Expected key shape ", expected, "] got ",
                       keys.shape().DebugString()));
    }
    return keys.rank() == 0 ? 1 : keys.dim(0);
  }

  absl::Status CheckNotReserved(const KeyRow& key) const
      ABSL_SHARED_LOCKS_REQUIRED(mu_) {
    if (key == empty_key_) {
      return absl::InvalidArgumentError(
          "Using the empty_key as a table key is not allowed");
    }
    if (key == deleted_key_) {
      return absl::InvalidArgumentError(
          "Using the deleted_key as a table key is not allowed");
    }
    return absl::OkStatus();
  }

  const DataType key_dtype_;
  const TensorShape value_shape_;
  const int64_t value_size_;
  const float max_load_factor_;
  const std::string name_;

  mutable absl::Mutex mu_;
  bool reserved_set_ ABSL_GUARDED_BY(mu_) = false;
  TensorShape key_shape_ ABSL_GUARDED_BY(mu_);
  int64_t key_size_ ABSL_GUARDED_BY(mu_) = 1;
  KeyRow empty_key_ ABSL_GUARDED_BY(mu_);
  KeyRow deleted_key_ ABSL_GUARDED_BY(mu_);
  int64_t num_buckets_ ABSL_GUARDED_BY(mu_);
  absl::flat_hash_map<KeyRow, absl::InlinedVector<V, 1>> table_
      ABSL_GUARDED_BY(mu_);
};

}  // namespace

std::shared_ptr<LookupInterface> NewMutableDenseHashTable(
    DataType key_dtype, DataType value_dtype, TensorShape value_shape,
    int64_t initial_num_buckets, float max_load_factor, std::string name) {
  std::shared_ptr<LookupInterface> table;
  lookup_internal::SwitchOnKeyAndValue(
      key_dtype, value_dtype, [&](auto key_tag, auto value_tag) {
        using K = decltype(key_tag);
        using V = decltype(value_tag);
        table = std::make_shared<MutableDenseHashTable<K, V>>(
            key_dtype, std::move(value_shape), initial_num_buckets,
            max_load_factor, std::move(name));
      });
  return table;
}

}  // namespace model_server
