#include "runtime/kernels/strings/keyed_hashes.h"

#include <cstdint>
#include <cstring>

namespace model_server {
namespace {

uint64_t LoadLittleEndian64(const char* p) {
  uint64_t v = 0;
  for (int i = 7; i >= 0; --i) v = (v << 8) | static_cast<uint8_t>(p[i]);
  return v;
}

uint64_t RotateLeft(uint64_t v, int bits) {
  return (v << bits) | (v >> (64 - bits));
}

}  // namespace

uint64_t TensorFlowHash64(absl::string_view s) {
  constexpr uint64_t kMul = 0xc6a4a7935bd1e995ULL;
  constexpr int kShift = 47;
  constexpr uint64_t kSeed = 0xDECAFCAFFEULL;
  const char* data = s.data();
  size_t n = s.size();
  uint64_t h = kSeed ^ (n * kMul);
  for (; n >= 8; data += 8, n -= 8) {
    uint64_t k = LoadLittleEndian64(data);
    k *= kMul;
    k ^= k >> kShift;
    k *= kMul;
    h ^= k;
    h *= kMul;
  }
  if (n > 0) {
    // The remaining bytes, little-endian, mixed in once.
    uint64_t tail = 0;
    for (size_t i = n; i-- > 0;)
      tail = (tail << 8) | static_cast<uint8_t>(data[i]);
    h ^= tail;
    h *= kMul;
  }
  h ^= h >> kShift;
  h *= kMul;
  h ^= h >> kShift;
  return h;
}

uint64_t SipHash24(uint64_t k0, uint64_t k1, absl::string_view s) {
  uint64_t v0 = k0 ^ 0x736f6d6570736575ULL;
  uint64_t v1 = k1 ^ 0x646f72616e646f6dULL;
  uint64_t v2 = k0 ^ 0x6c7967656e657261ULL;
  uint64_t v3 = k1 ^ 0x7465646279746573ULL;
  auto round = [&]() {
    v0 += v1;
    v1 = RotateLeft(v1, 13);
    v1 ^= v0;
    v0 = RotateLeft(v0, 32);
    v2 += v3;
    v3 = RotateLeft(v3, 16);
    v3 ^= v2;
    v0 += v3;
    v3 = RotateLeft(v3, 21);
    v3 ^= v0;
    v2 += v1;
    v1 = RotateLeft(v1, 17);
    v1 ^= v2;
    v2 = RotateLeft(v2, 32);
  };
  const size_t full = s.size() / 8 * 8;
  for (size_t i = 0; i < full; i += 8) {
    const uint64_t m = LoadLittleEndian64(s.data() + i);
    v3 ^= m;
    round();
    round();
    v0 ^= m;
  }
  // Last block: the remaining bytes and the length in the top byte.
  uint64_t last = static_cast<uint64_t>(s.size() & 0xff) << 56;
  for (size_t i = s.size(); i-- > full;) {
    last |= static_cast<uint64_t>(static_cast<uint8_t>(s[i]))
            << (8 * (i - full));
  }
  v3 ^= last;
  round();
  round();
  v0 ^= last;
  v2 ^= 0xff;
  round();
  round();
  round();
  round();
  return v0 ^ v1 ^ v2 ^ v3;
}

}  // namespace model_server
