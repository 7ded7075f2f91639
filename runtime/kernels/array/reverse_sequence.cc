// ReverseSequence: input, seq_lengths (Tlen int32/int64, default int64;
// one length per slice along batch_dim) -> output of the input's shape in
// which, for each batch index b, the first seq_lengths[b] elements along
// seq_dim are reversed and the rest copied. Attrs seq_dim (required) and
// batch_dim (default 0), both >= 0 and different. Every dtype (elements are
// moved, not read). TensorFlow's checks and texts: "batch_dim == seq_dim ==
// ..", "seq_dim must be < input rank ( d vs. r)", "Length of seq_lengths !=
// input.dims(..)", "seq_lens(i) < 0", "seq_lens(i) > input.dims(seq_dim)".
// Unlike TensorFlow's CPU kernel (ranks 2 to 5), any rank works.
#include <algorithm>
#include <cstdint>
#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "runtime/kernels/array/data_movement.h"
#include "runtime/kernels/kernel_util.h"
#include "runtime/op_kernel.h"
#include "runtime/op_registry.h"
#include "runtime/status_macros.h"

namespace model_server {
namespace {

class ReverseSequenceKernel : public OpKernel {
 public:
  static absl::StatusOr<std::unique_ptr<OpKernel>> Create(
      const KernelConstruction& c) {
    MS_RETURN_IF_ERROR(CheckNumInputs(c, 2));
    MS_RETURN_IF_ERROR(CheckIndexTypeAttr(c, "Tlen"));
    int64_t seq_dim = 0;
    int64_t batch_dim = 0;
    MS_RETURN_IF_ERROR(c.attrs.Get("seq_dim", &seq_dim));
    MS_RETURN_IF_ERROR(c.attrs.GetOr<int64_t>("batch_dim", 0, &batch_dim));
    if (batch_dim < 0) {
      return c.attrs.Error(absl::StrCat("Invalid batch_dim ", batch_dim));
    }
    if (seq_dim < 0) {
      return c.attrs.Error(absl::StrCat("Invalid seq_dim ", seq_dim));
    }
    return std::unique_ptr<OpKernel>(
        new ReverseSequenceKernel(seq_dim, batch_dim));
  }

  absl::Status Compute(OpKernelContext& ctx) const override {
    const Tensor& input = ctx.input(0);
    const Tensor& lengths = ctx.input(1);
    MS_RETURN_IF_ERROR(CheckIntTensor(lengths, "seq_lengths"));
    if (lengths.rank() != 1) {
      return ctx.InvalidArgument(
          absl::StrCat("seq_lengths must be 1-dim, not ", lengths.rank()));
    }
    if (batch_dim_ == seq_dim_) {
      return ctx.InvalidArgument(
          absl::StrCat("batch_dim == seq_dim == ", seq_dim_));
    }
    const int rank = input.rank();
    if (seq_dim_ >= rank) {
      return ctx.InvalidArgument(absl::StrCat("seq_dim must be < input rank ( ",
                                              seq_dim_, " vs. ", rank, ")"));
    }
    if (batch_dim_ >= rank) {
      return ctx.InvalidArgument(absl::StrCat(
          "batch_dim must be < input rank ( ", batch_dim_, " vs. ", rank, ")"));
    }
    const int64_t batch_size = input.dim(batch_dim_);
    const int64_t seq_size = input.dim(seq_dim_);
    if (lengths.NumElements() != batch_size) {
      return ctx.InvalidArgument(absl::StrCat(
          "Length of seq_lengths != input.dims(", batch_dim_, "), (",
          lengths.NumElements(), " vs. ", batch_size, ")"));
    }
    const Dims lens = IntValues(lengths);
    for (size_t d = 0; d < lens.size(); ++d) {
      if (lens[d] < 0) {
        return ctx.InvalidArgument(absl::StrCat("seq_lens(", d, ") < 0"));
      }
      if (lens[d] > seq_size) {
        return ctx.InvalidArgument(
            absl::StrCat("seq_lens(", d, ") > input.dims(", seq_dim_, ")"));
      }
    }
    MS_ASSIGN_OR_RETURN(Tensor * out,
                        ctx.allocate_output(0, input.dtype(), input.shape()));
    if (input.NumElements() == 0) return absl::OkStatus();

    // The input as [outer, first, middle, second, inner], first and second
    // being the batch and sequence dimensions in the order they come.
    const int lo = static_cast<int>(std::min(batch_dim_, seq_dim_));
    const int hi = static_cast<int>(std::max(batch_dim_, seq_dim_));
    const auto dims = input.shape().dims();
    const int64_t outer = Product(dims.subspan(0, lo));
    const int64_t first = dims[lo];
    const int64_t middle = Product(dims.subspan(lo + 1, hi - lo - 1));
    const int64_t second = dims[hi];
    const int64_t inner = Product(dims.subspan(hi + 1));
    const bool batch_first = batch_dim_ < seq_dim_;
    SwitchOnMoveType(input.dtype(), [&](auto tag) {
      using T = decltype(tag);
      const T* src = DataAs<T>(input);
      T* dst = DataAs<T>(out);
      const int64_t rows = outer * first * middle * second;
      ForRows(rows, inner, [&](int64_t begin, int64_t end) {
        for (int64_t row = begin; row < end; ++row) {
          const int64_t s = row % second;
          const int64_t m = (row / second) % middle;
          const int64_t f = (row / (second * middle)) % first;
          const int64_t o = row / (second * middle * first);
          const int64_t b = batch_first ? f : s;
          int64_t q = batch_first ? s : f;
          if (q < lens[b]) q = lens[b] - 1 - q;
          const int64_t src_f = batch_first ? f : q;
          const int64_t src_s = batch_first ? q : s;
          const int64_t src_row =
              ((o * first + src_f) * middle + m) * second + src_s;
          CopyRun(src + src_row * inner, inner, dst + row * inner);
        }
      });
    });
    return absl::OkStatus();
  }

 private:
  ReverseSequenceKernel(int64_t seq_dim, int64_t batch_dim)
      : seq_dim_(seq_dim), batch_dim_(batch_dim) {}

  const int64_t seq_dim_;
  const int64_t batch_dim_;
};

}  // namespace

REGISTER_KERNEL(OpSpec("ReverseSequence").Output("output"),
                ReverseSequenceKernel::Create);

}  // namespace model_server
