// CRC-32C (Castagnoli polynomial 0x1EDC6F41, reflected 0x82F63B78), the
// checksum of LevelDB tables and TensorFlow tensor bundles.
//
// Uses the SSE4.2 CRC32 instruction when the CPU has it (checked once at run
// time; inputs of 24 KiB and more as three interleaved streams, about 12 GB/s
// per core) and a slicing-by-8 table otherwise. All functions are
// thread-safe.
#ifndef MODEL_SERVER_RUNTIME_BUNDLE_CRC32C_H_
#define MODEL_SERVER_RUNTIME_BUNDLE_CRC32C_H_

#include <cstddef>
#include <cstdint>

namespace model_server {
namespace crc32c {

// Returns the CRC-32C of concat(A, data[0, n)) where `crc` is the CRC-32C of
// some byte string A. Extend(0, data, n) == Value(data, n).
uint32_t Extend(uint32_t crc, const char* data, size_t n);

// Returns the CRC-32C of data[0, n).
inline uint32_t Value(const char* data, size_t n) { return Extend(0, data, n); }

// Returns the CRC-32C of concat(A, B) from crc_a = Value(A), crc_b = Value(B)
// and B's length, without the bytes: lets parts of a buffer be checksummed
// on separate threads. O(log length_b).
uint32_t Combine(uint32_t crc_a, uint32_t crc_b, uint64_t length_b);

// Stored checksums are masked: a CRC computed over bytes that embed CRCs is
// weak, so LevelDB and TensorFlow store a rotated and offset value instead.
inline constexpr uint32_t kMaskDelta = 0xa282ead8u;

// Returns the masked form of `crc`.
inline uint32_t Mask(uint32_t crc) {
  return ((crc >> 15) | (crc << 17)) + kMaskDelta;
}

// Inverse of Mask().
inline uint32_t Unmask(uint32_t masked_crc) {
  const uint32_t rot = masked_crc - kMaskDelta;
  return (rot >> 17) | (rot << 15);
}

// The two implementations behind Extend(), exposed so tests can check that
// they agree.
//
// The portable slicing-by-8 table implementation; works on every CPU.
uint32_t ExtendPortable(uint32_t crc, const char* data, size_t n);
// True when this CPU has the SSE4.2 CRC32 instruction.
bool HardwareAccelerated();
// The SSE4.2 implementation. REQUIRES: HardwareAccelerated().
uint32_t ExtendHardware(uint32_t crc, const char* data, size_t n);

}  // namespace crc32c
}  // namespace model_server

#endif  // MODEL_SERVER_RUNTIME_BUNDLE_CRC32C_H_
