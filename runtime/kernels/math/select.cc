// Select and SelectV2: output[i] = condition[i] ? t[i] : e[i].
//
// Select (TensorFlow's v1 rules): `condition` is either a scalar (the output
// is all of t or all of e, which must have the same shape), a vector whose
// length is t's first dimension when t is not itself a vector (picks whole
// rows), or has exactly the shape of t and e.
// SelectV2: condition, t and e broadcast together numpy-style.
//
// Every dtype the runtime holds except resource and variant; elements are
// copied as bytes (or as strings), so one instantiation serves every type of
// a size.
#include <cstdint>
#include <cstring>
#include <memory>
#include <string>
#include <type_traits>

#include "absl/strings/str_cat.h"
#include "runtime/kernels/broadcast.h"
#include "runtime/op_kernel.h"
#include "runtime/op_registry.h"
#include "runtime/status_macros.h"

namespace model_server {
namespace {

struct Bytes16 {
  uint64_t lo, hi;
};

// Calls fn(E{}) with E a type of `dtype`'s element size (or std::string).
// Returns false for dtypes Select does not take.
template <typename Fn>
bool SwitchOnElementType(DataType dtype, Fn&& fn) {
  if (dtype == DT_STRING) {
    fn(std::string());
    return true;
  }
  if (dtype == DT_RESOURCE || dtype == DT_VARIANT || !IsPodDataType(dtype)) {
    return false;
  }
  switch (DataTypeSize(dtype)) {
    case 1:
      fn(uint8_t{});
      return true;
    case 2:
      fn(uint16_t{});
      return true;
    case 4:
      fn(uint32_t{});
      return true;
    case 8:
      fn(uint64_t{});
      return true;
    case 16:
      fn(Bytes16{});
      return true;
    default:
      return false;
  }
}

template <typename E>
const E* Elements(const Tensor& t) {
  return static_cast<const E*>(t.raw_data());
}
template <typename E>
E* Elements(Tensor* t) {
  return static_cast<E*>(t->raw_data());
}

// Copies `n` elements.
template <typename E>
void CopyElements(const E* from, E* to, int64_t n) {
  if constexpr (std::is_trivially_copyable_v<E>) {
    if (n > 0) std::memcpy(to, from, n * sizeof(E));
  } else {
    for (int64_t i = 0; i < n; ++i) to[i] = from[i];
  }
}

absl::Status CheckTypes(OpKernelContext& ctx, DataType dtype) {
  const Tensor& cond = ctx.input(0);
  const Tensor& t = ctx.input(1);
  const Tensor& e = ctx.input(2);
  if (cond.dtype() != DT_BOOL || t.dtype() != dtype || e.dtype() != dtype) {
    return ctx.InvalidArgument(absl::StrCat(
        "Expected bool, ", DataTypeName(dtype), " and ", DataTypeName(dtype),
        " inputs, got ", DataTypeName(cond.dtype()), ", ",
        DataTypeName(t.dtype()), " and ", DataTypeName(e.dtype())));
  }
  return absl::OkStatus();
}

absl::Status SameShapeError(const Tensor& t, const Tensor& e) {
  return absl::InvalidArgumentError(
      absl::StrCat("'then' and 'else' must have the same size.  but received: ",
                   t.shape().DebugString(), " vs. ", e.shape().DebugString()));
}

class SelectKernel final : public OpKernel {
 public:
  explicit SelectKernel(DataType dtype) : dtype_(dtype) {}

  absl::Status Compute(OpKernelContext& ctx) const override {
    MS_RETURN_IF_ERROR(CheckTypes(ctx, dtype_));
    const Tensor& cond = ctx.input(0);
    const Tensor& t = ctx.input(1);
    const Tensor& e = ctx.input(2);
    if (cond.rank() == 0) {
      if (t.shape() != e.shape()) return SameShapeError(t, e);
      ctx.set_output(0, cond.data<bool>()[0] ? t : e);
      return absl::OkStatus();
    }
    absl::Status status;
    SwitchOnElementType(dtype_, [&](auto tag) {
      using E = decltype(tag);
      status = (cond.rank() == 1 && t.rank() != 1)
                   ? ComputeRows<E>(ctx, cond, t, e)
                   : ComputeElementwise<E>(ctx, cond, t, e);
    });
    return status;
  }

 private:
  // A vector condition picks whole rows of t or e.
  template <typename E>
  absl::Status ComputeRows(OpKernelContext& ctx, const Tensor& cond,
                           const Tensor& t, const Tensor& e) const {
    if (t.rank() < 1) {
      return ctx.InvalidArgument(
          absl::StrCat("'then' must be at least a vector, but saw shape: ",
                       t.shape().DebugString()));
    }
    if (t.dim(0) != cond.NumElements()) {
      return ctx.InvalidArgument(absl::StrCat(
          "Number of batches of 'then' must match size of 'cond', but saw: ",
          t.dim(0), " vs. ", cond.NumElements()));
    }
    if (t.shape() != e.shape()) return SameShapeError(t, e);
    MS_ASSIGN_OR_RETURN(Tensor * out,
                        ctx.allocate_output(0, dtype_, t.shape()));
    const int64_t rows = t.dim(0);
    if (rows == 0) return absl::OkStatus();
    const int64_t row_size = t.NumElements() / rows;
    const bool* c = cond.data<bool>();
    const E* tv = Elements<E>(t);
    const E* ev = Elements<E>(e);
    E* o = Elements<E>(out);
    ParallelFor(rows, 2.0 * sizeof(E) * row_size, row_size,
                [&](int64_t begin, int64_t end) {
                  for (int64_t r = begin; r < end; ++r) {
                    CopyElements((c[r] ? tv : ev) + r * row_size,
                                 o + r * row_size, row_size);
                  }
                });
    return absl::OkStatus();
  }

  template <typename E>
  absl::Status ComputeElementwise(OpKernelContext& ctx, const Tensor& cond,
                                  const Tensor& t, const Tensor& e) const {
    for (int i = 1; i < 3; ++i) {
      if (ctx.input(i).shape() != cond.shape()) {
        return ctx.InvalidArgument(absl::StrCat(
            "Inputs to operation ", ctx.node_name(),
            " of type Select must have the same size and shape.  Input 0: ",
            cond.shape().DebugString(), " != input ", i, ": ",
            ctx.input(i).shape().DebugString()));
      }
    }
    MS_ASSIGN_OR_RETURN(Tensor * out,
                        ctx.allocate_output(0, dtype_, t.shape()));
    const bool* c = cond.data<bool>();
    const E* tv = Elements<E>(t);
    const E* ev = Elements<E>(e);
    E* o = Elements<E>(out);
    ParallelFor(t.NumElements(), 3.0 * sizeof(E), 1,
                [&](int64_t begin, int64_t end) {
                  for (int64_t i = begin; i < end; ++i) {
                    o[i] = c[i] ? tv[i] : ev[i];
                  }
                });
    return absl::OkStatus();
  }

  const DataType dtype_;
};

class SelectV2Kernel final : public OpKernel {
 public:
  explicit SelectV2Kernel(DataType dtype) : dtype_(dtype) {}

  absl::Status Compute(OpKernelContext& ctx) const override {
    MS_RETURN_IF_ERROR(CheckTypes(ctx, dtype_));
    const Tensor& cond = ctx.input(0);
    const Tensor& t = ctx.input(1);
    const Tensor& e = ctx.input(2);
    absl::StatusOr<Broadcast> bcast =
        Broadcast::Make({&cond.shape(), &t.shape(), &e.shape()});
    if (!bcast.ok()) {
      if (bcast.status().code() != absl::StatusCode::kInvalidArgument) {
        return bcast.status();
      }
      return ctx.InvalidArgument(
          absl::StrCat("condition ", cond.shape().DebugString(), ", then ",
                       t.shape().DebugString(), ", and else ",
                       e.shape().DebugString(), " must be broadcastable"));
    }
    // One condition for same-shaped branches: forward the chosen one.
    if (cond.NumElements() == 1 && t.shape() == bcast->output_shape() &&
        e.shape() == bcast->output_shape()) {
      ctx.set_output(0, cond.data<bool>()[0] ? t : e);
      return absl::OkStatus();
    }
    MS_ASSIGN_OR_RETURN(Tensor * out,
                        ctx.allocate_output(0, dtype_, bcast->output_shape()));
    if (bcast->num_elements() == 0) return absl::OkStatus();
    SwitchOnElementType(dtype_, [&](auto tag) {
      using E = decltype(tag);
      BroadcastTernaryLoop(
          *bcast, cond.data<bool>(), Elements<E>(t), Elements<E>(e),
          Elements<E>(out), 1,
          [](bool c, const E& a, const E& b) -> const E& { return c ? a : b; });
    });
    return absl::OkStatus();
  }

 private:
  const DataType dtype_;
};

template <typename Kernel>
absl::StatusOr<std::unique_ptr<OpKernel>> CreateSelect(
    const KernelConstruction& construction) {
  const NodeAttrs& attrs = construction.attrs;
  MS_RETURN_IF_ERROR(CheckNumInputs(construction, 3));
  DataType dtype;
  MS_RETURN_IF_ERROR(attrs.Get("T", &dtype));
  if (!SwitchOnElementType(dtype, [](auto) {})) {
    return UnsupportedDtypeError(construction, dtype);
  }
  return std::unique_ptr<OpKernel>(new Kernel(dtype));
}

}  // namespace

REGISTER_KERNEL(OpSpec("Select").Output("output"), CreateSelect<SelectKernel>);
REGISTER_KERNEL(OpSpec("SelectV2").Output("output"),
                CreateSelect<SelectV2Kernel>);

}  // namespace model_server
