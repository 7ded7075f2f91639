// The hash-bucket ops: string -> int64 bucket, hash(s) modulo num_buckets
// (attr, >= 1), element-wise with the input's shape ("output").
//
// StringToHashBucketFast: Fingerprint64 (fingerprint64.h).
// StringToHashBucketStrong: SipHash-2-4 keyed with attr key (two ints, as
//   TensorFlow requires), keyed_hashes.h.
// StringToHashBucket (legacy): TensorFlow's Hash64 (MurmurHash64A).
//
// Feature columns built with categorical_column_with_hash_bucket and Keras
// Hashing feed the bucket into an embedding or linear-weight lookup, so the
// hash must be TensorFlow's exact one; any other hash would silently read
// the wrong trained rows.
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "runtime/kernels/strings/fingerprint64.h"
#include "runtime/kernels/strings/keyed_hashes.h"
#include "runtime/kernels/strings/string_kernel_util.h"
#include "runtime/op_kernel.h"
#include "runtime/op_registry.h"
#include "runtime/status_macros.h"

namespace model_server {
namespace {

enum class BucketHash { kFingerprint64, kSipHash, kHash64 };

template <BucketHash kHash>
class StringToHashBucketKernel final : public OpKernel {
 public:
  static absl::StatusOr<std::unique_ptr<OpKernel>> Create(
      const KernelConstruction& c) {
    MS_RETURN_IF_ERROR(CheckNumInputs(c, 1));
    int64_t num_buckets;
    MS_RETURN_IF_ERROR(c.attrs.Get("num_buckets", &num_buckets));
    if (num_buckets < 1) {
      // TensorFlow's OpDef check (num_buckets: int >= 1).
      return c.attrs.Error(absl::StrCat("Value for attr 'num_buckets' of ",
                                        num_buckets,
                                        " must be at least minimum 1"));
    }
    std::vector<int64_t> key = {0, 0};
    if (kHash == BucketHash::kSipHash) {
      MS_RETURN_IF_ERROR(c.attrs.Get("key", &key));
      if (key.size() != 2) {
        return c.attrs.Error(absl::StrCat("Key must have 2 elements, got ",
                                          key.size(), " elements."));
      }
    }
    return std::unique_ptr<OpKernel>(new StringToHashBucketKernel(
        static_cast<uint64_t>(num_buckets), static_cast<uint64_t>(key[0]),
        static_cast<uint64_t>(key[1])));
  }

  absl::Status Compute(OpKernelContext& ctx) const override {
    return MapStrings<int64_t>(ctx, [this](const std::string& s, int64_t* out) {
      *out = static_cast<int64_t>(Hash(s) % num_buckets_);
      return absl::OkStatus();
    });
  }

 private:
  StringToHashBucketKernel(uint64_t num_buckets, uint64_t k0, uint64_t k1)
      : num_buckets_(num_buckets), k0_(k0), k1_(k1) {}

  uint64_t Hash(const std::string& s) const {
    switch (kHash) {
      case BucketHash::kFingerprint64:
        return Fingerprint64(s);
      case BucketHash::kSipHash:
        return SipHash24(k0_, k1_, s);
      case BucketHash::kHash64:
        return TensorFlowHash64(s);
    }
    return 0;
  }

  const uint64_t num_buckets_;
  const uint64_t k0_, k1_;
};

}  // namespace

REGISTER_KERNEL(OpSpec("StringToHashBucketFast").Output("output"),
                StringToHashBucketKernel<BucketHash::kFingerprint64>::Create);
REGISTER_KERNEL(OpSpec("StringToHashBucketStrong").Output("output"),
                StringToHashBucketKernel<BucketHash::kSipHash>::Create);
REGISTER_KERNEL(OpSpec("StringToHashBucket").Output("output"),
                StringToHashBucketKernel<BucketHash::kHash64>::Create);

}  // namespace model_server
