#include "runtime/bundle/crc32c.h"

#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "gtest/gtest.h"

namespace model_server {
namespace crc32c {
namespace {

uint32_t ValueOf(const std::vector<uint8_t>& bytes) {
  return Value(reinterpret_cast<const char*>(bytes.data()), bytes.size());
}

// RFC 3720 (iSCSI), appendix B.4.
TEST(Crc32c, MatchesRfc3720Vectors) {
  EXPECT_EQ(ValueOf(std::vector<uint8_t>(32, 0x00)), 0x8a9136aau);
  EXPECT_EQ(ValueOf(std::vector<uint8_t>(32, 0xff)), 0x62a8ab43u);

  std::vector<uint8_t> ascending(32), descending(32);
  for (int i = 0; i < 32; ++i) {
    ascending[i] = static_cast<uint8_t>(i);
    descending[i] = static_cast<uint8_t>(31 - i);
  }
  EXPECT_EQ(ValueOf(ascending), 0x46dd794eu);
  EXPECT_EQ(ValueOf(descending), 0x113fdb5cu);

  // An iSCSI SCSI Read (10) command PDU.
  const std::vector<uint8_t> read_pdu = {
      0x01, 0xc0, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
      0x00, 0x00, 0x00, 0x00, 0x14, 0x00, 0x00, 0x00, 0x00, 0x00, 0x04, 0x00,
      0x00, 0x00, 0x00, 0x14, 0x00, 0x00, 0x00, 0x18, 0x28, 0x00, 0x00, 0x00,
      0x00, 0x00, 0x00, 0x00, 0x02, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00};
  EXPECT_EQ(ValueOf(read_pdu), 0xd9963a56u);
}

TEST(Crc32c, MatchesCheckValue) {
  EXPECT_EQ(Value("123456789", 9), 0xe3069283u);
  EXPECT_EQ(ExtendPortable(0, "123456789", 9), 0xe3069283u);
}

TEST(Crc32c, EmptyInputIsZero) { EXPECT_EQ(Value("", 0), 0u); }

TEST(Crc32c, ExtendEqualsValueOfConcatenation) {
  const std::string a = "hello ", b = "world, this spans several words";
  const std::string ab = a + b;
  EXPECT_EQ(Extend(Value(a.data(), a.size()), b.data(), b.size()),
            Value(ab.data(), ab.size()));
}

TEST(Crc32c, CombineOfPartsEqualsValueOfWhole) {
  std::mt19937 rng(7);
  std::vector<char> bytes(70001);
  for (char& c : bytes) c = static_cast<char>(rng());
  const uint32_t whole = Value(bytes.data(), bytes.size());
  // Every kind of split: empty parts, odd lengths, unaligned boundaries.
  for (size_t split : {size_t{0}, size_t{1}, size_t{7}, size_t{8}, size_t{4096},
                       size_t{35001}, bytes.size() - 1, bytes.size()}) {
    const size_t tail = bytes.size() - split;
    EXPECT_EQ(Combine(Value(bytes.data(), split),
                      Value(bytes.data() + split, tail), tail),
              whole)
        << "split at " << split;
  }
  EXPECT_EQ(Combine(Value("1234", 4), Value("56789", 5), 5), 0xe3069283u);
}

TEST(Crc32c, HardwareAndPortablePathsAgree) {
  std::mt19937 rng(42);
  std::vector<char> buffer(4096 + 16);
  for (char& c : buffer) c = static_cast<char>(rng());
  for (size_t align = 0; align < 16; ++align) {
    for (size_t n : {0,  1,  2,  3,  7,   8,   9,   15,   16,   17,
                     31, 63, 64, 65, 100, 255, 256, 1000, 1023, 4096}) {
      const char* p = buffer.data() + align;
      const uint32_t seed = static_cast<uint32_t>(rng());
      const uint32_t portable = ExtendPortable(seed, p, n);
      // The byte-at-a-time definition, independent of both fast paths.
      uint32_t state = seed ^ 0xffffffffu;
      for (size_t i = 0; i < n; ++i) {
        state ^= static_cast<uint8_t>(p[i]);
        for (int bit = 0; bit < 8; ++bit) {
          state = (state & 1) ? (state >> 1) ^ 0x82f63b78u : state >> 1;
        }
      }
      ASSERT_EQ(portable, state ^ 0xffffffffu)
          << "align " << align << " n " << n;
      ASSERT_EQ(Extend(seed, p, n), portable) << "align " << align;
      if (HardwareAccelerated()) {
        ASSERT_EQ(ExtendHardware(seed, p, n), portable)
            << "align " << align << " n " << n;
      }
    }
  }
  if (!HardwareAccelerated()) {
    GTEST_SKIP() << "CPU lacks SSE4.2; only the portable path was checked";
  }
}

// Inputs of 24 KiB and more take the hardware path's three interleaved
// streams; lengths around each group boundary and unaligned starts.
TEST(Crc32c, LongInputsMatchThePortablePath) {
  std::mt19937 rng(11);
  std::vector<char> buffer(200000);
  for (char& c : buffer) c = static_cast<char>(rng());
  constexpr size_t kGroup = 3 * 8192;
  for (size_t align : {0, 1, 5, 8}) {
    for (size_t n : {kGroup - 1, kGroup, kGroup + 1, kGroup + 8, 2 * kGroup - 3,
                     2 * kGroup, 5 * kGroup + 4095, buffer.size() - 8}) {
      const char* p = buffer.data() + align;
      const uint32_t seed = static_cast<uint32_t>(rng());
      const uint32_t portable = ExtendPortable(seed, p, n);
      ASSERT_EQ(Extend(seed, p, n), portable)
          << "align " << align << " n " << n;
      ASSERT_EQ(Value(p, n), ExtendPortable(0, p, n)) << "n " << n;
    }
  }
  if (!HardwareAccelerated()) {
    GTEST_SKIP() << "CPU lacks SSE4.2; only the portable path was checked";
  }
}

TEST(Crc32c, MaskRoundTripsAndDiffers) {
  const uint32_t crc = Value("foo", 3);
  EXPECT_NE(Mask(crc), crc);
  EXPECT_NE(Mask(Mask(crc)), crc);
  EXPECT_EQ(Unmask(Mask(crc)), crc);
  EXPECT_EQ(Unmask(Unmask(Mask(Mask(crc)))), crc);
  std::mt19937 rng(7);
  for (int i = 0; i < 1000; ++i) {
    const uint32_t v = static_cast<uint32_t>(rng());
    ASSERT_EQ(Unmask(Mask(v)), v);
  }
}

}  // namespace
}  // namespace crc32c
}  // namespace model_server
