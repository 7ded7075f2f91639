// FarmHash "na" Hash64, written from the algorithm's description.
//
// Inputs are split by length: up to 16 bytes, 17-32, 33-64, and longer
// inputs, which run a 56-byte state (x, y, z and two 128-bit lanes v, w)
// over 64-byte blocks and then once more, with a length-dependent
// multiplier, over the last 64 bytes. All arithmetic is modulo 2^64 and
// words are read little-endian whatever the host order.
#include "runtime/kernels/strings/fingerprint64.h"

#include <cstddef>
#include <cstdint>
#include <utility>

namespace model_server {
namespace {

// Primes between 2^63 and 2^64 fixed by the algorithm.
constexpr uint64_t kPrime0 = 0xc3a5c85c97cb3127ULL;
constexpr uint64_t kPrime1 = 0xb492b66fbe98f273ULL;
constexpr uint64_t kPrime2 = 0x9ae16a3b2f90404fULL;

uint64_t LoadLittle64(const unsigned char* p) {
  uint64_t v = 0;
  for (int i = 7; i >= 0; --i) v = (v << 8) | p[i];
  return v;
}

uint64_t LoadLittle32(const unsigned char* p) {
  return static_cast<uint64_t>(p[0]) | static_cast<uint64_t>(p[1]) << 8 |
         static_cast<uint64_t>(p[2]) << 16 | static_cast<uint64_t>(p[3]) << 24;
}

uint64_t RotateRight(uint64_t v, int bits) {
  return bits == 0 ? v : (v >> bits) | (v << (64 - bits));
}

uint64_t XorShift47(uint64_t v) { return v ^ (v >> 47); }

// Mixes two words into one with multiplier `mul`.
uint64_t Mix128(uint64_t u, uint64_t v, uint64_t mul) {
  const uint64_t a = XorShift47((u ^ v) * mul);
  return XorShift47((v ^ a) * mul) * mul;
}

uint64_t HashUpTo16(const unsigned char* s, size_t len) {
  const uint64_t mul = kPrime2 + 2 * static_cast<uint64_t>(len);
  if (len >= 8) {
    const uint64_t head = LoadLittle64(s) + kPrime2;
    const uint64_t tail = LoadLittle64(s + len - 8);
    return Mix128(RotateRight(tail, 37) * mul + head,
                  (RotateRight(head, 25) + tail) * mul, mul);
  }
  if (len >= 4) {
    return Mix128(len + (LoadLittle32(s) << 3), LoadLittle32(s + len - 4), mul);
  }
  if (len > 0) {
    // 32-bit intermediate sums, widened for the final multiply.
    const uint32_t lo =
        static_cast<uint32_t>(s[0]) + (static_cast<uint32_t>(s[len / 2]) << 8);
    const uint32_t hi =
        static_cast<uint32_t>(len) + (static_cast<uint32_t>(s[len - 1]) << 2);
    return XorShift47(lo * kPrime2 ^ hi * kPrime0) * kPrime2;
  }
  return kPrime2;
}

uint64_t Hash17To32(const unsigned char* s, size_t len) {
  const uint64_t mul = kPrime2 + 2 * static_cast<uint64_t>(len);
  const uint64_t a = LoadLittle64(s) * kPrime1;
  const uint64_t b = LoadLittle64(s + 8);
  const uint64_t c = LoadLittle64(s + len - 8) * mul;
  const uint64_t d = LoadLittle64(s + len - 16) * kPrime2;
  return Mix128(RotateRight(a + b, 43) + RotateRight(c, 30) + d,
                a + RotateRight(b + kPrime2, 18) + c, mul);
}

uint64_t Hash33To64(const unsigned char* s, size_t len) {
  const uint64_t mul = kPrime2 + 2 * static_cast<uint64_t>(len);
  const uint64_t a = LoadLittle64(s) * kPrime2;
  const uint64_t b = LoadLittle64(s + 8);
  const uint64_t c = LoadLittle64(s + len - 8) * mul;
  const uint64_t d = LoadLittle64(s + len - 16) * kPrime2;
  const uint64_t y = RotateRight(a + b, 43) + RotateRight(c, 30) + d;
  const uint64_t z = Mix128(y, a + RotateRight(b + kPrime2, 18) + c, mul);
  const uint64_t e = LoadLittle64(s + 16) * mul;
  const uint64_t f = LoadLittle64(s + 24);
  const uint64_t g = (y + LoadLittle64(s + len - 32)) * mul;
  const uint64_t h = (z + LoadLittle64(s + len - 24)) * mul;
  return Mix128(RotateRight(e + f, 43) + RotateRight(g, 30) + h,
                e + RotateRight(f + a, 18) + g, mul);
}

// A 128-bit lane of the long-input state.
struct Lane {
  uint64_t lo = 0;
  uint64_t hi = 0;
};

// Folds the 32 bytes at `s` and two seeds into a lane.
Lane FoldBlock32(const unsigned char* s, uint64_t seed_a, uint64_t seed_b) {
  const uint64_t w0 = LoadLittle64(s);
  const uint64_t w1 = LoadLittle64(s + 8);
  const uint64_t w2 = LoadLittle64(s + 16);
  const uint64_t w3 = LoadLittle64(s + 24);
  uint64_t a = seed_a + w0;
  uint64_t b = RotateRight(seed_b + a + w3, 21);
  const uint64_t first = a;
  a += w1 + w2;
  b += RotateRight(a, 44);
  return Lane{a + w3, b + first};
}

struct LongState {
  uint64_t x, y, z;
  Lane v, w;
};

// One round over the 64-byte block at `s`. The final round uses a different
// multiplier and weights x and y by 9 (`last`).
void Round(const unsigned char* s, uint64_t mul, bool last, LongState& st) {
  st.x = RotateRight(st.x + st.y + st.v.lo + LoadLittle64(s + 8), 37) * mul;
  st.y = RotateRight(st.y + st.v.hi + LoadLittle64(s + 48), 42) * mul;
  st.x ^= last ? st.w.hi * 9 : st.w.hi;
  st.y += (last ? st.v.lo * 9 : st.v.lo) + LoadLittle64(s + 40);
  st.z = RotateRight(st.z + st.w.lo, 33) * mul;
  st.v = FoldBlock32(s, st.v.hi * mul, st.x + st.w.lo);
  st.w = FoldBlock32(s + 32, st.z + st.w.hi, st.y + LoadLittle64(s + 16));
  std::swap(st.z, st.x);
}

uint64_t HashOver64(const unsigned char* s, size_t len) {
  constexpr uint64_t kSeed = 81;
  LongState st;
  st.y = kSeed * kPrime1 + 113;
  st.z = XorShift47(st.y * kPrime2 + 113) * kPrime2;
  st.x = kSeed * kPrime2 + LoadLittle64(s);

  // Whole blocks, leaving 1 to 64 bytes; the final round rereads the last
  // 64 bytes (overlapping the blocks already consumed).
  const size_t blocks = (len - 1) / 64;
  for (size_t i = 0; i < blocks; ++i) {
    Round(s + 64 * i, kPrime1, /*last=*/false, st);
  }
  const uint64_t mul = kPrime1 + ((st.z & 0xff) << 1);
  st.w.lo += (len - 1) & 63;
  st.v.lo += st.w.lo;
  st.w.lo += st.v.lo;
  Round(s + len - 64, mul, /*last=*/true, st);
  return Mix128(
      Mix128(st.v.lo, st.w.lo, mul) + XorShift47(st.y) * kPrime0 + st.z,
      Mix128(st.v.hi, st.w.hi, mul) + st.x, mul);
}

}  // namespace

uint64_t Fingerprint64(absl::string_view str) {
  const auto* s = reinterpret_cast<const unsigned char*>(str.data());
  const size_t len = str.size();
  if (len <= 16) return HashUpTo16(s, len);
  if (len <= 32) return Hash17To32(s, len);
  if (len <= 64) return Hash33To64(s, len);
  return HashOver64(s, len);
}

}  // namespace model_server
