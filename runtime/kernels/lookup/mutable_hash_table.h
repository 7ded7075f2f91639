// Mutable lookup tables: the resources behind MutableHashTable[V2],
// MutableHashTableOfTensors[V2] and MutableDenseHashTable[V2] (Keras
// StringLookup / IntegerLookup, tf.lookup.experimental.MutableHashTable and
// DenseHashTable). They start empty; LookupTableInsert adds or overwrites,
// LookupTableRemove deletes, LookupTableImport replaces everything (the
// checkpoint restore path) and LookupTableExport lists the entries.
//
// Thread-safe: finds take a reader lock, changes a writer lock, so requests
// may update a table while others read it.
#ifndef MODEL_SERVER_RUNTIME_KERNELS_LOOKUP_MUTABLE_HASH_TABLE_H_
#define MODEL_SERVER_RUNTIME_KERNELS_LOOKUP_MUTABLE_HASH_TABLE_H_

#include <memory>
#include <string>

#include "runtime/kernels/lookup/lookup_interface.h"
#include "runtime/tensor.h"

namespace model_server {

// A hash table from scalar keys to values of `value_shape` (a scalar for
// MutableHashTable, a vector for MutableHashTableOfTensors).
// REQUIRES: IsLookupKeyType(key_dtype), IsLookupValueType(value_dtype),
// value_shape of rank 0 or 1.
std::shared_ptr<LookupInterface> NewMutableHashTable(DataType key_dtype,
                                                     DataType value_dtype,
                                                     TensorShape value_shape,
                                                     std::string name);

// TensorFlow's MutableDenseHashTable: keys are scalars or vectors (the shape
// of the empty_key), values scalars or vectors of `value_shape`. Two key
// values are reserved: empty_key and deleted_key may never be inserted,
// looked up or removed. It tracks TensorFlow's bucket count (a power of two
// >= 4, doubled whenever an insert would pass max_load_factor) so that
// LookupTableExport gives TensorFlow's [num_buckets, ...] layout: the entries
// first, then empty_key rows with zero values (TensorFlow's bucket order
// depends on its hash and is not reproduced; import accepts any order).
class DenseTableKeys {
 public:
  virtual ~DenseTableKeys() = default;
  // Sets empty_key and deleted_key the first time the creating op runs
  // (they are inputs of that op); later calls with the same keys are no-ops
  // and with other keys fail. INVALID_ARGUMENT for shapes other than scalar
  // or vector, different shapes, equal keys or the wrong dtype.
  virtual absl::Status SetReservedKeys(const Tensor& empty_key,
                                       const Tensor& deleted_key) = 0;
};

// REQUIRES: IsLookupKeyType(key_dtype), IsLookupValueType(value_dtype),
// value_shape of rank 0 or 1, initial_num_buckets a power of two >= 4,
// 0 < max_load_factor < 1. The result is also a DenseTableKeys.
std::shared_ptr<LookupInterface> NewMutableDenseHashTable(
    DataType key_dtype, DataType value_dtype, TensorShape value_shape,
    int64_t initial_num_buckets, float max_load_factor, std::string name);

}  // namespace model_server

#endif  // MODEL_SERVER_RUNTIME_KERNELS_LOOKUP_MUTABLE_HASH_TABLE_H_
