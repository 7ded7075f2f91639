#include <cstdint>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "runtime/tensor.h"
#include "tests/testing/kernel_harness.h"

namespace model_server {
namespace {

absl::StatusOr<std::vector<Tensor>> RunOp(const Tensor& input,
                                        std::vector<int64_t> window,
                                        bool include_batch = false,
                                        DataType index_type = DT_INT64,
                                        const std::string& padding = "VALID") {
  KernelHarness h("MaxPoolWithArgmax");
  h.Attr("T", input.dtype()).Attr("padding", padding);
  h.Attr("ksize", std::vector<int64_t>{1, window[0], window[1], 1});
  h.Attr("strides", std::vector<int64_t>{1, window[2], window[3], 1});
  h.Attr("Targmax", index_type);
  h.Attr("include_batch_in_index", include_batch);
  return h.Run({input});
}

TEST(MaxPoolWithArgmax, HandComputedIndicesAreFlatWithinTheImage) {
  // 2x4 image, 2x2 windows, stride 2: maxima 5 at (0,1) and 8 at (1,2).
  auto out = RunOp(Tensor::FromVector<float>({1, 5, 3, 3, 4, 2, 8, 3},
                                           TensorShape{1, 2, 4, 1}),
                 {2, 2, 2, 2});
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_EQ(out->at(0),
                   Tensor::FromVector<float>({5, 8}, TensorShape{1, 1, 2, 1}));
  EXPECT_TENSOR_EQ(
      out->at(1), Tensor::FromVector<int64_t>({1, 6}, TensorShape{1, 1, 2, 1}));
}

TEST(MaxPoolWithArgmax, ChannelsAndBatchInTheIndex) {
  // Two images of 1x2 pixels with 2 channels; one 1x2 window each.
  Tensor input = Tensor::FromVector<int32_t>({1, 9, 4, 2, 6, 0, 3, 8},
                                             TensorShape{2, 1, 2, 2});
  auto plain = RunOp(input, {1, 2, 1, 2}, false, DT_INT32);
  ASSERT_TRUE(plain.ok()) << plain.status();
  EXPECT_TENSOR_EQ(plain->at(0), Tensor::FromVector<int32_t>(
                                     {4, 9, 6, 8}, TensorShape{2, 1, 1, 2}));
  EXPECT_TENSOR_EQ(plain->at(1), Tensor::FromVector<int32_t>(
                                     {2, 1, 0, 3}, TensorShape{2, 1, 1, 2}));
  auto batch = RunOp(input, {1, 2, 1, 2}, true, DT_INT32);
  ASSERT_TRUE(batch.ok()) << batch.status();
  EXPECT_TENSOR_EQ(batch->at(1), Tensor::FromVector<int32_t>(
                                     {2, 1, 4, 7}, TensorShape{2, 1, 1, 2}));
}

TEST(MaxPoolWithArgmax, TiesGoToTheFirstMaximumAndPaddingIsSkipped) {
  auto ties = RunOp(Tensor::FromVector<float>({7, 7, 7}, TensorShape{1, 1, 3, 1}),
                  {1, 2, 1, 2}, false, DT_INT64, "SAME");
  ASSERT_TRUE(ties.ok()) << ties.status();
  // SAME with 3 columns, window 2, stride 2: windows [0,1] and [2, pad].
  EXPECT_TENSOR_EQ(ties->at(0),
                   Tensor::FromVector<float>({7, 7}, TensorShape{1, 1, 2, 1}));
  EXPECT_TENSOR_EQ(ties->at(1), Tensor::FromVector<int64_t>(
                                    {0, 2}, TensorShape{1, 1, 2, 1}));
}

TEST(MaxPoolWithArgmax, EmptyAndBadInputs) {
  auto empty =
      RunOp(Tensor::FromVector<float>({}, TensorShape{0, 2, 2, 1}), {2, 2, 2, 2});
  ASSERT_TRUE(empty.ok()) << empty.status();
  EXPECT_EQ(empty->at(1).shape(), (TensorShape{0, 1, 1, 1}));
  auto rank =
      RunOp(Tensor::FromVector<float>({1, 2}, TensorShape{1, 2}), {1, 1, 1, 1});
  ASSERT_FALSE(rank.ok());
  EXPECT_EQ(rank.status().code(), absl::StatusCode::kInvalidArgument);
  KernelHarness h("MaxPoolWithArgmax");
  h.Attr("T", DT_FLOAT).Attr("padding", "VALID").Attr("Targmax", DT_FLOAT);
  h.Attr("ksize", std::vector<int64_t>{1, 1, 1, 1});
  h.Attr("strides", std::vector<int64_t>{1, 1, 1, 1});
  auto index = h.Run({Tensor::FromVector<float>({1}, TensorShape{1, 1, 1, 1})});
  ASSERT_FALSE(index.ok());
  EXPECT_EQ(index.status().code(), absl::StatusCode::kUnimplemented);
}

}  // namespace
}  // namespace model_server
