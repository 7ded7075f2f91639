#include <algorithm>
#include <complex>
#include <numeric>
#include <random>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/testing/kernel_harness.h"

namespace model_server {
namespace {

using ::testing::HasSubstr;

Tensor Iota(const TensorShape& shape, float start = 0) {
  std::vector<float> v(shape.num_elements());
  for (size_t i = 0; i < v.size(); ++i) v[i] = start + static_cast<float>(i);
  return Tensor::FromVector(v, shape);
}

std::vector<int64_t> Unflatten(int64_t flat, const TensorShape& shape) {
  std::vector<int64_t> idx(shape.rank());
  for (int d = shape.rank() - 1; d >= 0; --d) {
    idx[d] = flat % shape.dim(d);
    flat /= shape.dim(d);
  }
  return idx;
}

int64_t Flatten(const std::vector<int64_t>& idx, const TensorShape& shape) {
  int64_t flat = 0;
  for (int d = 0; d < shape.rank(); ++d) flat = flat * shape.dim(d) + idx[d];
  return flat;
}

// ---------------------------------------------------------------------------
// StridedSlice

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

// ---------------------------------------------------------------------------
// Slice

absl::StatusOr<Tensor> Slice(const Tensor& in, std::vector<int64_t> begin,
                             std::vector<int64_t> size) {
  KernelHarness k("Slice");
  k.Attr("T", in.dtype()).Attr("Index", DT_INT64);
  auto out = k.Run({in, Tensor::Vector<int64_t>(std::move(begin)),
                    Tensor::Vector<int64_t>(std::move(size))});
  if (!out.ok()) return out.status();
  return out->at(0);
}

TEST(Slice, TakesABlockWithMinusOneMeaningToTheEnd) {
  auto out = Slice(Iota(TensorShape{3, 4}), {1, 1}, {2, -1});
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_EQ(
      *out, Tensor::FromVector<float>({5, 6, 7, 9, 10, 11}, TensorShape{2, 3}));
}

TEST(Slice, EmptySizeGivesEmptyOutput) {
  auto out = Slice(Iota(TensorShape{3, 4}), {3, 0}, {0, 4});
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_EQ(out->shape(), (TensorShape{0, 4}));
}

TEST(Slice, RejectsOutOfRange) {
  auto out = Slice(Iota(TensorShape{3}), {2}, {2});
  ASSERT_FALSE(out.ok());
  EXPECT_THAT(out.status().message(),
              HasSubstr("Expected size[0] in [0, 1], but got 2"));
  out = Slice(Iota(TensorShape{3}), {-1}, {1});
  ASSERT_FALSE(out.ok());
  EXPECT_THAT(out.status().message(),
              HasSubstr("Expected begin[0] in [0, 3], but got -1"));
  out = Slice(Iota(TensorShape{3}), {0, 0}, {1, 1});
  ASSERT_FALSE(out.ok());
  EXPECT_THAT(out.status().message(),
              HasSubstr("Expected begin and size arguments to be 1-D tensors "
                        "of size 1"));
}

// ---------------------------------------------------------------------------
// Tile

TEST(Tile, MatchesNaiveReference) {
  Tensor in = Iota(TensorShape{2, 3, 2});
  const std::vector<int64_t> multiples = {2, 1, 3};
  KernelHarness k("Tile");
  k.Attr("T", DT_FLOAT).Attr("Tmultiples", DT_INT64);
  auto out = k.Run({in, Tensor::Vector<int64_t>(multiples)});
  ASSERT_TRUE(out.ok()) << out.status();
  TensorShape shape{4, 3, 6};
  std::vector<float> expected(shape.num_elements());
  for (int64_t i = 0; i < shape.num_elements(); ++i) {
    auto idx = Unflatten(i, shape);
    for (int d = 0; d < 3; ++d) idx[d] %= in.dim(d);
    expected[i] = in.data<float>()[Flatten(idx, in.shape())];
  }
  EXPECT_TENSOR_EQ(out->at(0), Tensor::FromVector(expected, shape));
}

TEST(Tile, TilesStringsAndZeroMultiples) {
  KernelHarness k("Tile");
  k.Attr("T", DT_STRING);
  auto out = k.Run(
      {Tensor::Vector<std::string>({"a", "b"}), Tensor::Vector<int32_t>({2})});
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_EQ(out->at(0),
                   Tensor::Vector<std::string>({"a", "b", "a", "b"}));
  out = k.Run(
      {Tensor::Vector<std::string>({"a", "b"}), Tensor::Vector<int32_t>({0})});
  ASSERT_TRUE(out.ok());
  EXPECT_EQ(out->at(0).NumElements(), 0);
}

TEST(Tile, RejectsBadMultiples) {
  KernelHarness k("Tile");
  k.Attr("T", DT_FLOAT);
  auto out = k.Run({Iota(TensorShape{2}), Tensor::Vector<int32_t>({1, 2})});
  ASSERT_FALSE(out.ok());
  EXPECT_THAT(out.status().message(),
              HasSubstr("Expected multiples argument to be a vector of length "
                        "1 but got length 2"));
  out = k.Run({Iota(TensorShape{2}), Tensor::Vector<int32_t>({-1})});
  ASSERT_FALSE(out.ok());
  EXPECT_THAT(out.status().message(),
              HasSubstr("Expected multiples[0] >= 0, but got -1"));
}

// ---------------------------------------------------------------------------
// Transpose and ReverseV2

template <typename T>
Tensor NaiveTranspose(const Tensor& in, const std::vector<int64_t>& perm) {
  std::vector<int64_t> dims;
  for (int64_t p : perm) dims.push_back(in.dim(p));
  auto shape = *TensorShape::FromDims(dims);
  std::vector<T> out(shape.num_elements());
  for (int64_t i = 0; i < shape.num_elements(); ++i) {
    auto idx = Unflatten(i, shape);
    std::vector<int64_t> in_idx(perm.size());
    for (size_t d = 0; d < perm.size(); ++d) in_idx[perm[d]] = idx[d];
    out[i] = in.data<T>()[Flatten(in_idx, in.shape())];
  }
  return Tensor::FromVector(out, shape);
}

absl::StatusOr<Tensor> Transpose(const Tensor& in,
                                 const std::vector<int64_t>& perm) {
  KernelHarness k("Transpose");
  k.Attr("T", in.dtype()).Attr("Tperm", DT_INT64);
  auto out = k.Run({in, Tensor::Vector<int64_t>(perm)});
  if (!out.ok()) return out.status();
  return out->at(0);
}

TEST(Transpose, MatchesNaiveForEveryPermutationOfRank4) {
  Tensor in = Iota(TensorShape{2, 3, 4, 5});
  std::vector<int64_t> perm = {0, 1, 2, 3};
  do {
    auto out = Transpose(in, perm);
    ASSERT_TRUE(out.ok()) << out.status();
    EXPECT_TENSOR_EQ(*out, NaiveTranspose<float>(in, perm));
  } while (std::next_permutation(perm.begin(), perm.end()));
}

TEST(Transpose, LargeTensorsUseTheParallelPath) {
  Tensor in = Iota(TensorShape{64, 48, 40});
  for (std::vector<int64_t> perm :
       {std::vector<int64_t>{2, 0, 1}, std::vector<int64_t>{1, 0, 2}}) {
    auto out = Transpose(in, perm);
    ASSERT_TRUE(out.ok()) << out.status();
    EXPECT_TENSOR_EQ(*out, NaiveTranspose<float>(in, perm));
  }
}

TEST(Transpose, HandlesStringsComplexAndUnitDims) {
  Tensor s = Tensor::FromVector<std::string>({"a", "b", "c", "d", "e", "f"},
                                             TensorShape{2, 3});
  auto out = Transpose(s, {1, 0});
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_EQ(*out, NaiveTranspose<std::string>(s, {1, 0}));
  std::vector<std::complex<double>> cv(12);
  for (int i = 0; i < 12; ++i) cv[i] = {static_cast<double>(i), -1.0 * i};
  Tensor c = Tensor::FromVector(cv, TensorShape{3, 4});
  out = Transpose(c, {1, 0});
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_EQ(*out, NaiveTranspose<std::complex<double>>(c, {1, 0}));
  Tensor u = Iota(TensorShape{1, 5, 1});
  out = Transpose(u, {2, 1, 0});
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_EQ(*out, Iota(TensorShape{1, 5, 1}));
}

TEST(Transpose, RejectsBadPermutations) {
  auto out = Transpose(Iota(TensorShape{2, 3}), {0, 0});
  ASSERT_FALSE(out.ok());
  EXPECT_THAT(out.status().message(), HasSubstr("1 is missing from {0,0}."));
  out = Transpose(Iota(TensorShape{2, 3}), {0, 2});
  ASSERT_FALSE(out.ok());
  EXPECT_THAT(out.status().message(), HasSubstr("2 is out of range [0 .. 2)"));
  out = Transpose(Iota(TensorShape{2, 3}), {0});
  ASSERT_FALSE(out.ok());
  EXPECT_THAT(out.status().message(),
              HasSubstr("transpose expects a vector of size 2. But input(1) "
                        "is a vector of size 1"));
}

TEST(ReverseV2, ReversesListedAxes) {
  KernelHarness k("ReverseV2");
  k.Attr("T", DT_FLOAT).Attr("Tidx", DT_INT32);
  Tensor in = Iota(TensorShape{2, 3});
  auto out = k.Run({in, Tensor::Vector<int32_t>({1})});
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_EQ(out->at(0), Tensor::FromVector<float>({2, 1, 0, 5, 4, 3},
                                                         TensorShape{2, 3}));
  out = k.Run({in, Tensor::Vector<int32_t>({0, -1})});
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_EQ(out->at(0), Tensor::FromVector<float>({5, 4, 3, 2, 1, 0},
                                                         TensorShape{2, 3}));
  out = k.Run({in, Tensor::Vector<int32_t>({})});
  ASSERT_TRUE(out.ok());
  EXPECT_TENSOR_EQ(out->at(0), in);
}

TEST(ReverseV2, RejectsBadAxes) {
  KernelHarness k("ReverseV2");
  k.Attr("T", DT_FLOAT);
  auto out = k.Run({Iota(TensorShape{2, 3}), Tensor::Vector<int32_t>({2})});
  ASSERT_FALSE(out.ok());
  EXPECT_THAT(out.status().message(),
              HasSubstr("'axis'[0] = 2 is out of valid range [0, 1]"));
  out = k.Run({Iota(TensorShape{2, 3}), Tensor::Vector<int32_t>({1, -1})});
  ASSERT_FALSE(out.ok());
  EXPECT_THAT(out.status().message(),
              HasSubstr("axis 1 specified more than once."));
}

// ---------------------------------------------------------------------------
// Gathers

absl::StatusOr<Tensor> GatherV2(const Tensor& params, const Tensor& indices,
                                int64_t axis, int64_t batch_dims = 0) {
  KernelHarness k("GatherV2");
  k.Attr("Tparams", params.dtype())
      .Attr("Tindices", indices.dtype())
      .Attr("Taxis", DT_INT64)
      .Attr("batch_dims", batch_dims);
  auto out = k.Run({params, indices, Tensor::Scalar<int64_t>(axis)});
  if (!out.ok()) return out.status();
  return out->at(0);
}

TEST(GatherV2, GathersAlongAxis) {
  Tensor params = Iota(TensorShape{3, 4});
  auto out = GatherV2(params, Tensor::Vector<int32_t>({2, 0}), 0);
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_EQ(*out, Tensor::FromVector<float>({8, 9, 10, 11, 0, 1, 2, 3},
                                                   TensorShape{2, 4}));
  out = GatherV2(
      params, Tensor::FromVector<int64_t>({3, 1, 1, 0}, TensorShape{2, 2}), -1);
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_EQ(
      *out, Tensor::FromVector<float>({3, 1, 1, 0, 7, 5, 5, 4, 11, 9, 9, 8},
                                      TensorShape{3, 2, 2}));
  out = GatherV2(params, Tensor::Scalar<int32_t>(1), 0);
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_EQ(*out, Tensor::Vector<float>({4, 5, 6, 7}));
}

TEST(GatherV2, BatchDimsGathersPerBatch) {
  // params [2, 3, 2], indices [2, 2], batch_dims 1, axis 1.
  Tensor params = Iota(TensorShape{2, 3, 2});
  auto out = GatherV2(
      params, Tensor::FromVector<int32_t>({2, 0, 1, 1}, TensorShape{2, 2}), 1,
      1);
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_EQ(*out, Tensor::FromVector<float>({4, 5, 0, 1, 8, 9, 8, 9},
                                                   TensorShape{2, 2, 2}));
  // batch_dims 1, axis 2: per batch, gather columns.
  out = GatherV2(params, Tensor::FromVector<int32_t>({1, 0}, TensorShape{2, 1}),
                 2, 1);
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_EQ(*out, Tensor::FromVector<float>({1, 3, 5, 6, 8, 10},
                                                   TensorShape{2, 3, 1}));
}

TEST(GatherV2, LargeEmbeddingLookupMatchesNaive) {
  Tensor params = Iota(TensorShape{1000, 64});
  std::vector<int32_t> ids(3000);
  std::mt19937 rng(7);
  for (auto& id : ids) id = static_cast<int32_t>(rng() % 1000);
  auto out = GatherV2(params, Tensor::Vector<int32_t>(ids), 0);
  ASSERT_TRUE(out.ok()) << out.status();
  std::vector<float> expected;
  for (int32_t id : ids) {
    for (int j = 0; j < 64; ++j) expected.push_back(id * 64.f + j);
  }
  EXPECT_TENSOR_EQ(*out, Tensor::FromVector(expected, TensorShape{3000, 64}));
}

TEST(GatherV2, RejectsOutOfRangeIndexNamingItsPosition) {
  auto out =
      GatherV2(Iota(TensorShape{3}),
               Tensor::FromVector<int32_t>({0, 1, 2, 5}, TensorShape{2, 2}), 0);
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(out.status().message(),
              HasSubstr("indices[1,1] = 5 is not in [0, 3)"));
  out = GatherV2(Iota(TensorShape{3}), Tensor::Vector<int32_t>({-1}), 0);
  ASSERT_FALSE(out.ok());
  EXPECT_THAT(out.status().message(),
              HasSubstr("indices[0] = -1 is not in [0, 3)"));
}

TEST(GatherV2, RejectsBadAxisAndScalarParams) {
  auto out = GatherV2(Iota(TensorShape{3}), Tensor::Vector<int32_t>({0}), 1);
  ASSERT_FALSE(out.ok());
  EXPECT_THAT(out.status().message(),
              HasSubstr("Expected axis in the range [-1, 1), but got 1"));
  out = GatherV2(Tensor::Scalar(1.f), Tensor::Vector<int32_t>({0}), 0);
  ASSERT_FALSE(out.ok());
  EXPECT_THAT(out.status().message(),
              HasSubstr("params must be at least 1 dimensional"));
  out =
      GatherV2(Iota(TensorShape{2, 3}),
               Tensor::FromVector<int32_t>({0, 0, 0}, TensorShape{3, 1}), 1, 1);
  ASSERT_FALSE(out.ok());
  EXPECT_THAT(out.status().message(),
              HasSubstr("params.shape[0]: 2 should be equal to "
                        "indices.shape[0]: 3"));
}

TEST(Gather, V1GathersRowsOfStrings) {
  KernelHarness k("Gather");
  k.Attr("Tparams", DT_STRING).Attr("Tindices", DT_INT64);
  auto out = k.Run({Tensor::Vector<std::string>({"x", "y", "z"}),
                    Tensor::Vector<int64_t>({2, 2, 0})});
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_EQ(out->at(0), Tensor::Vector<std::string>({"z", "z", "x"}));
}

TEST(GatherNd, GathersElementsAndSlices) {
  KernelHarness k("GatherNd");
  k.Attr("Tparams", DT_FLOAT).Attr("Tindices", DT_INT32);
  Tensor params = Iota(TensorShape{2, 3});
  auto out = k.Run(
      {params, Tensor::FromVector<int32_t>({1, 2, 0, 1}, TensorShape{2, 2})});
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_EQ(out->at(0), Tensor::Vector<float>({5, 1}));
  out = k.Run({params, Tensor::FromVector<int32_t>({1}, TensorShape{1, 1})});
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_EQ(out->at(0),
                   Tensor::FromVector<float>({3, 4, 5}, TensorShape{1, 3}));
}

TEST(GatherNd, RejectsBadIndices) {
  KernelHarness k("GatherNd");
  k.Attr("Tparams", DT_FLOAT).Attr("Tindices", DT_INT32);
  auto out =
      k.Run({Iota(TensorShape{2, 3}),
             Tensor::FromVector<int32_t>({0, 0, 1, 3}, TensorShape{2, 2})});
  ASSERT_FALSE(out.ok());
  EXPECT_THAT(out.status().message(),
              HasSubstr("indices[1] = [1, 3] does not index into param shape "
                        "[2,3]"));
  out = k.Run({Iota(TensorShape{2}),
               Tensor::FromVector<int32_t>({0, 0}, TensorShape{1, 2})});
  ASSERT_FALSE(out.ok());
  EXPECT_THAT(out.status().message(),
              HasSubstr("index innermost dimension length must be <= params "
                        "rank; saw: 2 vs. 1"));
}

// ---------------------------------------------------------------------------
// Fill, ZerosLike, OnesLike, Range

TEST(Fill, FillsShapeWithValue) {
  KernelHarness k("Fill");
  k.Attr("T", DT_FLOAT).Attr("index_type", DT_INT64);
  auto out = k.Run({Tensor::Vector<int64_t>({2, 2}), Tensor::Scalar(9.f)});
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_EQ(out->at(0),
                   Tensor::FromVector<float>({9, 9, 9, 9}, TensorShape{2, 2}));
  KernelHarness s("Fill");
  s.Attr("T", DT_STRING);
  out = s.Run({Tensor::Vector<int32_t>({3}), Tensor::Scalar<std::string>("q")});
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_EQ(out->at(0), Tensor::Vector<std::string>({"q", "q", "q"}));
}

TEST(Fill, RejectsNegativeDimsAndNonScalarValue) {
  KernelHarness k("Fill");
  k.Attr("T", DT_FLOAT);
  auto out = k.Run({Tensor::Vector<int32_t>({-1}), Tensor::Scalar(1.f)});
  ASSERT_FALSE(out.ok());
  out = k.Run({Tensor::Vector<int32_t>({2}), Tensor::Vector<float>({1, 2})});
  ASSERT_FALSE(out.ok());
  EXPECT_THAT(out.status().message(),
              HasSubstr("value must be a scalar, got shape [2]"));
}

TEST(ZerosLike, ZerosOfEveryKind) {
  KernelHarness k("ZerosLike");
  k.Attr("T", DT_INT32);
  auto out = k.Run({Tensor::Vector<int32_t>({5, 6})});
  ASSERT_TRUE(out.ok());
  EXPECT_TENSOR_EQ(out->at(0), Tensor::Vector<int32_t>({0, 0}));
  KernelHarness s("ZerosLike");
  s.Attr("T", DT_STRING);
  out = s.Run({Tensor::Vector<std::string>({"a"})});
  ASSERT_TRUE(out.ok());
  EXPECT_TENSOR_EQ(out->at(0), Tensor::Vector<std::string>({""}));
}

TEST(OnesLike, OnesOfNumbersAndBools) {
  KernelHarness k("OnesLike");
  k.Attr("T", DT_DOUBLE);
  auto out = k.Run({Tensor::Vector<double>({5, 6})});
  ASSERT_TRUE(out.ok());
  EXPECT_TENSOR_EQ(out->at(0), Tensor::Vector<double>({1, 1}));
  KernelHarness b("OnesLike");
  b.Attr("T", DT_BOOL);
  out = b.Run({Tensor::Vector<bool>({false})});
  ASSERT_TRUE(out.ok());
  EXPECT_TENSOR_EQ(out->at(0), Tensor::Vector<bool>({true}));
  KernelHarness s("OnesLike");
  s.Attr("T", DT_STRING);
  EXPECT_FALSE(s.Run({Tensor::Vector<std::string>({"a"})}).ok());
}

template <typename T>
absl::StatusOr<Tensor> Range(T start, T limit, T delta) {
  KernelHarness k("Range");
  k.Attr("Tidx", DataTypeOf<T>::value);
  auto out = k.Run(
      {Tensor::Scalar(start), Tensor::Scalar(limit), Tensor::Scalar(delta)});
  if (!out.ok()) return out.status();
  return out->at(0);
}

TEST(Range, CountsUpAndDown) {
  EXPECT_TENSOR_EQ(*Range<int32_t>(0, 5, 2),
                   Tensor::Vector<int32_t>({0, 2, 4}));
  EXPECT_TENSOR_EQ(*Range<int64_t>(5, 0, -2),
                   Tensor::Vector<int64_t>({5, 3, 1}));
  EXPECT_TENSOR_EQ(*Range<float>(0, 1, 0.25f),
                   Tensor::Vector<float>({0, 0.25f, 0.5f, 0.75f}));
  EXPECT_TENSOR_EQ(*Range<double>(1, 1, 1), Tensor::Vector<double>({}));
  EXPECT_TENSOR_EQ(*Range<float>(0, 1.1f, 0.5f),
                   Tensor::Vector<float>({0, 0.5f, 1.0f}));
}

TEST(Range, RejectsZeroDeltaAndWrongDirection) {
  auto out = Range<int32_t>(0, 5, 0);
  ASSERT_FALSE(out.ok());
  EXPECT_THAT(out.status().message(), HasSubstr("Requires delta != 0"));
  out = Range<int32_t>(5, 0, 1);
  ASSERT_FALSE(out.ok());
  EXPECT_THAT(out.status().message(),
              HasSubstr("Requires start <= limit when delta > 0: 5/0"));
  out = Range<float>(0, 5, -1);
  ASSERT_FALSE(out.ok());
  EXPECT_THAT(out.status().message(),
              HasSubstr("Requires start >= limit when delta < 0: 0/5"));
}

TEST(Range, HugeRangesFailCleanly) {
  auto out = Range<int64_t>(std::numeric_limits<int64_t>::min(),
                            std::numeric_limits<int64_t>::max(), 1);
  EXPECT_FALSE(out.ok());
  auto f = Range<float>(0, 1e30f, 1e-30f);
  EXPECT_FALSE(f.ok());
}

// ---------------------------------------------------------------------------
// OneHot and Where

TEST(OneHot, EncodesAlongLastAxisByDefault) {
  KernelHarness k("OneHot");
  k.Attr("T", DT_FLOAT).Attr("TI", DT_INT32);
  auto out =
      k.Run({Tensor::Vector<int32_t>({0, 2, -1, 5}), Tensor::Scalar<int32_t>(3),
             Tensor::Scalar(1.f), Tensor::Scalar(0.f)});
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_EQ(
      out->at(0), Tensor::FromVector<float>(
                      {1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0}, TensorShape{4, 3}));
}

TEST(OneHot, EncodesAlongAxisZero) {
  KernelHarness k("OneHot");
  k.Attr("T", DT_INT32).Attr("TI", DT_INT64).Attr("axis", 0);
  auto out = k.Run({Tensor::Vector<int64_t>({1, 0}), Tensor::Scalar<int32_t>(2),
                    Tensor::Scalar<int32_t>(5), Tensor::Scalar<int32_t>(-1)});
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_EQ(out->at(0), Tensor::FromVector<int32_t>({-1, 5, 5, -1},
                                                           TensorShape{2, 2}));
}

TEST(OneHot, RejectsBadDepthAndAxis) {
  KernelHarness k("OneHot");
  k.Attr("T", DT_FLOAT).Attr("TI", DT_INT32);
  auto out = k.Run({Tensor::Vector<int32_t>({0}), Tensor::Scalar<int32_t>(-1),
                    Tensor::Scalar(1.f), Tensor::Scalar(0.f)});
  ASSERT_FALSE(out.ok());
  EXPECT_THAT(out.status().message(),
              HasSubstr("depth must be non-negative, got: -1"));
  KernelHarness a("OneHot");
  a.Attr("T", DT_FLOAT).Attr("TI", DT_INT32).Attr("axis", 2);
  out = a.Run({Tensor::Vector<int32_t>({0}), Tensor::Scalar<int32_t>(2),
               Tensor::Scalar(1.f), Tensor::Scalar(0.f)});
  ASSERT_FALSE(out.ok());
  EXPECT_THAT(out.status().message(),
              HasSubstr("Expected axis to be -1 or between [0, 2).  But "
                        "received: 2"));
}

TEST(Where, ReturnsCoordinatesOfTrueElements) {
  KernelHarness k("Where");
  k.Attr("T", DT_BOOL);
  auto out = k.Run({Tensor::FromVector<bool>({true, false, false, true},
                                             TensorShape{2, 2})});
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_EQ(
      out->at(0), Tensor::FromVector<int64_t>({0, 0, 1, 1}, TensorShape{2, 2}));
  KernelHarness f("Where");
  f.Attr("T", DT_FLOAT);
  out = f.Run({Tensor::Vector<float>({0, 2, 0, -1})});
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_EQ(out->at(0),
                   Tensor::FromVector<int64_t>({1, 3}, TensorShape{2, 1}));
  out = f.Run({Tensor::Vector<float>({0, 0})});
  ASSERT_TRUE(out.ok());
  EXPECT_EQ(out->at(0).shape(), (TensorShape{0, 1}));
}

}  // namespace
}  // namespace model_server
