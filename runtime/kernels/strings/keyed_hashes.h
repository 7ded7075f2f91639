// The two other string hashes TensorFlow's hash-bucket ops use (the third,
// Fingerprint64, is in fingerprint64.h). Independent implementations of the
// published algorithms; their values are frozen by trained models.
#ifndef MODEL_SERVER_RUNTIME_KERNELS_STRINGS_KEYED_HASHES_H_
#define MODEL_SERVER_RUNTIME_KERNELS_STRINGS_KEYED_HASHES_H_

#include <cstdint>

#include "absl/strings/string_view.h"

namespace model_server {

// MurmurHash64A of `s` with TensorFlow's seed 0xDECAFCAFFE: TensorFlow's
// Hash64, behind the legacy StringToHashBucket.
uint64_t TensorFlowHash64(absl::string_view s);

// SipHash-2-4 of `s` keyed with (k0, k1): TensorFlow's StrongKeyedHash,
// behind StringToHashBucketStrong.
uint64_t SipHash24(uint64_t k0, uint64_t k1, absl::string_view s);

}  // namespace model_server

#endif  // MODEL_SERVER_RUNTIME_KERNELS_STRINGS_KEYED_HASHES_H_
