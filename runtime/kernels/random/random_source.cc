#include "runtime/kernels/random/random_source.h"

#include <cmath>

#include "runtime/status_macros.h"

namespace model_server {
namespace {

// SplitMix64 finalizer: spreads nearby seeds over the whole state space.
uint64_t Mix(uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

}  // namespace

absl::StatusOr<uint64_t> RandomStream::BaseSeed(const KernelConstruction& c) {
  int64_t seed, seed2;
  MS_RETURN_IF_ERROR(c.attrs.GetOr("seed", int64_t{0}, &seed));
  MS_RETURN_IF_ERROR(c.attrs.GetOr("seed2", int64_t{0}, &seed2));
  if (seed == 0 && seed2 == 0) {
    std::random_device device;
    return (static_cast<uint64_t>(device()) << 32) ^ device();
  }
  return Mix(static_cast<uint64_t>(seed)) ^
         Mix(Mix(static_cast<uint64_t>(seed2)));
}

std::mt19937_64 RandomStream::Next() const {
  return std::mt19937_64(Mix(base_ ^ Mix(calls_.fetch_add(1))));
}

double NormalSource::Next() {
  if (has_spare_) {
    has_spare_ = false;
    return spare_;
  }
  double u1;
  do {
    u1 = UniformDouble(rng_);
  } while (u1 <= 0.0);
  const double u2 = UniformDouble(rng_);
  const double r = std::sqrt(-2.0 * std::log(u1));
  const double theta = 6.283185307179586476925 * u2;  // 2 pi
  spare_ = r * std::sin(theta);
  has_spare_ = true;
  return r * std::cos(theta);
}

}  // namespace model_server
