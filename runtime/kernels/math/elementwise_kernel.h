// Kernels for element-wise ops computed by a plain per-element function
// (bitwise ops, special functions, Xlogy, ...): one or two inputs of the
// node's dtype T, numpy-style broadcasting for two (broadcast.h), one output.
// Ops whose float work vectorizes through Eigen's packet functors live in
// cwise_unary.cc / cwise_binary.cc instead.
//
//   struct BitwiseAndOps {
//     template <typename T>
//     static std::unique_ptr<OpKernel> Select() {
//       if constexpr (kIsInt<T>) return MakeBinary<T>(BitAnd<T>());
//       return nullptr;
//     }
//   };
//   REGISTER_KERNEL(OpSpec("BitwiseAnd").Output("z"),
//                   CreateElementwise<BitwiseAndOps, 2>);
//
// The function is called concurrently from the thread pool on large tensors,
// so it must be stateless (or const). Empty inputs give an empty output.
#ifndef MODEL_SERVER_RUNTIME_KERNELS_MATH_ELEMENTWISE_KERNEL_H_
#define MODEL_SERVER_RUNTIME_KERNELS_MATH_ELEMENTWISE_KERNEL_H_

#include <cstdint>
#include <memory>
#include <utility>

#include "absl/strings/str_cat.h"
#include "runtime/kernels/broadcast.h"
#include "runtime/kernels/kernel_util.h"
#include "runtime/op_kernel.h"
#include "runtime/status_macros.h"

namespace model_server {

// Rough cycles per element for ParallelFor's cost model.
inline constexpr double kCheapElementCost = 1;
inline constexpr double kSpecialFunctionCost = 100;

// y[i] = f(x[i]); x has dtype Tin, y dtype Tout.
template <typename Tin, typename Tout, typename F>
class ElementwiseUnaryKernel final : public OpKernel {
 public:
  ElementwiseUnaryKernel(F f, double cost) : f_(std::move(f)), cost_(cost) {}

  absl::Status Compute(OpKernelContext& ctx) const override {
    const Tensor& x = ctx.input(0);
    MS_RETURN_IF_ERROR(CheckInputDtype(x, DataTypeOf<Tin>::value));
    MS_ASSIGN_OR_RETURN(
        Tensor * out,
        ctx.allocate_output(0, DataTypeOf<Tout>::value, x.shape()));
    const Tin* in = x.data<Tin>();
    Tout* o = out->data<Tout>();
    ParallelFor(x.NumElements(), sizeof(Tin) + sizeof(Tout), cost_,
                [&](int64_t begin, int64_t end) {
                  for (int64_t i = begin; i < end; ++i) o[i] = f_(in[i]);
                });
    return absl::OkStatus();
  }

 private:
  const F f_;
  const double cost_;
};

// z = f(x, y) with broadcasting; x and y have dtype Tin, z dtype Tout.
template <typename Tin, typename Tout, typename F>
class ElementwiseBinaryKernel final : public OpKernel {
 public:
  ElementwiseBinaryKernel(F f, double cost) : f_(std::move(f)), cost_(cost) {}

  absl::Status Compute(OpKernelContext& ctx) const override {
    const Tensor& x = ctx.input(0);
    const Tensor& y = ctx.input(1);
    MS_RETURN_IF_ERROR(CheckInputDtype(x, DataTypeOf<Tin>::value));
    MS_RETURN_IF_ERROR(CheckInputDtype(y, DataTypeOf<Tin>::value));
    MS_ASSIGN_OR_RETURN(Broadcast bcast,
                        Broadcast::Make({&x.shape(), &y.shape()}));
    MS_ASSIGN_OR_RETURN(
        Tensor * out,
        ctx.allocate_output(0, DataTypeOf<Tout>::value, bcast.output_shape()));
    if (bcast.num_elements() == 0) return absl::OkStatus();
    BroadcastBinaryLoop(bcast, x.data<Tin>(), y.data<Tin>(), out->data<Tout>(),
                        cost_, f_);
    return absl::OkStatus();
  }

 private:
  const F f_;
  const double cost_;
};

template <typename T, typename Tout = T, typename F>
std::unique_ptr<OpKernel> MakeUnary(F f, double cost = kCheapElementCost) {
  return std::make_unique<ElementwiseUnaryKernel<T, Tout, F>>(std::move(f),
                                                              cost);
}

template <typename T, typename Tout = T, typename F>
std::unique_ptr<OpKernel> MakeBinary(F f, double cost = kCheapElementCost) {
  return std::make_unique<ElementwiseBinaryKernel<T, Tout, F>>(std::move(f),
                                                               cost);
}

// Factory for an op with `kNumInputs` inputs and dtype attr T:
// Ops::Select<T>() returns the kernel for T, or null (UNIMPLEMENTED).
template <typename Ops, int kNumInputs>
absl::StatusOr<std::unique_ptr<OpKernel>> CreateElementwise(
    const KernelConstruction& c) {
  MS_RETURN_IF_ERROR(CheckNumInputs(c, kNumInputs));
  DataType dtype;
  MS_RETURN_IF_ERROR(c.attrs.Get("T", &dtype));
  return MakeTypedKernel(c, dtype, [](auto tag) -> std::unique_ptr<OpKernel> {
    using T = decltype(tag);
    return Ops::template Select<T>();
  });
}

}  // namespace model_server

#endif  // MODEL_SERVER_RUNTIME_KERNELS_MATH_ELEMENTWISE_KERNEL_H_
