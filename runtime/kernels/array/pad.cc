// Padding: Pad, PadV2 and MirrorPad.
//
// Pad: input, paddings -> output; pads with zeros ("" for strings).
// PadV2: input, paddings, constant_values (a scalar of T) -> output.
// MirrorPad: input, paddings -> output; attr mode REFLECT (the edge is not
//   repeated: [1,2,3] padded by 2 is [3,2,1,2,3,2,1]) or SYMMETRIC (it is:
//   [2,1,1,2,3,3,2]).
//
// paddings is an int32/int64 (attr Tpaddings) matrix [rank(input), 2]:
// paddings[d] = (before, after), both >= 0; MirrorPad also requires
// before, after < dim (REFLECT) or <= dim (SYMMETRIC). Every dtype
// (TensorFlow registers Pad for all types and MirrorPad for all POD types);
// any rank (TensorFlow stops at 8, MirrorPad at 5). The error texts are
// TensorFlow's.
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "runtime/kernels/array/data_movement.h"
#include "runtime/kernels/array/index_map_copy.h"
#include "runtime/kernels/kernel_util.h"
#include "runtime/op_kernel.h"
#include "runtime/op_registry.h"
#include "runtime/status_macros.h"

namespace model_server {
namespace {

enum class PadMode { kConstant, kReflect, kSymmetric };

// Output coordinate -> input coordinate along one dimension of size `n`
// padded by (before, after): -1 in the padding for kConstant, the mirrored
// coordinate otherwise. REQUIRES: the paddings were checked for `mode`.
std::vector<int64_t> PadMap(int64_t n, int64_t before, int64_t after,
                            PadMode mode) {
  std::vector<int64_t> map(before + n + after);
  for (int64_t o = 0; o < static_cast<int64_t>(map.size()); ++o) {
    const int64_t i = o - before;
    if (i >= 0 && i < n) {
      map[o] = i;
    } else if (mode == PadMode::kConstant) {
      map[o] = -1;
    } else if (i < 0) {
      map[o] = mode == PadMode::kReflect ? -i : -i - 1;
    } else {
      map[o] = mode == PadMode::kReflect ? 2 * n - i - 2 : 2 * n - i - 1;
    }
  }
  return map;
}

class PadKernel : public OpKernel {
 public:
  static absl::StatusOr<std::unique_ptr<OpKernel>> Create(
      const KernelConstruction& c) {
    const std::string& op = c.attrs.op();
    PadMode mode = PadMode::kConstant;
    if (op == "MirrorPad") {
      std::string mode_attr;
      MS_RETURN_IF_ERROR(c.attrs.Get("mode", &mode_attr));
      if (mode_attr == "REFLECT") {
        mode = PadMode::kReflect;
      } else if (mode_attr == "SYMMETRIC") {
        mode = PadMode::kSymmetric;
      } else {
        return c.attrs.Error("mode must be either REFLECT or SYMMETRIC.");
      }
    }
    const bool has_constant = op == "PadV2";
    MS_RETURN_IF_ERROR(CheckNumInputs(c, has_constant ? 3 : 2));
    MS_RETURN_IF_ERROR(CheckIndexTypeAttr(c, "Tpaddings"));
    return std::unique_ptr<OpKernel>(new PadKernel(mode, has_constant));
  }

  absl::Status Compute(OpKernelContext& ctx) const override {
    const Tensor& input = ctx.input(0);
    const Tensor& paddings = ctx.input(1);
    MS_RETURN_IF_ERROR(CheckIntTensor(paddings, "paddings"));
    const int rank = input.rank();
    if (paddings.rank() != 2 || paddings.dim(1) != 2) {
      return ctx.InvalidArgument(
          absl::StrCat("paddings must be a matrix with 2 columns: ",
                       paddings.shape().DebugString()));
    }
    if (paddings.dim(0) != rank) {
      return ctx.InvalidArgument(absl::StrCat(
          "The first dimension of paddings must be the rank of inputs",
          paddings.shape().DebugString(), " ", input.shape().DebugString()));
    }
    IndexMaps maps(rank);
    std::vector<int64_t> out_dims(rank);
    for (int d = 0; d < rank; ++d) {
      const int64_t before = IntAt(paddings, 2 * d);
      const int64_t after = IntAt(paddings, 2 * d + 1);
      const int64_t n = input.dim(d);
      MS_RETURN_IF_ERROR(CheckPadding(before, after, n));
      if (before > Tensor::kMaxBytes || after > Tensor::kMaxBytes) {
        return absl::ResourceExhaustedError(
            absl::StrCat("padding (", before, ", ", after,
                         ") makes the output of dimension ", d, " too large"));
      }
      out_dims[d] = before + n + after;
    }
    MS_ASSIGN_OR_RETURN(TensorShape shape, TensorShape::FromDims(out_dims));
    MS_ASSIGN_OR_RETURN(Tensor * out,
                        ctx.allocate_output(0, input.dtype(), shape));
    const Tensor* constant = nullptr;
    if (has_constant_) {
      constant = &ctx.input(2);
      MS_RETURN_IF_ERROR(CheckInputDtype(*constant, input.dtype()));
      if (constant->rank() != 0) {
        return ctx.InvalidArgument(
            absl::StrCat("constant_values must be a scalar. Got: ",
                         constant->shape().DebugString()));
      }
    }
    if (out->NumElements() == 0) return absl::OkStatus();
    for (int d = 0; d < rank; ++d) {
      maps[d] = PadMap(input.dim(d), IntAt(paddings, 2 * d),
                       IntAt(paddings, 2 * d + 1), mode_);
    }
    SwitchOnMoveType(input.dtype(), [&](auto tag) {
      using T = decltype(tag);
      const T fill = constant != nullptr ? DataAs<T>(*constant)[0] : T{};
      CopyWithIndexMaps<T>(DataAs<T>(input), input.shape().dims(), maps, fill,
                           DataAs<T>(out));
    });
    return absl::OkStatus();
  }

 private:
  PadKernel(PadMode mode, bool has_constant)
      : mode_(mode), has_constant_(has_constant) {}

  absl::Status CheckPadding(int64_t before, int64_t after, int64_t n) const {
    if (before < 0 || after < 0) {
      return OpKernelContext::InvalidArgument(
          absl::StrCat(mode_ == PadMode::kConstant ? "Paddings" : "paddings",
                       " must be non-negative: ", before, " ", after));
    }
    if (mode_ == PadMode::kSymmetric && (before > n || after > n)) {
      return OpKernelContext::InvalidArgument(absl::StrCat(
          "paddings must be no greater than the dimension size: ", before, ", ",
          after, " greater than ", n));
    }
    if (mode_ == PadMode::kReflect && (before >= n || after >= n)) {
      return OpKernelContext::InvalidArgument(absl::StrCat(
          "paddings must be less than the dimension size: ", before, ", ",
          after, " not less than ", n));
    }
    return absl::OkStatus();
  }

  const PadMode mode_;
  const bool has_constant_;
};

}  // namespace

REGISTER_KERNEL(OpSpec("Pad").Output("output"), PadKernel::Create);
REGISTER_KERNEL(OpSpec("PadV2").Output("output"), PadKernel::Create);
REGISTER_KERNEL(OpSpec("MirrorPad").Output("output"), PadKernel::Create);

}  // namespace model_server
