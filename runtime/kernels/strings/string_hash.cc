// StringToHashBucketFast: string -> int64 bucket, Fingerprint64(s) modulo
// num_buckets (attr, >= 1), element-wise with the input's shape ("output").
//
// Feature columns built with categorical_column_with_hash_bucket feed the
// bucket into an embedding or linear-weight lookup, so the hash must be
// TensorFlow's exact Fingerprint64 (fingerprint64.h); any other hash would
// silently read the wrong trained rows.
#include <cstdint>
#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "runtime/kernels/strings/fingerprint64.h"
#include "runtime/op_kernel.h"
#include "runtime/op_registry.h"
#include "runtime/status_macros.h"

namespace model_server {
namespace {

class StringToHashBucketFastKernel final : public OpKernel {
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
    return std::unique_ptr<OpKernel>(
        new StringToHashBucketFastKernel(static_cast<uint64_t>(num_buckets)));
  }

  absl::Status Compute(OpKernelContext& ctx) const override {
    const Tensor& input = ctx.input(0);
    if (input.dtype() != DT_STRING) {
      return ctx.InvalidArgument(absl::StrCat(
          "input must be a string tensor, got ", DataTypeName(input.dtype())));
    }
    MS_ASSIGN_OR_RETURN(Tensor * out,
                        ctx.allocate_output(0, DT_INT64, input.shape()));
    const std::string* in = input.data<std::string>();
    int64_t* buckets = out->data<int64_t>();
    const int64_t n = input.NumElements();
    for (int64_t i = 0; i < n; ++i) {
      buckets[i] = static_cast<int64_t>(Fingerprint64(in[i]) % num_buckets_);
    }
    return absl::OkStatus();
  }

 private:
  explicit StringToHashBucketFastKernel(uint64_t num_buckets)
      : num_buckets_(num_buckets) {}
  const uint64_t num_buckets_;
};

}  // namespace

REGISTER_KERNEL(OpSpec("StringToHashBucketFast").Output("output"),
                StringToHashBucketFastKernel::Create);

}  // namespace model_server
