// ReverseSequence against hand-computed values and a naive reference.
#include <cstdint>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/testing/kernel_harness.h"

namespace model_server {
namespace {

using ::testing::HasSubstr;

absl::StatusOr<std::vector<Tensor>> Reverse(const Tensor& input,
                                            const Tensor& lengths,
                                            int64_t seq_dim,
                                            int64_t batch_dim) {
  KernelHarness h("ReverseSequence");
  h.Attr("T", input.dtype())
      .Attr("Tlen", lengths.dtype())
      .Attr("seq_dim", seq_dim)
      .Attr("batch_dim", batch_dim);
  return h.Run({input, lengths});
}

TEST(ReverseSequence, ReversesPrefixOfEachRow) {
  // The second example of TensorFlow's documentation, batch_dim 0.
  auto out = Reverse(Tensor::FromVector<float>(
                         {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15},
                         TensorShape{4, 4}),
                     Tensor::Vector<int64_t>({1, 2, 3, 4}), 1, 0);
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_EQ(out->at(0),
                   Tensor::FromVector<float>(
                       {0, 1, 2, 3, 5, 4, 6, 7, 10, 9, 8, 11, 15, 14, 13, 12},
                       TensorShape{4, 4}));
}

TEST(ReverseSequence, BatchAfterSequenceDimension) {
  // seq_dim 0, batch_dim 1: column b reverses its first lens[b] rows.
  auto out = Reverse(Tensor::FromVector<int32_t>(
                         {0, 4, 8, 12, 1, 5, 9, 13, 2, 6, 10, 14, 3, 7, 11, 15},
                         TensorShape{4, 4}),
                     Tensor::Vector<int32_t>({4, 3, 2, 1}), 0, 1);
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_EQ(out->at(0),
                   Tensor::FromVector<int32_t>(
                       {3, 6, 9, 12, 2, 5, 8, 13, 1, 4, 10, 14, 0, 7, 11, 15},
                       TensorShape{4, 4}));
}

TEST(ReverseSequence, MatchesNaiveReferenceWithMiddleAndInnerDimensions) {
  // [2 (batch), 3, 4 (seq), 2] and [4 (seq), 3, 2 (batch), 2].
  for (bool batch_first : {true, false}) {
    const TensorShape shape =
        batch_first ? TensorShape{2, 3, 4, 2} : TensorShape{4, 3, 2, 2};
    const int64_t batch_dim = batch_first ? 0 : 2;
    const int64_t seq_dim = batch_first ? 2 : 0;
    std::vector<double> in(shape.num_elements());
    for (size_t i = 0; i < in.size(); ++i) in[i] = static_cast<double>(i);
    const std::vector<int64_t> lens = {3, 0};
    std::vector<double> expected(in.size());
    for (int64_t flat = 0; flat < shape.num_elements(); ++flat) {
      int64_t idx[4];
      int64_t rest = flat;
      for (int d = 3; d >= 0; --d) {
        idx[d] = rest % shape.dim(d);
        rest /= shape.dim(d);
      }
      const int64_t len = lens[idx[batch_dim]];
      int64_t src[4] = {idx[0], idx[1], idx[2], idx[3]};
      if (idx[seq_dim] < len) src[seq_dim] = len - 1 - idx[seq_dim];
      int64_t src_flat = 0;
      for (int d = 0; d < 4; ++d) src_flat = src_flat * shape.dim(d) + src[d];
      expected[flat] = in[src_flat];
    }
    auto out = Reverse(Tensor::FromVector(in, shape), Tensor::Vector(lens),
                       seq_dim, batch_dim);
    ASSERT_TRUE(out.ok()) << out.status();
    EXPECT_TENSOR_EQ(out->at(0), Tensor::FromVector(expected, shape));
  }
}

TEST(ReverseSequence, StringsAndEmptyInput) {
  auto strings = Reverse(
      Tensor::FromVector<std::string>({"a", "b", "c", "d"}, TensorShape{1, 4}),
      Tensor::Vector<int64_t>({3}), 1, 0);
  ASSERT_TRUE(strings.ok()) << strings.status();
  EXPECT_TENSOR_EQ(
      strings->at(0),
      Tensor::FromVector<std::string>({"c", "b", "a", "d"}, TensorShape{1, 4}));
  auto empty = Reverse(Tensor::FromVector<float>({}, TensorShape{2, 0}),
                       Tensor::Vector<int64_t>({0, 0}), 1, 0);
  ASSERT_TRUE(empty.ok()) << empty.status();
  EXPECT_EQ(empty->at(0).shape(), (TensorShape{2, 0}));
}

TEST(ReverseSequence, RejectsBadLengthsAndDimensions) {
  const Tensor x = Tensor::FromVector<float>({1, 2, 3, 4}, TensorShape{2, 2});
  auto negative = Reverse(x, Tensor::Vector<int64_t>({1, -1}), 1, 0);
  ASSERT_FALSE(negative.ok());
  EXPECT_EQ(negative.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(negative.status().message(), HasSubstr("seq_lens(1) < 0"));
  auto too_long = Reverse(x, Tensor::Vector<int64_t>({3, 1}), 1, 0);
  ASSERT_FALSE(too_long.ok());
  EXPECT_THAT(too_long.status().message(),
              HasSubstr("seq_lens(0) > input.dims(1)"));
  auto count = Reverse(x, Tensor::Vector<int64_t>({1}), 1, 0);
  ASSERT_FALSE(count.ok());
  EXPECT_THAT(count.status().message(),
              HasSubstr("Length of seq_lengths != input.dims(0), (1 vs. 2)"));
  auto same = Reverse(x, Tensor::Vector<int64_t>({1, 1}), 1, 1);
  ASSERT_FALSE(same.ok());
  EXPECT_THAT(same.status().message(), HasSubstr("batch_dim == seq_dim == 1"));
  auto rank = Reverse(x, Tensor::Vector<int64_t>({1, 1}), 2, 0);
  ASSERT_FALSE(rank.ok());
  EXPECT_THAT(rank.status().message(),
              HasSubstr("seq_dim must be < input rank ( 2 vs. 2)"));
  auto matrix =
      Reverse(x, Tensor::FromVector<int64_t>({1, 1}, TensorShape{1, 2}), 1, 0);
  ASSERT_FALSE(matrix.ok());
  EXPECT_THAT(matrix.status().message(),
              HasSubstr("seq_lengths must be 1-dim"));
  auto bad_attr = Reverse(x, Tensor::Vector<int64_t>({1, 1}), -1, 0);
  ASSERT_FALSE(bad_attr.ok());
  EXPECT_EQ(bad_attr.status().code(), absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace model_server
