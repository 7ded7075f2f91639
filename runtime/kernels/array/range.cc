// Range: start, limit, delta (Tidx float/double/int8/int16/int32/int64/
//   uint16/uint32).
#include <cmath>
#include <cstdint>
#include <limits>
#include <memory>
#include <type_traits>

#include "absl/strings/str_cat.h"
#include "runtime/kernels/array/data_movement.h"
#include "runtime/kernels/kernel_util.h"
#include "runtime/op_kernel.h"
#include "runtime/op_registry.h"
#include "runtime/status_macros.h"

namespace model_server {
namespace {

class RangeKernel : public OpKernel {
 public:
  static absl::StatusOr<std::unique_ptr<OpKernel>> Create(
      const KernelConstruction& c) {
    MS_RETURN_IF_ERROR(CheckNumInputs(c, 3));
    DataType dtype;
    MS_RETURN_IF_ERROR(c.attrs.GetOr("Tidx", DT_INT32, &dtype));
    switch (dtype) {
      case DT_FLOAT:
      case DT_DOUBLE:
      case DT_INT8:
      case DT_INT16:
      case DT_INT32:
      case DT_INT64:
      case DT_UINT16:
      case DT_UINT32:
        break;
      default:
        return UnsupportedAttrError(
            c, absl::StrCat("unsupported Tidx ", DataTypeName(dtype)));
    }
    return std::unique_ptr<OpKernel>(new RangeKernel());
  }

  absl::Status Compute(OpKernelContext& ctx) const override {
    const char* names[3] = {"start", "limit", "delta"};
    for (int i = 0; i < 3; ++i) {
      const Tensor& t = ctx.input(i);
      if (t.NumElements() != 1 || t.rank() > 1) {
        return ctx.InvalidArgument(absl::StrCat(names[i],
                                                " must be a scalar, not shape ",
                                                t.shape().DebugString()));
      }
      if (t.dtype() != ctx.input(0).dtype()) {
        return ctx.InvalidArgument(
            "start, limit and delta must have the same type");
      }
    }
    absl::Status status = ctx.InvalidArgument(absl::StrCat(
        "Range does not support type ", DataTypeName(ctx.input(0).dtype())));
    SwitchOnDataType(ctx.input(0).dtype(), [&](auto tag) {
      using T = decltype(tag);
      if constexpr (std::is_arithmetic_v<T> && !std::is_same_v<T, bool>) {
        status = Run<T>(ctx);
      }
    });
    return status;
  }

 private:
  template <typename T>
  static absl::Status Run(OpKernelContext& ctx) {
    const T start = ctx.input(0).data<T>()[0];
    const T limit = ctx.input(1).data<T>()[0];
    const T delta = ctx.input(2).data<T>()[0];
    if (delta == 0) {
      return ctx.InvalidArgument(absl::StrCat("Requires delta != 0: ", delta));
    }
    if (delta > 0 && start > limit) {
      return ctx.InvalidArgument(absl::StrCat(
          "Requires start <= limit when delta > 0: ", start, "/", limit));
    }
    if (delta < 0 && start < limit) {
      return ctx.InvalidArgument(absl::StrCat(
          "Requires start >= limit when delta < 0: ", start, "/", limit));
    }
    int64_t size;
    if constexpr (std::is_integral_v<T>) {
      // |limit - start| and |delta| always fit in uint64 (modular arithmetic
      // gives the exact distance).
      const uint64_t lo = static_cast<uint64_t>(
          static_cast<int64_t>(start <= limit ? start : limit));
      const uint64_t hi = static_cast<uint64_t>(
          static_cast<int64_t>(start <= limit ? limit : start));
      const uint64_t span = hi - lo;
      const uint64_t step =
          delta > 0 ? static_cast<uint64_t>(static_cast<int64_t>(delta))
                    : uint64_t{0} -
                          static_cast<uint64_t>(static_cast<int64_t>(delta));
      const uint64_t count = span / step + (span % step != 0 ? 1 : 0);
      if (count > static_cast<uint64_t>(std::numeric_limits<int64_t>::max())) {
        return ctx.InvalidArgument(
            absl::StrCat("Requires ((limit - start) / delta) <= ",
                         std::numeric_limits<int64_t>::max()));
      }
      size = static_cast<int64_t>(count);
    } else {
      // Computed in T, as TensorFlow does, so float rounding matches.
      const double count =
          static_cast<double>(std::ceil(std::abs((limit - start) / delta)));
      if (!(count < 9.2e18)) {
        return ctx.InvalidArgument(
            absl::StrCat("Requires ((limit - start) / delta) <= ",
                         std::numeric_limits<int64_t>::max()));
      }
      size = static_cast<int64_t>(count);
    }
    const int64_t dims[1] = {size};
    MS_ASSIGN_OR_RETURN(TensorShape shape, TensorShape::FromDims(dims));
    MS_ASSIGN_OR_RETURN(Tensor * out,
                        ctx.allocate_output(0, DataTypeOf<T>::value, shape));
    T* values = out->data<T>();
    if constexpr (std::is_integral_v<T>) {
      // Every element lies between start and limit; modular arithmetic keeps
      // the intermediate products defined.
      for (int64_t i = 0; i < size; ++i) {
        const uint64_t v =
            static_cast<uint64_t>(static_cast<int64_t>(start)) +
            static_cast<uint64_t>(i) *
                static_cast<uint64_t>(static_cast<int64_t>(delta));
        values[i] = static_cast<T>(static_cast<int64_t>(v));
      }
    } else {
      // TensorFlow accumulates, and so rounds, the same way.
      T value = start;
      for (int64_t i = 0; i < size; ++i) {
        values[i] = value;
        value += delta;
      }
    }
    return absl::OkStatus();
  }
};

}  // namespace

REGISTER_KERNEL(OpSpec("Range").Output("output"), RangeKernel::Create);

}  // namespace model_server
