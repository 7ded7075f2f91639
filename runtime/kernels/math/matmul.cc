// MatMul, BatchMatMul, BatchMatMulV2 and BatchMatMulV3: (batched) matrix
// products on row-major buffers.
//
// MatMul:        product = op(a) * op(b), op = transpose_a / transpose_b.
// BatchMatMul:   rank >= 2, equal batch dimensions, adj_x / adj_y.
// BatchMatMulV2: numpy-style broadcasting of the batch dimensions.
// BatchMatMulV3: as V2 with separate input types Ta, Tb and output Tout;
//                inputs are cast to Tout first, as TensorFlow does.
//
// float/double/int32/int64 compute in their own type; half and bfloat16 are
// widened to float, multiplied and rounded back once (TensorFlow multiplies
// half in half precision, so results may differ in the last bit: ours is the
// more accurate one). Complex types are rejected at load.
//
// Large float matrix products run on the shared thread pool via Eigen's
// tensor contraction; large vector products and other types are split into
// row or column blocks over the pool, each block an Eigen GEMM/GEMV; small
// products run inline. Many small products in a batch are spread over the
// pool one matrix per task.
#include <algorithm>
#include <cstdint>
#include <memory>
#include <string>
#include <type_traits>
#include <vector>

#include "absl/strings/str_cat.h"
#include "runtime/eigen_device.h"
#include "runtime/kernels/dtype_categories.h"
#include "runtime/kernels/math/gemm.h"
#include "runtime/op_kernel.h"
#include "runtime/op_registry.h"
#include "runtime/status_macros.h"

namespace model_server {
namespace {

// Above this per-matrix cost a batch is run matrix by matrix, each product
// parallel inside; below it the batch is spread over the pool instead.
constexpr int64_t kMaxCostOuterParallelism = int64_t{128} * 128 * 256;

template <typename Out, typename In>
Out ConvertScalar(In v) {
  if constexpr (std::is_same_v<In, Eigen::half> ||
                std::is_same_v<In, Eigen::bfloat16>) {
    return static_cast<Out>(static_cast<float>(v));
  } else {
    return static_cast<Out>(v);
  }
}

// The type a product of `dtype` values is computed in, or DT_INVALID.
DataType ComputeType(DataType dtype) {
  switch (dtype) {
    case DT_FLOAT:
    case DT_HALF:
    case DT_BFLOAT16:
      return DT_FLOAT;
    case DT_DOUBLE:
      return DT_DOUBLE;
    case DT_INT32:
      return DT_INT32;
    case DT_INT64:
      return DT_INT64;
    default:
      return DT_INVALID;
  }
}

bool IsCastableInput(DataType dtype) {
  switch (dtype) {
    case DT_FLOAT:
    case DT_DOUBLE:
    case DT_HALF:
    case DT_BFLOAT16:
    case DT_INT8:
    case DT_UINT8:
    case DT_INT16:
    case DT_UINT16:
    case DT_INT32:
    case DT_INT64:
      return true;
    default:
      return false;
  }
}

// `t` converted element-wise to `dtype` (shared, not copied, if equal).
absl::StatusOr<Tensor> CastTo(const Tensor& t, DataType dtype) {
  if (t.dtype() == dtype) return t;
  MS_ASSIGN_OR_RETURN(Tensor out, Tensor::Create(dtype, t.shape()));
  const int64_t size = t.NumElements();
  SwitchOnDataType(dtype, [&](auto out_tag) {
    using Out = decltype(out_tag);
    if constexpr (kIsRealNumber<Out>) {
      SwitchOnDataType(t.dtype(), [&](auto in_tag) {
        using In = decltype(in_tag);
        if constexpr (kIsRealNumber<In>) {
          const In* src = t.data<In>();
          Out* dst = out.data<Out>();
          for (int64_t i = 0; i < size; ++i) {
            dst[i] = ConvertScalar<Out>(src[i]);
          }
        }
      });
    }
  });
  return out;
}

enum class Variant { kMatMul, kBatchMatMul, kBatchMatMulV2, kBatchMatMulV3 };

// Shapes of one (batched) product after validation.
struct ProductShape {
  TensorShape out;
  std::vector<int64_t> out_batch;  // broadcast batch dims
  std::vector<int64_t> x_batch;    // x batch dims, left-padded with 1s
  std::vector<int64_t> y_batch;
  int64_t batch = 1;  // number of output matrices
  int64_t x_count = 1;
  int64_t y_count = 1;
  int64_t m = 0, k = 0, n = 0;
};

absl::Status CheckShapes(Variant variant, const TensorShape& xs,
                         const TensorShape& ys, bool adj_x, bool adj_y,
                         ProductShape* p) {
  const int rx = xs.rank(), ry = ys.rank();
  if (variant == Variant::kMatMul || variant == Variant::kBatchMatMul) {
    if (rx != ry) {
      return absl::InvalidArgumentError(absl::StrCat(
          "In[0] and In[1] has different ndims: ", xs.DebugString(), " vs. ",
          ys.DebugString()));
    }
    if (variant == Variant::kMatMul && rx != 2) {
      return absl::InvalidArgumentError(
          absl::StrCat("In[0] and In[1] ndims must be == 2: ", rx));
    }
    if (rx < 2) {
      return absl::InvalidArgumentError(
          absl::StrCat("In[0] and In[1] ndims must be >= 2: ", rx));
    }
    for (int i = 0; i < rx - 2; ++i) {
      if (xs.dim(i) != ys.dim(i)) {
        return absl::InvalidArgumentError(absl::StrCat(
            "In[0].dim(", i, ") and In[1].dim(", i, ") must be the same: ",
            xs.DebugString(), " vs ", ys.DebugString()));
      }
    }
  } else {
    if (rx < 2) {
      return absl::InvalidArgumentError(
          absl::StrCat("In[0] ndims must be >= 2: ", rx));
    }
    if (ry < 2) {
      return absl::InvalidArgumentError(
          absl::StrCat("In[1] ndims must be >= 2: ", ry));
    }
  }
  const int batch_rank = std::max(rx, ry) - 2;
  p->out_batch.assign(batch_rank, 1);
  p->x_batch.assign(batch_rank, 1);
  p->y_batch.assign(batch_rank, 1);
  for (int i = 0; i < rx - 2; ++i)
    p->x_batch[batch_rank - (rx - 2) + i] = xs.dim(i);
  for (int i = 0; i < ry - 2; ++i)
    p->y_batch[batch_rank - (ry - 2) + i] = ys.dim(i);
  std::vector<int64_t> out_dims;
  for (int i = 0; i < batch_rank; ++i) {
    const int64_t dx = p->x_batch[i], dy = p->y_batch[i];
    if (dx != dy && dx != 1 && dy != 1) {
      return absl::InvalidArgumentError(absl::StrCat(
          "In[0] and In[1] must have compatible batch dimensions: ",
          xs.DebugString(), " vs. ", ys.DebugString()));
    }
    p->out_batch[i] = dx == 1 ? dy : dx;
    out_dims.push_back(p->out_batch[i]);
    p->x_count *= dx;
    p->y_count *= dy;
  }
  int64_t d0 = xs.dim(rx - 2), d1 = xs.dim(rx - 1);
  int64_t d2 = ys.dim(ry - 2), d3 = ys.dim(ry - 1);
  if (adj_x) std::swap(d0, d1);
  if (adj_y) std::swap(d2, d3);
  if (d1 != d2) {
    return absl::InvalidArgumentError(
        absl::StrCat("Matrix size-incompatible: In[0]: ", xs.DebugString(),
                     ", In[1]: ", ys.DebugString()));
  }
  p->m = d0;
  p->k = d1;
  p->n = d3;
  out_dims.push_back(d0);
  out_dims.push_back(d3);
  MS_ASSIGN_OR_RETURN(p->out, TensorShape::FromDims(out_dims));
  p->batch = 1;
  for (int64_t d : p->out_batch) p->batch *= d;
  return absl::OkStatus();
}

// Flat index into an operand's batch for output batch `b`.
int64_t OperandBatchIndex(const ProductShape& p,
                          const std::vector<int64_t>& operand, int64_t b) {
  int64_t index = 0, stride = 1;
  for (int i = static_cast<int>(p.out_batch.size()) - 1; i >= 0; --i) {
    const int64_t coord = b % p.out_batch[i];
    b /= p.out_batch[i];
    if (operand[i] != 1) index += coord * stride;
    stride *= operand[i];
  }
  return index;
}

template <typename T>
void BatchProduct(const ProductShape& p, const T* x, bool adj_x, const T* y,
                  bool adj_y, T* out) {
  const int64_t m = p.m, n = p.n, k = p.k;
  // y shared by every matrix of a non-broadcast, non-adjoint x: one GEMM.
  if (p.y_count == 1 && p.x_count == p.batch && !adj_x) {
    Gemm(x, false, y, adj_y, out, p.batch * m, n, k, /*parallel=*/true);
    return;
  }
  const int64_t cost = m * n * std::max<int64_t>(k, 1);
  auto one = [&](int64_t b, bool parallel) {
    const T* xb = x + OperandBatchIndex(p, p.x_batch, b) * m * k;
    const T* yb = y + OperandBatchIndex(p, p.y_batch, b) * k * n;
    Gemm(xb, adj_x, yb, adj_y, out + b * m * n, m, n, k, parallel);
  };
  if (p.batch == 1 || cost > kMaxCostOuterParallelism) {
    for (int64_t b = 0; b < p.batch; ++b) one(b, /*parallel=*/true);
    return;
  }
  const Eigen::TensorOpCost op_cost(
      static_cast<double>((m * k + k * n) * sizeof(T)),
      static_cast<double>(m * n * sizeof(T)), static_cast<double>(2 * cost));
  EigenDevice().parallelFor(p.batch, op_cost,
                            [&](Eigen::Index first, Eigen::Index last) {
                              for (Eigen::Index b = first; b < last; ++b) {
                                one(b, /*parallel=*/false);
                              }
                            });
}

class MatMulKernel : public OpKernel {
 public:
  static absl::StatusOr<std::unique_ptr<OpKernel>> Create(
      Variant variant, const KernelConstruction& c) {
    const NodeAttrs& attrs = c.attrs;
    auto kernel = std::unique_ptr<MatMulKernel>(new MatMulKernel(variant));
    if (variant == Variant::kMatMul) {
      MS_RETURN_IF_ERROR(attrs.GetOr("transpose_a", false, &kernel->adj_x_));
      MS_RETURN_IF_ERROR(attrs.GetOr("transpose_b", false, &kernel->adj_y_));
    } else {
      MS_RETURN_IF_ERROR(attrs.GetOr("adj_x", false, &kernel->adj_x_));
      MS_RETURN_IF_ERROR(attrs.GetOr("adj_y", false, &kernel->adj_y_));
    }
    if (variant == Variant::kBatchMatMulV3) {
      MS_RETURN_IF_ERROR(attrs.Get("Ta", &kernel->ta_));
      MS_RETURN_IF_ERROR(attrs.Get("Tb", &kernel->tb_));
      MS_RETURN_IF_ERROR(attrs.Get("Tout", &kernel->tout_));
    } else {
      DataType t;
      MS_RETURN_IF_ERROR(attrs.Get("T", &t));
      kernel->ta_ = kernel->tb_ = kernel->tout_ = t;
    }
    kernel->compute_ = ComputeType(kernel->tout_);
    if (kernel->compute_ == DT_INVALID || !IsCastableInput(kernel->ta_) ||
        !IsCastableInput(kernel->tb_)) {
      return absl::UnimplementedError(absl::StrCat(
          attrs.op(), " node '", attrs.node_name(), "': unsupported types (",
          DataTypeName(kernel->ta_), ", ", DataTypeName(kernel->tb_), ") -> ",
          DataTypeName(kernel->tout_),
          "; supported: float, double, half, bfloat16, int32, int64"));
    }
    MS_RETURN_IF_ERROR(CheckNumInputs(c, 2));
    return std::unique_ptr<OpKernel>(std::move(kernel));
  }

  absl::Status Compute(OpKernelContext& ctx) const override {
    const Tensor& x = ctx.input(0);
    const Tensor& y = ctx.input(1);
    if (x.dtype() != ta_ || y.dtype() != tb_) {
      return ctx.InvalidArgument(
          absl::StrCat("expected inputs of type ", DataTypeName(ta_), " and ",
                       DataTypeName(tb_), ", got ", DataTypeName(x.dtype()),
                       " and ", DataTypeName(y.dtype())));
    }
    ProductShape p;
    MS_RETURN_IF_ERROR(
        CheckShapes(variant_, x.shape(), y.shape(), adj_x_, adj_y_, &p));
    MS_ASSIGN_OR_RETURN(Tensor * out, ctx.allocate_output(0, tout_, p.out));
    if (out->NumElements() == 0) return absl::OkStatus();
    MS_ASSIGN_OR_RETURN(Tensor xc, CastTo(x, compute_));
    MS_ASSIGN_OR_RETURN(Tensor yc, CastTo(y, compute_));
    Tensor result = *out;
    if (tout_ != compute_) {
      MS_ASSIGN_OR_RETURN(result, Tensor::Create(compute_, p.out));
    }
    SwitchOnDataType(compute_, [&](auto tag) {
      using T = decltype(tag);
      if constexpr (std::is_same_v<T, float> || std::is_same_v<T, double> ||
                    std::is_same_v<T, int32_t> || std::is_same_v<T, int64_t>) {
        BatchProduct<T>(p, xc.data<T>(), adj_x_, yc.data<T>(), adj_y_,
                        result.data<T>());
      }
    });
    if (tout_ != compute_) {
      MS_ASSIGN_OR_RETURN(Tensor narrowed, CastTo(result, tout_));
      ctx.set_output(0, std::move(narrowed));
    }
    return absl::OkStatus();
  }

 private:
  explicit MatMulKernel(Variant variant) : variant_(variant) {}

  const Variant variant_;
  bool adj_x_ = false;
  bool adj_y_ = false;
  DataType ta_ = DT_INVALID, tb_ = DT_INVALID, tout_ = DT_INVALID;
  DataType compute_ = DT_INVALID;
};

template <Variant V>
absl::StatusOr<std::unique_ptr<OpKernel>> MakeMatMul(
    const KernelConstruction& c) {
  return MatMulKernel::Create(V, c);
}

}  // namespace

REGISTER_KERNEL(OpSpec("MatMul").Output("product"),
                MakeMatMul<Variant::kMatMul>);
REGISTER_KERNEL(OpSpec("BatchMatMul").Output("output"),
                MakeMatMul<Variant::kBatchMatMul>);
REGISTER_KERNEL(OpSpec("BatchMatMulV2").Output("output"),
                MakeMatMul<Variant::kBatchMatMulV2>);
REGISTER_KERNEL(OpSpec("BatchMatMulV3").Output("output"),
                MakeMatMul<Variant::kBatchMatMulV3>);

}  // namespace model_server
