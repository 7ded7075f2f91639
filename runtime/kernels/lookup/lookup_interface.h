// LookupInterface: what every lookup table resource offers the table ops
// (LookupTableFind/Insert/Remove/Import/Export/Size, V1 and V2), after
// TensorFlow's lookup::LookupInterface.
//
// A table maps keys of key_shape() (a scalar, or a vector for dense tables)
// to values of value_shape() (a scalar, or a vector for the "of tensors" and
// dense tables). A batch of keys has shape [batch..., key_shape...] and the
// matching values [batch..., value_shape...].
//
// Implementations: LookupTable (static, filled once: HashTableV2/HashTable),
// MutableHashTable (MutableHashTable[OfTensors][V2]) and MutableDenseHashTable
// (MutableDenseHashTable[V2]). Every implementation is thread-safe: requests
// may find, insert and remove concurrently.
#ifndef MODEL_SERVER_RUNTIME_KERNELS_LOOKUP_LOOKUP_INTERFACE_H_
#define MODEL_SERVER_RUNTIME_KERNELS_LOOKUP_LOOKUP_INTERFACE_H_

#include <cstdint>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "runtime/resource.h"
#include "runtime/tensor.h"

namespace model_server {

class LookupInterface : public ResourceBase {
 public:
  virtual DataType key_dtype() const = 0;
  virtual DataType value_dtype() const = 0;
  virtual TensorShape key_shape() const { return TensorShape(); }
  virtual TensorShape value_shape() const { return TensorShape(); }
  // The table's name, for error messages.
  virtual const std::string& name() const = 0;

  // Number of entries.
  virtual int64_t size() const = 0;

  // Looks every key up; missing keys take `default_value`. REQUIRES:
  // CheckFindArguments(keys, default_value) passed. The result has shape
  // [batch..., value_shape...].
  virtual absl::StatusOr<Tensor> Find(const Tensor& keys,
                                      const Tensor& default_value) const = 0;

  // Adds or overwrites entries. REQUIRES: CheckInsertArguments passed.
  // Static tables: UNIMPLEMENTED.
  virtual absl::Status Insert(const Tensor& keys, const Tensor& values);

  // Removes the keys that are present. REQUIRES: CheckRemoveArguments
  // passed. Static tables: UNIMPLEMENTED.
  virtual absl::Status Remove(const Tensor& keys);

  // Replaces the whole content with keys -> values (the checkpoint restore
  // path). REQUIRES: CheckImportArguments passed.
  virtual absl::Status Import(const Tensor& keys, const Tensor& values) = 0;

  // Every entry: keys [n, key_shape...] and values [n, value_shape...]
  // (dense tables: one row per bucket, as TensorFlow exports them).
  virtual absl::Status Export(Tensor* keys, Tensor* values) const;

  // Argument checks with TensorFlow's error texts (INVALID_ARGUMENT):
  // dtypes must be the table's, keys must end with key_shape(), values must
  // be [batch..., value_shape...], and a default value either value_shape()
  // or the full [batch..., value_shape...].
  absl::Status CheckFindArguments(const Tensor& keys,
                                  const Tensor& default_value) const;
  absl::Status CheckInsertArguments(const Tensor& keys,
                                    const Tensor& values) const;
  absl::Status CheckRemoveArguments(const Tensor& keys) const;
  virtual absl::Status CheckImportArguments(const Tensor& keys,
                                            const Tensor& values) const {
    return CheckInsertArguments(keys, values);
  }

 protected:
  // [batch..., value_shape...] for keys of shape [batch..., key_shape...].
  // REQUIRES: CheckKeyShape(keys) passed.
  absl::StatusOr<TensorShape> ValueShapeFor(const TensorShape& keys) const;
  absl::Status CheckKeyDtype(const Tensor& keys) const;
  absl::Status CheckKeyShape(const TensorShape& keys) const;
};

// The table a DT_RESOURCE handle tensor points to. INVALID_ARGUMENT if the
// tensor is not a resource scalar or points to another kind of resource.
// The pointer lives as long as the handle tensor.
absl::StatusOr<LookupInterface*> LookupInterfaceFromHandle(
    const Tensor& handle);

// Key and value dtypes the tables support. Keys: string, int32, int64.
// Values: bool, int32, int64, float, double, string.
bool IsLookupKeyType(DataType dtype);
bool IsLookupValueType(DataType dtype);

}  // namespace model_server

#endif  // MODEL_SERVER_RUNTIME_KERNELS_LOOKUP_LOOKUP_INTERFACE_H_
