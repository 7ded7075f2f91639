// TensorFlow 2 resource variables.
//
// VarHandleOp: attrs container, shared_name, dtype, shape, allowed_devices.
//   Binds at load time to the model's Variable and outputs a DT_RESOURCE
//   scalar pointing to it ("resource"), built once.
// ReadVariableOp: resource input; attr dtype; outputs the value ("value").
// AssignVariableOp: resource, value; attrs dtype, validate_shape (default
//   false). No outputs.
// AssignAddVariableOp / AssignSubVariableOp: resource, value of the
//   variable's shape; numeric dtype. No outputs.
// VarIsInitializedOp: resource; bool scalar ("is_initialized").
// DisableCopyOnRead: resource; no effect here (reads never copy), no outputs.
// VariableShape: resource; attr out_type int32/int64; the value's shape.
// ResourceGather: resource, indices (Tindices int32/int64); attrs batch_dims,
//   validate_indices, dtype. Gathers along axis batch_dims of the variable.
#include <algorithm>
#include <cstring>
#include <limits>
#include <memory>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "runtime/eigen_device.h"
#include "runtime/kernels/resource_handle_kernel.h"
#include "runtime/op_kernel.h"
#include "runtime/op_registry.h"
#include "runtime/status_macros.h"

namespace model_server {
namespace {

absl::Status Unsupported(const KernelConstruction& c, absl::string_view what) {
  return absl::UnimplementedError(
      absl::StrCat(c.attrs.op(), " node '", c.node_name(), "': ", what));
}

template <typename T>
constexpr bool IsNumber() {
  return !std::is_same_v<T, bool> && !std::is_same_v<T, std::string> &&
         !std::is_same_v<T, std::shared_ptr<ResourceBase>> &&
         !std::is_same_v<T, std::shared_ptr<VariantValue>>;
}

bool IsNumberType(DataType dtype) {
  bool numeric = false;
  SwitchOnDataType(dtype,
                   [&](auto tag) { numeric = IsNumber<decltype(tag)>(); });
  return numeric;
}

// The Variable a resource-handle input points to. The pointer stays valid
// while the input tensor lives (for the whole Compute call).
absl::StatusOr<Variable*> VariableFromHandle(const Tensor& handle) {
  if (handle.dtype() != DT_RESOURCE || handle.NumElements() != 1) {
    return absl::InvalidArgumentError(absl::StrCat(
        "expected a resource handle scalar, got ", DataTypeName(handle.dtype()),
        " ", handle.shape().DebugString()));
  }
  const std::shared_ptr<ResourceBase>& resource =
      handle.data<std::shared_ptr<ResourceBase>>()[0];
  if (resource == nullptr) {
    return absl::InvalidArgumentError("resource handle is empty");
  }
  auto* var = dynamic_cast<Variable*>(resource.get());
  if (var == nullptr) {
    return absl::InvalidArgumentError(
        absl::StrCat("Trying to access a resource of type ",
                     resource->TypeName(), " as a Variable"));
  }
  return var;
}

// TensorFlow's reading error; the container is not recorded on a Variable,
// so the default one is named.
absl::Status UninitializedError(const Variable& var) {
  return absl::FailedPreconditionError(absl::StrCat(
      "Error while reading resource variable ", var.name(),
      " from Container: localhost. This could mean that the variable was "
      "uninitialized. Not found: Resource localhost/",
      var.name(), " does not exist."));
}

// Resolves the resource at load; runs as a ResourceHandleKernel.
struct VarHandleKernel {
  static absl::StatusOr<std::unique_ptr<OpKernel>> Create(
      const KernelConstruction& c) {
    MS_RETURN_IF_ERROR(CheckNumInputs(c, 0));
    DataType dtype;
    MS_RETURN_IF_ERROR(c.attrs.Get("dtype", &dtype));
    if (dtype == DT_RESOURCE) {
      return Unsupported(c, "variables of type resource are not supported");
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
    return ResourceHandleKernel::Create(std::move(var));
  }
};

class ReadVariableKernel : public OpKernel {
 public:
  static absl::StatusOr<std::unique_ptr<OpKernel>> Create(
      const KernelConstruction& c) {
    MS_RETURN_IF_ERROR(CheckNumInputs(c, 1));
    DataType dtype;
    MS_RETURN_IF_ERROR(c.attrs.Get("dtype", &dtype));
    return std::unique_ptr<OpKernel>(new ReadVariableKernel(dtype));
  }

  absl::Status Compute(OpKernelContext& ctx) const override {
    MS_ASSIGN_OR_RETURN(Variable * var, VariableFromHandle(ctx.input(0)));
    // As in TensorFlow, a missing value is reported before a dtype mismatch.
    absl::StatusOr<Tensor> value = var->Read();
    if (!value.ok()) return UninitializedError(*var);
    if (var->dtype() != dtype_) {
      return ctx.InvalidArgument(absl::StrCat(
          "Trying to read variable with wrong dtype. Expected ",
          DataTypeName(dtype_), " got ", DataTypeName(var->dtype())));
    }
    ctx.set_output(0, *std::move(value));
    return absl::OkStatus();
  }

 private:
  explicit ReadVariableKernel(DataType dtype) : dtype_(dtype) {}
  const DataType dtype_;
};

class AssignVariableKernel : public OpKernel {
 public:
  static absl::StatusOr<std::unique_ptr<OpKernel>> Create(
      const KernelConstruction& c) {
    MS_RETURN_IF_ERROR(CheckNumInputs(c, 2));
    DataType dtype;
    MS_RETURN_IF_ERROR(c.attrs.Get("dtype", &dtype));
    bool validate_shape;
    MS_RETURN_IF_ERROR(c.attrs.GetOr("validate_shape", false, &validate_shape));
    return std::unique_ptr<OpKernel>(
        new AssignVariableKernel(dtype, validate_shape));
  }

  absl::Status Compute(OpKernelContext& ctx) const override {
    MS_ASSIGN_OR_RETURN(Variable * var, VariableFromHandle(ctx.input(0)));
    const Tensor& value = ctx.input(1);
    if (value.dtype() != dtype_) {
      return ctx.InvalidArgument(absl::StrCat(
          "Variable and value dtypes don't match; respectively, ",
          DataTypeName(dtype_), " and ", DataTypeName(value.dtype())));
    }
    if (var->dtype() != dtype_) {
      return ctx.InvalidArgument(absl::StrCat(
          "Trying to assign variable with wrong dtype. Expected ",
          DataTypeName(var->dtype()), " got ", DataTypeName(dtype_)));
    }
    if (validate_shape_ && var->initialized()) {
      MS_ASSIGN_OR_RETURN(Tensor old, var->Read());
      if (old.shape() != value.shape()) {
        return ctx.InvalidArgument(absl::StrCat(
            "Trying to assign to variable with tensor with wrong shape. "
            "Expected ",
            old.shape().DebugString(), " got ", value.shape().DebugString()));
      }
    }
    // Inputs are immutable, so the variable may share the value's buffer.
    var->Assign(value);
    return absl::OkStatus();
  }

 private:
  AssignVariableKernel(DataType dtype, bool validate_shape)
      : dtype_(dtype), validate_shape_(validate_shape) {}
  const DataType dtype_;
  const bool validate_shape_;
};

// AssignAddVariableOp (kSign = 1) and AssignSubVariableOp (kSign = -1).
template <int kSign>
class AssignUpdateVariableKernel : public OpKernel {
 public:
  static absl::StatusOr<std::unique_ptr<OpKernel>> Create(
      const KernelConstruction& c) {
    MS_RETURN_IF_ERROR(CheckNumInputs(c, 2));
    DataType dtype;
    MS_RETURN_IF_ERROR(c.attrs.Get("dtype", &dtype));
    if (!IsNumberType(dtype)) {
      return Unsupported(
          c, absl::StrCat("unsupported dtype ", DataTypeName(dtype)));
    }
    return std::unique_ptr<OpKernel>(new AssignUpdateVariableKernel(dtype));
  }

  absl::Status Compute(OpKernelContext& ctx) const override {
    MS_ASSIGN_OR_RETURN(Variable * var, VariableFromHandle(ctx.input(0)));
    const Tensor& value = ctx.input(1);
    if (value.dtype() != dtype_ || var->dtype() != dtype_) {
      return ctx.InvalidArgument(absl::StrCat(
          "Trying to update variable of type ", DataTypeName(var->dtype()),
          " with a value of type ", DataTypeName(value.dtype()), " (op dtype ",
          DataTypeName(dtype_), ")"));
    }
    if (!var->initialized()) return UninitializedError(*var);
    absl::StatusOr<Tensor> updated =
        var->Update([&](const Tensor& old) -> absl::StatusOr<Tensor> {
          if (old.shape() != value.shape()) {
            return ctx.InvalidArgument(absl::StrCat(
                "Cannot update variable with shape ", old.shape().DebugString(),
                " using a Tensor with shape ", value.shape().DebugString(),
                ", shapes must be equal."));
          }
          return Combine(old, value);
        });
    return updated.status();
  }

 private:
  explicit AssignUpdateVariableKernel(DataType dtype) : dtype_(dtype) {}

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

  const DataType dtype_;
};

class VarIsInitializedKernel : public OpKernel {
 public:
  static absl::StatusOr<std::unique_ptr<OpKernel>> Create(
      const KernelConstruction& c) {
    MS_RETURN_IF_ERROR(CheckNumInputs(c, 1));
    return std::unique_ptr<OpKernel>(new VarIsInitializedKernel());
  }

  absl::Status Compute(OpKernelContext& ctx) const override {
    absl::StatusOr<Variable*> var = VariableFromHandle(ctx.input(0));
    // TensorFlow answers false for a handle it cannot resolve.
    ctx.set_output(0, Tensor::Scalar(var.ok() && (*var)->initialized()));
    return absl::OkStatus();
  }
};

class VariableShapeKernel : public OpKernel {
 public:
  static absl::StatusOr<std::unique_ptr<OpKernel>> Create(
      const KernelConstruction& c) {
    MS_RETURN_IF_ERROR(CheckNumInputs(c, 1));
    DataType out_type;
    MS_RETURN_IF_ERROR(c.attrs.GetOr("out_type", DT_INT32, &out_type));
    if (out_type != DT_INT32 && out_type != DT_INT64) {
      return Unsupported(
          c, absl::StrCat("unsupported out_type ", DataTypeName(out_type)));
    }
    return std::unique_ptr<OpKernel>(new VariableShapeKernel(out_type));
  }

  absl::Status Compute(OpKernelContext& ctx) const override {
    MS_ASSIGN_OR_RETURN(Variable * var, VariableFromHandle(ctx.input(0)));
    absl::StatusOr<Tensor> value = var->Read();
    if (!value.ok()) return UninitializedError(*var);
    absl::Span<const int64_t> dims = value->shape().dims();
    MS_ASSIGN_OR_RETURN(
        Tensor * out,
        ctx.allocate_output(0, out_type_,
                            TensorShape{static_cast<int64_t>(dims.size())}));
    for (size_t i = 0; i < dims.size(); ++i) {
      if (out_type_ == DT_INT64) {
        out->data<int64_t>()[i] = dims[i];
      } else if (dims[i] > std::numeric_limits<int32_t>::max()) {
        return ctx.InvalidArgument(absl::StrCat(
            "Shape output type is 32-bit but dim ", i, " is ", dims[i]));
      } else {
        out->data<int32_t>()[i] = static_cast<int32_t>(dims[i]);
      }
    }
    return absl::OkStatus();
  }

 private:
  explicit VariableShapeKernel(DataType out_type) : out_type_(out_type) {}
  const DataType out_type_;
};

class DisableCopyOnReadKernel : public OpKernel {
 public:
  static absl::StatusOr<std::unique_ptr<OpKernel>> Create(
      const KernelConstruction& c) {
    MS_RETURN_IF_ERROR(CheckNumInputs(c, 1));
    return std::unique_ptr<OpKernel>(new DisableCopyOnReadKernel());
  }
  absl::Status Compute(OpKernelContext&) const override {
    return absl::OkStatus();
  }
};

// "[i,j]" position of flat index `flat` in `shape`; "" for a scalar.
std::string SliceDebugString(const TensorShape& shape, int64_t flat) {
  if (shape.rank() == 0) return "";
  std::vector<int64_t> index(shape.rank());
  for (int d = shape.rank() - 1; d >= 0; --d) {
    const int64_t size = shape.dim(d);
    index[d] = size == 0 ? 0 : flat % size;
    flat = size == 0 ? 0 : flat / size;
  }
  std::string out = "[";
  for (int d = 0; d < shape.rank(); ++d) {
    absl::StrAppend(&out, d ? "," : "", index[d]);
  }
  return out + "]";
}

class ResourceGatherKernel : public OpKernel {
 public:
  static absl::StatusOr<std::unique_ptr<OpKernel>> Create(
      const KernelConstruction& c) {
    MS_RETURN_IF_ERROR(CheckNumInputs(c, 2));
    DataType dtype, index_type;
    MS_RETURN_IF_ERROR(c.attrs.Get("dtype", &dtype));
    MS_RETURN_IF_ERROR(c.attrs.Get("Tindices", &index_type));
    if (index_type != DT_INT32 && index_type != DT_INT64) {
      return Unsupported(
          c, absl::StrCat("unsupported Tindices ", DataTypeName(index_type)));
    }
    if (dtype == DT_RESOURCE || dtype == DT_VARIANT) {
      return Unsupported(
          c, absl::StrCat("unsupported dtype ", DataTypeName(dtype)));
    }
    int64_t batch_dims;
    MS_RETURN_IF_ERROR(c.attrs.GetOr("batch_dims", int64_t{0}, &batch_dims));
    if (batch_dims < 0) {
      return c.attrs.Error(
          absl::StrCat("batch_dims must be non-negative, got ", batch_dims));
    }
    return std::unique_ptr<OpKernel>(
        new ResourceGatherKernel(dtype, static_cast<int>(batch_dims)));
  }

  absl::Status Compute(OpKernelContext& ctx) const override {
    MS_ASSIGN_OR_RETURN(Variable * var, VariableFromHandle(ctx.input(0)));
    if (var->dtype() != dtype_) {
      return ctx.InvalidArgument(absl::StrCat(
          "Trying to gather from variable with wrong dtype. Expected ",
          DataTypeName(dtype_), " got ", DataTypeName(var->dtype())));
    }
    absl::StatusOr<Tensor> read = var->Read();
    if (!read.ok()) return UninitializedError(*var);
    const Tensor& params = *read;
    const Tensor& indices = ctx.input(1);
    if (indices.dtype() != DT_INT32 && indices.dtype() != DT_INT64) {
      return ctx.InvalidArgument(
          absl::StrCat("indices must be int32 or int64, got ",
                       DataTypeName(indices.dtype())));
    }
    if (params.rank() < 1) {
      return ctx.InvalidArgument("params must be at least 1 dimensional");
    }
    if (params.rank() <= batch_dims_) {
      return ctx.InvalidArgument(
          absl::StrCat("params must have at least ", batch_dims_ + 1,
                       " dimensions (batch_dims + 1) but it has shape ",
                       params.shape().DebugString()));
    }
    if (indices.rank() < batch_dims_) {
      return ctx.InvalidArgument(absl::StrCat(
          "batch_dims (", batch_dims_, ") must be less than or equal to ",
          "rank(indices) (", indices.rank(), ")."));
    }
    int64_t batch = 1;
    for (int i = 0; i < batch_dims_; ++i) {
      if (params.dim(i) != indices.dim(i)) {
        return ctx.InvalidArgument(absl::StrCat(
            "params.shape[", i, "]: ", params.dim(i),
            " should be equal to indices.shape[", i, "]: ", indices.dim(i)));
      }
      batch *= params.dim(i);
    }
    // Result: params[:batch_dims] + indices[batch_dims:] + params[axis+1:].
    std::vector<int64_t> dims(params.shape().dims().begin(),
                              params.shape().dims().begin() + batch_dims_);
    for (int i = batch_dims_; i < indices.rank(); ++i) {
      dims.push_back(indices.dim(i));
    }
    int64_t inner = 1;
    for (int i = batch_dims_ + 1; i < params.rank(); ++i) {
      dims.push_back(params.dim(i));
      inner *= params.dim(i);
    }
    MS_ASSIGN_OR_RETURN(TensorShape out_shape, TensorShape::FromDims(dims));
    MS_ASSIGN_OR_RETURN(Tensor * out,
                        ctx.allocate_output(0, params.dtype(), out_shape));
    const int64_t gather_dim = params.dim(batch_dims_);
    const int64_t n = indices.NumElements();
    const int64_t per_batch = batch == 0 ? 0 : n / batch;
    int64_t bad = -1;
    if (indices.dtype() == DT_INT32) {
      bad = FirstBadIndex(indices.data<int32_t>(), n, gather_dim);
    } else {
      bad = FirstBadIndex(indices.data<int64_t>(), n, gather_dim);
    }
    if (bad >= 0) {
      const int64_t value = indices.dtype() == DT_INT32
                                ? indices.data<int32_t>()[bad]
                                : indices.data<int64_t>()[bad];
      return ctx.InvalidArgument(
          absl::StrCat("indices", SliceDebugString(indices.shape(), bad), " = ",
                       value, " is not in [0, ", gather_dim, ")"));
    }
    if (out->NumElements() == 0) return absl::OkStatus();
    SwitchOnDataType(params.dtype(), [&](auto tag) {
      using T = decltype(tag);
      if (indices.dtype() == DT_INT32) {
        Gather<T>(params.data<T>(), indices.data<int32_t>(), out->data<T>(),
                  batch, per_batch, gather_dim, inner);
      } else {
        Gather<T>(params.data<T>(), indices.data<int64_t>(), out->data<T>(),
                  batch, per_batch, gather_dim, inner);
      }
    });
    return absl::OkStatus();
  }

 private:
  ResourceGatherKernel(DataType dtype, int batch_dims)
      : dtype_(dtype), batch_dims_(batch_dims) {}

  template <typename Index>
  static int64_t FirstBadIndex(const Index* indices, int64_t n, int64_t limit) {
    for (int64_t i = 0; i < n; ++i) {
      if (indices[i] < 0 || indices[i] >= limit) return i;
    }
    return -1;
  }

  // out[b, i, :] = params[b, indices[b, i], :].
  template <typename T, typename Index>
  static void Gather(const T* params, const Index* indices, T* out,
                     int64_t batch, int64_t per_batch, int64_t gather_dim,
                     int64_t inner) {
    auto copy_rows = [&](int64_t begin, int64_t end) {
      for (int64_t row = begin; row < end; ++row) {
        const int64_t b = row / per_batch;
        const T* src =
            params +
            (b * gather_dim + static_cast<int64_t>(indices[row])) * inner;
        T* dst = out + row * inner;
        if constexpr (std::is_trivially_copyable_v<T>) {
          std::memcpy(dst, src, inner * sizeof(T));
        } else {
          std::copy(src, src + inner, dst);
        }
      }
    };
    const int64_t rows = batch * per_batch;
    if (rows * inner >= kMinParallelWork && rows > 1) {
      EigenDevice().parallelFor(
          rows, Eigen::TensorOpCost(sizeof(T) * inner, sizeof(T) * inner, 0),
          [&](Eigen::Index begin, Eigen::Index end) { copy_rows(begin, end); });
    } else {
      copy_rows(0, rows);
    }
  }

  const DataType dtype_;
  const int batch_dims_;
};

}  // namespace

REGISTER_KERNEL(OpSpec("VarHandleOp").Output("resource"),
                VarHandleKernel::Create);
REGISTER_KERNEL(OpSpec("ReadVariableOp").Output("value"),
                ReadVariableKernel::Create);
REGISTER_KERNEL(OpSpec("AssignVariableOp"), AssignVariableKernel::Create);
REGISTER_KERNEL(OpSpec("AssignAddVariableOp"),
                AssignUpdateVariableKernel<1>::Create);
REGISTER_KERNEL(OpSpec("AssignSubVariableOp"),
                AssignUpdateVariableKernel<-1>::Create);
REGISTER_KERNEL(OpSpec("VarIsInitializedOp").Output("is_initialized"),
                VarIsInitializedKernel::Create);
REGISTER_KERNEL(OpSpec("DisableCopyOnRead"), DisableCopyOnReadKernel::Create);
REGISTER_KERNEL(OpSpec("VariableShape").Output("output"),
                VariableShapeKernel::Create);
REGISTER_KERNEL(OpSpec("ResourceGather").Output("output"),
                ResourceGatherKernel::Create);

}  // namespace model_server
