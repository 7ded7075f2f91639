#include "runtime/kernels/parsing/example_wire_format.h"

namespace model_server {
namespace example_parsing {
namespace {

bool ParseMapEntry(WireReader* r, FeatureEntry* entry) {
  uint32_t length;
  if (!r->ReadVarint32(&length)) return false;
  const size_t limit = r->PushLimit(length);
  for (int n = 0; n < 2; ++n) {
    uint32_t tag;
    if (!r->ReadVarint32(&tag)) return false;
    if (tag == DelimitedTag(1)) {
      if (!ReadString(r, &entry->key)) return false;
    } else if (tag == DelimitedTag(2)) {
      if (!ReadString(r, &entry->feature)) return false;
    } else {
      return false;
    }
  }
  if (!r->AtEnd()) return false;
  r->PopLimit(limit);
  return true;
}

bool ParseFeatures(WireReader* r, std::vector<FeatureEntry>* entries) {
  uint32_t length;
  if (!r->ReadVarint32(&length)) return false;
  const size_t limit = r->PushLimit(length);
  while (!r->AtEnd()) {
    FeatureEntry entry;
    if (!r->Expect(DelimitedTag(1)) || !ParseMapEntry(r, &entry)) {
      return false;
    }
    entries->push_back(entry);
  }
  r->PopLimit(limit);
  return true;
}

// Skips one top-level field other than `features` (TensorFlow's
// SkipExtraneousTag; groups are not supported and a length-delimited field
// cut short by the end of the input is skipped, not an error).
bool SkipField(WireReader* r) {
  uint32_t tag;
  if (!r->ReadVarint32(&tag)) return false;
  switch (tag & 7) {
    case 0: {
      uint32_t value;
      return r->ReadVarint32(&value);
    }
    case 1:
      return r->SkipFixed64();
    case 2: {
      uint32_t length;
      if (!r->ReadVarint32(&length)) return false;
      r->Skip(length);
      return true;
    }
    case 5: {
      uint32_t value;
      return r->ReadFixed32(&value);
    }
    default:
      return false;
  }
}

}  // namespace

bool ParseExampleEntries(absl::string_view serialized,
                         std::vector<FeatureEntry>* entries) {
  if (serialized.size() > kMaxLimit) return false;
  WireReader r(serialized);
  while (!r.AtEnd()) {
    if (r.Expect(DelimitedTag(1))) {
      if (!ParseFeatures(&r, entries)) return false;
    } else if (!SkipField(&r)) {
      return false;
    }
  }
  return true;
}

absl::Status ParseFeatureKind(absl::string_view* feature, DataType* dtype) {
  *dtype = DT_INVALID;
  if (feature->empty()) return absl::OkStatus();
  const uint8_t tag = static_cast<uint8_t>(feature->front());
  feature->remove_prefix(1);
  switch (tag) {
    case DelimitedTag(1):
      *dtype = DT_STRING;
      return absl::OkStatus();
    case DelimitedTag(2):
      *dtype = DT_FLOAT;
      return absl::OkStatus();
    case DelimitedTag(3):
      *dtype = DT_INT64;
      return absl::OkStatus();
    default:
      return absl::InvalidArgumentError("Unsupported datatype.");
  }
}

}  // namespace example_parsing
}  // namespace model_server
