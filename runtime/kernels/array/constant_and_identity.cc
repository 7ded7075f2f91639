// Constants, placeholders and the identity family: ops that produce a stored
// tensor or pass their input through unchanged.
//
// Const: attrs value (tensor), dtype. Output: output.
// Identity, StopGradient, PreventGradient, Snapshot, PlaceholderWithDefault:
//   one input, forwarded as output (tensors are immutable, so forwarding shares
//   the buffer; Snapshot needs no copy for the same reason).
// IdentityN: N inputs forwarded; output "output" sized by the list attr T.
// DeepCopy: x -> y, a copy in a buffer of its own (every dtype).
// NoOp: no inputs used, no outputs.
// Placeholder, PlaceholderV2: fail with TensorFlow's "You must feed a value"
//   error when run unfed (a fed placeholder's kernel never runs).
// EnsureShape: forwards its input after checking it against attr shape.
// CheckNumerics, CheckNumericsV2: forward a float tensor after checking it
//   holds no Inf/NaN.
#include <cmath>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "runtime/kernels/array/data_movement.h"
#include "runtime/op_kernel.h"
#include "runtime/op_registry.h"
#include "runtime/status_macros.h"

namespace model_server {
namespace {

class ConstKernel : public OpKernel {
 public:
  static absl::StatusOr<std::unique_ptr<OpKernel>> Create(
      const KernelConstruction& c) {
    Tensor value;
    MS_RETURN_IF_ERROR(c.attrs.Get("value", &value));
    DataType dtype;
    MS_RETURN_IF_ERROR(c.attrs.Get("dtype", &dtype));
    if (value.dtype() != dtype) {
      return c.attrs.Error(absl::StrCat(
          "Type mismatch between value (", DataTypeName(value.dtype()),
          ") and dtype (", DataTypeName(dtype), ")"));
    }
    return std::unique_ptr<OpKernel>(new ConstKernel(std::move(value)));
  }

  absl::Status Compute(OpKernelContext& ctx) const override {
    ctx.set_output(0, value_);
    return absl::OkStatus();
  }

 private:
  explicit ConstKernel(Tensor value) : value_(std::move(value)) {}
  const Tensor value_;
};

// Forwards every input to the output of the same index.
class ForwardKernel : public OpKernel {
 public:
  // For single-input ops.
  static absl::StatusOr<std::unique_ptr<OpKernel>> Create(
      const KernelConstruction& c) {
    MS_RETURN_IF_ERROR(CheckNumInputs(c, 1));
    return std::unique_ptr<OpKernel>(new ForwardKernel());
  }
  // IdentityN: as many inputs as attr T lists.
  static absl::StatusOr<std::unique_ptr<OpKernel>> CreateN(
      const KernelConstruction& c) {
    std::vector<DataType> types;
    MS_RETURN_IF_ERROR(c.attrs.Get("T", &types));
    MS_RETURN_IF_ERROR(CheckNumInputs(c, static_cast<int>(types.size())));
    return std::unique_ptr<OpKernel>(new ForwardKernel());
  }

  absl::Status Compute(OpKernelContext& ctx) const override {
    for (int i = 0; i < ctx.num_outputs(); ++i) {
      ctx.set_output(i, ctx.input(i));
    }
    return absl::OkStatus();
  }
};

class DeepCopyKernel : public OpKernel {
 public:
  static absl::StatusOr<std::unique_ptr<OpKernel>> Create(
      const KernelConstruction& c) {
    MS_RETURN_IF_ERROR(CheckNumInputs(c, 1));
    return std::unique_ptr<OpKernel>(new DeepCopyKernel());
  }

  absl::Status Compute(OpKernelContext& ctx) const override {
    const Tensor& x = ctx.input(0);
    MS_ASSIGN_OR_RETURN(Tensor * y,
                        ctx.allocate_output(0, x.dtype(), x.shape()));
    const Dims dims(x.shape().dims().begin(), x.shape().dims().end());
    CopyView(x, 0, dims, StridesOf(dims), y);
    return absl::OkStatus();
  }
};

class NoOpKernel : public OpKernel {
 public:
  absl::Status Compute(OpKernelContext&) const override {
    return absl::OkStatus();
  }
};

class PlaceholderKernel : public OpKernel {
 public:
  static absl::StatusOr<std::unique_ptr<OpKernel>> Create(
      const KernelConstruction& c) {
    DataType dtype;
    MS_RETURN_IF_ERROR(c.attrs.Get("dtype", &dtype));
    PartialShape shape;
    MS_RETURN_IF_ERROR(c.attrs.GetOr("shape", PartialShape(), &shape));
    // TensorFlow names the shape only when it has at least one dimension.
    std::string message =
        absl::StrCat("You must feed a value for placeholder tensor '",
                     c.node_name(), "' with dtype ", DataTypeName(dtype));
    if (shape.rank > 0) {
      absl::StrAppend(&message, " and shape ", shape.DebugString());
    }
    return std::unique_ptr<OpKernel>(new PlaceholderKernel(std::move(message)));
  }

  absl::Status Compute(OpKernelContext&) const override {
    return absl::InvalidArgumentError(message_);
  }

 private:
  explicit PlaceholderKernel(std::string message)
      : message_(std::move(message)) {}
  const std::string message_;
};

class EnsureShapeKernel : public OpKernel {
 public:
  static absl::StatusOr<std::unique_ptr<OpKernel>> Create(
      const KernelConstruction& c) {
    MS_RETURN_IF_ERROR(CheckNumInputs(c, 1));
    PartialShape shape;
    MS_RETURN_IF_ERROR(c.attrs.Get("shape", &shape));
    return std::unique_ptr<OpKernel>(new EnsureShapeKernel(std::move(shape)));
  }

  absl::Status Compute(OpKernelContext& ctx) const override {
    const Tensor& input = ctx.input(0);
    if (!IsCompatible(input.shape())) {
      // TensorFlow also names the input tensor; the kernel does not see it.
      return ctx.InvalidArgument(
          absl::StrCat("Shape of tensor ", input.shape().DebugString(),
                       " is not compatible with expected shape ",
                       expected_.DebugString(), "."));
    }
    ctx.set_output(0, input);
    return absl::OkStatus();
  }

 private:
  explicit EnsureShapeKernel(PartialShape expected)
      : expected_(std::move(expected)) {}

  bool IsCompatible(const TensorShape& shape) const {
    if (expected_.rank < 0) return true;
    if (shape.rank() != expected_.rank) return false;
    for (int i = 0; i < shape.rank(); ++i) {
      const int64_t want = expected_.dims[i];
      if (want >= 0 && want != shape.dim(i)) return false;
    }
    return true;
  }

  const PartialShape expected_;
};

// CheckNumerics (v1 reports "Inf", "NaN" or "Inf and NaN"); v2 tells -Inf
// from +Inf.
class CheckNumericsKernel : public OpKernel {
 public:
  template <bool kV2>
  static absl::StatusOr<std::unique_ptr<OpKernel>> Create(
      const KernelConstruction& c) {
    MS_RETURN_IF_ERROR(CheckNumInputs(c, 1));
    DataType dtype;
    MS_RETURN_IF_ERROR(c.attrs.Get("T", &dtype));
    if (dtype != DT_FLOAT && dtype != DT_DOUBLE && dtype != DT_HALF &&
        dtype != DT_BFLOAT16) {
      return c.attrs.Error(absl::StrCat("unsupported type ",
                                        DataTypeName(dtype),
                                        "; expected a floating point type"));
    }
    std::string message;
    MS_RETURN_IF_ERROR(c.attrs.Get("message", &message));
    return std::unique_ptr<OpKernel>(
        new CheckNumericsKernel(std::move(message), kV2));
  }

  absl::Status Compute(OpKernelContext& ctx) const override {
    const Tensor& input = ctx.input(0);
    int found = 0;
    switch (input.dtype()) {
      case DT_FLOAT:
        found = Scan(input.flat<float>());
        break;
      case DT_DOUBLE:
        found = Scan(input.flat<double>());
        break;
      case DT_HALF:
        found = Scan(input.flat<Eigen::half>());
        break;
      case DT_BFLOAT16:
        found = Scan(input.flat<Eigen::bfloat16>());
        break;
      default:
        return ctx.InvalidArgument(
            absl::StrCat("CheckNumerics expects a floating point tensor, got ",
                         DataTypeName(input.dtype())));
    }
    if (found != 0) {
      return ctx.InvalidArgument(
          absl::StrCat(message_, " : Tensor had ", Describe(found), " values"));
    }
    ctx.set_output(0, input);
    return absl::OkStatus();
  }

 private:
  static constexpr int kNegInf = 1, kPosInf = 2, kNaN = 4;

  CheckNumericsKernel(std::string message, bool v2)
      : message_(std::move(message)), v2_(v2) {}

  template <typename T>
  static int Scan(absl::Span<const T> values) {
    int found = 0;
    for (const T& v : values) {
      const double x = static_cast<double>(v);
      if (std::isfinite(x)) continue;
      found |= std::isnan(x) ? kNaN : (x < 0 ? kNegInf : kPosInf);
    }
    return found;
  }

  std::string Describe(int found) const {
    if (!v2_) {
      const bool inf = (found & (kNegInf | kPosInf)) != 0;
      const bool nan = (found & kNaN) != 0;
      return inf && nan ? "Inf and NaN" : (inf ? "Inf" : "NaN");
    }
    std::vector<std::string> kinds;
    if (found & kNegInf) kinds.push_back("-Inf");
    if (found & kPosInf) kinds.push_back("+Inf");
    if (found & kNaN) kinds.push_back("NaN");
    if (kinds.size() == 3) {
      return absl::StrCat(kinds[0], ", ", kinds[1], ", and ", kinds[2]);
    }
    if (kinds.size() == 2) return absl::StrCat(kinds[0], " and ", kinds[1]);
    return kinds[0];
  }

  const std::string message_;
  const bool v2_;
};

}  // namespace

REGISTER_KERNEL(OpSpec("Const").Output("output"), ConstKernel::Create);
REGISTER_KERNEL(OpSpec("Identity").Output("output"), ForwardKernel::Create);
REGISTER_KERNEL(OpSpec("StopGradient").Output("output"), ForwardKernel::Create);
REGISTER_KERNEL(OpSpec("PreventGradient").Output("output"),
                ForwardKernel::Create);
REGISTER_KERNEL(OpSpec("Snapshot").Output("output"), ForwardKernel::Create);
REGISTER_KERNEL(OpSpec("PlaceholderWithDefault").Output("output"),
                ForwardKernel::Create);
REGISTER_KERNEL(OpSpec("IdentityN").Output("output", "T"),
                ForwardKernel::CreateN);
REGISTER_KERNEL(OpSpec("DeepCopy").Output("y"), DeepCopyKernel::Create);
REGISTER_KERNEL(OpSpec("NoOp"), MakeSimpleKernel<NoOpKernel>);
REGISTER_KERNEL(OpSpec("Placeholder").Output("output"),
                PlaceholderKernel::Create);
REGISTER_KERNEL(OpSpec("PlaceholderV2").Output("output"),
                PlaceholderKernel::Create);
REGISTER_KERNEL(OpSpec("EnsureShape").Output("output"),
                EnsureShapeKernel::Create);
REGISTER_KERNEL(OpSpec("CheckNumerics").Output("output"),
                CheckNumericsKernel::Create<false>);
REGISTER_KERNEL(OpSpec("CheckNumericsV2").Output("output"),
                CheckNumericsKernel::Create<true>);

}  // namespace model_server
