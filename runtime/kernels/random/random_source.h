// What the random kernels share: seeding from the seed / seed2 attrs, one
// generator per call, and the basic uniform and normal draws.
//
// Deliberate difference from TensorFlow: the values are not bit-identical to
// TensorFlow's Philox stream. Each call draws from its own std::mt19937_64
// seeded with a mix of (seed, seed2, a per-kernel call counter), so
// concurrent requests never share generator state; as in TensorFlow, a
// kernel with a non-zero seed produces the same sequence of tensors across
// calls from load, and seed = seed2 = 0 means "seed randomly".
#ifndef MODEL_SERVER_RUNTIME_KERNELS_RANDOM_RANDOM_SOURCE_H_
#define MODEL_SERVER_RUNTIME_KERNELS_RANDOM_RANDOM_SOURCE_H_

#include <atomic>
#include <cstdint>
#include <random>

#include "absl/status/statusor.h"
#include "runtime/op_kernel.h"

namespace model_server {

// The seeds of one random kernel; hands out one generator per call.
// Thread-safe.
class RandomStream {
 public:
  // Reads the seed and seed2 attrs (default 0).
  static absl::StatusOr<uint64_t> BaseSeed(const KernelConstruction& c);

  explicit RandomStream(uint64_t base) : base_(base) {}

  // The generator for the next call.
  std::mt19937_64 Next() const;

 private:
  const uint64_t base_;
  // Counts calls so successive runs differ.
  mutable std::atomic<uint64_t> calls_{0};
};

// Uniform double in [0, 1) from 53 random bits.
inline double UniformDouble(std::mt19937_64& rng) {
  return static_cast<double>(rng() >> 11) * 0x1.0p-53;
}

// Standard normal values by the Box-Muller transform, two at a time.
class NormalSource {
 public:
  explicit NormalSource(std::mt19937_64& rng) : rng_(rng) {}
  double Next();

 private:
  std::mt19937_64& rng_;
  double spare_ = 0;
  bool has_spare_ = false;
};

}  // namespace model_server

#endif  // MODEL_SERVER_RUNTIME_KERNELS_RANDOM_RANDOM_SOURCE_H_
