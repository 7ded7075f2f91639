// Random number ops: RandomUniform ([0, 1)), RandomStandardNormal (N(0, 1))
// and TruncatedNormal (N(0, 1) redrawn outside [-2, 2]).
//
// Input: shape (T int32/int64 vector). Attrs: dtype (half, bfloat16, float,
// double), seed, seed2. Output: "output".
//
// Seeding and the generators: random_source.h.
#include <cmath>
#include <cstdint>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "runtime/kernels/random/random_source.h"
#include "runtime/op_kernel.h"
#include "runtime/op_registry.h"
#include "runtime/status_macros.h"

namespace model_server {
namespace {

enum class Distribution { kUniform, kNormal, kTruncatedNormal };

class RandomKernel : public OpKernel {
 public:
  template <Distribution kDist>
  static absl::StatusOr<std::unique_ptr<OpKernel>> Create(
      const KernelConstruction& c) {
    if (c.num_inputs != 1) {
      return c.attrs.Error(
          absl::StrCat("expects 1 input (shape), got ", c.num_inputs));
    }
    DataType dtype;
    MS_RETURN_IF_ERROR(c.attrs.Get("dtype", &dtype));
    if (dtype != DT_FLOAT && dtype != DT_DOUBLE && dtype != DT_HALF &&
        dtype != DT_BFLOAT16) {
      return UnsupportedDtypeError(c, dtype);
    }
    MS_ASSIGN_OR_RETURN(uint64_t base, RandomStream::BaseSeed(c));
    return std::unique_ptr<OpKernel>(new RandomKernel(kDist, dtype, base));
  }

  absl::Status Compute(OpKernelContext& ctx) const override {
    const Tensor& shape_t = ctx.input(0);
    if ((shape_t.dtype() != DT_INT32 && shape_t.dtype() != DT_INT64) ||
        shape_t.rank() != 1) {
      return ctx.InvalidArgument(
          absl::StrCat("shape must be a vector of {int32,int64}, got shape ",
                       shape_t.shape().DebugString()));
    }
    std::vector<int64_t> dims(shape_t.NumElements());
    for (size_t i = 0; i < dims.size(); ++i) {
      dims[i] = shape_t.dtype() == DT_INT32 ? shape_t.data<int32_t>()[i]
                                            : shape_t.data<int64_t>()[i];
      if (dims[i] < 0) {
        return ctx.InvalidArgument(
            absl::StrCat("Dimension ", dims[i], " must be >= 0"));
      }
    }
    MS_ASSIGN_OR_RETURN(TensorShape shape, TensorShape::FromDims(dims));
    MS_ASSIGN_OR_RETURN(Tensor * out, ctx.allocate_output(0, dtype_, shape));
    std::mt19937_64 rng = stream_.Next();
    switch (dtype_) {
      case DT_FLOAT:
        Fill(rng, out->flat<float>());
        break;
      case DT_DOUBLE:
        Fill(rng, out->flat<double>());
        break;
      case DT_HALF:
        Fill(rng, out->flat<Eigen::half>());
        break;
      default:
        Fill(rng, out->flat<Eigen::bfloat16>());
        break;
    }
    return absl::OkStatus();
  }

 private:
  RandomKernel(Distribution dist, DataType dtype, uint64_t base)
      : dist_(dist), dtype_(dtype), stream_(base) {}

  template <typename T>
  void Fill(std::mt19937_64& rng, absl::Span<T> out) const {
    switch (dist_) {
      case Distribution::kUniform:
        for (T& v : out) {
          // Rounding to a narrow type can reach 1.0; draw again then, so
          // the range stays [0, 1) as in TensorFlow.
          do {
            v = static_cast<T>(UniformDouble(rng));
          } while (!(static_cast<double>(v) < 1.0));
        }
        break;
      case Distribution::kNormal: {
        NormalSource normal(rng);
        for (T& v : out) v = static_cast<T>(normal.Next());
        break;
      }
      case Distribution::kTruncatedNormal: {
        NormalSource normal(rng);
        for (T& v : out) {
          double x;
          do {
            x = normal.Next();
          } while (std::abs(x) > 2.0);
          v = static_cast<T>(x);
        }
        break;
      }
    }
  }

  const Distribution dist_;
  const DataType dtype_;
  const RandomStream stream_;
};

}  // namespace

REGISTER_KERNEL(OpSpec("RandomUniform").Output("output"),
                RandomKernel::Create<Distribution::kUniform>);
REGISTER_KERNEL(OpSpec("RandomStandardNormal").Output("output"),
                RandomKernel::Create<Distribution::kNormal>);
REGISTER_KERNEL(OpSpec("TruncatedNormal").Output("output"),
                RandomKernel::Create<Distribution::kTruncatedNormal>);

}  // namespace model_server
