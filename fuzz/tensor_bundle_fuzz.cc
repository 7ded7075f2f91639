// Fuzz target: the TensorBundle reader (checkpoint V2) on a bundle laid out
// from the input: a little-endian uint32 N, then N bytes of the index table
// (prefix.index), then the data shard. The shard is written under the names
// of shard 0 of 1 and shards 0 and 1 of 2, so headers that say one or two
// shards both find data. Every key is looked up, whole and as a full slice.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "fuzz/fuzz_support.h"
#include "runtime/bundle/bundle_reader.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace model_server;
  static const std::string* const prefix =
      new std::string(fuzz::ProcessTempDir() + "/variables");
  fuzz::InputReader input(data, size);
  const uint32_t index_size = input.Uint32();
  fuzz::WriteFileOrDie(*prefix + ".index", input.Bytes(index_size));
  const absl::string_view shard = input.Rest();
  for (const char* suffix : {".data-00000-of-00001", ".data-00000-of-00002",
                             ".data-00001-of-00002"}) {
    fuzz::WriteFileOrDie(*prefix + suffix, shard);
  }

  absl::StatusOr<std::unique_ptr<BundleReader>> reader =
      BundleReader::Open(*prefix);
  if (!reader.ok()) return 0;
  for (const std::string& key : (*reader)->Keys()) {
    (void)(*reader)->GetEntryInfo(key);
    (void)(*reader)->StoredBytes(key);
    (void)(*reader)->Lookup(key);
    (void)(*reader)->LookupSlice(key, "");
  }
  (void)(*reader)->Lookup("not a key");
  return 0;
}
