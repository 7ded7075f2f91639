// The ops that use a lookup table (lookup_interface.h), each registered in
// its V2 form (DT_RESOURCE handle) and its TF1 form (a string reference in
// TensorFlow; here the same handle, table_handle_ops.cc). Error texts are
// TensorFlow's (lookup_interface.cc).
//
// LookupTableFind[V2]: table_handle, keys [batch..., key_shape...],
//   default_value (value_shape, or the full [batch..., value_shape...]);
//   attrs Tin, Tout. Output "values" [batch..., value_shape...].
// LookupTableSize[V2]: table_handle; int64 scalar "size".
// LookupTableInsert[V2]: table_handle, keys, values [batch...,
//   value_shape...]; attrs Tin, Tout. No outputs.
// LookupTableRemoveV2: table_handle, keys; attr Tin. No outputs.
// LookupTableImport[V2]: table_handle, keys, values; attrs Tin, Tout.
//   Replaces the content (dense tables: TensorFlow's bucket layout).
// LookupTableExport[V2]: table_handle; attrs Tkeys, Tvalues. Outputs "keys"
//   and "values".
// InitializeTable[V2]: table_handle, keys (vector), values (same shape);
//   attrs Tkey, Tval. Fills a static table; again with the same entries is a
//   no-op.
#include <memory>
#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "runtime/kernels/lookup/lookup_interface.h"
#include "runtime/kernels/lookup/lookup_table.h"
#include "runtime/op_kernel.h"
#include "runtime/op_registry.h"
#include "runtime/status_macros.h"

namespace model_server {
namespace {

// A table op: Run(table, ctx) after the handle is resolved.
template <typename Op, int kNumInputs>
class TableOpKernel final : public OpKernel {
 public:
  static absl::StatusOr<std::unique_ptr<OpKernel>> Create(
      const KernelConstruction& c) {
    MS_RETURN_IF_ERROR(CheckNumInputs(c, kNumInputs));
    return std::unique_ptr<OpKernel>(new TableOpKernel());
  }

  absl::Status Compute(OpKernelContext& ctx) const override {
    MS_ASSIGN_OR_RETURN(LookupInterface * table,
                        LookupInterfaceFromHandle(ctx.input(0)));
    return Op::Run(*table, ctx);
  }
};

struct Find {
  static absl::Status Run(LookupInterface& table, OpKernelContext& ctx) {
    const Tensor& keys = ctx.input(1);
    const Tensor& default_value = ctx.input(2);
    MS_RETURN_IF_ERROR(table.CheckFindArguments(keys, default_value));
    MS_ASSIGN_OR_RETURN(Tensor values, table.Find(keys, default_value));
    ctx.set_output(0, std::move(values));
    return absl::OkStatus();
  }
};

struct Size {
  static absl::Status Run(LookupInterface& table, OpKernelContext& ctx) {
    ctx.set_output(0, Tensor::Scalar<int64_t>(table.size()));
    return absl::OkStatus();
  }
};

struct Insert {
  static absl::Status Run(LookupInterface& table, OpKernelContext& ctx) {
    MS_RETURN_IF_ERROR(table.CheckInsertArguments(ctx.input(1), ctx.input(2)));
    return table.Insert(ctx.input(1), ctx.input(2));
  }
};

struct Remove {
  static absl::Status Run(LookupInterface& table, OpKernelContext& ctx) {
    MS_RETURN_IF_ERROR(table.CheckRemoveArguments(ctx.input(1)));
    return table.Remove(ctx.input(1));
  }
};

struct Import {
  static absl::Status Run(LookupInterface& table, OpKernelContext& ctx) {
    MS_RETURN_IF_ERROR(table.CheckImportArguments(ctx.input(1), ctx.input(2)));
    return table.Import(ctx.input(1), ctx.input(2));
  }
};

struct Export {
  static absl::Status Run(LookupInterface& table, OpKernelContext& ctx) {
    Tensor keys, values;
    MS_RETURN_IF_ERROR(table.Export(&keys, &values));
    ctx.set_output(0, std::move(keys));
    ctx.set_output(1, std::move(values));
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

REGISTER_KERNEL(OpSpec("LookupTableFindV2").Output("values"),
                (TableOpKernel<Find, 3>::Create));
REGISTER_KERNEL(OpSpec("LookupTableFind").Output("values"),
                (TableOpKernel<Find, 3>::Create));
REGISTER_KERNEL(OpSpec("LookupTableSizeV2").Output("size"),
                (TableOpKernel<Size, 1>::Create));
REGISTER_KERNEL(OpSpec("LookupTableSize").Output("size"),
                (TableOpKernel<Size, 1>::Create));
REGISTER_KERNEL(OpSpec("LookupTableInsertV2"),
                (TableOpKernel<Insert, 3>::Create));
REGISTER_KERNEL(OpSpec("LookupTableInsert"),
                (TableOpKernel<Insert, 3>::Create));
REGISTER_KERNEL(OpSpec("LookupTableRemoveV2"),
                (TableOpKernel<Remove, 2>::Create));
REGISTER_KERNEL(OpSpec("LookupTableImportV2"),
                (TableOpKernel<Import, 3>::Create));
REGISTER_KERNEL(OpSpec("LookupTableImport"),
                (TableOpKernel<Import, 3>::Create));
REGISTER_KERNEL(OpSpec("LookupTableExportV2").Output("keys").Output("values"),
                (TableOpKernel<Export, 1>::Create));
REGISTER_KERNEL(OpSpec("LookupTableExport").Output("keys").Output("values"),
                (TableOpKernel<Export, 1>::Create));
REGISTER_KERNEL(OpSpec("InitializeTableV2"), InitializeTableKernel::Create);
REGISTER_KERNEL(OpSpec("InitializeTable"), InitializeTableKernel::Create);

}  // namespace model_server
