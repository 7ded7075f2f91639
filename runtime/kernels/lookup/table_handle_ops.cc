// The ops that create a lookup table and output its handle. Each binds at
// load time to the model's table named shared_name (or the node name when
// shared_name is empty and use_node_name_sharing is set; otherwise a table
// private to the node), so the restore/init runs and the signatures share
// one table per model version. Common attrs: container, shared_name,
// use_node_name_sharing, key_dtype (string, int32, int64), value_dtype
// (bool, int32, int64, float, double, string).
//
// HashTableV2 / HashTable: a static table (lookup_table.h), filled once by
//   an initializer op.
// MutableHashTableV2 / MutableHashTable: scalar values.
// MutableHashTableOfTensorsV2 / MutableHashTableOfTensors: attr value_shape,
//   a vector shape (TensorFlow's "Default value must be a vector").
// MutableDenseHashTableV2 / MutableDenseHashTable: inputs empty_key and
//   deleted_key; attrs value_shape (scalar or vector), initial_num_buckets
//   (power of two >= 4, default 131072), max_load_factor (in (0, 1),
//   default 0.8). The reserved keys are set when the op first runs.
//
// The V1 ops output a reference to a string handle in TensorFlow; here they
// output the same DT_RESOURCE handle as the V2 ops, which every table op
// accepts. Output: "table_handle".
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "runtime/kernels/lookup/lookup_table.h"
#include "runtime/kernels/lookup/mutable_hash_table.h"
#include "runtime/kernels/resource_handle_kernel.h"
#include "runtime/op_kernel.h"
#include "runtime/op_registry.h"
#include "runtime/status_macros.h"

namespace model_server {
namespace {

enum class TableKind { kStatic, kMutable, kMutableOfTensors, kDense };

struct TableSpec {
  DataType key_dtype;
  DataType value_dtype;
  TensorShape value_shape;
  int64_t initial_num_buckets = 0;
  float max_load_factor = 0;
};

absl::StatusOr<TensorShape> ShapeAttr(const KernelConstruction& c,
                                      const char* name) {
  PartialShape partial;
  partial.rank = 0;
  MS_RETURN_IF_ERROR(c.attrs.GetOr(name, partial, &partial));
  if (!partial.IsFullyDefined()) {
    return c.attrs.Error(absl::StrCat("attr '", name,
                                      "' must be fully defined, got ",
                                      partial.DebugString()));
  }
  absl::StatusOr<TensorShape> shape = TensorShape::FromDims(partial.dims);
  if (!shape.ok()) return c.attrs.Error(shape.status().message());
  return *shape;
}

absl::StatusOr<TableSpec> ReadSpec(const KernelConstruction& c,
                                   TableKind kind) {
  TableSpec spec;
  MS_RETURN_IF_ERROR(c.attrs.Get("key_dtype", &spec.key_dtype));
  MS_RETURN_IF_ERROR(c.attrs.Get("value_dtype", &spec.value_dtype));
  if (!IsLookupKeyType(spec.key_dtype) ||
      !IsLookupValueType(spec.value_dtype)) {
    return absl::UnimplementedError(absl::StrCat(
        c.attrs.op(), " node '", c.node_name(), "': tables from ",
        DataTypeName(spec.key_dtype), " to ", DataTypeName(spec.value_dtype),
        " are not supported (keys: string, int32, int64; values: bool, "
        "string, int32, int64, float, double)"));
  }
  if (kind == TableKind::kMutableOfTensors || kind == TableKind::kDense) {
    MS_ASSIGN_OR_RETURN(spec.value_shape, ShapeAttr(c, "value_shape"));
  }
  if (kind == TableKind::kMutableOfTensors && spec.value_shape.rank() != 1) {
    return c.attrs.Error(
        absl::StrCat("Default value must be a vector, got shape ",
                     spec.value_shape.DebugString()));
  }
  if (kind == TableKind::kDense) {
    if (spec.value_shape.rank() > 1) {
      return c.attrs.Error(
          absl::StrCat("Empty value must be a scalar or a vector, got shape ",
                       spec.value_shape.DebugString()));
    }
    MS_RETURN_IF_ERROR(c.attrs.GetOr("initial_num_buckets", int64_t{131072},
                                     &spec.initial_num_buckets));
    const int64_t buckets = spec.initial_num_buckets;
    if (buckets < 4 || (buckets & (buckets - 1)) != 0) {
      return c.attrs.Error(absl::StrCat(
          "Number of buckets must be at least 4 and a power of 2, got: ",
          buckets));
    }
    MS_RETURN_IF_ERROR(
        c.attrs.GetOr("max_load_factor", 0.8f, &spec.max_load_factor));
    if (!(spec.max_load_factor > 0 && spec.max_load_factor < 1)) {
      return c.attrs.Error(
          absl::StrCat("max_load_factor must be between 0 and 1, got: ",
                       spec.max_load_factor));
    }
  }
  return spec;
}

std::shared_ptr<LookupInterface> MakeTable(TableKind kind,
                                           const TableSpec& spec,
                                           const std::string& name) {
  switch (kind) {
    case TableKind::kStatic:
      return std::make_shared<LookupTable>(spec.key_dtype, spec.value_dtype,
                                           name);
    case TableKind::kMutable:
    case TableKind::kMutableOfTensors:
      return NewMutableHashTable(spec.key_dtype, spec.value_dtype,
                                 spec.value_shape, name);
    case TableKind::kDense:
      return NewMutableDenseHashTable(
          spec.key_dtype, spec.value_dtype, spec.value_shape,
          spec.initial_num_buckets, spec.max_load_factor, name);
  }
  return nullptr;
}

// The node's table: shared through the model's resources, or private.
absl::StatusOr<std::shared_ptr<LookupInterface>> BindTable(
    const KernelConstruction& c, TableKind kind, const TableSpec& spec) {
  std::string container, shared_name;
  bool use_node_name_sharing;
  MS_RETURN_IF_ERROR(c.attrs.GetOr("container", std::string(), &container));
  MS_RETURN_IF_ERROR(c.attrs.GetOr("shared_name", std::string(), &shared_name));
  MS_RETURN_IF_ERROR(
      c.attrs.GetOr("use_node_name_sharing", false, &use_node_name_sharing));
  const std::string name = !shared_name.empty()
                               ? shared_name
                               : (use_node_name_sharing ? c.node_name() : "");
  // TensorFlow gives a table without a name to this node alone.
  if (name.empty()) return MakeTable(kind, spec, c.node_name());
  if (c.resources == nullptr) {
    return c.attrs.Error("no resource manager to hold the table");
  }
  std::shared_ptr<LookupInterface> table;
  MS_ASSIGN_OR_RETURN(table, c.resources->LookupOrCreate<LookupInterface>(
                                 container, name, [&]() {
                                   return MakeTable(kind, spec, name);
                                 }));
  const std::string kind_name = MakeTable(kind, spec, name)->TypeName();
  if (table->TypeName() != kind_name || table->key_dtype() != spec.key_dtype ||
      table->value_dtype() != spec.value_dtype ||
      table->value_shape() != spec.value_shape) {
    return c.attrs.Error(absl::StrCat(
        "table '", name, "' already exists as a ", table->TypeName(),
        " mapping ", DataTypeName(table->key_dtype()), " to ",
        DataTypeName(table->value_dtype()), " ",
        table->value_shape().DebugString(), ", not a ", kind_name, " mapping ",
        DataTypeName(spec.key_dtype), " to ", DataTypeName(spec.value_dtype),
        " ", spec.value_shape.DebugString()));
  }
  return table;
}

template <TableKind kKind>
absl::StatusOr<std::unique_ptr<OpKernel>> CreateTableOp(
    const KernelConstruction& c) {
  MS_RETURN_IF_ERROR(CheckNumInputs(c, 0));
  MS_ASSIGN_OR_RETURN(TableSpec spec, ReadSpec(c, kKind));
  MS_ASSIGN_OR_RETURN(std::shared_ptr<LookupInterface> table,
                      BindTable(c, kKind, spec));
  return ResourceHandleKernel::Create(std::move(table));
}

// MutableDenseHashTable: sets the reserved keys from its inputs, then
// outputs the handle.
class DenseTableKernel final : public OpKernel {
 public:
  static absl::StatusOr<std::unique_ptr<OpKernel>> Create(
      const KernelConstruction& c) {
    MS_RETURN_IF_ERROR(CheckNumInputs(c, 2));
    MS_ASSIGN_OR_RETURN(TableSpec spec, ReadSpec(c, TableKind::kDense));
    MS_ASSIGN_OR_RETURN(std::shared_ptr<LookupInterface> table,
                        BindTable(c, TableKind::kDense, spec));
    MS_ASSIGN_OR_RETURN(Tensor handle,
                        Tensor::Create(DT_RESOURCE, TensorShape()));
    auto* keys = dynamic_cast<DenseTableKeys*>(table.get());
    handle.data<std::shared_ptr<ResourceBase>>()[0] = std::move(table);
    return std::unique_ptr<OpKernel>(new DenseTableKernel(handle, keys));
  }

  absl::Status Compute(OpKernelContext& ctx) const override {
    MS_RETURN_IF_ERROR(keys_->SetReservedKeys(ctx.input(0), ctx.input(1)));
    ctx.set_output(0, handle_);
    return absl::OkStatus();
  }

 private:
  DenseTableKernel(Tensor handle, DenseTableKeys* keys)
      : handle_(std::move(handle)), keys_(keys) {}
  const Tensor handle_;
  DenseTableKeys* const keys_;  // The table handle_ holds.
};

}  // namespace

REGISTER_KERNEL(OpSpec("HashTableV2").Output("table_handle"),
                CreateTableOp<TableKind::kStatic>);
REGISTER_KERNEL(OpSpec("HashTable").Output("table_handle"),
                CreateTableOp<TableKind::kStatic>);
REGISTER_KERNEL(OpSpec("MutableHashTableV2").Output("table_handle"),
                CreateTableOp<TableKind::kMutable>);
REGISTER_KERNEL(OpSpec("MutableHashTable").Output("table_handle"),
                CreateTableOp<TableKind::kMutable>);
REGISTER_KERNEL(OpSpec("MutableHashTableOfTensorsV2").Output("table_handle"),
                CreateTableOp<TableKind::kMutableOfTensors>);
REGISTER_KERNEL(OpSpec("MutableHashTableOfTensors").Output("table_handle"),
                CreateTableOp<TableKind::kMutableOfTensors>);
REGISTER_KERNEL(OpSpec("MutableDenseHashTableV2").Output("table_handle"),
                DenseTableKernel::Create);
REGISTER_KERNEL(OpSpec("MutableDenseHashTable").Output("table_handle"),
                DenseTableKernel::Create);

}  // namespace model_server
