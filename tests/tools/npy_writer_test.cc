// Writing .npy files, and reading back what was written.
#include <complex>
#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/testing/kernel_harness.h"
#include "tests/testing/scoped_temp_dir.h"
#include "tools/npy/npy.h"

namespace model_server {
namespace {

using ::testing::HasSubstr;

Tensor RoundTrip(const Tensor& tensor) {
  absl::StatusOr<std::string> bytes = SerializeNpy(tensor);
  EXPECT_TRUE(bytes.ok()) << bytes.status();
  if (!bytes.ok()) return Tensor();
  absl::StatusOr<Tensor> back = ParseNpy(*bytes);
  EXPECT_TRUE(back.ok()) << back.status();
  return back.ok() ? *back : Tensor();
}

TEST(NpyWriter, WritesWhatNumpySaveWrites) {
  absl::StatusOr<std::string> bytes =
      SerializeNpy(Tensor::FromVector<int32_t>({0, 1, 2, 3, 4, 5}, {2, 3}));
  ASSERT_TRUE(bytes.ok()) << bytes.status();
  // np.save's header: version 1.0, length 118, padded to 128 bytes.
  std::string header =
      "{'descr': '<i4', 'fortran_order': False, 'shape': (2, 3), }";
  header.append(117 - header.size(), ' ');
  EXPECT_EQ(bytes->substr(0, 128),
            std::string("\x93NUMPY\x01\x00\x76\x00", 10) + header + "\n");
  EXPECT_EQ(bytes->size(), 128u + 6 * 4);
}

TEST(NpyWriter, WritesOneDimensionalShapesAsOneTuples) {
  absl::StatusOr<std::string> bytes =
      SerializeNpy(Tensor::Vector<bool>({true}));
  ASSERT_TRUE(bytes.ok()) << bytes.status();
  EXPECT_THAT(*bytes, HasSubstr("'descr': '|b1', 'fortran_order': False, "
                                "'shape': (1,), }"));
  EXPECT_EQ(bytes->size() % 64, 1u);  // data aligned to 64 bytes
}

TEST(NpyWriter, RoundTripsEveryNumericDtype) {
  std::vector<Tensor> tensors = {
      Tensor::Vector<bool>({true, false, true}),
      Tensor::Vector<int8_t>({-128, 0, 127}),
      Tensor::Vector<int16_t>({-32768, 1, 32767}),
      Tensor::Vector<int32_t>({INT32_MIN, 2, INT32_MAX}),
      Tensor::Vector<int64_t>({INT64_MIN, 3, INT64_MAX}),
      Tensor::Vector<uint8_t>({0, 1, 255}),
      Tensor::Vector<uint16_t>({0, 1, 65535}),
      Tensor::Vector<uint32_t>({0, 1, UINT32_MAX}),
      Tensor::Vector<uint64_t>({0, 1, UINT64_MAX}),
      Tensor::Vector<Eigen::half>(
          {Eigen::half(-1.5f), Eigen::half(0.0f), Eigen::half(65504.0f)}),
      Tensor::Vector<float>({-1e-30f, 0.0f, 3.4e38f}),
      Tensor::Vector<double>({-1e-300, 0.0, 1.7e308}),
      Tensor::Vector<std::complex<float>>({{1, -2}, {0, 0}, {-3.5f, 4}}),
      Tensor::Vector<std::complex<double>>({{1, -2}, {0, 0}, {-3.5, 4}}),
  };
  for (const Tensor& t : tensors) {
    EXPECT_TENSOR_EQ(RoundTrip(t), t) << DataTypeName(t.dtype());
  }
}

TEST(NpyWriter, RoundTripsShapes) {
  for (const TensorShape& shape :
       {TensorShape(), TensorShape({0}), TensorShape({2, 0, 3}),
        TensorShape({1, 1, 1, 1, 1}), TensorShape({2, 3, 4})}) {
    std::vector<float> values(shape.num_elements());
    for (size_t i = 0; i < values.size(); ++i) values[i] = 0.25f * i;
    Tensor t = Tensor::FromVector(values, shape);
    EXPECT_TENSOR_EQ(RoundTrip(t), t) << shape.DebugString();
  }
}

TEST(NpyWriter, RoundTripsStrings) {
  Tensor t = Tensor::FromVector<std::string>(
      {"", "a", std::string("x\0y", 3), "\xff\xfe binary", "longest element"},
      {5});
  EXPECT_TENSOR_EQ(RoundTrip(t), t);
  absl::StatusOr<std::string> bytes = SerializeNpy(t);
  ASSERT_TRUE(bytes.ok());
  EXPECT_THAT(*bytes, HasSubstr("'descr': '|S15'"));

  Tensor empty_strings = Tensor::Vector<std::string>({"", ""});
  EXPECT_TENSOR_EQ(RoundTrip(empty_strings), empty_strings);
}

TEST(NpyWriter, WritesBfloat16AsExactFloat32) {
  Tensor t = Tensor::Vector<Eigen::bfloat16>(
      {Eigen::bfloat16(1.0f), Eigen::bfloat16(-3.140625f)});
  EXPECT_TENSOR_EQ(RoundTrip(t), Tensor::Vector<float>({1.0f, -3.140625f}));
}

TEST(NpyWriter, RefusesWhatNumpyCannotHold) {
  absl::StatusOr<std::string> nul =
      SerializeNpy(Tensor::Vector<std::string>({"ok", std::string("a\0", 2)}));
  EXPECT_EQ(nul.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(nul.status().message(),
              HasSubstr("string element 1 ends in a NUL byte"));

  absl::StatusOr<Tensor> resource = Tensor::Create(DT_RESOURCE, TensorShape());
  ASSERT_TRUE(resource.ok());
  absl::StatusOr<std::string> refused = SerializeNpy(*resource);
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(refused.status().message(), HasSubstr("resource"));
}

TEST(NpyWriter, WritesAndReadsFiles) {
  ScopedTempDir dir;
  Tensor t = Tensor::FromVector<double>({1, 2, 3, 4}, {2, 2});
  ASSERT_TRUE(WriteNpyFile(t, dir.Child("t.npy")).ok());
  absl::StatusOr<Tensor> back = ReadNpyFile(dir.Child("t.npy"));
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_TENSOR_EQ(*back, t);

  EXPECT_FALSE(WriteNpyFile(t, dir.Child("no/such/dir/t.npy")).ok());
}

}  // namespace
}  // namespace model_server
