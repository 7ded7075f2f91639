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

// Numpy broadcasting the slow, obvious way: the output shape of x op y.
TensorShape NaiveBroadcastShape(const TensorShape& x, const TensorShape& y) {
  const int rank = std::max(x.rank(), y.rank());
  std::vector<int64_t> dims(rank);
  for (int d = 0; d < rank; ++d) {
    const int xd = d - (rank - x.rank()), yd = d - (rank - y.rank());
    const int64_t a = xd >= 0 ? x.dim(xd) : 1;
    const int64_t b = yd >= 0 ? y.dim(yd) : 1;
    dims[d] = a == 1 ? b : a;
  }
  return *TensorShape::FromDims(dims);
}

// Flat index into `in` of output element `flat` of shape `out`.
int64_t SourceIndex(const TensorShape& in, const TensorShape& out,
                    int64_t flat) {
  const int offset = out.rank() - in.rank();
  int64_t index = 0, stride = 1;
  for (int d = out.rank() - 1; d >= 0; --d) {
    const int64_t coord = flat % out.dim(d);
    flat /= out.dim(d);
    if (d >= offset) {
      const int64_t size = in.dim(d - offset);
      index += (size == 1 ? 0 : coord) * stride;
      stride *= size;
    }
  }
  return index;
}

template <typename T, typename F>
Tensor NaiveBinary(const Tensor& x, const Tensor& y, F f) {
  const TensorShape out = NaiveBroadcastShape(x.shape(), y.shape());
  std::vector<T> values(out.num_elements());
  for (int64_t i = 0; i < out.num_elements(); ++i) {
    values[i] = f(x.data<T>()[SourceIndex(x.shape(), out, i)],
                  y.data<T>()[SourceIndex(y.shape(), out, i)]);
  }
  return Tensor::FromVector(values, out);
}

template <typename T>
Tensor Random(const TensorShape& shape, std::mt19937* rng, double lo = -4,
              double hi = 4) {
  std::uniform_real_distribution<double> dist(lo, hi);
  std::vector<T> values(shape.num_elements());
  for (auto& v : values) v = static_cast<T>(dist(*rng));
  return Tensor::FromVector(values, shape);
}

absl::StatusOr<std::vector<Tensor>> RunBinary(const std::string& op,
                                              const Tensor& x,
                                              const Tensor& y) {
  KernelHarness h(op);
  h.Attr("T", x.dtype());
  return h.Run({x, y});
}

Tensor Eval(const std::string& op, const Tensor& x, const Tensor& y) {
  auto out = RunBinary(op, x, y);
  EXPECT_TRUE(out.ok()) << op << ": " << out.status();
  return out.ok() ? out->at(0) : Tensor();
}

TEST(Add, AddsSameShapedTensors) {
  EXPECT_TENSOR_EQ(Eval("Add", Tensor::Vector<float>({1, 2, 3}),
                        Tensor::Vector<float>({10, 20, 30})),
                   Tensor::Vector<float>({11, 22, 33}));
}

TEST(AddV2, BroadcastsScalarOnEitherSide) {
  EXPECT_TENSOR_EQ(
      Eval("AddV2", Tensor::Vector<float>({1, 2}), Tensor::Scalar(3.f)),
      Tensor::Vector<float>({4, 5}));
  EXPECT_TENSOR_EQ(
      Eval("Sub", Tensor::Scalar(3.f), Tensor::Vector<float>({1, 2})),
      Tensor::Vector<float>({2, 1}));
}

TEST(AddV2, BroadcastsRowVectorOverMatrix) {
  Tensor x = Tensor::FromVector<float>({1, 2, 3, 4, 5, 6}, TensorShape{2, 3});
  EXPECT_TENSOR_EQ(
      Eval("AddV2", x, Tensor::Vector<float>({10, 20, 30})),
      Tensor::FromVector<float>({11, 22, 33, 14, 25, 36}, TensorShape{2, 3}));
}

TEST(Mul, BroadcastsColumnAgainstRowToOuterProduct) {
  Tensor col = Tensor::FromVector<int32_t>({1, 2}, TensorShape{2, 1});
  Tensor row = Tensor::FromVector<int32_t>({3, 4, 5}, TensorShape{1, 3});
  EXPECT_TENSOR_EQ(
      Eval("Mul", col, row),
      Tensor::FromVector<int32_t>({3, 4, 5, 6, 8, 10}, TensorShape{2, 3}));
}

TEST(AddV2, IncompatibleShapesFailWithTensorFlowsMessage) {
  auto out = RunBinary(
      "AddV2", Tensor::FromVector<float>({1, 2, 3, 4, 5, 6}, TensorShape{2, 3}),
      Tensor::Vector<float>({1, 2, 3, 4}));
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(out.status().message().find("Incompatible shapes: [2,3] vs. [4]"),
            std::string::npos)
      << out.status();
}

TEST(AddV2, EmptyBroadcastGivesEmptyOutput) {
  Tensor x = Tensor::FromVector<float>({}, TensorShape{0, 3});
  Tensor out = Eval("AddV2", x, Tensor::Vector<float>({1, 2, 3}));
  EXPECT_EQ(out.shape(), (TensorShape{0, 3}));
}

TEST(AddV2, InputOfAnotherDtypeThanTIsRejected) {
  KernelHarness h("AddV2");
  h.Attr("T", DT_FLOAT);
  auto out = h.Run({Tensor::Vector<double>({1}), Tensor::Vector<double>({2})});
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.status().code(), absl::StatusCode::kInvalidArgument);
}

TEST(AddV2, UnsupportedDtypeFailsAtLoad) {
  auto out = RunBinary("AddV2", Tensor::Vector<std::string>({"a"}),
                       Tensor::Vector<std::string>({"b"}));
  ASSERT_FALSE(out.ok());
  EXPECT_NE(out.status().message().find("unsupported dtype"),
            std::string::npos);
  EXPECT_NE(out.status().message().find("string"), std::string::npos);
  auto real_div = RunBinary("RealDiv", Tensor::Vector<int32_t>({1}),
                            Tensor::Vector<int32_t>({2}));
  EXPECT_NE(real_div.status().message().find("unsupported dtype"),
            std::string::npos);
}

TEST(Add, ConcatenatesStringsWithBroadcasting) {
  EXPECT_TENSOR_EQ(Eval("Add", Tensor::Vector<std::string>({"a", "b"}),
                        Tensor::Scalar(std::string("!"))),
                   Tensor::Vector<std::string>({"a!", "b!"}));
}

TEST(AddV2, IntegerOverflowWraps) {
  const int32_t max = std::numeric_limits<int32_t>::max();
  EXPECT_TENSOR_EQ(
      Eval("AddV2", Tensor::Vector<int32_t>({max}),
           Tensor::Vector<int32_t>({1})),
      Tensor::Vector<int32_t>({std::numeric_limits<int32_t>::min()}));
}

TEST(AddV2, HalfAndBfloat16) {
  using Eigen::bfloat16;
  using Eigen::half;
  EXPECT_TENSOR_EQ(Eval("AddV2", Tensor::Vector<half>({half(1.5f), half(2.f)}),
                        Tensor::Vector<half>({half(0.25f), half(-4.f)})),
                   Tensor::Vector<half>({half(1.75f), half(-2.f)}));
  EXPECT_TENSOR_EQ(
      Eval("Mul", Tensor::Vector<bfloat16>({bfloat16(3.f)}),
           Tensor::Vector<bfloat16>({bfloat16(0.5f), bfloat16(-2.f)})),
      Tensor::Vector<bfloat16>({bfloat16(1.5f), bfloat16(-6.f)}));
}

TEST(Div, IntegerDivisionTruncatesTowardZero) {
  Tensor x = Tensor::Vector<int32_t>({7, -7, 7, -7});
  Tensor y = Tensor::Vector<int32_t>({2, 2, -2, -2});
  EXPECT_TENSOR_EQ(Eval("Div", x, y), Tensor::Vector<int32_t>({3, -3, -3, 3}));
  EXPECT_TENSOR_EQ(Eval("TruncateDiv", x, y),
                   Tensor::Vector<int32_t>({3, -3, -3, 3}));
  EXPECT_TENSOR_EQ(Eval("TruncateMod", x, y),
                   Tensor::Vector<int32_t>({1, -1, 1, -1}));
}

TEST(FloorDiv, IntegerDivisionRoundsDown) {
  Tensor x = Tensor::Vector<int64_t>({7, -7, 7, -7, 6, -6});
  Tensor y = Tensor::Vector<int64_t>({2, 2, -2, -2, 3, 3});
  EXPECT_TENSOR_EQ(Eval("FloorDiv", x, y),
                   Tensor::Vector<int64_t>({3, -4, -4, 3, 2, -2}));
  EXPECT_TENSOR_EQ(Eval("FloorMod", x, y),
                   Tensor::Vector<int64_t>({1, 1, -1, -1, 0, 0}));
}

TEST(FloorDiv, UnsignedIntegers) {
  EXPECT_TENSOR_EQ(Eval("FloorDiv", Tensor::Vector<uint8_t>({250, 7}),
                        Tensor::Vector<uint8_t>({7, 2})),
                   Tensor::Vector<uint8_t>({35, 3}));
  EXPECT_TENSOR_EQ(Eval("FloorMod", Tensor::Vector<uint16_t>({250, 7}),
                        Tensor::Vector<uint16_t>({7, 2})),
                   Tensor::Vector<uint16_t>({5, 1}));
}

TEST(Div, IntegerDivisionByZeroIsAnErrorNotACrash) {
  for (const char* op :
       {"Div", "TruncateDiv", "FloorDiv", "FloorMod", "TruncateMod"}) {
    auto out = RunBinary(op, Tensor::Vector<int32_t>({1, 2}),
                         Tensor::Vector<int32_t>({1, 0}));
    ASSERT_FALSE(out.ok()) << op;
    EXPECT_EQ(out.status().code(), absl::StatusCode::kInvalidArgument) << op;
    EXPECT_NE(out.status().message().find("Integer division by zero"),
              std::string::npos)
        << out.status();
  }
  auto scalar = RunBinary("FloorDiv", Tensor::Vector<int64_t>({1, 2}),
                          Tensor::Scalar<int64_t>(0));
  EXPECT_FALSE(scalar.ok());
}

TEST(Div, MostNegativeIntegerByMinusOneWrapsInsteadOfTrapping) {
  const int32_t min = std::numeric_limits<int32_t>::min();
  Tensor x = Tensor::Vector<int32_t>({min});
  Tensor y = Tensor::Vector<int32_t>({-1});
  for (const char* op : {"Div", "TruncateDiv", "FloorDiv"}) {
    EXPECT_TENSOR_EQ(Eval(op, x, y), Tensor::Vector<int32_t>({min})) << op;
  }
  for (const char* op : {"FloorMod", "TruncateMod"}) {
    EXPECT_TENSOR_EQ(Eval(op, x, y), Tensor::Vector<int32_t>({0})) << op;
  }
}

TEST(Div, FloatDivisionIsTrueDivision) {
  EXPECT_TENSOR_EQ(
      Eval("Div", Tensor::Vector<float>({7, 1}), Tensor::Vector<float>({2, 0})),
      Tensor::Vector<float>({3.5f, INFINITY}));
}

TEST(DivNoNan, ZeroDivisorGivesZero) {
  EXPECT_TENSOR_EQ(Eval("DivNoNan", Tensor::Vector<float>({1, 0, 6}),
                        Tensor::Vector<float>({0, 0, 3})),
                   Tensor::Vector<float>({0, 0, 2}));
  using Eigen::half;
  EXPECT_TENSOR_EQ(Eval("DivNoNan", Tensor::Vector<half>({half(1.f)}),
                        Tensor::Vector<half>({half(0.f)})),
                   Tensor::Vector<half>({half(0.f)}));
}

TEST(FloorMod, FloatResultTakesTheDivisorsSign) {
  EXPECT_TENSOR_EQ(Eval("FloorMod", Tensor::Vector<float>({5.5f, -5.5f, 5.5f}),
                        Tensor::Vector<float>({2, 2, -2})),
                   Tensor::Vector<float>({1.5f, 0.5f, -0.5f}));
  EXPECT_TENSOR_EQ(Eval("TruncateMod", Tensor::Vector<float>({5.5f, -5.5f}),
                        Tensor::Vector<float>({2, 2})),
                   Tensor::Vector<float>({1.5f, -1.5f}));
  EXPECT_TENSOR_EQ(Eval("FloorDiv", Tensor::Vector<double>({5.5, -5.5}),
                        Tensor::Vector<double>({2, 2})),
                   Tensor::Vector<double>({2, -3}));
}

TEST(Mod, IsTruncateModForIntegersAndFloats) {
  EXPECT_TENSOR_EQ(Eval("Mod", Tensor::Vector<int32_t>({7, -7, 7, -7}),
                        Tensor::Vector<int32_t>({3, 3, -3, -3})),
                   Tensor::Vector<int32_t>({1, -1, 1, -1}));
  EXPECT_TENSOR_EQ(Eval("Mod", Tensor::Vector<double>({5.5, -5.5}),
                        Tensor::Scalar<double>(2)),
                   Tensor::Vector<double>({1.5, -1.5}));
}

TEST(Maximum, PropagatesNaN) {
  Tensor out = Eval("Maximum", Tensor::Vector<float>({NAN, 1, 3}),
                    Tensor::Vector<float>({1, NAN, 2}));
  EXPECT_TRUE(std::isnan(out.data<float>()[0]));
  EXPECT_TRUE(std::isnan(out.data<float>()[1]));
  EXPECT_EQ(out.data<float>()[2], 3);
  Tensor min = Eval("Minimum", Tensor::Vector<int32_t>({4, -1}),
                    Tensor::Scalar<int32_t>(0));
  EXPECT_TENSOR_EQ(min, Tensor::Vector<int32_t>({0, -1}));
}

TEST(Pow, IntegerPowersAndNegativeExponentError) {
  EXPECT_TENSOR_EQ(Eval("Pow", Tensor::Vector<int32_t>({2, 3, -2, 0}),
                        Tensor::Vector<int32_t>({10, 0, 3, 0})),
                   Tensor::Vector<int32_t>({1024, 1, -8, 1}));
  auto out = RunBinary("Pow", Tensor::Vector<int64_t>({2}),
                       Tensor::Vector<int64_t>({-1}));
  ASSERT_FALSE(out.ok());
  EXPECT_NE(out.status().message().find(
                "Integers to negative integer powers are not allowed"),
            std::string::npos);
}

TEST(Pow, FloatPowers) {
  EXPECT_TENSOR_NEAR(Eval("Pow", Tensor::Vector<float>({2, 9, 2}),
                          Tensor::Vector<float>({3, 0.5f, -1})),
                     Tensor::Vector<float>({8, 3, 0.5f}), 1e-6, 1e-6);
}

TEST(SquaredDifference, SquaresTheDifference) {
  EXPECT_TENSOR_EQ(Eval("SquaredDifference", Tensor::Vector<float>({1, 5}),
                        Tensor::Scalar(3.f)),
                   Tensor::Vector<float>({4, 4}));
  EXPECT_TENSOR_EQ(Eval("SquaredDifference", Tensor::Vector<int64_t>({-2}),
                        Tensor::Vector<int64_t>({3})),
                   Tensor::Vector<int64_t>({25}));
}

TEST(Atan2, UsesBothSigns) {
  EXPECT_TENSOR_NEAR(Eval("Atan2", Tensor::Vector<float>({1, 1, -1}),
                          Tensor::Vector<float>({1, -1, -1})),
                     Tensor::Vector<float>({static_cast<float>(M_PI / 4),
                                            static_cast<float>(3 * M_PI / 4),
                                            static_cast<float>(-3 * M_PI / 4)}),
                     1e-6, 1e-6);
}

// Every floating-point op against a naive broadcast loop, on shapes that
// cover the flat, scalar, row, column and general paths, small and large
// enough for the thread pool.
TEST(BinaryOps, MatchNaiveBroadcastLoopOnRandomShapes) {
  struct Case {
    const char* op;
    std::function<double(double, double)> f;
  };
  const std::vector<Case> cases = {
      {"AddV2", [](double a, double b) { return a + b; }},
      {"Sub", [](double a, double b) { return a - b; }},
      {"Mul", [](double a, double b) { return a * b; }},
      {"RealDiv", [](double a, double b) { return a / b; }},
      {"Maximum", [](double a, double b) { return std::max(a, b); }},
      {"Minimum", [](double a, double b) { return std::min(a, b); }},
      {"SquaredDifference",
       [](double a, double b) { return (a - b) * (a - b); }},
      {"DivNoNan", [](double a, double b) { return b == 0 ? 0 : a / b; }},
      {"FloorDiv",
       [](double a, double b) {
         // The quotient is rounded to float before flooring, as in TF.
         return std::floor(static_cast<float>(a) / static_cast<float>(b));
       }},
      {"Pow", [](double a, double b) { return std::pow(std::fabs(a), b); }},
  };
  const std::vector<std::pair<TensorShape, TensorShape>> shapes = {
      {TensorShape{7}, TensorShape{7}},
      {TensorShape{300, 257}, TensorShape{300, 257}},
      {TensorShape{}, TensorShape{40000}},
      {TensorShape{40000}, TensorShape{}},
      {TensorShape{5, 3}, TensorShape{3}},
      {TensorShape{20000, 3}, TensorShape{3}},  // short rows, tiled
      {TensorShape{5}, TensorShape{9000, 5}},   // short rows, row first
      {TensorShape{33, 15}, TensorShape{1, 15}},
      {TensorShape{1000, 64}, TensorShape{64}},
      {TensorShape{64, 1}, TensorShape{1, 700}},
      {TensorShape{2, 1, 4, 1}, TensorShape{3, 1, 5}},
      {TensorShape{8, 1, 30, 7}, TensorShape{1, 40, 1, 7}},
      {TensorShape{4, 5, 1}, TensorShape{5, 9}},
  };
  std::mt19937 rng(3);
  for (const Case& c : cases) {
    for (const auto& [xs, ys] : shapes) {
      Tensor x = Random<float>(xs, &rng);
      Tensor y = Random<float>(ys, &rng);
      if (std::string(c.op) == "Pow") {
        // Keep the base positive so results are real.
        for (float& v : x.flat<float>()) v = std::fabs(v) + 0.1f;
      }
      Tensor expected = NaiveBinary<float>(x, y, [&](float a, float b) {
        return static_cast<float>(c.f(a, b));
      });
      auto out = RunBinary(c.op, x, y);
      ASSERT_TRUE(out.ok()) << c.op << out.status();
      EXPECT_TENSOR_NEAR(out->at(0), expected, 1e-5, 1e-5)
          << c.op << " " << xs.DebugString() << " " << ys.DebugString();
    }
  }
}

TEST(BinaryOps, DoubleAndIntegerPathsMatchNaiveLoop) {
  std::mt19937 rng(5);
  const TensorShape xs{30, 1, 50}, ys{20, 1};
  Tensor xd = Random<double>(xs, &rng), yd = Random<double>(ys, &rng);
  EXPECT_TENSOR_NEAR(
      Eval("Mul", xd, yd),
      NaiveBinary<double>(xd, yd, [](double a, double b) { return a * b; }),
      1e-12, 1e-12);
  Tensor xi = Random<int64_t>(xs, &rng, -100, 100);
  Tensor yi = Random<int64_t>(ys, &rng, 1, 9);
  EXPECT_TENSOR_EQ(Eval("FloorMod", xi, yi),
                   NaiveBinary<int64_t>(xi, yi, [](int64_t a, int64_t b) {
                     const int64_t r = a % b;
                     return (r != 0 && ((r < 0) != (b < 0))) ? r + b : r;
                   }));
  EXPECT_TENSOR_EQ(
      Eval("Sub", xi, yi),
      NaiveBinary<int64_t>(xi, yi, [](int64_t a, int64_t b) { return a - b; }));
}

// half and bfloat16 round after each operation; the vectorized paths must
// agree with doing each step in float and rounding.
template <typename T>
void CheckLowPrecisionOps() {
  std::mt19937 rng(21);
  const TensorShape xs{40, 33}, ys{33};
  Tensor x = Random<T>(xs, &rng), y = Random<T>(ys, &rng);
  x.flat<T>()[5] = T(NAN);
  auto rounded = [](float v) { return static_cast<float>(T(v)); };
  const std::vector<std::pair<const char*, std::function<float(float, float)>>>
      cases = {
          {"AddV2", [&](float a, float b) { return rounded(a + b); }},
          {"Mul", [&](float a, float b) { return rounded(a * b); }},
          {"Maximum",
           [](float a, float b) {
             return std::isnan(a) || std::isnan(b) ? NAN : std::max(a, b);
           }},
          {"SquaredDifference",
           [&](float a, float b) {
             const float d = rounded(a - b);
             return rounded(d * d);
           }},
      };
  for (const auto& [op, f] : cases) {
    Tensor expected = NaiveBinary<T>(x, y, [&](T a, T b) {
      return T(f(static_cast<float>(a), static_cast<float>(b)));
    });
    EXPECT_TENSOR_EQ(Eval(op, x, y), expected) << op;
  }
}

TEST(BinaryOps, HalfVectorPathsRoundLikeScalarOnes) {
  CheckLowPrecisionOps<Eigen::half>();
}

TEST(BinaryOps, Bfloat16VectorPathsRoundLikeScalarOnes) {
  CheckLowPrecisionOps<Eigen::bfloat16>();
}

// ClipByValue lives in clip_by_value.cc; its broadcasting follows the binary
// ops, so it is tested here.
absl::StatusOr<std::vector<Tensor>> RunClip(const Tensor& t, const Tensor& lo,
                                            const Tensor& hi) {
  KernelHarness h("ClipByValue");
  h.Attr("T", t.dtype());
  return h.Run({t, lo, hi});
}

TEST(ClipByValue, ClipsToScalarBounds) {
  auto out = RunClip(Tensor::Vector<float>({-5, 0.5f, 5, NAN}),
                     Tensor::Scalar(-1.f), Tensor::Scalar(1.f));
  ASSERT_TRUE(out.ok()) << out.status();
  const float* v = out->at(0).data<float>();
  EXPECT_EQ(v[0], -1);
  EXPECT_EQ(v[1], 0.5f);
  EXPECT_EQ(v[2], 1);
  EXPECT_TRUE(std::isnan(v[3]));
}

TEST(ClipByValue, LargeTensorMatchesScalarLoop) {
  std::mt19937 rng(9);
  Tensor t = Random<float>(TensorShape{100000}, &rng);
  auto out = RunClip(t, Tensor::Scalar(-1.f), Tensor::Scalar(2.f));
  ASSERT_TRUE(out.ok());
  std::vector<float> expected(t.NumElements());
  for (int64_t i = 0; i < t.NumElements(); ++i) {
    expected[i] = std::max(std::min(t.data<float>()[i], 2.f), -1.f);
  }
  EXPECT_TENSOR_EQ(out->at(0), Tensor::FromVector(expected, t.shape()));
}

TEST(ClipByValue, ElementwiseAndBroadcastBounds) {
  Tensor t = Tensor::FromVector<int32_t>({1, 5, 9, 1, 5, 9}, TensorShape{2, 3});
  Tensor lo =
      Tensor::FromVector<int32_t>({2, 2, 2, 0, 0, 0}, TensorShape{2, 3});
  auto same = RunClip(t, lo, Tensor::Scalar<int32_t>(6));
  ASSERT_TRUE(same.ok()) << same.status();
  EXPECT_TENSOR_EQ(same->at(0), Tensor::FromVector<int32_t>({2, 5, 6, 1, 5, 6},
                                                            TensorShape{2, 3}));
  // Extension: a row of bounds that broadcasts to t's shape.
  auto row = RunClip(t, Tensor::Scalar<int32_t>(0),
                     Tensor::Vector<int32_t>({0, 4, 8}));
  ASSERT_TRUE(row.ok()) << row.status();
  EXPECT_TENSOR_EQ(row->at(0), Tensor::FromVector<int32_t>({0, 4, 8, 0, 4, 8},
                                                           TensorShape{2, 3}));
}

TEST(ClipByValue, BoundsThatWouldGrowTheOutputAreRejected) {
  auto out = RunClip(Tensor::Vector<float>({1, 2}),
                     Tensor::FromVector<float>({0, 0, 0, 0}, TensorShape{2, 2}),
                     Tensor::Scalar(1.f));
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(out.status().message().find("clip_value_min and clip_value_max"),
            std::string::npos);
}

}  // namespace
}  // namespace model_server
