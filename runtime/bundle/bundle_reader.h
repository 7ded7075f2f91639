// Reads a TensorFlow tensor bundle (checkpoint format V2): the variables of
// a SavedModel, `<export_dir>/variables/variables`.
//
// A bundle with prefix P is the table P.index (see table_reader.h), mapping
// "" to a BundleHeaderProto and each tensor name to a BundleEntryProto, and
// data shards P.data-00000-of-0000N holding the tensor bytes (numeric
// tensors raw little-endian; strings as in string_tensor_coding.h).
//
// Files are untrusted: the index is fully parsed and checked by Open();
// Lookup() bounds-checks each entry against its shard file, bounds every
// allocation by the bytes actually present, and verifies the entry's CRC-32C.
// Partitioned (sliced) variables are not supported (UNIMPLEMENTED).
//
// Thread-safe: const methods may be called concurrently. Shard files are
// opened on first use and stay open until the reader is destroyed. Numeric
// tensors are read straight into their buffers (no second copy), whose fresh
// pages are faulted in first with one call (prefault.h), 1 MiB per read with
// each block checksummed while still in the cache; tensors of 16 MiB or more
// are read and checksummed in parts on up to 4 threads.
#ifndef MODEL_SERVER_RUNTIME_BUNDLE_BUNDLE_READER_H_
#define MODEL_SERVER_RUNTIME_BUNDLE_BUNDLE_READER_H_

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "runtime/bundle/random_access_file.h"
#include "runtime/data_type.h"
#include "runtime/tensor.h"
#include "runtime/tensor_shape.h"

namespace model_server {

// What the index says about one tensor.
struct BundleEntryInfo {
  // As stored; may be a type the runtime cannot hold (Lookup() then fails).
  DataType dtype = DT_INVALID;
  TensorShape shape;
  // True for a partitioned variable whose slices live under other keys.
  bool partitioned = false;
};

class BundleReader {
 public:
  // Opens the bundle with `prefix` (e.g. "<export_dir>/variables/variables")
  // and reads its index. Fails with NOT_FOUND when prefix.index is missing,
  // DATA_LOSS for a corrupt index (bad table, missing or unparseable header,
  // unparseable entry, invalid shape), UNIMPLEMENTED for a big-endian
  // bundle, and FAILED_PRECONDITION for a format version this reader does
  // not accept.
  static absl::StatusOr<std::unique_ptr<BundleReader>> Open(
      const std::string& prefix);

  ~BundleReader();
  BundleReader(const BundleReader&) = delete;
  BundleReader& operator=(const BundleReader&) = delete;

  const std::string& prefix() const { return prefix_; }
  int num_shards() const { return num_shards_; }

  // True if the bundle has a tensor named `key`.
  bool Contains(absl::string_view key) const;
  // Every tensor name, sorted (the header key "" excluded).
  std::vector<std::string> Keys() const;
  // The dtype and shape of `key`; NOT_FOUND "Key <k> not found in checkpoint
  // <prefix>" if absent.
  absl::StatusOr<BundleEntryInfo> GetEntryInfo(absl::string_view key) const;
  // How many bytes `key` takes in its data shard, or -1 if absent.
  int64_t StoredBytes(absl::string_view key) const;

  // Reads the whole tensor `key`. Fails with NOT_FOUND (as above, or for a
  // missing shard file), DATA_LOSS for an entry that does not fit its shard,
  // a size that disagrees with dtype and shape, or a checksum mismatch (the
  // message names key and file), UNIMPLEMENTED for partitioned variables and
  // dtypes the runtime cannot hold, RESOURCE_EXHAUSTED beyond
  // Tensor::kMaxBytes.
  absl::StatusOr<Tensor> Lookup(absl::string_view key) const;

  // Reads `key` as RestoreV2 does for one of its `shape_and_slices`
  // strings: "" is the whole tensor; otherwise "<dim0> <dim1> ... <slice>",
  // where the dims must equal the stored shape and <slice> is
  // "<start>,<length>" or "-" per dimension, joined by ':'. Only slices that
  // cover the whole tensor are supported (UNIMPLEMENTED otherwise);
  // INVALID_ARGUMENT for a malformed spec or a shape mismatch.
  absl::StatusOr<Tensor> LookupSlice(absl::string_view key,
                                     absl::string_view shape_and_slice) const;

 private:
  struct Entry {
    BundleEntryInfo info;
    int32_t shard_id = 0;
    int64_t offset = 0;
    int64_t size = 0;
    uint32_t masked_crc32c = 0;
  };

  explicit BundleReader(std::string prefix) : prefix_(std::move(prefix)) {}

  absl::Status ReadIndex();
  absl::Status ParseHeader(absl::string_view value, const std::string& file);
  const Entry* FindEntry(absl::string_view key) const;
  absl::Status NotFound(absl::string_view key) const;
  std::string ShardPath(int32_t shard_id) const;
  // The open shard file, opening it on first use.
  absl::StatusOr<const RandomAccessFile*> Shard(int32_t shard_id) const;
  absl::StatusOr<Tensor> ReadEntry(absl::string_view key,
                                   const Entry& entry) const;

  const std::string prefix_;
  int num_shards_ = 0;
  std::map<std::string, Entry, std::less<>> entries_;

  mutable absl::Mutex mu_;
  mutable absl::flat_hash_map<int32_t, std::unique_ptr<RandomAccessFile>>
      shards_ ABSL_GUARDED_BY(mu_);
};

}  // namespace model_server

#endif  // MODEL_SERVER_RUNTIME_BUNDLE_BUNDLE_READER_H_
