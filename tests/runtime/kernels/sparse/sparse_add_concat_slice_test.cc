// SparseAdd, SparseConcat and SparseSlice against hand-computed
// SparseTensors (the examples of TensorFlow's documentation among them).
#include <complex>
#include <cstdint>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/testing/kernel_harness.h"

namespace model_server {
namespace {

using ::testing::HasSubstr;

Tensor Ix(std::vector<int64_t> v, int64_t rank) {
  const int64_t rows = static_cast<int64_t>(v.size()) / rank;
  return Tensor::FromVector(std::move(v), TensorShape{rows, rank});
}

TEST(SparseAdd, MergesAndThresholdsOnlySummedEntries) {
  KernelHarness h("SparseAdd");
  h.Attr("T", DT_FLOAT).Attr("Treal", DT_FLOAT);
  // a: (0,0)=1, (1,1)=2; b: (0,1)=5, (1,1)=-1.5, (2,0)=0.1.
  auto out =
      h.Run({Ix({0, 0, 1, 1}, 2), Tensor::Vector<float>({1, 2}),
             Tensor::Vector<int64_t>({3, 2}), Ix({0, 1, 1, 1, 2, 0}, 2),
             Tensor::Vector<float>({5, -1.5f, 0.1f}),
             Tensor::Vector<int64_t>({3, 2}), Tensor::Scalar<float>(0.6f)});
  ASSERT_TRUE(out.ok()) << out.status();
  // (1,1) sums to 0.5 < 0.6 and is dropped; 0.1 comes from b alone and stays.
  EXPECT_TENSOR_EQ(out->at(0), Ix({0, 0, 0, 1, 2, 0}, 2));
  EXPECT_TENSOR_EQ(out->at(1), Tensor::Vector<float>({1, 5, 0.1f}));
  EXPECT_TENSOR_EQ(out->at(2), Tensor::Vector<int64_t>({3, 2}));
}

TEST(SparseAdd, IntegersComplexAndErrors) {
  KernelHarness h("SparseAdd");
  h.Attr("T", DT_INT64).Attr("Treal", DT_INT64);
  auto ints = h.Run({Ix({0, 2}, 1), Tensor::Vector<int64_t>({1, 2}),
                     Tensor::Vector<int64_t>({4}), Ix({2, 3}, 1),
                     Tensor::Vector<int64_t>({3, 4}),
                     Tensor::Vector<int64_t>({4}), Tensor::Scalar<int64_t>(0)});
  ASSERT_TRUE(ints.ok()) << ints.status();
  EXPECT_TENSOR_EQ(ints->at(0), Ix({0, 2, 3}, 1));
  EXPECT_TENSOR_EQ(ints->at(1), Tensor::Vector<int64_t>({1, 5, 4}));
  using C = std::complex<double>;
  KernelHarness hc("SparseAdd");
  hc.Attr("T", DT_COMPLEX128).Attr("Treal", DT_DOUBLE);
  auto complex = hc.Run(
      {Ix({0}, 1), Tensor::Vector<C>({C(0, 1)}), Tensor::Vector<int64_t>({1}),
       Ix({0}, 1), Tensor::Vector<C>({C(0, -1)}), Tensor::Vector<int64_t>({1}),
       Tensor::Scalar<double>(0.5)});
  ASSERT_TRUE(complex.ok()) << complex.status();
  EXPECT_EQ(complex->at(1).shape(), TensorShape{0});
  KernelHarness hf("SparseAdd");
  hf.Attr("T", DT_FLOAT).Attr("Treal", DT_FLOAT);
  auto mismatch = hf.Run(
      {Ix({0}, 1), Tensor::Vector<float>({1}), Tensor::Vector<int64_t>({2}),
       Ix({0}, 1), Tensor::Vector<float>({1}), Tensor::Vector<int64_t>({3}),
       Tensor::Scalar<float>(0)});
  ASSERT_FALSE(mismatch.ok());
  EXPECT_THAT(mismatch.status().message(),
              HasSubstr("Operands' shapes do not match: got 2 and 3 for "
                        "dimension 0"));
  auto thresh = hf.Run(
      {Ix({0}, 1), Tensor::Vector<float>({1}), Tensor::Vector<int64_t>({2}),
       Ix({0}, 1), Tensor::Vector<float>({1}), Tensor::Vector<int64_t>({2}),
       Tensor::Vector<float>({0})});
  ASSERT_FALSE(thresh.ok());
  EXPECT_EQ(thresh.status().code(), absl::StatusCode::kInvalidArgument);
}

absl::StatusOr<std::vector<Tensor>> Concat(int64_t dim,
                                           const std::vector<Tensor>& inputs) {
  KernelHarness h("SparseConcat");
  h.Attr("T", inputs[inputs.size() / 3].dtype())
      .Attr("N", static_cast<int64_t>(inputs.size() / 3))
      .Attr("concat_dim", dim);
  return h.Run(inputs);
}

TEST(SparseConcat, DocumentationExampleAlongColumns) {
  auto out = Concat(
      1, {Ix({0, 2, 1, 0, 1, 1}, 2), Ix({0, 1, 0, 2}, 2),
          Tensor::Vector<std::string>({"a", "b", "c"}),
          Tensor::Vector<std::string>({"d", "e"}),
          Tensor::Vector<int64_t>({2, 3}), Tensor::Vector<int64_t>({2, 4})});
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_EQ(out->at(0), Ix({0, 2, 0, 4, 0, 5, 1, 0, 1, 1}, 2));
  EXPECT_TENSOR_EQ(out->at(1),
                   Tensor::Vector<std::string>({"a", "d", "e", "b", "c"}));
  EXPECT_TENSOR_EQ(out->at(2), Tensor::Vector<int64_t>({2, 7}));
}

TEST(SparseConcat, NegativeDimensionEmptyInputAndErrors) {
  auto rows = Concat(
      -2, {Ix({1, 0}, 2), Ix({}, 2), Ix({0, 1}, 2), Tensor::Vector<float>({1}),
           Tensor::Vector<float>({}), Tensor::Vector<float>({3}),
           Tensor::Vector<int64_t>({2, 2}), Tensor::Vector<int64_t>({1, 2}),
           Tensor::Vector<int64_t>({1, 2})});
  ASSERT_TRUE(rows.ok()) << rows.status();
  EXPECT_TENSOR_EQ(rows->at(0), Ix({1, 0, 3, 1}, 2));
  EXPECT_TENSOR_EQ(rows->at(1), Tensor::Vector<float>({1, 3}));
  EXPECT_TENSOR_EQ(rows->at(2), Tensor::Vector<int64_t>({4, 2}));
  auto mismatch =
      Concat(0, {Ix({}, 2), Ix({}, 2), Tensor::Vector<float>({}),
                 Tensor::Vector<float>({}), Tensor::Vector<int64_t>({2, 2}),
                 Tensor::Vector<int64_t>({2, 3})});
  ASSERT_FALSE(mismatch.ok());
  EXPECT_THAT(mismatch.status().message(),
              HasSubstr("Input shapes must match: expected 2 for dimension 1 "
                        "but got 3 at position 1"));
  auto dim =
      Concat(2, {Ix({}, 2), Ix({}, 2), Tensor::Vector<float>({}),
                 Tensor::Vector<float>({}), Tensor::Vector<int64_t>({2, 2}),
                 Tensor::Vector<int64_t>({2, 2})});
  ASSERT_FALSE(dim.ok());
  EXPECT_THAT(dim.status().message(),
              HasSubstr("Concat dimension must be in range [-2, 2), got 2"));
}

absl::StatusOr<std::vector<Tensor>> Slice(const Tensor& values,
                                          std::vector<int64_t> start,
                                          std::vector<int64_t> size) {
  KernelHarness h("SparseSlice");
  h.Attr("T", values.dtype());
  // The documentation's 2x7 example.
  return h.Run({Ix({0, 0, 0, 1, 0, 6, 1, 2, 1, 4, 1, 5}, 2), values,
                Tensor::Vector<int64_t>({2, 7}), Tensor::Vector(start),
                Tensor::Vector(size)});
}

TEST(SparseSlice, DocumentationExample) {
  const Tensor v = Tensor::Vector<int32_t>({1, 2, 3, 4, 5, 6});
  auto first = Slice(v, {0, 0}, {2, 4});
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_TENSOR_EQ(first->at(0), Ix({0, 0, 0, 1, 1, 2}, 2));
  EXPECT_TENSOR_EQ(first->at(1), Tensor::Vector<int32_t>({1, 2, 4}));
  EXPECT_TENSOR_EQ(first->at(2), Tensor::Vector<int64_t>({2, 4}));
  auto second = Slice(v, {0, 4}, {2, 3});
  ASSERT_TRUE(second.ok()) << second.status();
  EXPECT_TENSOR_EQ(second->at(0), Ix({0, 2, 1, 0, 1, 1}, 2));
  EXPECT_TENSOR_EQ(second->at(1), Tensor::Vector<int32_t>({3, 5, 6}));
  EXPECT_TENSOR_EQ(second->at(2), Tensor::Vector<int64_t>({2, 3}));
}

TEST(SparseSlice, ClipsToTheShapeAndRejectsBadInput) {
  const Tensor v = Tensor::Vector<float>({1, 2, 3, 4, 5, 6});
  auto clipped = Slice(v, {1, 5}, {10, 10});
  ASSERT_TRUE(clipped.ok()) << clipped.status();
  EXPECT_TENSOR_EQ(clipped->at(0), Ix({0, 0}, 2));
  EXPECT_TENSOR_EQ(clipped->at(2), Tensor::Vector<int64_t>({1, 2}));
  auto past = Slice(v, {3, 0}, {1, 1});
  ASSERT_TRUE(past.ok()) << past.status();
  EXPECT_EQ(past->at(1).shape(), TensorShape{0});
  EXPECT_TENSOR_EQ(past->at(2), Tensor::Vector<int64_t>({0, 1}));
  auto negative = Slice(v, {0, -1}, {1, 1});
  ASSERT_FALSE(negative.ok());
  EXPECT_EQ(negative.status().code(), absl::StatusCode::kInvalidArgument);
  auto length = Slice(v, {0}, {1});
  ASSERT_FALSE(length.ok());
  EXPECT_EQ(length.status().code(), absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace model_server
