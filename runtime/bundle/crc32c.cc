#include "runtime/bundle/crc32c.h"

#include <array>
#include <cstring>

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#define MS_CRC32C_X86 1
#include <nmmintrin.h>
#else
#define MS_CRC32C_X86 0
#endif

namespace model_server {
namespace crc32c {
namespace {

constexpr uint32_t kReflectedPolynomial = 0x82f63b78u;

// kTables[k][b] is the CRC register contribution of byte value `b` followed
// by k zero bytes, which lets the portable path fold 8 input bytes per step.
struct SlicingTables {
  std::array<std::array<uint32_t, 256>, 8> t{};
};

constexpr SlicingTables MakeTables() {
  SlicingTables tables;
  for (uint32_t b = 0; b < 256; ++b) {
    uint32_t crc = b;
    for (int bit = 0; bit < 8; ++bit) {
      crc = (crc & 1) ? (crc >> 1) ^ kReflectedPolynomial : crc >> 1;
    }
    tables.t[0][b] = crc;
  }
  for (int k = 1; k < 8; ++k) {
    for (uint32_t b = 0; b < 256; ++b) {
      const uint32_t prev = tables.t[k - 1][b];
      tables.t[k][b] = (prev >> 8) ^ tables.t[0][prev & 0xff];
    }
  }
  return tables;
}

constexpr SlicingTables kTables = MakeTables();

inline uint32_t StepByte(uint32_t state, unsigned char byte) {
  return (state >> 8) ^ kTables.t[0][(state ^ byte) & 0xff];
}

// Product of two polynomials modulo the CRC polynomial, all in the CRC's
// reflected bit order (bit 31 is x^0).
uint32_t MultiplyModP(uint32_t a, uint32_t b) {
  uint32_t product = 0;
  for (uint32_t bit = 1u << 31; bit != 0; bit >>= 1) {
    if ((a & bit) != 0) product ^= b;
    // b *= x (mod P).
    b = (b & 1) != 0 ? (b >> 1) ^ kReflectedPolynomial : b >> 1;
  }
  return product;
}

// x^(8 * bytes) modulo the CRC polynomial, by repeated squaring.
uint32_t ShiftByBytes(uint64_t bytes) {
  uint32_t result = 1u << 31;  // x^0
  uint32_t power = 1u << 23;   // x^8: one byte
  for (; bytes != 0; bytes >>= 1) {
    if ((bytes & 1) != 0) result = MultiplyModP(result, power);
    power = MultiplyModP(power, power);
  }
  return result;
}

#if MS_CRC32C_X86
// The CRC32 instruction takes 3 cycles but a new one can start every cycle,
// so one dependency chain runs at a third of the core's speed. Long inputs
// are taken in groups of three kStreamBytes blocks, checksummed side by
// side and merged: the register after A || B || C is
// reg(A) * x^(16 * kStreamBytes) + reg(B) * x^(8 * kStreamBytes) + reg(C)
// (mod P), with B and C started from 0 (no pre- or post-conditioning in
// the register domain, where the CRC is linear).
constexpr size_t kStreamBytes = 8192;

struct StreamShifts {
  uint32_t one_block = ShiftByBytes(kStreamBytes);
  uint32_t two_blocks = ShiftByBytes(2 * kStreamBytes);
};

// Compiled for SSE4.2 on its own so the rest of the build needs no -msse4.2;
// only called after the run-time CPU check.
__attribute__((target("sse4.2"))) uint64_t Words(uint64_t state,
                                                 const unsigned char* p,
                                                 size_t words) {
  for (size_t i = 0; i < words; ++i) {
    uint64_t word;
    std::memcpy(&word, p + 8 * i, sizeof(word));
    state = _mm_crc32_u64(state, word);
  }
  return state;
}

__attribute__((target("sse4.2"))) uint32_t ExtendSse42(uint32_t crc,
                                                       const char* data,
                                                       size_t n) {
  const auto* p = reinterpret_cast<const unsigned char*>(data);
  uint32_t state = crc ^ 0xffffffffu;
  // Byte steps until p is 8-byte aligned, then whole words.
  while (n > 0 && (reinterpret_cast<uintptr_t>(p) & 7) != 0) {
    state = _mm_crc32_u8(state, *p++);
    --n;
  }
  uint64_t wide = state;
  if (n >= 3 * kStreamBytes) {
    static const StreamShifts shifts;
    constexpr size_t kWords = kStreamBytes / 8;
    while (n >= 3 * kStreamBytes) {
      uint64_t a = wide, b = 0, c = 0;
      for (size_t i = 0; i < kWords; ++i) {
        uint64_t wa, wb, wc;
        std::memcpy(&wa, p + 8 * i, 8);
        std::memcpy(&wb, p + kStreamBytes + 8 * i, 8);
        std::memcpy(&wc, p + 2 * kStreamBytes + 8 * i, 8);
        a = _mm_crc32_u64(a, wa);
        b = _mm_crc32_u64(b, wb);
        c = _mm_crc32_u64(c, wc);
      }
      wide = MultiplyModP(static_cast<uint32_t>(a), shifts.two_blocks) ^
             MultiplyModP(static_cast<uint32_t>(b), shifts.one_block) ^
             static_cast<uint32_t>(c);
      p += 3 * kStreamBytes;
      n -= 3 * kStreamBytes;
    }
  }
  wide = Words(wide, p, n / 8);
  p += n / 8 * 8;
  n %= 8;
  state = static_cast<uint32_t>(wide);
  while (n > 0) {
    state = _mm_crc32_u8(state, *p++);
    --n;
  }
  return state ^ 0xffffffffu;
}

bool DetectSse42() {
  __builtin_cpu_init();
  return __builtin_cpu_supports("sse4.2");
}
#endif

}  // namespace

uint32_t ExtendPortable(uint32_t crc, const char* data, size_t n) {
  const auto* p = reinterpret_cast<const unsigned char*>(data);
  uint32_t state = crc ^ 0xffffffffu;
  while (n > 0 && (reinterpret_cast<uintptr_t>(p) & 7) != 0) {
    state = StepByte(state, *p++);
    --n;
  }
  const auto& t = kTables.t;
  while (n >= 8) {
    // Little-endian assembly of the two 32-bit halves, independent of the
    // host byte order.
    const uint32_t lo = (uint32_t{p[0]} | uint32_t{p[1]} << 8 |
                         uint32_t{p[2]} << 16 | uint32_t{p[3]} << 24) ^
                        state;
    const uint32_t hi = uint32_t{p[4]} | uint32_t{p[5]} << 8 |
                        uint32_t{p[6]} << 16 | uint32_t{p[7]} << 24;
    state = t[7][lo & 0xff] ^ t[6][(lo >> 8) & 0xff] ^ t[5][(lo >> 16) & 0xff] ^
            t[4][lo >> 24] ^ t[3][hi & 0xff] ^ t[2][(hi >> 8) & 0xff] ^
            t[1][(hi >> 16) & 0xff] ^ t[0][hi >> 24];
    p += 8;
    n -= 8;
  }
  while (n > 0) {
    state = StepByte(state, *p++);
    --n;
  }
  return state ^ 0xffffffffu;
}

// With init and final XOR of all ones, CRC(A || B) = CRC(A) * x^(8|B|) +
// CRC(B) (mod P): the ones that pre- and post-condition each part cancel.
uint32_t Combine(uint32_t crc_a, uint32_t crc_b, uint64_t length_b) {
  return MultiplyModP(crc_a, ShiftByBytes(length_b)) ^ crc_b;
}

bool HardwareAccelerated() {
#if MS_CRC32C_X86
  static const bool has_sse42 = DetectSse42();
  return has_sse42;
#else
  return false;
#endif
}

uint32_t ExtendHardware(uint32_t crc, const char* data, size_t n) {
#if MS_CRC32C_X86
  return ExtendSse42(crc, data, n);
#else
  return ExtendPortable(crc, data, n);
#endif
}

uint32_t Extend(uint32_t crc, const char* data, size_t n) {
  return HardwareAccelerated() ? ExtendHardware(crc, data, n)
                               : ExtendPortable(crc, data, n);
}

}  // namespace crc32c
}  // namespace model_server
