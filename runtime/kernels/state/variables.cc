// TensorFlow 1 reference variables.
//
// VariableV2 / Variable: attrs shape, dtype, container, shared_name. Binds at
//   load time to the model's Variable named shared_name (or the node name) and
//   outputs a reference to it ("ref").
// Assign: ref input 0, value input 1; attrs T, validate_shape (default true),
//   use_locking. Replaces the value and outputs the reference ("output_ref").
//   A plain tensor as input 0 (a variable that freeze_graph turned into a
//   Const) gives the value itself, what TensorFlow computed before freezing.
// AssignAdd / AssignSub: ref input 0, value input 1 of the same shape;
//   numeric T. Updates in place (atomically) and outputs the reference.
// IsVariableInitialized: ref input 0; bool scalar "is_initialized".
// RefIdentity: forwards the reference ("output").
//
// Writers install a new buffer (Variable::Assign/Update), so a reader that
// already holds the old value is never affected.
#include <memory>
#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "runtime/eigen_device.h"
#include "runtime/op_kernel.h"
#include "runtime/op_registry.h"
#include "runtime/status_macros.h"

namespace model_server {
namespace {

// The variable behind reference input `i`, or an error naming the problem.
absl::StatusOr<std::shared_ptr<Variable>> RefInput(OpKernelContext& ctx,
                                                   int i) {
  const std::shared_ptr<Variable>& var = ctx.ref_input(i);
  if (var == nullptr) {
    return ctx.InvalidArgument(absl::StrCat(
        "input ", i,
        " must be a reference to a variable (the output of VariableV2 or "
        "another ref-producing op), but it is a plain tensor"));
  }
  return var;
}

class VariableV2Kernel : public OpKernel {
 public:
  static absl::StatusOr<std::unique_ptr<OpKernel>> Create(
      const KernelConstruction& c) {
    DataType dtype;
    MS_RETURN_IF_ERROR(c.attrs.Get("dtype", &dtype));
    if (dtype == DT_RESOURCE || dtype == DT_VARIANT) {
      return absl::UnimplementedError(absl::StrCat(
          c.attrs.op(), " node '", c.node_name(), "': variables of type ",
          DataTypeName(dtype), " are not supported"));
    }
    PartialShape shape;
    MS_RETURN_IF_ERROR(c.attrs.GetOr("shape", PartialShape(), &shape));
    std::string container, shared_name;
    MS_RETURN_IF_ERROR(c.attrs.GetOr("container", std::string(), &container));
    MS_RETURN_IF_ERROR(
        c.attrs.GetOr("shared_name", std::string(), &shared_name));
    if (c.resources == nullptr) {
      return c.attrs.Error("no resource manager to hold the variable");
    }
    const std::string name = shared_name.empty() ? c.node_name() : shared_name;
    MS_ASSIGN_OR_RETURN(
        std::shared_ptr<Variable> var,
        c.resources->LookupOrCreate<Variable>(container, name, [&]() {
          return std::make_shared<Variable>(dtype, name);
        }));
    if (var->dtype() != dtype) {
      return c.attrs.Error(absl::StrCat(
          "variable '", name, "' already exists ", "with dtype ",
          DataTypeName(var->dtype()), ", not ", DataTypeName(dtype)));
    }
    return std::unique_ptr<OpKernel>(new VariableV2Kernel(std::move(var)));
  }

  absl::Status Compute(OpKernelContext& ctx) const override {
    ctx.set_output_ref(0, var_);
    return absl::OkStatus();
  }

 private:
  explicit VariableV2Kernel(std::shared_ptr<Variable> var)
      : var_(std::move(var)) {}
  const std::shared_ptr<Variable> var_;
};

class AssignKernel : public OpKernel {
 public:
  static absl::StatusOr<std::unique_ptr<OpKernel>> Create(
      const KernelConstruction& c) {
    MS_RETURN_IF_ERROR(CheckNumInputs(c, 2));
    bool validate_shape;
    MS_RETURN_IF_ERROR(c.attrs.GetOr("validate_shape", true, &validate_shape));
    return std::unique_ptr<OpKernel>(new AssignKernel(validate_shape));
  }

  absl::Status Compute(OpKernelContext& ctx) const override {
    const Tensor& value = ctx.input(1);
    if (ctx.ref_input(0) == nullptr) {
      // A frozen graph's Const in place of the variable: the assignment is
      // its value, as TensorFlow computed it before freezing.
      const Tensor& old = ctx.input(0);
      if (validate_shape_ && old.shape() != value.shape()) {
        return ctx.InvalidArgument(absl::StrCat(
            "Assign requires shapes of both tensors to match. lhs shape= ",
            old.shape().DebugString(),
            " rhs shape= ", value.shape().DebugString()));
      }
      ctx.set_output(0, value);
      return absl::OkStatus();
    }
    MS_ASSIGN_OR_RETURN(std::shared_ptr<Variable> var, RefInput(ctx, 0));
    if (value.dtype() != var->dtype()) {
      return ctx.InvalidArgument(absl::StrCat(
          "Assign of a ", DataTypeName(value.dtype()), " value to variable ",
          var->name(), " of type ", DataTypeName(var->dtype())));
    }
    if (validate_shape_ && var->initialized()) {
      MS_ASSIGN_OR_RETURN(Tensor old, var->Read());
      if (old.shape() != value.shape()) {
        return ctx.InvalidArgument(absl::StrCat(
            "Assign requires shapes of both tensors to match. lhs shape= ",
            old.shape().DebugString(),
            " rhs shape= ", value.shape().DebugString()));
      }
    }
    var->Assign(value);
    ctx.set_output_ref(0, std::move(var));
    return absl::OkStatus();
  }

 private:
  explicit AssignKernel(bool validate_shape)
      : validate_shape_(validate_shape) {}
  const bool validate_shape_;
};

template <typename T>
constexpr bool IsNumber() {
  return !std::is_same_v<T, bool> && !std::is_same_v<T, std::string> &&
         !std::is_same_v<T, std::shared_ptr<ResourceBase>> &&
         !std::is_same_v<T, std::shared_ptr<VariantValue>>;
}

// AssignAdd (kSign = 1) and AssignSub (kSign = -1).
template <int kSign>
class AssignUpdateKernel : public OpKernel {
 public:
  static absl::StatusOr<std::unique_ptr<OpKernel>> Create(
      const KernelConstruction& c) {
    MS_RETURN_IF_ERROR(CheckNumInputs(c, 2));
    DataType dtype;
    MS_RETURN_IF_ERROR(c.attrs.Get("T", &dtype));
    bool numeric = false;
    SwitchOnDataType(dtype,
                     [&](auto tag) { numeric = IsNumber<decltype(tag)>(); });
    if (!numeric) {
      return UnsupportedDtypeError(c, dtype);
    }
    return std::unique_ptr<OpKernel>(new AssignUpdateKernel());
  }

  absl::Status Compute(OpKernelContext& ctx) const override {
    MS_ASSIGN_OR_RETURN(std::shared_ptr<Variable> var, RefInput(ctx, 0));
    const Tensor& update = ctx.input(1);
    if (update.dtype() != var->dtype()) {
      return ctx.InvalidArgument(absl::StrCat(
          "update of type ", DataTypeName(update.dtype()), " for variable ",
          var->name(), " of type ", DataTypeName(var->dtype())));
    }
    MS_RETURN_IF_ERROR(
        var->Update([&](const Tensor& old) -> absl::StatusOr<Tensor> {
             if (old.shape() != update.shape()) {
               return ctx.InvalidArgument(
                   "Parameters and update must be the same size");
             }
             return Combine(old, update);
           })
            .status());
    ctx.set_output_ref(0, std::move(var));
    return absl::OkStatus();
  }

 private:
  static absl::StatusOr<Tensor> Combine(const Tensor& a, const Tensor& b) {
    MS_ASSIGN_OR_RETURN(Tensor out, Tensor::Create(a.dtype(), a.shape()));
    SwitchOnDataType(a.dtype(), [&](auto tag) {
      using T = decltype(tag);
      if constexpr (IsNumber<T>()) {
        const Eigen::Index n = a.NumElements();
        Eigen::TensorMap<Eigen::Tensor<const T, 1, Eigen::RowMajor>> x(
            a.data<T>(), n);
        Eigen::TensorMap<Eigen::Tensor<const T, 1, Eigen::RowMajor>> y(
            b.data<T>(), n);
        Eigen::TensorMap<Eigen::Tensor<T, 1, Eigen::RowMajor>> z(out.data<T>(),
                                                                 n);
        if (n >= kMinParallelWork) {
          if constexpr (kSign > 0) {
            z.device(EigenDevice()) = x + y;
          } else {
            z.device(EigenDevice()) = x - y;
          }
        } else if constexpr (kSign > 0) {
          z = x + y;
        } else {
          z = x - y;
        }
      }
    });
    return out;
  }
};

class IsVariableInitializedKernel : public OpKernel {
 public:
  static absl::StatusOr<std::unique_ptr<OpKernel>> Create(
      const KernelConstruction& c) {
    MS_RETURN_IF_ERROR(CheckNumInputs(c, 1));
    return std::unique_ptr<OpKernel>(new IsVariableInitializedKernel());
  }

  absl::Status Compute(OpKernelContext& ctx) const override {
    const std::shared_ptr<Variable>& var = ctx.ref_input(0);
    // A plain tensor edge was readable, so it holds a value.
    const bool initialized =
        var != nullptr ? var->initialized() : ctx.input(0).IsInitialized();
    ctx.set_output(0, Tensor::Scalar(initialized));
    return absl::OkStatus();
  }
};

class RefIdentityKernel : public OpKernel {
 public:
  static absl::StatusOr<std::unique_ptr<OpKernel>> Create(
      const KernelConstruction& c) {
    MS_RETURN_IF_ERROR(CheckNumInputs(c, 1));
    return std::unique_ptr<OpKernel>(new RefIdentityKernel());
  }

  absl::Status Compute(OpKernelContext& ctx) const override {
    if (ctx.ref_input(0) != nullptr) {
      ctx.set_output_ref(0, ctx.ref_input(0));
    } else {
      ctx.set_output(0, ctx.input(0));
    }
    return absl::OkStatus();
  }
};

}  // namespace

REGISTER_KERNEL(OpSpec("VariableV2").Output("ref"), VariableV2Kernel::Create);
REGISTER_KERNEL(OpSpec("Variable").Output("ref"), VariableV2Kernel::Create);
REGISTER_KERNEL(OpSpec("Assign").Output("output_ref").RefInput(0),
                AssignKernel::Create);
REGISTER_KERNEL(OpSpec("AssignAdd").Output("output_ref").RefInput(0),
                AssignUpdateKernel<1>::Create);
REGISTER_KERNEL(OpSpec("AssignSub").Output("output_ref").RefInput(0),
                AssignUpdateKernel<-1>::Create);
REGISTER_KERNEL(
    OpSpec("IsVariableInitialized").Output("is_initialized").RefInput(0),
    IsVariableInitializedKernel::Create);
REGISTER_KERNEL(OpSpec("RefIdentity").Output("output").RefInput(0),
                RefIdentityKernel::Create);

}  // namespace model_server
