// Fingerprint64: TensorFlow's stable 64-bit string fingerprint.
//
// TensorFlow's Fingerprint64 (tensorflow/core/platform/fingerprint.h) is
// FarmHash's Fingerprint64, the portable "na" variant of FarmHash's Hash64.
// Its values are frozen forever: StringToHashBucketFast buckets, and so the
// embedding rows and linear weights a trained model looks up, depend on
// them. This is an independent implementation of that published algorithm,
// checked against its test vectors.
#ifndef MODEL_SERVER_RUNTIME_KERNELS_STRINGS_FINGERPRINT64_H_
#define MODEL_SERVER_RUNTIME_KERNELS_STRINGS_FINGERPRINT64_H_

#include <cstdint>

#include "absl/strings/string_view.h"

namespace model_server {

// The fingerprint of the bytes of `s`. Thread-safe; never fails.
uint64_t Fingerprint64(absl::string_view s);

}  // namespace model_server

#endif  // MODEL_SERVER_RUNTIME_KERNELS_STRINGS_FINGERPRINT64_H_
