#include "runtime/kernels/strings/fingerprint64.h"

#include <cstdint>
#include <string>

#include "absl/strings/string_view.h"
#include "gtest/gtest.h"

namespace model_server {
namespace {

std::string Repeat(const std::string& s, int n) {
  std::string out;
  for (int i = 0; i < n; ++i) out += s;
  return out;
}

// TensorFlow's frozen values (tensorflow/core/platform/fingerprint_test.cc
// and the string_to_hash_bucket_fast tests).
TEST(Fingerprint64, MatchesTensorFlowFrozenValues) {
  EXPECT_EQ(Fingerprint64("Hello"), 15404698994557526151ULL);
  EXPECT_EQ(Fingerprint64("World"), 18308117990299812472ULL);
  EXPECT_EQ(Fingerprint64("a"), 12917804110809363939ULL);
  EXPECT_EQ(Fingerprint64("b"), 11795596070477164822ULL);
  EXPECT_EQ(Fingerprint64("c"), 11430444447143000872ULL);
  EXPECT_EQ(Fingerprint64("d"), 4470636696479570465ULL);
}

// Published FarmHash Fingerprint64 vectors, one or more per length class:
// 0, 1-3, 4-7, 8-16, 17-32, 33-64 and the 64-byte block loop.
TEST(Fingerprint64, MatchesPublishedVectorsForEveryLengthClass) {
  EXPECT_EQ(Fingerprint64(""), 0x9ae16a3b2f90404fULL);
  EXPECT_EQ(Fingerprint64("Q"), 13816109650407654260ULL);
  EXPECT_EQ(Fingerprint64(",="), 1326014594494455617ULL);
  EXPECT_EQ(Fingerprint64("WW5"), 6316074107149058620ULL);
  EXPECT_EQ(Fingerprint64("e#p8"), 252499459662674074ULL);
  EXPECT_EQ(Fingerprint64("test"), 8581389452482819506ULL);
  EXPECT_EQ(Fingerprint64(")D<l91"), 6440615040757739207ULL);
  EXPECT_EQ(Fingerprint64("P9|0-Xg"), 15614415556471156694ULL);
  EXPECT_EQ(Fingerprint64("#cDR^sLO"), 328147020574120176ULL);
  EXPECT_EQ(Fingerprint64("K6Pjv<>ad"), 16506019169567922731ULL);
  EXPECT_EQ(Fingerprint64("?c^6BkI#-SLw"), 13133570674398037786ULL);
  EXPECT_EQ(Fingerprint64("M)(iJ1-nf>5XCc0L?"), 9968500208262240300ULL);
  EXPECT_EQ(Fingerprint64("9>Nleb)=|CR#4=G2&7[HOP"), 10511875379468936029ULL);
  EXPECT_EQ(Fingerprint64("n?(o|a[EX|KN-9./=tCVEmN%?<MXe8F<"),
            1754206644017466002ULL);
  EXPECT_EQ(Fingerprint64(Repeat("test", 8)),
            static_cast<uint64_t>(-4196240717365766262LL));
  EXPECT_EQ(Fingerprint64("ECCD828C-5D7A-4C8B-9A1B-F244747E96C3"),
            9693850515132481856ULL);
  EXPECT_EQ(Fingerprint64("fDVY|(%&aF#3<l>b?1Y Hqt)qY(0%b@VIk#Rlofs"),
            1687730506231245221ULL);
  EXPECT_EQ(Fingerprint64("F7479877-4690-4A44-AFC9-8FE987EA512F:some_other_id"),
            6862335115798125349ULL);
  EXPECT_EQ(Fingerprint64(Repeat("test", 64)), 3500507768004279527ULL);
}

// FarmHash's own self-test buffer: a 65-byte input (one block plus the
// overlapping final block) from its pseudo-random test data, case 65.
TEST(Fingerprint64, MatchesFarmHashSelfTestCase65) {
  std::string data(65 * 66, '\0');
  uint64_t a = 9, b = 777;
  for (size_t i = 0; i < data.size(); ++i) {
    a += b;
    b += a;
    a = (a ^ (a >> 41)) * 0xc3a5c85c97cb3127ULL;
    b = (b ^ (b >> 41)) * 0xc3a5c85c97cb3127ULL + i;
    data[i] = static_cast<char>(static_cast<uint8_t>(b >> 37));
  }
  EXPECT_EQ(static_cast<uint8_t>(data[65 * 65]), 0x5a);
  EXPECT_EQ(Fingerprint64(absl::string_view(data).substr(65 * 65, 65)),
            0x3cceab392bc39b3fULL);
}

TEST(Fingerprint64, HashesEmbeddedNulBytes) {
  EXPECT_NE(Fingerprint64(std::string("a\0b", 3)),
            Fingerprint64(std::string("a\0c", 3)));
}

}  // namespace
}  // namespace model_server
