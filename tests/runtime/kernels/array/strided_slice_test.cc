#include <algorithm>
#include <complex>
#include <numeric>
#include <random>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/runtime/kernels/array/array_test_tensors.h"
#include "tests/testing/kernel_harness.h"

namespace model_server {
namespace {

using ::testing::HasSubstr;
using testing_tensors::Iota;

struct Masks {
  int begin = 0, end = 0, ellipsis = 0, new_axis = 0, shrink = 0;
};

absl::StatusOr<Tensor> StridedSlice(const Tensor& in,
                                    std::vector<int32_t> begin,
                                    std::vector<int32_t> end,
                                    std::vector<int32_t> strides,
                                    Masks m = {}) {
  KernelHarness k("StridedSlice");
  k.Attr("T", in.dtype())
      .Attr("Index", DT_INT32)
      .Attr("begin_mask", m.begin)
      .Attr("end_mask", m.end)
      .Attr("ellipsis_mask", m.ellipsis)
      .Attr("new_axis_mask", m.new_axis)
      .Attr("shrink_axis_mask", m.shrink);
  auto out = k.Run({in, Tensor::Vector<int32_t>(std::move(begin)),
                    Tensor::Vector<int32_t>(std::move(end)),
                    Tensor::Vector<int32_t>(std::move(strides))});
  if (!out.ok()) return out.status();
  return out->at(0);
}

// Python's x[b:e:s] on one axis: the indices taken.
std::vector<int64_t> PySlice(int64_t n, int64_t b, int64_t e, int64_t s) {
  auto clamp = [&](int64_t x) {
    if (x < 0) x += n;
    return s > 0 ? std::clamp<int64_t>(x, 0, n)
                 : std::clamp<int64_t>(x, -1, n - 1);
  };
  std::vector<int64_t> taken;
  for (int64_t i = clamp(b); s > 0 ? i < clamp(e) : i > clamp(e); i += s) {
    taken.push_back(i);
  }
  return taken;
}

TEST(StridedSlice, MatchesPythonSlicingOnRandom2dSlices) {
  Tensor in = Iota(TensorShape{5, 7});
  std::mt19937 rng(42);
  std::uniform_int_distribution<int> pos(-9, 9), step(-3, 3);
  for (int trial = 0; trial < 300; ++trial) {
    std::vector<int32_t> b = {pos(rng), pos(rng)}, e = {pos(rng), pos(rng)};
    std::vector<int32_t> s = {step(rng), step(rng)};
    if (s[0] == 0) s[0] = 1;
    if (s[1] == 0) s[1] = -1;
    auto rows = PySlice(5, b[0], e[0], s[0]);
    auto cols = PySlice(7, b[1], e[1], s[1]);
    std::vector<float> expected;
    for (int64_t r : rows) {
      for (int64_t c : cols) expected.push_back(static_cast<float>(r * 7 + c));
    }
    auto out = StridedSlice(in, b, e, s);
    ASSERT_TRUE(out.ok()) << out.status();
    EXPECT_TENSOR_EQ(
        *out, Tensor::FromVector(
                  expected, TensorShape{static_cast<int64_t>(rows.size()),
                                        static_cast<int64_t>(cols.size())}))
        << "begin " << b[0] << "," << b[1] << " end " << e[0] << "," << e[1]
        << " strides " << s[0] << "," << s[1];
  }
}

TEST(StridedSlice, BeginAndEndMasksTakeWholeRange) {
  // x[::-1] with both masks set on a negative stride.
  auto out = StridedSlice(Iota(TensorShape{4}), {0}, {0}, {-1},
                          Masks{.begin = 1, .end = 1});
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_EQ(*out, Tensor::Vector<float>({3, 2, 1, 0}));
  // x[1:] via end_mask.
  out = StridedSlice(Iota(TensorShape{4}), {1}, {0}, {1}, Masks{.end = 1});
  ASSERT_TRUE(out.ok());
  EXPECT_TENSOR_EQ(*out, Tensor::Vector<float>({1, 2, 3}));
}

TEST(StridedSlice, ShrinkAxisMaskDropsDimension) {
  // x[1] on a [3, 2] tensor, and x[-1].
  Tensor in = Iota(TensorShape{3, 2});
  auto out = StridedSlice(in, {1}, {2}, {1}, Masks{.shrink = 1});
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_EQ(*out, Tensor::Vector<float>({2, 3}));
  out = StridedSlice(in, {-1}, {0}, {1}, Masks{.shrink = 1});
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_EQ(*out, Tensor::Vector<float>({4, 5}));
  // x[:, 1] -> [3]; x[2, 1] -> scalar.
  out = StridedSlice(in, {0, 1}, {0, 2}, {1, 1},
                     Masks{.begin = 1, .end = 1, .shrink = 2});
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_EQ(*out, Tensor::Vector<float>({1, 3, 5}));
  out = StridedSlice(in, {2, 1}, {3, 2}, {1, 1}, Masks{.shrink = 3});
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_EQ(*out, Tensor::Scalar(5.f));
}

TEST(StridedSlice, NewAxisMaskInsertsDimension) {
  // x[tf.newaxis, :] on [3] -> [1, 3]; x[:, tf.newaxis] -> [3, 1].
  Tensor in = Iota(TensorShape{3});
  auto out = StridedSlice(in, {0, 0}, {0, 0}, {1, 1},
                          Masks{.begin = 2, .end = 2, .new_axis = 1});
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_EQ(*out, Iota(TensorShape{1, 3}));
  out = StridedSlice(in, {0, 0}, {0, 0}, {1, 1},
                     Masks{.begin = 1, .end = 1, .new_axis = 2});
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_EQ(*out, Iota(TensorShape{3, 1}));
}

TEST(StridedSlice, EllipsisExpandsToMissingDimensions) {
  // x[..., 1] on [2, 3, 4] -> [2, 3]; x[1, ..., ::2] -> [3, 2].
  Tensor in = Iota(TensorShape{2, 3, 4});
  auto out = StridedSlice(in, {0, 1}, {0, 2}, {1, 1},
                          Masks{.ellipsis = 1, .shrink = 2});
  ASSERT_TRUE(out.ok()) << out.status();
  std::vector<float> expected;
  for (int i = 0; i < 6; ++i) expected.push_back(static_cast<float>(i * 4 + 1));
  EXPECT_TENSOR_EQ(*out, Tensor::FromVector(expected, TensorShape{2, 3}));
  out = StridedSlice(in, {1, 0, 0}, {2, 0, 0}, {1, 1, 2},
                     Masks{.begin = 4, .end = 4, .ellipsis = 2, .shrink = 1});
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_EQ(*out, Tensor::FromVector<float>({12, 14, 16, 18, 20, 22},
                                                   TensorShape{3, 2}));
  // x[..., tf.newaxis] on [2, 3, 4] -> [2, 3, 4, 1].
  out = StridedSlice(in, {0, 0}, {0, 0}, {1, 1},
                     Masks{.ellipsis = 1, .new_axis = 2});
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_EQ(out->shape(), (TensorShape{2, 3, 4, 1}));
}

TEST(StridedSlice, FullSliceSharesTheInputBuffer) {
  Tensor in = Iota(TensorShape{2, 3});
  auto out = StridedSlice(in, {0}, {2}, {1});
  ASSERT_TRUE(out.ok());
  EXPECT_TRUE(out->SharesBufferWith(in));
  EXPECT_TENSOR_EQ(*out, in);
}

TEST(StridedSlice, WorksOnStringsAndInt64Indices) {
  KernelHarness k("StridedSlice");
  k.Attr("T", DT_STRING).Attr("Index", DT_INT64);
  auto out = k.Run({Tensor::Vector<std::string>({"a", "b", "c", "d"}),
                    Tensor::Vector<int64_t>({3}), Tensor::Vector<int64_t>({0}),
                    Tensor::Vector<int64_t>({-2})});
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_EQ(out->at(0), Tensor::Vector<std::string>({"d", "b"}));
}

TEST(StridedSlice, LargeSliceMatchesPython) {
  Tensor in = Iota(TensorShape{300, 400});
  auto out = StridedSlice(in, {10, 399}, {290, 0}, {3, -2});
  ASSERT_TRUE(out.ok()) << out.status();
  auto rows = PySlice(300, 10, 290, 3);
  auto cols = PySlice(400, 399, 0, -2);
  std::vector<float> expected;
  for (int64_t r : rows) {
    for (int64_t c : cols) expected.push_back(static_cast<float>(r * 400 + c));
  }
  EXPECT_TENSOR_EQ(
      *out, Tensor::FromVector(expected,
                               TensorShape{static_cast<int64_t>(rows.size()),
                                           static_cast<int64_t>(cols.size())}));
}

TEST(StridedSlice, RandomSpecsEitherSucceedOrFailCleanly) {
  std::mt19937 rng(123);
  std::uniform_int_distribution<int> small(-6, 6), rank_dist(0, 4),
      len_dist(0, 5), mask_dist(0, 63);
  for (int trial = 0; trial < 1500; ++trial) {
    std::vector<int64_t> dims(rank_dist(rng));
    for (int64_t& d : dims) d = len_dist(rng) % 4;
    Tensor in = Iota(*TensorShape::FromDims(dims));
    const int n = len_dist(rng);
    std::vector<int32_t> b(n), e(n), s(n);
    for (int i = 0; i < n; ++i) {
      b[i] = small(rng);
      e[i] = small(rng);
      s[i] = small(rng);
    }
    Masks m{mask_dist(rng), mask_dist(rng), mask_dist(rng) & 0x12,
            mask_dist(rng) & mask_dist(rng), mask_dist(rng)};
    auto out = StridedSlice(in, b, e, s, m);
    if (!out.ok()) {
      EXPECT_EQ(out.status().code(), absl::StatusCode::kInvalidArgument)
          << out.status();
    }
  }
}

TEST(StridedSlice, RejectsOutOfBoundsShrinkIndex) {
  auto out =
      StridedSlice(Iota(TensorShape{3}), {5}, {6}, {1}, Masks{.shrink = 1});
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(out.status().message(),
              HasSubstr("slice index 5 of dimension 0 out of bounds."));
}

TEST(StridedSlice, RejectsZeroStrideAndBadSpecs) {
  auto out = StridedSlice(Iota(TensorShape{3}), {0}, {3}, {0});
  ASSERT_FALSE(out.ok());
  EXPECT_THAT(out.status().message(), HasSubstr("strides[0] must be non-zero"));
  out = StridedSlice(Iota(TensorShape{3}), {0, 0}, {1}, {1});
  ASSERT_FALSE(out.ok());
  EXPECT_THAT(out.status().message(),
              HasSubstr("Expected begin, end, and strides to be 1D equal size "
                        "tensors"));
  out = StridedSlice(Iota(TensorShape{3}), {0, 0}, {1, 1}, {1, 1},
                     Masks{.ellipsis = 3});
  ASSERT_FALSE(out.ok());
  EXPECT_THAT(out.status().message(),
              HasSubstr("Multiple ellipses in slice spec not allowed"));
  out = StridedSlice(Iota(TensorShape{3}), {0, 0}, {1, 1}, {1, 1});
  ASSERT_FALSE(out.ok());
  EXPECT_THAT(out.status().message(),
              HasSubstr("Index out of range using input dim 1"));
  out = StridedSlice(Iota(TensorShape{3}), {1}, {2}, {-1}, Masks{.shrink = 1});
  ASSERT_FALSE(out.ok());
  EXPECT_THAT(out.status().message(),
              HasSubstr("only stride 1 allowed on non-range indexing."));
}

}  // namespace
}  // namespace model_server
