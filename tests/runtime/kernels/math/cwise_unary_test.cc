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

using Eigen::bfloat16;
using Eigen::half;

absl::StatusOr<std::vector<Tensor>> RunUnary(const std::string& op,
                                             const Tensor& x) {
  KernelHarness h(op);
  h.Attr("T", x.dtype());
  return h.Run({x});
}

Tensor Eval(const std::string& op, const Tensor& x) {
  auto out = RunUnary(op, x);
  EXPECT_TRUE(out.ok()) << op << ": " << out.status();
  return out.ok() ? out->at(0) : Tensor();
}

template <typename T>
Tensor Map(const Tensor& x, const std::function<double(double)>& f) {
  std::vector<T> values(x.NumElements());
  for (int64_t i = 0; i < x.NumElements(); ++i) {
    values[i] = static_cast<T>(f(static_cast<double>(x.data<T>()[i])));
  }
  return Tensor::FromVector(values, x.shape());
}

template <typename T>
Tensor Uniform(int64_t n, double lo, double hi, std::mt19937* rng) {
  std::uniform_real_distribution<double> dist(lo, hi);
  std::vector<T> values(n);
  for (auto& v : values) v = static_cast<T>(dist(*rng));
  return Tensor::Vector(values);
}

struct UnaryCase {
  const char* op;
  double lo, hi;  // input range
  std::function<double(double)> f;
};

double Sigmoid(double x) { return 1 / (1 + std::exp(-x)); }
double Softplus(double x) { return std::log1p(std::exp(x)); }

const std::vector<UnaryCase>& FloatCases() {
  static const auto* cases = new std::vector<UnaryCase>{
      {"Neg", -5, 5, [](double x) { return -x; }},
      {"Abs", -5, 5, [](double x) { return std::fabs(x); }},
      {"Exp", -20, 20, [](double x) { return std::exp(x); }},
      {"Expm1", -2, 2, [](double x) { return std::expm1(x); }},
      {"Log", 0.001, 100, [](double x) { return std::log(x); }},
      {"Log1p", -0.9, 10, [](double x) { return std::log1p(x); }},
      {"Sqrt", 0, 100, [](double x) { return std::sqrt(x); }},
      {"Rsqrt", 0.01, 100, [](double x) { return 1 / std::sqrt(x); }},
      {"Square", -10, 10, [](double x) { return x * x; }},
      {"Reciprocal", 0.1, 10, [](double x) { return 1 / x; }},
      {"Inv", -10, -0.1, [](double x) { return 1 / x; }},
      {"Tanh", -10, 10, [](double x) { return std::tanh(x); }},
      {"Sigmoid", -20, 20, Sigmoid},
      {"Sin", -6, 6, [](double x) { return std::sin(x); }},
      {"Cos", -6, 6, [](double x) { return std::cos(x); }},
      {"Tan", -1.2, 1.2, [](double x) { return std::tan(x); }},
      {"Asin", -0.99, 0.99, [](double x) { return std::asin(x); }},
      {"Acos", -0.99, 0.99, [](double x) { return std::acos(x); }},
      {"Atan", -10, 10, [](double x) { return std::atan(x); }},
      {"Asinh", -10, 10, [](double x) { return std::asinh(x); }},
      {"Acosh", 1, 10, [](double x) { return std::acosh(x); }},
      {"Atanh", -0.99, 0.99, [](double x) { return std::atanh(x); }},
      {"Sinh", -5, 5, [](double x) { return std::sinh(x); }},
      {"Cosh", -5, 5, [](double x) { return std::cosh(x); }},
      {"Erf", -3, 3, [](double x) { return std::erf(x); }},
      {"Erfc", -3, 3, [](double x) { return std::erfc(x); }},
      {"Floor", -5, 5, [](double x) { return std::floor(x); }},
      {"Ceil", -5, 5, [](double x) { return std::ceil(x); }},
      {"Round", -5, 5, [](double x) { return std::nearbyint(x); }},
      {"Rint", -5, 5, [](double x) { return std::nearbyint(x); }},
      {"Sign", -5, 5, [](double x) { return (x > 0) - (x < 0); }},
      {"Relu", -5, 5, [](double x) { return std::max(x, 0.0); }},
      {"Relu6", -3, 9,
       [](double x) { return std::min(std::max(x, 0.0), 6.0); }},
      {"Elu", -5, 5, [](double x) { return x < 0 ? std::expm1(x) : x; }},
      {"Selu", -5, 5,
       [](double x) {
         return x < 0 ? 1.7580993408473768599402175208123 * std::expm1(x)
                      : 1.0507009873554804934193349852946 * x;
       }},
      {"Softplus", -30, 30, Softplus},
      {"Softsign", -5, 5, [](double x) { return x / (1 + std::fabs(x)); }},
  };
  return *cases;
}

// Every float op against the C library, on a tensor large enough for the
// thread pool and a small one.
TEST(UnaryOps, FloatMatchesReferenceFunctions) {
  std::mt19937 rng(11);
  for (const UnaryCase& c : FloatCases()) {
    for (int64_t n : {int64_t{13}, int64_t{50000}}) {
      Tensor x = Uniform<float>(n, c.lo, c.hi, &rng);
      EXPECT_TENSOR_NEAR(Eval(c.op, x), Map<float>(x, c.f), 2e-5, 1e-6)
          << c.op << " n=" << n;
    }
  }
}

TEST(UnaryOps, DoubleMatchesReferenceFunctions) {
  std::mt19937 rng(12);
  for (const UnaryCase& c : FloatCases()) {
    Tensor x = Uniform<double>(1000, c.lo, c.hi, &rng);
    EXPECT_TENSOR_NEAR(Eval(c.op, x), Map<double>(x, c.f), 1e-9, 1e-12) << c.op;
  }
}

TEST(UnaryOps, HalfAndBfloat16MatchReferenceWithinTheirPrecision) {
  std::mt19937 rng(13);
  for (const UnaryCase& c : FloatCases()) {
    // Softplus switches to its asymptotes at TensorFlow's precision-dependent
    // thresholds, which are far from the exact value for bfloat16.
    if (std::string(c.op) == "Softplus") continue;
    Tensor h = Uniform<half>(200, c.lo, c.hi, &rng);
    EXPECT_TENSOR_NEAR(Eval(c.op, h), Map<half>(h, c.f), 2e-3, 1e-3) << c.op;
    Tensor b = Uniform<bfloat16>(200, c.lo, c.hi, &rng);
    EXPECT_TENSOR_NEAR(Eval(c.op, b), Map<bfloat16>(b, c.f), 1.6e-2, 1e-2)
        << c.op;
  }
}

TEST(Round, RoundsHalfToEven) {
  Tensor x =
      Tensor::Vector<float>({0.5f, 1.5f, 2.5f, -0.5f, -1.5f, 2.4f, 2.6f});
  EXPECT_TENSOR_EQ(Eval("Round", x),
                   Tensor::Vector<float>({0, 2, 2, -0.f, -2, 2, 3}));
  EXPECT_TENSOR_EQ(Eval("Round", Tensor::Vector<int32_t>({-3, 7})),
                   Tensor::Vector<int32_t>({-3, 7}));
}

TEST(Sign, IntegersAndNaN) {
  EXPECT_TENSOR_EQ(Eval("Sign", Tensor::Vector<int64_t>({-9, 0, 4})),
                   Tensor::Vector<int64_t>({-1, 0, 1}));
  Tensor s = Eval("Sign", Tensor::Vector<float>({NAN, -0.f}));
  EXPECT_TRUE(std::isnan(s.data<float>()[0]));
  EXPECT_EQ(s.data<float>()[1], 0);
}

TEST(Relu, PropagatesNaNAndHandlesIntegers) {
  Tensor r = Eval("Relu", Tensor::Vector<float>({NAN, -1, 2}));
  EXPECT_TRUE(std::isnan(r.data<float>()[0]));
  EXPECT_EQ(r.data<float>()[1], 0);
  Tensor r6 = Eval("Relu6", Tensor::Vector<float>(std::vector<float>(40, NAN)));
  EXPECT_TRUE(std::isnan(r6.data<float>()[39]));
  EXPECT_TENSOR_EQ(Eval("Relu", Tensor::Vector<int32_t>({-4, 0, 4})),
                   Tensor::Vector<int32_t>({0, 0, 4}));
  EXPECT_TENSOR_EQ(Eval("Relu6", Tensor::Vector<int8_t>({-4, 3, 100})),
                   Tensor::Vector<int8_t>({0, 3, 6}));
  EXPECT_TENSOR_EQ(Eval("Relu", Tensor::Vector<uint8_t>({0, 200})),
                   Tensor::Vector<uint8_t>({0, 200}));
}

TEST(LeakyRelu, DefaultAlphaIsPointTwo) {
  EXPECT_TENSOR_NEAR(Eval("LeakyRelu", Tensor::Vector<float>({-10, 0, 3})),
                     Tensor::Vector<float>({-2, 0, 3}), 1e-6, 1e-6);
}

TEST(LeakyRelu, AnyAlphaIncludingAboveOneAndNegative) {
  for (float alpha : {2.f, -0.5f}) {
    KernelHarness h("LeakyRelu");
    h.Attr("T", DT_FLOAT).Attr("alpha", alpha);
    std::mt19937 rng(4);
    Tensor x = Uniform<float>(40000, -3, 3, &rng);
    auto out = h.Run({x});
    ASSERT_TRUE(out.ok()) << out.status();
    EXPECT_TENSOR_NEAR(
        out->at(0),
        Map<float>(x, [&](double v) { return v > 0 ? v : v * alpha; }), 1e-6,
        1e-6);
  }
}

TEST(Softplus, UsesTheAsymptotesBeyondTheThresholds) {
  Tensor out = Eval("Softplus", Tensor::Vector<float>({100, -100, 0}));
  EXPECT_EQ(out.data<float>()[0], 100);
  EXPECT_NEAR(out.data<float>()[1], std::exp(-100.f), 1e-45);
  EXPECT_NEAR(out.data<float>()[2], std::log(2.f), 1e-6);
}

TEST(IsNan, PredicatesOutputBool) {
  Tensor x = Tensor::Vector<float>({1, NAN, INFINITY, -INFINITY});
  EXPECT_TENSOR_EQ(Eval("IsNan", x),
                   Tensor::Vector<bool>({false, true, false, false}));
  EXPECT_TENSOR_EQ(Eval("IsInf", x),
                   Tensor::Vector<bool>({false, false, true, true}));
  EXPECT_TENSOR_EQ(Eval("IsFinite", x),
                   Tensor::Vector<bool>({true, false, false, false}));
  EXPECT_TENSOR_EQ(Eval("IsNan", Tensor::Vector<half>({half(1.f), half(NAN)})),
                   Tensor::Vector<bool>({false, true}));
}

TEST(Neg, IntegerNegationWrapsAtTheMinimum) {
  const int32_t min = std::numeric_limits<int32_t>::min();
  EXPECT_TENSOR_EQ(Eval("Neg", Tensor::Vector<int32_t>({5, min})),
                   Tensor::Vector<int32_t>({-5, min}));
  EXPECT_TENSOR_EQ(Eval("Abs", Tensor::Vector<int8_t>({-5, -128})),
                   Tensor::Vector<int8_t>({5, -128}));
  EXPECT_TENSOR_EQ(Eval("Square", Tensor::Vector<uint16_t>({300})),
                   Tensor::Vector<uint16_t>({static_cast<uint16_t>(90000)}));
}

TEST(UnaryOps, EmptyAndHigherRankShapesArePreserved) {
  Tensor empty = Tensor::FromVector<float>({}, TensorShape{0, 4});
  EXPECT_EQ(Eval("Exp", empty).shape(), (TensorShape{0, 4}));
  Tensor cube = Tensor::FromVector<float>({1, 4, 9, 16, 25, 36, 49, 64},
                                          TensorShape{2, 2, 2});
  EXPECT_TENSOR_EQ(Eval("Sqrt", cube),
                   Tensor::FromVector<float>({1, 2, 3, 4, 5, 6, 7, 8},
                                             TensorShape{2, 2, 2}));
}

TEST(UnaryOps, UnsupportedDtypesFailAtLoad) {
  for (const char* op : {"Exp", "Tanh", "Sigmoid", "LeakyRelu", "IsNan"}) {
    auto out = RunUnary(op, Tensor::Vector<int32_t>({1}));
    ASSERT_FALSE(out.ok()) << op;
    EXPECT_NE(out.status().message().find("unsupported dtype"),
              std::string::npos)
        << op;
    EXPECT_NE(out.status().message().find("int32"), std::string::npos);
  }
  auto neg = RunUnary("Neg", Tensor::Vector<uint8_t>({1}));
  EXPECT_NE(neg.status().message().find("unsupported dtype"),
            std::string::npos);
  auto str = RunUnary("Abs", Tensor::Vector<std::string>({"a"}));
  EXPECT_NE(str.status().message().find("unsupported dtype"),
            std::string::npos);
}

TEST(UnaryOps, InputOfAnotherDtypeThanTIsRejected) {
  KernelHarness h("Exp");
  h.Attr("T", DT_DOUBLE);
  auto out = h.Run({Tensor::Vector<float>({1})});
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.status().code(), absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace model_server
