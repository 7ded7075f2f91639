#include <cmath>
#include <cstdint>
#include <functional>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "runtime/tensor.h"
#include "tests/testing/kernel_harness.h"

namespace model_server {
namespace {

absl::StatusOr<std::vector<Tensor>> Reduce(const std::string& op,
                                           const Tensor& data,
                                           const Tensor& axes,
                                           bool keep_dims = false) {
  KernelHarness h(op);
  h.Attr("T", data.dtype()).Attr("Tidx", axes.dtype());
  h.Attr("keep_dims", keep_dims);
  return h.Run({data, axes});
}

// Naive reduction of a float tensor over `mask` axes, in double.
Tensor NaiveReduce(const std::string& op, const Tensor& data,
                   const std::vector<bool>& mask, bool keep_dims) {
  const int rank = data.rank();
  std::vector<int64_t> out_dims, out_strides(rank, 0);
  int64_t count = 1;
  for (int i = 0; i < rank; ++i) {
    if (mask[i]) {
      count *= data.dim(i);
      if (keep_dims) out_dims.push_back(1);
    } else {
      out_dims.push_back(data.dim(i));
    }
  }
  int64_t stride = 1;
  for (int i = rank - 1; i >= 0; --i) {
    if (!mask[i]) {
      out_strides[i] = stride;
      stride *= data.dim(i);
    }
  }
  const int64_t out_size = stride;
  double init = 0;
  if (op == "Prod") init = 1;
  if (op == "Max") init = -INFINITY;
  if (op == "Min") init = INFINITY;
  std::vector<double> acc(out_size, init);
  for (int64_t flat = 0; flat < data.NumElements(); ++flat) {
    int64_t rem = flat, o = 0;
    for (int i = rank - 1; i >= 0; --i) {
      o += (rem % data.dim(i)) * out_strides[i];
      rem /= data.dim(i);
    }
    const double v = data.data<float>()[flat];
    if (op == "Sum" || op == "Mean") acc[o] += v;
    if (op == "EuclideanNorm") acc[o] += v * v;
    if (op == "Prod") acc[o] *= v;
    if (op == "Max") acc[o] = std::max(acc[o], v);
    if (op == "Min") acc[o] = std::min(acc[o], v);
  }
  std::vector<float> out(out_size);
  for (int64_t i = 0; i < out_size; ++i) {
    double v = acc[i];
    if (op == "Mean") v /= count;
    if (op == "EuclideanNorm") v = std::sqrt(v);
    out[i] = static_cast<float>(v);
  }
  return Tensor::FromVector(out, *TensorShape::FromDims(out_dims));
}

Tensor RandomFloats(const TensorShape& shape, std::mt19937* rng, float lo,
                    float hi) {
  std::uniform_real_distribution<float> dist(lo, hi);
  std::vector<float> values(shape.num_elements());
  for (float& v : values) v = dist(*rng);
  return Tensor::FromVector(values, shape);
}

TEST(Sum, HandComputedRowsAndColumns) {
  Tensor x = Tensor::FromVector<float>({1, 2, 3, 4, 5, 6}, TensorShape{2, 3});
  auto rows = Reduce("Sum", x, Tensor::Scalar<int32_t>(1));
  ASSERT_TRUE(rows.ok()) << rows.status();
  EXPECT_TENSOR_EQ(rows->at(0), Tensor::Vector<float>({6, 15}));
  auto cols = Reduce("Sum", x, Tensor::Vector<int32_t>({0}), true);
  ASSERT_TRUE(cols.ok()) << cols.status();
  EXPECT_TENSOR_EQ(cols->at(0),
                   Tensor::FromVector<float>({5, 7, 9}, TensorShape{1, 3}));
  auto all = Reduce("Sum", x, Tensor::Vector<int64_t>({-1, 0}));
  ASSERT_TRUE(all.ok()) << all.status();
  EXPECT_TENSOR_EQ(all->at(0), Tensor::Scalar<float>(21));
}

TEST(Sum, EmptyAxesReturnInputUnchanged) {
  Tensor x = Tensor::FromVector<float>({1, 2, 3, 4}, TensorShape{2, 2});
  auto out = Reduce("Sum", x, Tensor::FromVector<int32_t>({}, TensorShape{0}));
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_EQ(out->at(0), x);
}

TEST(Sum, RejectsOutOfRangeAndDuplicateAxes) {
  Tensor x = Tensor::FromVector<float>({1, 2, 3, 4}, TensorShape{2, 2});
  auto range = Reduce("Sum", x, Tensor::Scalar<int32_t>(2));
  ASSERT_FALSE(range.ok());
  EXPECT_EQ(range.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(range.status().message().find(
                "Invalid reduction dimension (2 for input with 2 dimension(s)"),
            std::string::npos)
      << range.status();
  auto dup = Reduce("Sum", x, Tensor::Vector<int32_t>({1, -1}));
  ASSERT_FALSE(dup.ok());
  EXPECT_NE(dup.status().message().find("Axes contains duplicate dimension: 1"),
            std::string::npos)
      << dup.status();
  auto bad_type = Reduce("Sum", x, Tensor::Scalar<float>(0));
  EXPECT_FALSE(bad_type.ok());
}

TEST(Reductions, MatchNaiveOverEveryAxisSubset) {
  std::mt19937 rng(61);
  const TensorShape shapes[] = {TensorShape{3, 4, 1, 5},
                                TensorShape{2, 3, 2, 3}};
  for (const TensorShape& shape : shapes) {
    for (const char* op :
         {"Sum", "Mean", "Max", "Min", "Prod", "EuclideanNorm"}) {
      const bool prod = std::string(op) == "Prod";
      Tensor x =
          RandomFloats(shape, &rng, prod ? 0.5f : -1.f, prod ? 1.5f : 1.f);
      for (int subset = 0; subset < 16; ++subset) {
        std::vector<int32_t> axes;
        std::vector<bool> mask(4, false);
        for (int i = 0; i < 4; ++i) {
          if (subset & (1 << i)) {
            axes.push_back(i % 2 == 0 ? i : i - 4);  // mix negative axes
            mask[i] = true;
          }
        }
        for (bool keep : {false, true}) {
          auto out =
              Reduce(op, x,
                     Tensor::FromVector<int32_t>(
                         axes, TensorShape{static_cast<int64_t>(axes.size())}),
                     keep);
          ASSERT_TRUE(out.ok()) << out.status();
          Tensor expected = NaiveReduce(op, x, mask, keep);
          if (std::string(op) == "EuclideanNorm") {
            // TensorFlow forwards the input when only size-1 axes reduce.
            bool trivial = true;
            for (int i = 0; i < 4; ++i) {
              if (mask[i] && shape.dim(i) != 1) trivial = false;
            }
            if (trivial) continue;
          }
          EXPECT_TENSOR_NEAR(out->at(0), expected, 1e-5, 1e-6)
              << op << " " << shape.DebugString() << " subset " << subset
              << " keep " << keep;
        }
      }
    }
  }
}

TEST(Reductions, LargeTensorsRunInParallelAndMatchNaive) {
  std::mt19937 rng(62);
  Tensor x = RandomFloats(TensorShape{700, 513}, &rng, -1, 1);
  for (int axis : {0, 1}) {
    std::vector<bool> mask = {axis == 0, axis == 1};
    auto out = Reduce("Sum", x, Tensor::Scalar<int32_t>(axis));
    ASSERT_TRUE(out.ok()) << out.status();
    EXPECT_TENSOR_NEAR(out->at(0), NaiveReduce("Sum", x, mask, false), 1e-4,
                       1e-4);
    auto mx = Reduce("Max", x, Tensor::Scalar<int32_t>(axis));
    ASSERT_TRUE(mx.ok()) << mx.status();
    EXPECT_TENSOR_EQ(mx->at(0), NaiveReduce("Max", x, mask, false));
  }
  auto all = Reduce("Mean", x, Tensor::Vector<int32_t>({0, 1}));
  ASSERT_TRUE(all.ok()) << all.status();
  EXPECT_TENSOR_NEAR(all->at(0), NaiveReduce("Mean", x, {true, true}, false),
                     1e-4, 1e-5);
}

TEST(Mean, IntegerMeanTruncatesAndDoesNotOverflow) {
  auto ints = Reduce(
      "Mean", Tensor::FromVector<int32_t>({1, 2, -1, -2}, TensorShape{2, 2}),
      Tensor::Scalar<int32_t>(1));
  ASSERT_TRUE(ints.ok()) << ints.status();
  EXPECT_TENSOR_EQ(ints->at(0), Tensor::Vector<int32_t>({1, -1}));
  auto bytes = Reduce("Mean", Tensor::Vector<int8_t>({100, 100, 101}),
                      Tensor::Scalar<int32_t>(0));
  ASSERT_TRUE(bytes.ok()) << bytes.status();
  EXPECT_TENSOR_EQ(bytes->at(0), Tensor::Scalar<int8_t>(100));
  auto u8 = Reduce("Mean", Tensor::Vector<uint8_t>({255, 255}),
                   Tensor::Scalar<int32_t>(0));
  ASSERT_TRUE(u8.ok()) << u8.status();
  EXPECT_TENSOR_EQ(u8->at(0), Tensor::Scalar<uint8_t>(255));
}

TEST(Reductions, EmptyAxisGivesTensorFlowIdentities) {
  Tensor empty = Tensor::FromVector<float>({}, TensorShape{2, 0});
  const float inf = std::numeric_limits<float>::infinity();
  struct Case {
    const char* op;
    float value;
  };
  for (const Case& c : {Case{"Sum", 0.f}, Case{"Prod", 1.f}, Case{"Max", -inf},
                        Case{"Min", inf}, Case{"EuclideanNorm", 0.f}}) {
    auto out = Reduce(c.op, empty, Tensor::Scalar<int32_t>(1));
    ASSERT_TRUE(out.ok()) << out.status();
    EXPECT_TENSOR_EQ(out->at(0), Tensor::Vector<float>({c.value, c.value}))
        << c.op;
  }
  auto mean = Reduce("Mean", empty, Tensor::Scalar<int32_t>(1));
  ASSERT_TRUE(mean.ok()) << mean.status();
  EXPECT_TRUE(std::isnan(mean->at(0).data<float>()[0]));
  auto imax = Reduce("Max", Tensor::FromVector<int32_t>({}, TensorShape{0}),
                     Tensor::Scalar<int32_t>(0));
  ASSERT_TRUE(imax.ok()) << imax.status();
  EXPECT_TENSOR_EQ(imax->at(0), Tensor::Scalar<int32_t>(
                                    std::numeric_limits<int32_t>::lowest()));
  auto all = Reduce("All", Tensor::FromVector<bool>({}, TensorShape{0}),
                    Tensor::Scalar<int32_t>(0));
  ASSERT_TRUE(all.ok()) << all.status();
  EXPECT_TENSOR_EQ(all->at(0), Tensor::Scalar<bool>(true));
  auto empty_out =
      Reduce("Sum", Tensor::FromVector<float>({}, TensorShape{0, 3}),
             Tensor::Scalar<int32_t>(1));
  ASSERT_TRUE(empty_out.ok()) << empty_out.status();
  EXPECT_EQ(empty_out->at(0).shape(), (TensorShape{0}));
}

TEST(AllAny, ReduceBooleans) {
  Tensor x =
      Tensor::FromVector<bool>({true, false, true, true}, TensorShape{2, 2});
  auto all = Reduce("All", x, Tensor::Scalar<int32_t>(1));
  ASSERT_TRUE(all.ok()) << all.status();
  EXPECT_TENSOR_EQ(all->at(0), Tensor::Vector<bool>({false, true}));
  auto any = Reduce("Any", x, Tensor::Scalar<int32_t>(0));
  ASSERT_TRUE(any.ok()) << any.status();
  EXPECT_TENSOR_EQ(any->at(0), Tensor::Vector<bool>({true, true}));
  auto total = Reduce("All", x, Tensor::Vector<int32_t>({0, 1}));
  ASSERT_TRUE(total.ok()) << total.status();
  EXPECT_TENSOR_EQ(total->at(0), Tensor::Scalar<bool>(false));
}

TEST(Reductions, SupportIntegerHalfAndDoubleTypes) {
  auto prod = Reduce("Prod", Tensor::Vector<int64_t>({2, 3, 4}),
                     Tensor::Scalar<int32_t>(0));
  ASSERT_TRUE(prod.ok()) << prod.status();
  EXPECT_TENSOR_EQ(prod->at(0), Tensor::Scalar<int64_t>(24));
  using H = Eigen::half;
  auto half = Reduce("Sum", Tensor::Vector<H>({H(0.5f), H(1.5f), H(2)}),
                     Tensor::Scalar<int32_t>(0));
  ASSERT_TRUE(half.ok()) << half.status();
  EXPECT_TENSOR_EQ(half->at(0), Tensor::Scalar<H>(H(4)));
  auto norm = Reduce("EuclideanNorm", Tensor::Vector<double>({3, 4}),
                     Tensor::Scalar<int32_t>(0));
  ASSERT_TRUE(norm.ok()) << norm.status();
  EXPECT_TENSOR_EQ(norm->at(0), Tensor::Scalar<double>(5));
  auto inorm = Reduce("EuclideanNorm", Tensor::Vector<int32_t>({3, 5}),
                      Tensor::Scalar<int32_t>(0));
  ASSERT_TRUE(inorm.ok()) << inorm.status();
  EXPECT_TENSOR_EQ(inorm->at(0), Tensor::Scalar<int32_t>(5));  // sqrt(34)
  auto mn = Reduce("Min", Tensor::Vector<uint8_t>({7, 3, 9}),
                   Tensor::Scalar<int32_t>(0));
  ASSERT_TRUE(mn.ok()) << mn.status();
  EXPECT_TENSOR_EQ(mn->at(0), Tensor::Scalar<uint8_t>(3));
}

TEST(Reductions, ScalarInputWithNoAxes) {
  auto out = Reduce("Max", Tensor::Scalar<float>(3),
                    Tensor::FromVector<int32_t>({}, TensorShape{0}));
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_EQ(out->at(0), Tensor::Scalar<float>(3));
}

TEST(Reductions, RejectUnsupportedTypesAtLoad) {
  auto sum_bool =
      Reduce("Sum", Tensor::Vector<bool>({true}), Tensor::Scalar<int32_t>(0));
  EXPECT_FALSE(sum_bool.ok());
  auto all_float =
      Reduce("All", Tensor::Vector<float>({1}), Tensor::Scalar<int32_t>(0));
  EXPECT_FALSE(all_float.ok());
}

}  // namespace
}  // namespace model_server
