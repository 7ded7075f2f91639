// Reading .npy files: the layouts numpy writes, and malformed files.
#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/testing/kernel_harness.h"
#include "tools/npy/npy.h"
#include "tools/npy/npy_header.h"

namespace model_server {
namespace {

using ::testing::HasSubstr;

// A .npy file with format version `major`.0, header `dict` and `data`.
std::string NpyFile(const std::string& dict, const std::string& data,
                    int major = 1) {
  std::string header = dict + "\n";
  std::string out = "\x93NUMPY";
  out.push_back(static_cast<char>(major));
  out.push_back(0);
  const int length_bytes = major == 1 ? 2 : 4;
  for (int i = 0; i < length_bytes; ++i) {
    out.push_back(static_cast<char>((header.size() >> (8 * i)) & 0xff));
  }
  return out + header + data;
}

std::string Dict(const std::string& descr, const std::string& shape,
                 bool fortran = false) {
  return absl::StrCat("{'descr': '", descr,
                      "', 'fortran_order': ", fortran ? "True" : "False",
                      ", 'shape': ", shape, ", }");
}

template <typename T>
std::string Bytes(const std::vector<T>& values) {
  return std::string(reinterpret_cast<const char*>(values.data()),
                     values.size() * sizeof(T));
}

std::string ErrorOf(const std::string& file) {
  absl::StatusOr<Tensor> t = ParseNpy(file);
  EXPECT_FALSE(t.ok()) << "parsed: " << t->DebugString();
  EXPECT_EQ(t.status().code(), absl::StatusCode::kInvalidArgument)
      << t.status();
  return std::string(t.status().message());
}

TEST(NpyReader, ReadsWhatNumpySaveWrites) {
  // np.save(f, np.arange(6, dtype=np.int32).reshape(2, 3)), byte for byte:
  // the data starts at offset 128.
  std::string header =
      "{'descr': '<i4', 'fortran_order': False, 'shape': (2, 3), }";
  header.append(117 - header.size(), ' ');
  std::string file = NpyFile(header, Bytes<int32_t>({0, 1, 2, 3, 4, 5}));
  ASSERT_EQ(file.find('{'), 10u);
  absl::StatusOr<Tensor> t = ParseNpy(file);
  ASSERT_TRUE(t.ok()) << t.status();
  EXPECT_TENSOR_EQ(*t, Tensor::FromVector<int32_t>({0, 1, 2, 3, 4, 5}, {2, 3}));
}

TEST(NpyReader, ReadsFormatVersions2And3) {
  for (int major : {2, 3}) {
    absl::StatusOr<Tensor> t =
        ParseNpy(NpyFile(Dict("<f8", "(2,)"), Bytes<double>({1.5, -2}), major));
    ASSERT_TRUE(t.ok()) << t.status();
    EXPECT_TENSOR_EQ(*t, Tensor::Vector<double>({1.5, -2}));
  }
}

TEST(NpyReader, ReadsScalarsAndEmptyArrays) {
  absl::StatusOr<Tensor> scalar =
      ParseNpy(NpyFile(Dict("<i8", "()"), Bytes<int64_t>({-7})));
  ASSERT_TRUE(scalar.ok()) << scalar.status();
  EXPECT_TENSOR_EQ(*scalar, Tensor::Scalar<int64_t>(-7));

  absl::StatusOr<Tensor> empty = ParseNpy(NpyFile(Dict("<f4", "(0, 3)"), ""));
  ASSERT_TRUE(empty.ok()) << empty.status();
  EXPECT_EQ(empty->dtype(), DT_FLOAT);
  EXPECT_EQ(empty->shape(), TensorShape({0, 3}));
}

TEST(NpyReader, MapsEveryNumericDescrToItsDtype) {
  struct Case {
    std::string descr;
    DataType dtype;
    int size;
  };
  for (const Case& c : std::vector<Case>{{"|b1", DT_BOOL, 1},
                                         {"|i1", DT_INT8, 1},
                                         {"<i2", DT_INT16, 2},
                                         {"<i4", DT_INT32, 4},
                                         {"<i8", DT_INT64, 8},
                                         {"|u1", DT_UINT8, 1},
                                         {"<u2", DT_UINT16, 2},
                                         {"<u4", DT_UINT32, 4},
                                         {"<u8", DT_UINT64, 8},
                                         {"<f2", DT_HALF, 2},
                                         {"<f4", DT_FLOAT, 4},
                                         {"<f8", DT_DOUBLE, 8},
                                         {"=f8", DT_DOUBLE, 8},
                                         {"<c8", DT_COMPLEX64, 8},
                                         {"<c16", DT_COMPLEX128, 16}}) {
    absl::StatusOr<Tensor> t =
        ParseNpy(NpyFile(Dict(c.descr, "(3,)"), std::string(3 * c.size, '\0')));
    ASSERT_TRUE(t.ok()) << c.descr << ": " << t.status();
    EXPECT_EQ(t->dtype(), c.dtype) << c.descr;
    EXPECT_EQ(t->shape(), TensorShape({3})) << c.descr;
  }
}

TEST(NpyReader, ReadsAnyNonzeroByteAsTrue) {
  absl::StatusOr<Tensor> t =
      ParseNpy(NpyFile(Dict("|b1", "(3,)"), std::string("\x00\x01\x02", 3)));
  ASSERT_TRUE(t.ok()) << t.status();
  EXPECT_TENSOR_EQ(*t, Tensor::Vector<bool>({false, true, true}));
}

TEST(NpyReader, SwapsBigEndianData) {
  absl::StatusOr<Tensor> ints = ParseNpy(NpyFile(
      Dict(">i4", "(2,)"), std::string("\x00\x00\x01\x02\xff\xff\xff\xfe", 8)));
  ASSERT_TRUE(ints.ok()) << ints.status();
  EXPECT_TENSOR_EQ(*ints, Tensor::Vector<int32_t>({0x0102, -2}));

  // 1.0 and -2.0 as big-endian float32: each half of a complex64 is swapped
  // on its own.
  absl::StatusOr<Tensor> complex = ParseNpy(NpyFile(
      Dict(">c8", "()"), std::string("\x3f\x80\x00\x00\xc0\x00\x00\x00", 8)));
  ASSERT_TRUE(complex.ok()) << complex.status();
  EXPECT_EQ(complex->scalar<std::complex<float>>(),
            std::complex<float>(1.0f, -2.0f));

  absl::StatusOr<Tensor> half = ParseNpy(
      NpyFile(Dict(">f2", "(1,)"), std::string("\x3c\x00", 2)));  // 1.0
  ASSERT_TRUE(half.ok()) << half.status();
  EXPECT_EQ(static_cast<float>(half->flat<Eigen::half>()[0]), 1.0f);
}

TEST(NpyReader, TransposesFortranOrder) {
  // np.asfortranarray([[1, 2, 3], [4, 5, 6]]) stores 1 4 2 5 3 6.
  absl::StatusOr<Tensor> matrix =
      ParseNpy(NpyFile(Dict("<i4", "(2, 3)", /*fortran=*/true),
                       Bytes<int32_t>({1, 4, 2, 5, 3, 6})));
  ASSERT_TRUE(matrix.ok()) << matrix.status();
  EXPECT_TENSOR_EQ(*matrix,
                   Tensor::FromVector<int32_t>({1, 2, 3, 4, 5, 6}, {2, 3}));

  // Rank 3: element [i][j][k] = 100i + 10j + k sits at i + 2j + 6k.
  std::vector<int32_t> fortran(12), row_major(12);
  for (int i = 0; i < 2; ++i) {
    for (int j = 0; j < 3; ++j) {
      for (int k = 0; k < 2; ++k) {
        fortran[i + 2 * j + 6 * k] = 100 * i + 10 * j + k;
        row_major[i * 6 + j * 2 + k] = 100 * i + 10 * j + k;
      }
    }
  }
  absl::StatusOr<Tensor> cube = ParseNpy(
      NpyFile(Dict("<i4", "(2, 3, 2)", /*fortran=*/true), Bytes(fortran)));
  ASSERT_TRUE(cube.ok()) << cube.status();
  EXPECT_TENSOR_EQ(*cube, Tensor::FromVector(row_major, {2, 3, 2}));
}

TEST(NpyReader, ReadsByteStringsWithoutTrailingNuls) {
  absl::StatusOr<Tensor> t =
      ParseNpy(NpyFile(Dict("|S3", "(3,)"), std::string("ab\0a\0b\0\0\0", 9)));
  ASSERT_TRUE(t.ok()) << t.status();
  EXPECT_TENSOR_EQ(
      *t, Tensor::Vector<std::string>({"ab", std::string("a\0b", 3), ""}));
}

TEST(NpyReader, ReadsUnicodeStringsAsUtf8) {
  // <U2 holding "é", "日本" and U+1F600; >U1 holding "A".
  std::string little = Bytes<uint32_t>({0xE9, 0, 0x65E5, 0x672C, 0x1F600, 0});
  absl::StatusOr<Tensor> t = ParseNpy(NpyFile(Dict("<U2", "(3,)"), little));
  ASSERT_TRUE(t.ok()) << t.status();
  EXPECT_TENSOR_EQ(
      *t, Tensor::Vector<std::string>(
              {"\xC3\xA9", "\xE6\x97\xA5\xE6\x9C\xAC", "\xF0\x9F\x98\x80"}));

  absl::StatusOr<Tensor> big =
      ParseNpy(NpyFile(Dict(">U1", "()"), std::string("\0\0\0A", 4)));
  ASSERT_TRUE(big.ok()) << big.status();
  EXPECT_EQ(big->scalar<std::string>(), "A");
}

TEST(NpyReader, RefusesCodePointsWithoutUtf8) {
  EXPECT_THAT(
      ErrorOf(NpyFile(Dict("<U1", "(2,)"), Bytes<uint32_t>({0x41, 0xD800}))),
      HasSubstr("element 1 holds 55296"));
  EXPECT_THAT(ErrorOf(NpyFile(Dict("<U1", "()"), Bytes<uint32_t>({0x110000}))),
              HasSubstr("not a Unicode scalar value"));
}

TEST(NpyReader, AcceptsPythonLiteralVariants) {
  // Double quotes, Python 2's long suffix, keys in any order, no trailing
  // comma.
  absl::StatusOr<Tensor> t = ParseNpy(NpyFile(
      "{\"shape\": (2L,), \"fortran_order\": False, \"descr\": \"<i2\"}",
      Bytes<int16_t>({1, 2})));
  ASSERT_TRUE(t.ok()) << t.status();
  EXPECT_TENSOR_EQ(*t, Tensor::Vector<int16_t>({1, 2}));
}

TEST(NpyReader, RefusesFilesThatAreNotNpy) {
  EXPECT_THAT(ErrorOf(""), HasSubstr("not a .npy file"));
  EXPECT_THAT(ErrorOf("PK\x03\x04 a zip"), HasSubstr("not a .npy file"));
  EXPECT_THAT(ErrorOf("\x93NUMPY\x01"), HasSubstr("not a .npy file"));
  EXPECT_THAT(ErrorOf(std::string("\x93NUMPY\x01\x00\x05", 9)),
              HasSubstr("ends inside its preamble"));
}

TEST(NpyReader, RefusesUnknownVersions) {
  EXPECT_THAT(ErrorOf(NpyFile(Dict("<f4", "()"), "abcd", 4)),
              HasSubstr("version 4.0 is not supported"));
  std::string minor = NpyFile(Dict("<f4", "()"), "abcd");
  minor[7] = 1;
  EXPECT_THAT(ErrorOf(minor), HasSubstr("version 1.1 is not supported"));
}

TEST(NpyReader, BoundsTheHeaderLength) {
  std::string past_end = NpyFile(Dict("<f4", "()"), "");
  past_end[8] = '\xff';
  EXPECT_THAT(ErrorOf(past_end), HasSubstr("runs past the end"));

  std::string huge = NpyFile(Dict("<f4", "()"), "", 2);
  huge[10] = '\x7f';  // length 0x7f0000xx
  huge[11] = '\x7f';
  EXPECT_THAT(ErrorOf(huge), HasSubstr("exceeds the limit of 65536 bytes"));
}

TEST(NpyReader, RefusesMalformedHeaders) {
  const std::string four_bytes(4, '\0');
  EXPECT_THAT(ErrorOf(NpyFile("{'descr': '<f4', 'shape': ()}", four_bytes)),
              HasSubstr("lacks the key 'fortran_order'"));
  EXPECT_THAT(ErrorOf(NpyFile("{'descr': '<f4', 'fortran_order': False, "
                              "'shape': (), 'extra': 1}",
                              four_bytes)),
              HasSubstr("unknown key 'extra'"));
  EXPECT_THAT(ErrorOf(NpyFile("{'descr': '<f4', 'descr': '<f4', "
                              "'fortran_order': False, 'shape': ()}",
                              four_bytes)),
              HasSubstr("repeats the key 'descr'"));
  EXPECT_THAT(ErrorOf(NpyFile("{'descr': [('a', '<f4')], 'fortran_order': "
                              "False, 'shape': ()}",
                              four_bytes)),
              HasSubstr("structured dtype"));
  EXPECT_THAT(ErrorOf(NpyFile(Dict("<f4", "(-1,)"), four_bytes)),
              HasSubstr("not a tuple of non-negative integers"));
  EXPECT_THAT(ErrorOf(NpyFile(Dict("<f4", "(1.5,)"), four_bytes)),
              HasSubstr("malformed"));
  EXPECT_THAT(ErrorOf(NpyFile("{'descr': '<f4', 'fortran_order': 0, "
                              "'shape': ()}",
                              four_bytes)),
              HasSubstr("neither True nor False"));
  EXPECT_THAT(ErrorOf(NpyFile("{'descr': '<f4', 'fortran_order': False, "
                              "'shape': ()",
                              four_bytes)),
              HasSubstr("expected '}'"));
  EXPECT_THAT(
      ErrorOf(NpyFile("{'descr': '<f4, 'fortran_order': False}", four_bytes)),
      HasSubstr("malformed"));
  EXPECT_THAT(ErrorOf(NpyFile(Dict("<f4", "()") + " junk", four_bytes)),
              HasSubstr("text after the closing"));
  EXPECT_THAT(ErrorOf(NpyFile(Dict("<f4", "(99999999999999999999,)"), "")),
              HasSubstr("not a tuple of non-negative integers"));
}

TEST(NpyReader, RefusesDtypesWithoutTensorEquivalent) {
  for (const char* descr :
       {"|O", "<f16", "<M8[ns]", "|V8", "<i3", "f4", "|f4", "<S0", "<f+4"}) {
    EXPECT_THAT(ErrorOf(NpyFile(Dict(descr, "()"), std::string(16, '\0'))),
                HasSubstr(absl::StrCat(".npy dtype '", descr, "'")))
        << descr;
  }
}

TEST(NpyReader, ChecksDataSizeAgainstShape) {
  EXPECT_THAT(ErrorOf(NpyFile(Dict("<f4", "(3,)"), std::string(8, '\0'))),
              HasSubstr("too short for shape [3]"));
  EXPECT_THAT(ErrorOf(NpyFile(Dict("<f4", "(1,)"), std::string(8, '\0'))),
              HasSubstr("8 bytes, but shape [1] of '<f4' needs 4"));
  // A shape of 2^60 elements in a tiny file fails before any allocation.
  EXPECT_THAT(ErrorOf(NpyFile(Dict("|u1", "(1073741824, 1073741824)"), "x")),
              HasSubstr("too short"));
  // A product that overflows int64.
  absl::StatusOr<Tensor> overflow = ParseNpy(
      NpyFile(Dict("|u1", "(4294967296, 4294967296, 4294967296)"), "x"));
  EXPECT_FALSE(overflow.ok());
}

TEST(NpyReader, ReadNpyFileNamesTheMissingPath) {
  absl::StatusOr<Tensor> t = ReadNpyFile("/nonexistent/x.npy");
  EXPECT_EQ(t.status().code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(t.status().message(), HasSubstr("/nonexistent/x.npy"));

  absl::StatusOr<Tensor> directory = ReadNpyFile(::testing::TempDir());
  EXPECT_FALSE(directory.ok());
  EXPECT_THAT(directory.status().message(), HasSubstr("is a directory"));
}

}  // namespace
}  // namespace model_server
