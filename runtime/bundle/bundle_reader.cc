#include "runtime/bundle/bundle_reader.h"

#include <algorithm>
#include <system_error>
#include <thread>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "runtime/bundle/crc32c.h"
#include "runtime/bundle/prefault.h"
#include "runtime/bundle/random_access_file.h"
#include "runtime/bundle/shape_and_slice.h"
#include "runtime/bundle/string_tensor_coding.h"
#include "runtime/bundle/table_reader.h"
#include "runtime/status_macros.h"
#include "tensorflow/core/protobuf/tensor_bundle.pb.h"

namespace model_server {
namespace {

// The bundle format version this reader implements, and the oldest producer
// it accepts (TensorFlow's kTensorBundleVersion / kTensorBundleMinProducer).
constexpr int kBundleVersion = 1;
constexpr int kBundleMinProducer = 0;

// Same code, message prefixed with `context`.
absl::Status WithContext(const absl::Status& status,
                         absl::string_view context) {
  return absl::Status(status.code(),
                      absl::StrCat(context, ": ", status.message()));
}

// Tensors at least this large are read and checksummed in parts on up to
// kMaxReadThreads threads: restoring a big model is bound by copying and
// checksumming (warm page cache) or by the disk (cold), and parts in
// parallel use every core or keep several reads in flight.
constexpr uint64_t kParallelReadMinBytes = uint64_t{16} << 20;
constexpr uint64_t kMaxReadThreads = 4;

// Bytes read per call: each block is checksummed right after its read,
// while it is still in the core's cache, instead of in a second pass over
// the whole tensor from memory.
constexpr uint64_t kReadBlockBytes = uint64_t{1} << 20;

// Reads bytes [offset, offset + size) of `file` into `dst` on this thread and
// returns their CRC-32C.
absl::StatusOr<uint32_t> ReadChecksummedPart(const RandomAccessFile& file,
                                             uint64_t offset, uint64_t size,
                                             char* dst) {
  // One call readies the fresh destination pages, instead of a page fault
  // per 4 KiB page during the reads (prefault.h).
  PrefaultForOverwrite(dst, static_cast<size_t>(size));
  uint32_t crc = 0;
  for (uint64_t done = 0; done < size;) {
    const size_t n =
        static_cast<size_t>(std::min(kReadBlockBytes, size - done));
    MS_RETURN_IF_ERROR(file.Read(offset + done, n, dst + done));
    crc = crc32c::Extend(crc, dst + done, n);
    done += n;
  }
  return crc;
}

// Reads bytes [offset, offset + size) of `file` into `dst` and returns their
// CRC-32C; large reads in parts on several threads.
absl::StatusOr<uint32_t> ReadChecksummed(const RandomAccessFile& file,
                                         uint64_t offset, uint64_t size,
                                         char* dst) {
  uint64_t parts = 1;
  if (size >= kParallelReadMinBytes) {
    const uint64_t cores =
        std::max<uint64_t>(1, std::thread::hardware_concurrency());
    parts =
        std::min({kMaxReadThreads, cores, size / (kParallelReadMinBytes / 2)});
  }
  // Every part is non-empty: (parts - 1) * part_bytes < size.
  const uint64_t part_bytes = (size + parts - 1) / parts;
  auto part_size = [&](uint64_t i) {
    return std::min(size, (i + 1) * part_bytes) - i * part_bytes;
  };
  std::vector<absl::Status> statuses(parts);
  std::vector<uint32_t> crcs(parts, 0);
  auto read_part = [&](uint64_t i) {
    const uint64_t begin = i * part_bytes;
    absl::StatusOr<uint32_t> crc =
        ReadChecksummedPart(file, offset + begin, part_size(i), dst + begin);
    if (crc.ok()) {
      crcs[i] = *crc;
    } else {
      statuses[i] = crc.status();
    }
  };
  std::vector<std::thread> threads;
  for (uint64_t i = 1; i < parts; ++i) {
    try {
      threads.emplace_back(read_part, i);
    } catch (const std::system_error&) {
      read_part(i);  // no thread to be had: read it here
    }
  }
  read_part(0);
  for (std::thread& thread : threads) thread.join();
  uint32_t crc = 0;
  for (uint64_t i = 0; i < parts; ++i) {
    MS_RETURN_IF_ERROR(statuses[i]);
    crc = i == 0 ? crcs[0] : crc32c::Combine(crc, crcs[i], part_size(i));
  }
  return crc;
}

}  // namespace

absl::StatusOr<std::unique_ptr<BundleReader>> BundleReader::Open(
    const std::string& prefix) {
  std::unique_ptr<BundleReader> reader(new BundleReader(prefix));
  MS_RETURN_IF_ERROR(reader->ReadIndex());
  return reader;
}

BundleReader::~BundleReader() = default;

absl::Status BundleReader::ReadIndex() {
  const std::string index_path = absl::StrCat(prefix_, ".index");
  absl::StatusOr<std::unique_ptr<TableReader>> table =
      TableReader::Open(index_path);
  if (!table.ok()) {
    return WithContext(table.status(),
                       absl::StrCat("cannot read checkpoint ", prefix_));
  }
  bool seen_header = false;
  MS_RETURN_IF_ERROR((*table)->ForEach(
      [&](absl::string_view key, absl::string_view value) -> absl::Status {
        if (!seen_header) {
          // The header sorts first: its key is the empty string.
          if (!key.empty()) {
            return absl::DataLossError(absl::StrCat(
                "checkpoint index ", index_path, " has no header entry"));
          }
          seen_header = true;
          return ParseHeader(value, index_path);
        }
        tensorflow::BundleEntryProto proto;
        if (!proto.ParseFromArray(value.data(),
                                  static_cast<int>(value.size()))) {
          return absl::DataLossError(absl::StrCat(
              "Entry for key ", key, " not parseable in ", index_path));
        }
        Entry entry;
        entry.info.dtype = static_cast<DataType>(proto.dtype());
        entry.info.partitioned = proto.slices_size() > 0;
        std::vector<int64_t> dims;
        for (const auto& dim : proto.shape().dim()) dims.push_back(dim.size());
        absl::StatusOr<TensorShape> shape = TensorShape::FromDims(dims);
        if (proto.shape().unknown_rank() || !shape.ok()) {
          return absl::DataLossError(
              absl::StrCat("Invalid tensor shape for key ", key, " in ",
                           index_path, ": ", proto.shape().ShortDebugString()));
        }
        entry.info.shape = *std::move(shape);
        entry.shard_id = proto.shard_id();
        entry.offset = proto.offset();
        entry.size = proto.size();
        entry.masked_crc32c = proto.crc32c();
        entries_.emplace(std::string(key), std::move(entry));
        return absl::OkStatus();
      }));
  if (!seen_header) {
    return absl::DataLossError(
        absl::StrCat("checkpoint index ", index_path, " is empty (no header)"));
  }
  return absl::OkStatus();
}

absl::Status BundleReader::ParseHeader(absl::string_view value,
                                       const std::string& file) {
  tensorflow::BundleHeaderProto header;
  if (!header.ParseFromArray(value.data(), static_cast<int>(value.size()))) {
    return absl::DataLossError(
        absl::StrCat("unparseable bundle header in ", file));
  }
  if (header.endianness() != tensorflow::BundleHeaderProto::LITTLE) {
    return absl::UnimplementedError(
        absl::StrCat("checkpoint ", prefix_,
                     " was written on a big-endian machine; only little-endian "
                     "checkpoints are supported"));
  }
  const tensorflow::VersionDef& version = header.version();
  if (version.producer() < kBundleMinProducer) {
    return absl::FailedPreconditionError(absl::StrCat(
        "checkpoint ", prefix_, " has producer version ", version.producer(),
        ", below the minimum ", kBundleMinProducer));
  }
  if (version.min_consumer() > kBundleVersion) {
    return absl::FailedPreconditionError(absl::StrCat(
        "checkpoint ", prefix_, " needs a reader of format version ",
        version.min_consumer(), " or newer; this reader implements version ",
        kBundleVersion));
  }
  for (int bad : version.bad_consumers()) {
    if (bad == kBundleVersion) {
      return absl::FailedPreconditionError(
          absl::StrCat("checkpoint ", prefix_,
                       " disallows readers of format "
                       "version ",
                       kBundleVersion));
    }
  }
  if (header.num_shards() < 0) {
    return absl::DataLossError(absl::StrCat("bundle header in ", file, " has ",
                                            header.num_shards(), " shards"));
  }
  num_shards_ = header.num_shards();
  return absl::OkStatus();
}

const BundleReader::Entry* BundleReader::FindEntry(
    absl::string_view key) const {
  auto it = entries_.find(key);
  return it == entries_.end() ? nullptr : &it->second;
}

absl::Status BundleReader::NotFound(absl::string_view key) const {
  return absl::NotFoundError(
      absl::StrCat("Key ", key, " not found in checkpoint ", prefix_));
}

bool BundleReader::Contains(absl::string_view key) const {
  return FindEntry(key) != nullptr;
}

std::vector<std::string> BundleReader::Keys() const {
  std::vector<std::string> keys;
  keys.reserve(entries_.size());
  for (const auto& [key, entry] : entries_) keys.push_back(key);
  return keys;
}

absl::StatusOr<BundleEntryInfo> BundleReader::GetEntryInfo(
    absl::string_view key) const {
  const Entry* entry = FindEntry(key);
  if (entry == nullptr) return NotFound(key);
  return entry->info;
}

std::string BundleReader::ShardPath(int32_t shard_id) const {
  return absl::StrFormat("%s.data-%05d-of-%05d", prefix_, shard_id,
                         num_shards_);
}

absl::StatusOr<const RandomAccessFile*> BundleReader::Shard(
    int32_t shard_id) const {
  absl::MutexLock lock(&mu_);
  std::unique_ptr<RandomAccessFile>& file = shards_[shard_id];
  if (file == nullptr) {
    absl::StatusOr<std::unique_ptr<RandomAccessFile>> opened =
        RandomAccessFile::Open(ShardPath(shard_id));
    if (!opened.ok()) {
      shards_.erase(shard_id);
      return WithContext(opened.status(),
                         absl::StrCat("checkpoint ", prefix_, " data shard ",
                                      shard_id, " of ", num_shards_));
    }
    file = *std::move(opened);
  }
  // Files are only removed by the destructor, so the pointer stays valid.
  return file.get();
}

int64_t BundleReader::StoredBytes(absl::string_view key) const {
  const Entry* entry = FindEntry(key);
  return entry == nullptr ? -1 : entry->size;
}

absl::StatusOr<Tensor> BundleReader::Lookup(absl::string_view key) const {
  const Entry* entry = FindEntry(key);
  if (entry == nullptr) return NotFound(key);
  return ReadEntry(key, *entry);
}

absl::StatusOr<Tensor> BundleReader::ReadEntry(absl::string_view key,
                                               const Entry& entry) const {
  const DataType dtype = entry.info.dtype;
  const TensorShape& shape = entry.info.shape;
  if (entry.info.partitioned) {
    return absl::UnimplementedError(absl::StrCat(
        "tensor ", key, " in checkpoint ", prefix_,
        " is a partitioned variable (saved as slices), which is not "
        "supported"));
  }
  if (dtype == DT_INVALID || !IsSupportedDataType(dtype) ||
      dtype == DT_RESOURCE || dtype == DT_VARIANT) {
    return absl::UnimplementedError(
        absl::StrCat("tensor ", key, " in checkpoint ", prefix_, " has dtype ",
                     DataTypeName(dtype), ", which cannot be restored"));
  }
  if (entry.shard_id < 0 || entry.shard_id >= num_shards_) {
    return absl::DataLossError(
        absl::StrCat("tensor ", key, " in checkpoint ", prefix_,
                     " names shard ", entry.shard_id, " of ", num_shards_));
  }
  MS_ASSIGN_OR_RETURN(const RandomAccessFile* shard, Shard(entry.shard_id));
  if (entry.offset < 0 || entry.size < 0 ||
      static_cast<uint64_t>(entry.offset) > shard->size() ||
      static_cast<uint64_t>(entry.size) >
          shard->size() - static_cast<uint64_t>(entry.offset)) {
    return absl::DataLossError(absl::StrCat(
        "tensor ", key, " (", entry.size, " bytes at offset ", entry.offset,
        ") lies outside ", shard->path(), " (", shard->size(), " bytes)"));
  }
  const uint64_t offset = static_cast<uint64_t>(entry.offset);
  const uint64_t size = static_cast<uint64_t>(entry.size);

  if (IsPodDataType(dtype)) {
    const uint64_t expected =
        static_cast<uint64_t>(shape.num_elements()) * DataTypeSize(dtype);
    // Checked before allocating, so the allocation is bounded by the file.
    if (shape.num_elements() > Tensor::kMaxBytes || size != expected) {
      return absl::DataLossError(absl::StrCat(
          "Invalid size in bundle entry: key ", key, "; stored size ", size,
          "; expected size ", expected, " for ", DataTypeName(dtype), " ",
          shape.DebugString(), " (", shard->path(), ")"));
    }
  } else if (static_cast<uint64_t>(shape.num_elements()) + 4 > size) {
    // Each string takes at least a one-byte length, plus the lengths'
    // checksum: checked before allocating the elements.
    return absl::DataLossError(
        absl::StrCat("Invalid size in bundle entry: key ", key,
                     "; stored size ", size, " cannot hold ",
                     shape.num_elements(), " strings (", shard->path(), ")"));
  }
  MS_ASSIGN_OR_RETURN(Tensor tensor, Tensor::Create(dtype, shape));
  uint32_t actual_crc;
  if (dtype == DT_STRING) {
    absl::StatusOr<uint32_t> crc =
        ReadStringTensor(*shard, offset, size, &tensor);
    if (!crc.ok()) {
      return WithContext(crc.status(),
                         absl::StrCat("string tensor ", key, " in ",
                                      shard->path(), " at offset ", offset));
    }
    actual_crc = *crc;
  } else {
    char* bytes = static_cast<char*>(tensor.raw_data());
    MS_ASSIGN_OR_RETURN(actual_crc,
                        ReadChecksummed(*shard, offset, size, bytes));
    if (dtype == DT_BOOL) {
      // Any byte other than 0 or 1 is not a valid bool; normalise.
      for (uint64_t i = 0; i < size; ++i) bytes[i] = bytes[i] != 0;
    }
  }
  const uint32_t stored_crc = crc32c::Unmask(entry.masked_crc32c);
  if (actual_crc != stored_crc) {
    return absl::DataLossError(absl::StrFormat(
        "Checksum does not match for key %s in %s (%d bytes at offset %d): "
        "stored %08x, calculated on the restored bytes %08x",
        key, shard->path(), size, offset, stored_crc, actual_crc));
  }
  return tensor;
}

absl::StatusOr<Tensor> BundleReader::LookupSlice(
    absl::string_view key, absl::string_view shape_and_slice) const {
  const Entry* entry = FindEntry(key);
  if (entry == nullptr) return NotFound(key);
  if (shape_and_slice.empty()) return ReadEntry(key, *entry);
  MS_ASSIGN_OR_RETURN(ShapeAndSlice spec, ParseShapeAndSlice(shape_and_slice));
  if (spec.full_shape != entry->info.shape) {
    return absl::InvalidArgumentError(
        absl::StrCat("tensor_name = ", key, "; shape in shape_and_slice spec ",
                     spec.full_shape.DebugString(),
                     " does not match the shape stored in checkpoint: ",
                     entry->info.shape.DebugString()));
  }
  if (!spec.IsFull()) {
    return absl::UnimplementedError(absl::StrCat(
        "tensor_name = ", key, ": restoring the slice ",
        spec.SliceDebugString(), " of a ", entry->info.shape.DebugString(),
        " tensor (a partitioned variable) is not supported; only whole "
        "tensors can be restored"));
  }
  return ReadEntry(key, *entry);
}

}  // namespace model_server
