// LookupTable: the resource behind TensorFlow's static hash tables
// (HashTableV2), filled once by an initializer op and read by lookups.
//
// A table maps scalar keys (string, int32 or int64) to scalar values
// (bool, string, int32, int64, float or double). It starts empty and
// uninitialized; Initialize() fills it exactly once. Like TensorFlow's
// InitializableLookupTable, initializing an initialized table again
// succeeds when the new entries equal the old ones and fails with
// FAILED_PRECONDITION otherwise. Lookups on an uninitialized table fail.
//
// Thread-safe: initialization takes a writer lock, lookups a reader lock.
// After load the table never changes, so concurrent requests only read.
#ifndef MODEL_SERVER_RUNTIME_KERNELS_LOOKUP_LOOKUP_TABLE_H_
#define MODEL_SERVER_RUNTIME_KERNELS_LOOKUP_LOOKUP_TABLE_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "runtime/kernels/lookup/lookup_interface.h"
#include "runtime/resource.h"
#include "runtime/tensor.h"

namespace model_server {

class LookupTable : public LookupInterface {
 public:
  // True if a table may have keys / values of this dtype.
  static bool IsSupportedKeyType(DataType dtype);
  static bool IsSupportedValueType(DataType dtype);

  // REQUIRES: IsSupportedKeyType(key_dtype), IsSupportedValueType(value_dtype).
  LookupTable(DataType key_dtype, DataType value_dtype, std::string name)
      : key_dtype_(key_dtype),
        value_dtype_(value_dtype),
        name_(std::move(name)) {}

  std::string TypeName() const override { return "LookupTable"; }
  DataType key_dtype() const override { return key_dtype_; }
  DataType value_dtype() const override { return value_dtype_; }
  const std::string& name() const override { return name_; }

  bool initialized() const;
  // Number of entries (0 before initialization).
  int64_t size() const override;

  // Fills the table with keys[i] -> values[i]. `keys` and `values` must have
  // the table's dtypes and the same number of elements (any shape; read
  // flat). A key listed twice with different values is FAILED_PRECONDITION.
  // On an initialized table: OK if the entries are the same, else
  // FAILED_PRECONDITION "Table was already initialized with different data."
  absl::Status Initialize(const Tensor& keys, const Tensor& values);

  // Looks every key up; missing keys take `default_value`, which is a scalar
  // or has the keys' shape (element-wise defaults). The result has the keys'
  // shape. Fails if the table is uninitialized or the dtypes do not match.
  absl::StatusOr<Tensor> Find(const Tensor& keys,
                              const Tensor& default_value) const override;

  // TensorFlow's InitializableLookupTable imports by initializing.
  absl::Status Import(const Tensor& keys, const Tensor& values) override {
    return Initialize(keys, values);
  }

  // Every entry: `keys` and `values` become vectors of the table's dtypes,
  // row i mapping keys[i] to values[i] (LookupTableExportV2; model_tool
  // freeze writes them as constants). Fails with FAILED_PRECONDITION if
  // uninitialized.
  absl::Status Export(Tensor* keys, Tensor* values) const override;

 private:
  // Row of `key` in values_, or -1.
  int64_t RowOf(const Tensor& keys, int64_t i) const
      ABSL_SHARED_LOCKS_REQUIRED(mu_);
  // Builds the index for keys/values into the given maps without touching
  // the table. Fails on conflicting duplicate keys.
  absl::Status BuildIndex(
      const Tensor& keys, const Tensor& values,
      absl::flat_hash_map<std::string, int64_t>* string_rows,
      absl::flat_hash_map<int64_t, int64_t>* int_rows,
      std::vector<int64_t>* source_rows) const;
  absl::Status CheckSameEntries(const Tensor& keys, const Tensor& values) const
      ABSL_SHARED_LOCKS_REQUIRED(mu_);

  const DataType key_dtype_;
  const DataType value_dtype_;
  const std::string name_;

  mutable absl::Mutex mu_;
  bool initialized_ ABSL_GUARDED_BY(mu_) = false;
  // Key -> row of values_. String keys use string_rows_, integer keys
  // int_rows_ (int32 keys widened to int64).
  absl::flat_hash_map<std::string, int64_t> string_rows_ ABSL_GUARDED_BY(mu_);
  absl::flat_hash_map<int64_t, int64_t> int_rows_ ABSL_GUARDED_BY(mu_);
  // The distinct entries' values, a vector of value_dtype_.
  Tensor values_ ABSL_GUARDED_BY(mu_);
};

// The LookupTable a DT_RESOURCE handle tensor points to. Fails with
// INVALID_ARGUMENT if the tensor is not a resource scalar or points to
// another kind of resource. The pointer lives as long as the handle tensor.
absl::StatusOr<LookupTable*> LookupTableFromHandle(const Tensor& handle);

}  // namespace model_server

#endif  // MODEL_SERVER_RUNTIME_KERNELS_LOOKUP_LOOKUP_TABLE_H_
