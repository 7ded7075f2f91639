#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "runtime/tensor.h"
#include "tests/testing/kernel_harness.h"

namespace model_server {
namespace {

absl::StatusOr<std::vector<Tensor>> RunSelect(const std::string& op,
                                              const Tensor& c, const Tensor& t,
                                              const Tensor& e) {
  KernelHarness h(op);
  h.Attr("T", t.dtype());
  return h.Run({c, t, e});
}

Tensor Eval(const std::string& op, const Tensor& c, const Tensor& t,
            const Tensor& e) {
  auto out = RunSelect(op, c, t, e);
  EXPECT_TRUE(out.ok()) << op << ": " << out.status();
  return out.ok() ? out->at(0) : Tensor();
}

TEST(Select, ElementwiseCondition) {
  EXPECT_TENSOR_EQ(Eval("Select", Tensor::Vector<bool>({true, false, true}),
                        Tensor::Vector<float>({1, 2, 3}),
                        Tensor::Vector<float>({-1, -2, -3})),
                   Tensor::Vector<float>({1, -2, 3}));
}

TEST(Select, ScalarConditionPicksAWholeBranch) {
  Tensor t = Tensor::FromVector<int32_t>({1, 2, 3, 4}, TensorShape{2, 2});
  Tensor e = Tensor::FromVector<int32_t>({5, 6, 7, 8}, TensorShape{2, 2});
  EXPECT_TENSOR_EQ(Eval("Select", Tensor::Scalar(true), t, e), t);
  EXPECT_TENSOR_EQ(Eval("Select", Tensor::Scalar(false), t, e), e);
  auto bad = RunSelect("Select", Tensor::Scalar(true), t,
                       Tensor::Vector<int32_t>({1, 2, 3, 4}));
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find(
                "'then' and 'else' must have the same size.  but received: "
                "[2,2] vs. [4]"),
            std::string::npos)
      << bad.status();
}

TEST(Select, VectorConditionPicksRows) {
  Tensor t = Tensor::FromVector<std::string>({"a", "b", "c", "d", "e", "f"},
                                             TensorShape{3, 2});
  Tensor e = Tensor::FromVector<std::string>({"A", "B", "C", "D", "E", "F"},
                                             TensorShape{3, 2});
  EXPECT_TENSOR_EQ(
      Eval("Select", Tensor::Vector<bool>({true, false, true}), t, e),
      Tensor::FromVector<std::string>({"a", "b", "C", "D", "e", "f"},
                                      TensorShape{3, 2}));
  auto bad = RunSelect("Select", Tensor::Vector<bool>({true, false}), t, e);
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find(
                "Number of batches of 'then' must match size of 'cond', but "
                "saw: 3 vs. 2"),
            std::string::npos)
      << bad.status();
}

TEST(Select, MismatchedElementwiseShapesAreRejected) {
  auto bad = RunSelect("Select", Tensor::Vector<bool>({true, false}),
                       Tensor::Vector<float>({1, 2, 3}),
                       Tensor::Vector<float>({1, 2, 3}));
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(bad.status().message().find("must have the same size and shape"),
            std::string::npos)
      << bad.status();
}

TEST(Select, ConditionMustBeBool) {
  auto bad = RunSelect("Select", Tensor::Vector<float>({1}),
                       Tensor::Vector<float>({1}), Tensor::Vector<float>({2}));
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().code(), absl::StatusCode::kInvalidArgument);
}

TEST(SelectV2, BroadcastsAllThreeInputs) {
  Tensor c = Tensor::FromVector<bool>({true, false}, TensorShape{2, 1});
  Tensor t = Tensor::Vector<double>({1, 2, 3});
  Tensor e = Tensor::Scalar<double>(0);
  EXPECT_TENSOR_EQ(
      Eval("SelectV2", c, t, e),
      Tensor::FromVector<double>({1, 2, 3, 0, 0, 0}, TensorShape{2, 3}));
}

TEST(SelectV2, ScalarConditionBroadcastsBranches) {
  Tensor t = Tensor::Vector<int64_t>({1, 2});
  Tensor e = Tensor::Scalar<int64_t>(9);
  EXPECT_TENSOR_EQ(Eval("SelectV2", Tensor::Scalar(false), t, e),
                   Tensor::Vector<int64_t>({9, 9}));
  EXPECT_TENSOR_EQ(Eval("SelectV2", Tensor::Scalar(true), t, e), t);
}

TEST(SelectV2, IncompatibleShapesAreRejected) {
  auto bad = RunSelect("SelectV2", Tensor::Vector<bool>({true, false, true}),
                       Tensor::Vector<float>({1, 2}), Tensor::Scalar(0.f));
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(bad.status().message().find(
                "condition [3], then [2], and else [] must be broadcastable"),
            std::string::npos)
      << bad.status();
}

TEST(SelectV2, LargeBroadcastMatchesNaiveLoop) {
  std::mt19937 rng(8);
  const int64_t rows = 300, cols = 257;
  std::vector<bool> cond(cols);
  for (int64_t j = 0; j < cols; ++j) cond[j] = rng() % 2;
  std::vector<uint16_t> tv(rows * cols), ev(rows);
  for (auto& v : tv) v = rng() % 1000;
  for (auto& v : ev) v = rng() % 1000;
  Tensor c = Tensor::FromVector(cond, TensorShape{1, cols});
  Tensor t = Tensor::FromVector(tv, TensorShape{rows, cols});
  Tensor e = Tensor::FromVector(ev, TensorShape{rows, 1});
  std::vector<uint16_t> expected(rows * cols);
  for (int64_t i = 0; i < rows; ++i) {
    for (int64_t j = 0; j < cols; ++j) {
      expected[i * cols + j] = cond[j] ? tv[i * cols + j] : ev[i];
    }
  }
  EXPECT_TENSOR_EQ(Eval("SelectV2", c, t, e),
                   Tensor::FromVector(expected, TensorShape{rows, cols}));
}

TEST(SelectV2, EveryElementSizeAndStrings) {
  Tensor c = Tensor::Vector<bool>({false, true});
  EXPECT_TENSOR_EQ(Eval("SelectV2", c, Tensor::Vector<int8_t>({1, 2}),
                        Tensor::Vector<int8_t>({3, 4})),
                   Tensor::Vector<int8_t>({3, 2}));
  EXPECT_TENSOR_EQ(Eval("SelectV2", c,
                        Tensor::Vector<std::complex<double>>({{1, 1}, {2, 2}}),
                        Tensor::Vector<std::complex<double>>({{3, 3}, {4, 4}})),
                   Tensor::Vector<std::complex<double>>({{3, 3}, {2, 2}}));
  EXPECT_TENSOR_EQ(Eval("SelectV2", c, Tensor::Scalar(std::string("yes")),
                        Tensor::Scalar(std::string("no"))),
                   Tensor::Vector<std::string>({"no", "yes"}));
}

}  // namespace
}  // namespace model_server
