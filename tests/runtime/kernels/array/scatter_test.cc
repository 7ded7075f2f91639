// The TF1 Scatter* ops on a plain tensor (a frozen graph's Const); the
// reference-variable case is in tests/runtime/kernels/state/variables_test.cc.
#include <complex>
#include <cstdint>
#include <limits>
#include <string>
#include <utility>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/runtime/kernels/array/array_test_tensors.h"
#include "tests/testing/kernel_harness.h"

namespace model_server {
namespace {

using ::testing::HasSubstr;
using testing_tensors::Iota;

// Runs `op` on params [3, 2] = 0..5 with rows {2, 0} and updates
// {{1, 2}, {3, 4}} as float.
absl::StatusOr<std::vector<Tensor>> RunRowScatter(const std::string& op) {
  KernelHarness k(op);
  k.Attr("T", DT_FLOAT).Attr("Tindices", DT_INT32).Attr("use_locking", true);
  return k.Run({Iota(TensorShape{3, 2}), Tensor::Vector<int32_t>({2, 0}),
                Tensor::FromVector<float>({1, 2, 3, 4}, TensorShape{2, 2})});
}

TEST(Scatter, CombinesRowsByEachOp) {
  const std::vector<std::pair<std::string, std::vector<float>>> cases = {
      {"ScatterUpdate", {3, 4, 2, 3, 1, 2}},
      {"ScatterAdd", {3, 5, 2, 3, 5, 7}},
      {"ScatterSub", {-3, -3, 2, 3, 3, 3}},
      {"ScatterMul", {0, 4, 2, 3, 4, 10}},
      {"ScatterDiv", {0, 0.25f, 2, 3, 4, 2.5f}},
      {"ScatterMin", {0, 1, 2, 3, 1, 2}},
      {"ScatterMax", {3, 4, 2, 3, 4, 5}},
  };
  for (const auto& [op, want] : cases) {
    auto out = RunRowScatter(op);
    ASSERT_TRUE(out.ok()) << op << ": " << out.status();
    EXPECT_TENSOR_EQ(out->at(0), Tensor::FromVector(want, TensorShape{3, 2}))
        << op;
  }
}

TEST(Scatter, AppliesAScalarUpdateToEveryNamedRowAndDuplicatesAddUp) {
  KernelHarness k("ScatterAdd");
  k.Attr("T", DT_INT64).Attr("Tindices", DT_INT64);
  auto out =
      k.Run({Tensor::FromVector<int64_t>({0, 0, 0, 0}, TensorShape{2, 2}),
             Tensor::Vector<int64_t>({1, 1, 1}), Tensor::Scalar<int64_t>(5)});
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_EQ(out->at(0), Tensor::FromVector<int64_t>({0, 0, 15, 15},
                                                           TensorShape{2, 2}));
}

TEST(ScatterUpdate, TakesStringsAndMatrixIndices) {
  KernelHarness k("ScatterUpdate");
  k.Attr("T", DT_STRING);
  auto out =
      k.Run({Tensor::Vector<std::string>({"a", "b", "c", "d"}),
             Tensor::FromVector<int32_t>({3, 0}, TensorShape{1, 2}),
             Tensor::FromVector<std::string>({"x", "y"}, TensorShape{1, 2})});
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_EQ(out->at(0),
                   Tensor::Vector<std::string>({"y", "b", "c", "x"}));
}

TEST(Scatter, HandlesEmptyIndices) {
  KernelHarness k("ScatterMul");
  k.Attr("T", DT_FLOAT);
  auto out = k.Run({Iota(TensorShape{2, 2}), Tensor::Vector<int32_t>({}),
                    Tensor::FromVector<float>({}, TensorShape{0, 2})});
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_EQ(out->at(0), Iota(TensorShape{2, 2}));
}

TEST(Scatter, RejectsBadIndicesShapesAndIntegerDivisionByZero) {
  KernelHarness k("ScatterSub");
  k.Attr("T", DT_FLOAT);
  auto out =
      k.Run({Iota(TensorShape{3, 2}), Tensor::Vector<int32_t>({0, 3}),
             Tensor::FromVector<float>({1, 2, 3, 4}, TensorShape{2, 2})});
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(out.status().message(),
              HasSubstr("indices[1] = 3 is not in [0, 3)"));
  out = k.Run({Iota(TensorShape{3, 2}), Tensor::Vector<int32_t>({0, 1}),
               Tensor::Vector<float>({1, 2})});
  ASSERT_FALSE(out.ok());
  EXPECT_THAT(out.status().message(),
              HasSubstr("Must have updates.shape = indices.shape + "
                        "params.shape[1:] or updates.shape = []"));
  KernelHarness div("ScatterDiv");
  div.Attr("T", DT_INT32);
  out = div.Run({Tensor::Vector<int32_t>({4, 6}), Tensor::Vector<int32_t>({1}),
                 Tensor::Vector<int32_t>({0})});
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.status().code(), absl::StatusCode::kInvalidArgument);
  out = div.Run(
      {Tensor::Vector<int32_t>({std::numeric_limits<int32_t>::min(), 6}),
       Tensor::Vector<int32_t>({0}), Tensor::Vector<int32_t>({-1})});
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_EQ(out->at(0), Tensor::Vector<int32_t>(
                                   {std::numeric_limits<int32_t>::min(), 6}));
}

TEST(ScatterMax, RejectsComplexAtLoad) {
  KernelHarness k("ScatterMax");
  k.Attr("T", DT_COMPLEX64);
  auto out = k.Run({Tensor::Vector<std::complex<float>>({{1, 1}}),
                    Tensor::Vector<int32_t>({0}),
                    Tensor::Vector<std::complex<float>>({{2, 2}})});
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.status().code(), absl::StatusCode::kUnimplemented);
}

}  // namespace
}  // namespace model_server
