// MutableHashTable: scalar keys to scalar or vector values (see
// mutable_hash_table.h).
#include "runtime/kernels/lookup/mutable_hash_table.h"

#include <memory>
#include <string>
#include <utility>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/container/inlined_vector.h"
#include "absl/synchronization/mutex.h"
#include "runtime/kernels/lookup/table_key_types.h"
#include "runtime/status_macros.h"

namespace model_server {
namespace {

using lookup_internal::KeyAt;
using lookup_internal::StoreKey;

template <typename K, typename V>
class MutableHashTable final : public LookupInterface {
 public:
  MutableHashTable(DataType key_dtype, TensorShape value_shape,
                   std::string name)
      : key_dtype_(key_dtype),
        value_shape_(std::move(value_shape)),
        value_size_(value_shape_.num_elements()),
        name_(std::move(name)) {}

  std::string TypeName() const override { return "MutableHashTable"; }
  DataType key_dtype() const override { return key_dtype_; }
  DataType value_dtype() const override { return DataTypeOf<V>::value; }
  TensorShape value_shape() const override { return value_shape_; }
  const std::string& name() const override { return name_; }

  int64_t size() const override {
    absl::ReaderMutexLock lock(&mu_);
    return static_cast<int64_t>(table_.size());
  }

  absl::StatusOr<Tensor> Find(const Tensor& keys,
                              const Tensor& default_value) const override {
    MS_ASSIGN_OR_RETURN(TensorShape shape, ValueShapeFor(keys.shape()));
    MS_ASSIGN_OR_RETURN(Tensor out, Tensor::Create(value_dtype(), shape));
    absl::ReaderMutexLock lock(&mu_);
    MS_RETURN_IF_ERROR(lookup_internal::FillRows<V>(
        keys.NumElements(), value_size_, default_value, &out,
        [&](int64_t i) -> absl::StatusOr<const V*> {
          auto it = table_.find(KeyAt<K>(keys, i));
          return it != table_.end() ? it->second.data() : nullptr;
        }));
    return out;
  }

  absl::Status Insert(const Tensor& keys, const Tensor& values) override {
    absl::MutexLock lock(&mu_);
    InsertLocked(keys, values);
    return absl::OkStatus();
  }

  absl::Status Import(const Tensor& keys, const Tensor& values) override {
    absl::MutexLock lock(&mu_);
    table_.clear();
    InsertLocked(keys, values);
    return absl::OkStatus();
  }

  absl::Status Remove(const Tensor& keys) override {
    const int64_t n = keys.NumElements();
    absl::MutexLock lock(&mu_);
    for (int64_t i = 0; i < n; ++i) table_.erase(KeyAt<K>(keys, i));
    return absl::OkStatus();
  }

  absl::Status Export(Tensor* keys, Tensor* values) const override {
    absl::ReaderMutexLock lock(&mu_);
    const int64_t n = static_cast<int64_t>(table_.size());
    TensorShape values_shape{n};
    for (int i = 0; i < value_shape_.rank(); ++i) {
      MS_RETURN_IF_ERROR(values_shape.AddDim(value_shape_.dim(i)));
    }
    MS_ASSIGN_OR_RETURN(*keys, Tensor::Create(key_dtype_, TensorShape{n}));
    MS_ASSIGN_OR_RETURN(*values, Tensor::Create(value_dtype(), values_shape));
    V* dst = values->data<V>();
    int64_t row = 0;
    for (const auto& [key, value] : table_) {
      StoreKey(key, keys, row);
      for (int64_t j = 0; j < value_size_; ++j) {
        dst[row * value_size_ + j] = value[j];
      }
      ++row;
    }
    return absl::OkStatus();
  }

 private:
  void InsertLocked(const Tensor& keys, const Tensor& values)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    const V* src = values.data<V>();
    const int64_t n = keys.NumElements();
    for (int64_t i = 0; i < n; ++i) {
      table_[KeyAt<K>(keys, i)].assign(src + i * value_size_,
                                       src + (i + 1) * value_size_);
    }
  }

  const DataType key_dtype_;
  const TensorShape value_shape_;
  const int64_t value_size_;
  const std::string name_;
  mutable absl::Mutex mu_;
  absl::flat_hash_map<K, absl::InlinedVector<V, 1>> table_ ABSL_GUARDED_BY(mu_);
};

}  // namespace

std::shared_ptr<LookupInterface> NewMutableHashTable(DataType key_dtype,
                                                     DataType value_dtype,
                                                     TensorShape value_shape,
                                                     std::string name) {
  std::shared_ptr<LookupInterface> table;
  lookup_internal::SwitchOnKeyAndValue(
      key_dtype, value_dtype, [&](auto key_tag, auto value_tag) {
        using K = decltype(key_tag);
        using V = decltype(value_tag);
        table = std::make_shared<MutableHashTable<K, V>>(
            key_dtype, std::move(value_shape), std::move(name));
      });
  return table;
}

}  // namespace model_server
