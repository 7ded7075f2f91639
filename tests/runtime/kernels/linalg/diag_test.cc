// Diag and DiagPart against hand-computed values.
#include <complex>
#include <cstdint>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/testing/kernel_harness.h"

namespace model_server {
namespace {

using ::testing::HasSubstr;

TEST(Diag, BuildsDiagonalTensorOfDoubleRank) {
  KernelHarness h("Diag");
  h.Attr("T", DT_INT32);
  auto out =
      h.Run({Tensor::FromVector<int32_t>({1, 2, 3, 4}, TensorShape{2, 2})});
  ASSERT_TRUE(out.ok()) << out.status();
  std::vector<int32_t> expected(16, 0);
  expected[0] = 1;   // [0,0,0,0]
  expected[5] = 2;   // [0,1,0,1]
  expected[10] = 3;  // [1,0,1,0]
  expected[15] = 4;  // [1,1,1,1]
  EXPECT_TENSOR_EQ(out->at(0),
                   Tensor::FromVector(expected, TensorShape{2, 2, 2, 2}));
}

template <typename T>
void ExpectDiagPartInvertsDiag() {
  const DataType dtype = DataTypeOf<T>::value;
  Tensor d = Tensor::FromVector<T>({T(1), T(2), T(3), T(4), T(5), T(6)},
                                   TensorShape{3, 2});
  KernelHarness diag("Diag");
  diag.Attr("T", dtype);
  auto m = diag.Run({d});
  ASSERT_TRUE(m.ok()) << m.status();
  EXPECT_EQ(m->at(0).shape(), (TensorShape{3, 2, 3, 2}));
  KernelHarness part("DiagPart");
  part.Attr("T", dtype);
  auto back = part.Run({m->at(0)});
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_TENSOR_EQ(back->at(0), d);
}

TEST(DiagPart, InvertsDiag) {
  ExpectDiagPartInvertsDiag<float>();
  ExpectDiagPartInvertsDiag<double>();
  ExpectDiagPartInvertsDiag<int64_t>();
  ExpectDiagPartInvertsDiag<Eigen::half>();
  ExpectDiagPartInvertsDiag<std::complex<float>>();
  ExpectDiagPartInvertsDiag<std::complex<double>>();
}

TEST(Diag, HandlesEmptyInput) {
  KernelHarness h("Diag");
  h.Attr("T", DT_FLOAT);
  auto out = h.Run({Tensor::FromVector<float>({}, TensorShape{0, 2})});
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_EQ(out->at(0).shape(), (TensorShape{0, 2, 0, 2}));
}

TEST(Diag, RejectsScalarsBoolsAndHugeOutputs) {
  KernelHarness h("Diag");
  h.Attr("T", DT_FLOAT);
  auto out = h.Run({Tensor::Scalar(1.f)});
  ASSERT_FALSE(out.ok());
  EXPECT_THAT(out.status().message(), HasSubstr("Input must be >= 1-dim"));
  KernelHarness b("Diag");
  b.Attr("T", DT_BOOL);
  out = b.Run({Tensor::Vector<bool>({true})});
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.status().code(), absl::StatusCode::kUnimplemented);
  out = h.Run({Tensor::FromVector<float>(std::vector<float>(1 << 20),
                                         TensorShape{1 << 20})});
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.status().code(), absl::StatusCode::kResourceExhausted);
}

TEST(DiagPart, RejectsOddRanksAndMismatchedHalves) {
  KernelHarness h("DiagPart");
  h.Attr("T", DT_FLOAT);
  auto out = h.Run({Tensor::Vector<float>({1, 2})});
  ASSERT_FALSE(out.ok());
  EXPECT_THAT(out.status().message(), HasSubstr("should be even and positive"));
  out = h.Run(
      {Tensor::FromVector<float>(std::vector<float>(6), TensorShape{2, 3})});
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(out.status().message(), HasSubstr("do not match"));
}

}  // namespace
}  // namespace model_server
