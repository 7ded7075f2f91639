#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "runtime/tensor.h"
#include "tests/testing/kernel_harness.h"

namespace model_server {
namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

absl::StatusOr<std::vector<Tensor>> RunOp(const std::string& op,
                                          const std::vector<Tensor>& inputs) {
  KernelHarness h(op);
  h.Attr("T", inputs[0].dtype());
  return h.Run(inputs);
}

void ExpectNear(const std::string& op, const std::vector<Tensor>& inputs,
                const Tensor& want, double tol = 1e-12) {
  auto out = RunOp(op, inputs);
  ASSERT_TRUE(out.ok()) << op << ": " << out.status();
  EXPECT_TENSOR_NEAR(out->at(0), want, tol, tol) << op;
}

TEST(Lgamma, HandComputedValues) {
  ExpectNear("Lgamma", {Tensor::Vector<double>({0.5, 1, 5, -0.5})},
             Tensor::Vector<double>({0.5723649429247001, 0, 3.1780538303479458,
                                     1.2655121234846454}));
  ExpectNear("Lgamma", {Tensor::Vector<float>({0.5f, 5})},
             Tensor::Vector<float>({0.5723649f, 3.1780539f}), 1e-6);
  ExpectNear("Lgamma", {Tensor::Vector<Eigen::half>({Eigen::half(5.0f)})},
             Tensor::Vector<Eigen::half>({Eigen::half(3.1780539f)}), 1e-3);
}

TEST(Digamma, HandComputedValues) {
  ExpectNear("Digamma", {Tensor::Vector<double>({1, 0.5, 2})},
             Tensor::Vector<double>({-0.5772156649015329, -1.9635100260214235,
                                     0.42278433509846713}));
}

TEST(Erfinv, InvertsErfAndSaturates) {
  ExpectNear("Erfinv", {Tensor::Vector<double>({0, 0.5, -0.9, 1, -1})},
             Tensor::Vector<double>(
                 {0, 0.4769362762044699, -1.1630871536766743, kInf, -kInf}),
             1e-10);
  // Outside [-1, 1] ndtri saturates, so (like TensorFlow, which computes
  // it the same way) the result is +-inf rather than NaN.
  ExpectNear("Erfinv", {Tensor::Vector<float>({2, -3})},
             Tensor::Vector<float>({INFINITY, -INFINITY}));
}

TEST(Ndtri, HandComputedValues) {
  ExpectNear("Ndtri", {Tensor::Vector<double>({0.5, 0.975, 0})},
             Tensor::Vector<double>({0, 1.959963984540054, -kInf}), 1e-10);
}

TEST(BesselFunctions, HandComputedValuesAtOne) {
  const std::vector<std::pair<std::string, double>> cases = {
      {"BesselI0", 1.2660658777520082},  {"BesselI0e", 0.46575960759364043},
      {"BesselI1", 0.5651591039924851},  {"BesselI1e", 0.2079104153497085},
      {"BesselJ0", 0.7651976865579666},  {"BesselJ1", 0.44005058574493355},
      {"BesselY0", 0.08825696421567696}, {"BesselY1", -0.7812128213002887},
      {"BesselK0", 0.42102443824070834}, {"BesselK0e", 1.1444630798068949},
      {"BesselK1", 0.6019072301972346},  {"BesselK1e", 1.636153486263258},
  };
  for (const auto& [op, want] : cases) {
    ExpectNear(op, {Tensor::Vector<double>({1})},
               Tensor::Vector<double>({want}), 1e-9);
    ExpectNear(op, {Tensor::Vector<float>({1})},
               Tensor::Vector<float>({static_cast<float>(want)}), 1e-5);
  }
}

TEST(Igamma, RegularizedIncompleteGammaWithBroadcasting) {
  Tensor a = Tensor::FromVector<double>({1, 2}, TensorShape{2, 1});
  Tensor x = Tensor::Vector<double>({1, 2});
  const double e = std::exp(1.0);
  // P(1, x) = 1 - exp(-x); P(2, x) = 1 - (1 + x) exp(-x).
  Tensor lower = Tensor::FromVector<double>(
      {1 - 1 / e, 1 - 1 / (e * e), 1 - 2 / e, 1 - 3 / (e * e)},
      TensorShape{2, 2});
  Tensor upper = Tensor::FromVector<double>(
      {1 / e, 1 / (e * e), 2 / e, 3 / (e * e)}, TensorShape{2, 2});
  ExpectNear("Igamma", {a, x}, lower);
  ExpectNear("Igammac", {a, x}, upper);
}

TEST(Zeta, HurwitzZetaValues) {
  const double pi2_6 = M_PI * M_PI / 6;
  ExpectNear(
      "Zeta",
      {Tensor::Vector<double>({2, 3, 2}), Tensor::Vector<double>({1, 1, 2})},
      Tensor::Vector<double>({pi2_6, 1.2020569031595942, pi2_6 - 1}));
}

TEST(Polygamma, OrderZeroIsDigamma) {
  const double pi2_6 = M_PI * M_PI / 6;
  ExpectNear(
      "Polygamma",
      {Tensor::Vector<double>({0, 1, 2}), Tensor::Scalar<double>(1)},
      Tensor::Vector<double>({-0.5772156649015329, pi2_6, -2.4041138063191885}),
      1e-10);
}

TEST(Betainc, ClosedFormsAndScalarBroadcasting) {
  Tensor x = Tensor::Vector<double>({0.1, 0.4, 0.9});
  ExpectNear("Betainc",
             {Tensor::Scalar<double>(1), Tensor::Scalar<double>(1), x}, x);
  ExpectNear("Betainc",
             {Tensor::Vector<double>({2, 2, 2}), Tensor::Scalar<double>(1), x},
             Tensor::Vector<double>({0.01, 0.16, 0.81}));
  ExpectNear("Betainc",
             {Tensor::Scalar<float>(2), Tensor::Scalar<float>(3),
              Tensor::Scalar<float>(0.4f)},
             Tensor::Scalar<float>(0.5248f), 1e-5);
  auto bad = RunOp("Betainc", {Tensor::Vector<double>({1, 2}),
                               Tensor::Vector<double>({1, 2, 3}),
                               Tensor::Scalar<double>(0.5)});
  EXPECT_EQ(bad.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(bad.status().message().find("Shapes of a and b are inconsistent"),
            std::string::npos)
      << bad.status();
}

TEST(SpecialFunctions, EmptyTensorsAndUnsupportedDtypes) {
  for (const char* op : {"Lgamma", "Digamma", "Erfinv", "BesselI1e"}) {
    auto out = RunOp(op, {Tensor::FromVector<float>({}, TensorShape{0, 2})});
    ASSERT_TRUE(out.ok()) << op << out.status();
    EXPECT_EQ(out->at(0).shape(), (TensorShape{0, 2}));
    EXPECT_EQ(RunOp(op, {Tensor::Vector<int32_t>({1})}).status().code(),
              absl::StatusCode::kUnimplemented);
  }
  Tensor empty = Tensor::FromVector<double>({}, TensorShape{0});
  auto igamma = RunOp("Igamma", {empty, Tensor::Scalar<double>(1)});
  ASSERT_TRUE(igamma.ok()) << igamma.status();
  EXPECT_EQ(igamma->at(0).NumElements(), 0);
  EXPECT_EQ(RunOp("Zeta", {Tensor::Vector<Eigen::half>({Eigen::half(1.0f)}),
                           Tensor::Vector<Eigen::half>({Eigen::half(1.0f)})})
                .status()
                .code(),
            absl::StatusCode::kUnimplemented);
}

}  // namespace
}  // namespace model_server
