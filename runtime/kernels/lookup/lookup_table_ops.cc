// Static hash tables (lookup_table.h): creation, lookup, size and
// initialization from tensors.
//
// HashTableV2: attrs container, shared_name, use_node_name_sharing,
//   key_dtype (string, int32, int64), value_dtype (string, int32, int64,
//   float, double). Binds at load time to the model's table named
//   shared_name (or the node name when shared_name is empty and
//   use_node_name_sharing is set; otherwise a table private to the node)
//   and outputs a DT_RESOURCE scalar for it ("table_handle"). Tables with
//   the same name are one object across all plans of a model, so the init
//   op fills the table the signatures read.
// LookupTableFindV2: table_handle, keys (any shape), default_value (scalar
//   or the keys' shape); attrs Tin, Tout. Outputs "values", keys' shape.
// LookupTableSizeV2: table_handle; int64 scalar "size".
// InitializeTableV2: table_handle, keys, values; attrs Tkey, Tval. No
//   outputs. Initializing again with the same entries is a no-op.
#include <memory>
#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "runtime/kernels/lookup/lookup_table.h"
#include "runtime/kernels/resource_handle_kernel.h"
#include "runtime/op_kernel.h"
#include "runtime/op_registry.h"
#include "runtime/status_macros.h"

namespace model_server {
namespace {

// Resolves the resource at load; runs as a ResourceHandleKernel.
struct HashTableKernel {
  static absl::StatusOr<std::unique_ptr<OpKernel>> Create(
      const KernelConstruction& c) {
    MS_RETURN_IF_ERROR(CheckNumInputs(c, 0));
    DataType key_dtype, value_dtype;
    MS_RETURN_IF_ERROR(c.attrs.Get("key_dtype", &key_dtype));
    MS_RETURN_IF_ERROR(c.attrs.Get("value_dtype", &value_dtype));
    if (!LookupTable::IsSupportedKeyType(key_dtype) ||
        !LookupTable::IsSupportedValueType(value_dtype)) {
      return absl::UnimplementedError(absl::StrCat(
          c.attrs.op(), " node '", c.node_name(), "': tables from ",
          DataTypeName(key_dtype), " to ", DataTypeName(value_dtype),
          " are not supported (keys: string, int32, int64; values: string, "
          "int32, int64, float, double)"));
    }
    std::string container, shared_name;
    bool use_node_name_sharing;
    MS_RETURN_IF_ERROR(c.attrs.GetOr("container", std::string(), &container));
    MS_RETURN_IF_ERROR(
        c.attrs.GetOr("shared_name", std::string(), &shared_name));
    MS_RETURN_IF_ERROR(
        c.attrs.GetOr("use_node_name_sharing", false, &use_node_name_sharing));
    auto make = [&](const std::string& name) {
      return std::make_shared<LookupTable>(key_dtype, value_dtype, name);
    };
    std::shared_ptr<LookupTable> table;
    const std::string name = !shared_name.empty()
                                 ? shared_name
                                 : (use_node_name_sharing ? c.node_name() : "");
    if (name.empty()) {
      // TensorFlow gives such a table to this node alone.
      table = make(c.node_name());
    } else {
      if (c.resources == nullptr) {
        return c.attrs.Error("no resource manager to hold the table");
      }
      MS_ASSIGN_OR_RETURN(table,
                          c.resources->LookupOrCreate<LookupTable>(
                              container, name, [&]() { return make(name); }));
    }
    if (table->key_dtype() != key_dtype ||
        table->value_dtype() != value_dtype) {
      return c.attrs.Error(absl::StrCat(
          "table '", name, "' already exists mapping ",
          DataTypeName(table->key_dtype()), " to ",
          DataTypeName(table->value_dtype()), ", not ", DataTypeName(key_dtype),
          " to ", DataTypeName(value_dtype)));
    }
    return ResourceHandleKernel::Create(std::move(table));
  }
};

class LookupTableFindKernel : public OpKernel {
 public:
  static absl::StatusOr<std::unique_ptr<OpKernel>> Create(
      const KernelConstruction& c) {
    MS_RETURN_IF_ERROR(CheckNumInputs(c, 3));
    return std::unique_ptr<OpKernel>(new LookupTableFindKernel());
  }

  absl::Status Compute(OpKernelContext& ctx) const override {
    MS_ASSIGN_OR_RETURN(LookupTable * table,
                        LookupTableFromHandle(ctx.input(0)));
    MS_ASSIGN_OR_RETURN(Tensor values, table->Find(ctx.input(1), ctx.input(2)));
    ctx.set_output(0, std::move(values));
    return absl::OkStatus();
  }
};

class LookupTableSizeKernel : public OpKernel {
 public:
  static absl::StatusOr<std::unique_ptr<OpKernel>> Create(
      const KernelConstruction& c) {
    MS_RETURN_IF_ERROR(CheckNumInputs(c, 1));
    return std::unique_ptr<OpKernel>(new LookupTableSizeKernel());
  }

  absl::Status Compute(OpKernelContext& ctx) const override {
    MS_ASSIGN_OR_RETURN(LookupTable * table,
                        LookupTableFromHandle(ctx.input(0)));
    ctx.set_output(0, Tensor::Scalar<int64_t>(table->size()));
    return absl::OkStatus();
  }
};

class InitializeTableKernel : public OpKernel {
 public:
  static absl::StatusOr<std::unique_ptr<OpKernel>> Create(
      const KernelConstruction& c) {
    MS_RETURN_IF_ERROR(CheckNumInputs(c, 3));
    return std::unique_ptr<OpKernel>(new InitializeTableKernel());
  }

  absl::Status Compute(OpKernelContext& ctx) const override {
    MS_ASSIGN_OR_RETURN(LookupTable * table,
                        LookupTableFromHandle(ctx.input(0)));
    const Tensor& keys = ctx.input(1);
    const Tensor& values = ctx.input(2);
    if (keys.shape() != values.shape()) {
      return ctx.InvalidArgument(absl::StrCat(
          "Keys and values must have the same size ",
          keys.shape().DebugString(), " vs ", values.shape().DebugString()));
    }
    if (keys.rank() != 1) {
      return ctx.InvalidArgument(
          absl::StrCat("Keys must be a vector, but received shape ",
                       keys.shape().DebugString()));
    }
    return table->Initialize(keys, values);
  }
};

}  // namespace

REGISTER_KERNEL(OpSpec("HashTableV2").Output("table_handle"),
                HashTableKernel::Create);
REGISTER_KERNEL(OpSpec("LookupTableFindV2").Output("values"),
                LookupTableFindKernel::Create);
REGISTER_KERNEL(OpSpec("LookupTableSizeV2").Output("size"),
                LookupTableSizeKernel::Create);
REGISTER_KERNEL(OpSpec("InitializeTableV2"), InitializeTableKernel::Create);

}  // namespace model_server
