#include <cmath>
#include <cstdint>
#include <vector>

#include "gtest/gtest.h"
#include "runtime/tensor.h"
#include "tests/testing/kernel_harness.h"

namespace model_server {
namespace {

absl::StatusOr<std::vector<Tensor>> Bucketize(const Tensor& x,
                                              std::vector<float> boundaries) {
  KernelHarness h("Bucketize");
  h.Attr("T", x.dtype());
  tensorflow::AttrValue list;
  list.mutable_list();
  for (float b : boundaries) list.mutable_list()->add_f(b);
  h.RawAttr("boundaries", list);
  return h.Run({x});
}

TEST(Bucketize, CountsBoundariesNotAboveEachValue) {
  // TensorFlow's documented example.
  auto out = Bucketize(Tensor::FromVector<int32_t>({-5, 10000, 150, 10, 5, 100},
                                                   TensorShape{2, 3}),
                       {0, 10, 100});
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_EQ(out->at(0), Tensor::FromVector<int32_t>({0, 3, 3, 2, 1, 3},
                                                           TensorShape{2, 3}));
  auto floats =
      Bucketize(Tensor::Vector<double>({-0.5, 0, 0.5, NAN}), {0, 0.5f});
  ASSERT_TRUE(floats.ok()) << floats.status();
  EXPECT_TENSOR_EQ(floats->at(0), Tensor::Vector<int32_t>({0, 1, 2, 2}));
  auto none = Bucketize(Tensor::Vector<int64_t>({-1, 7}), {});
  ASSERT_TRUE(none.ok()) << none.status();
  EXPECT_TENSOR_EQ(none->at(0), Tensor::Vector<int32_t>({0, 0}));
}

TEST(Bucketize, EmptyInputUnsortedBoundariesAndDtypes) {
  auto empty = Bucketize(Tensor::FromVector<float>({}, TensorShape{0, 4}), {1});
  ASSERT_TRUE(empty.ok()) << empty.status();
  EXPECT_EQ(empty->at(0).shape(), (TensorShape{0, 4}));
  auto unsorted = Bucketize(Tensor::Vector<float>({1}), {2, 1});
  ASSERT_FALSE(unsorted.ok());
  EXPECT_NE(unsorted.status().message().find("Expected sorted boundaries"),
            std::string::npos);
  EXPECT_EQ(Bucketize(Tensor::Vector<int8_t>({1}), {0}).status().code(),
            absl::StatusCode::kUnimplemented);
}

}  // namespace
}  // namespace model_server
