#include <complex>
#include <memory>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "tests/testing/kernel_harness.h"

namespace model_server {
namespace {

using Strings = std::vector<std::string>;

// Attrs as TensorFlow writes them into a graph (all present).
std::unique_ptr<KernelHarness> AsString(DataType dtype) {
  auto k = std::make_unique<KernelHarness>("AsString");
  k->Attr("T", dtype)
      .Attr("precision", -1)
      .Attr("scientific", false)
      .Attr("shortest", false)
      .Attr("width", -1)
      .Attr("fill", "");
  return k;
}

TEST(AsString, FormatsIntegersKeepingShape) {
  auto out = AsString(DT_INT64)->Run({Tensor::FromVector<int64_t>(
      {0, 1, -42, 9000000000}, TensorShape{2, 2})});
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_EQ(out->at(0),
                   Tensor::FromVector<std::string>(
                       {"0", "1", "-42", "9000000000"}, TensorShape{2, 2}));
  out = AsString(DT_INT32)->Run({Tensor::Vector<int32_t>({-20, 20})});
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_EQ(out->at(0),
                   Tensor::Vector<std::string>(Strings{"-20", "20"}));
  out = AsString(DT_UINT8)->Run({Tensor::Vector<uint8_t>({0, 255})});
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_EQ(out->at(0),
                   Tensor::Vector<std::string>(Strings{"0", "255"}));
}

TEST(AsString, FormatsFloatsLikePrintf) {
  const Tensor x = Tensor::Vector<float>({-4.0f, 3.14159f, 1e10f});
  auto out = AsString(DT_FLOAT)->Run({x});
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_EQ(out->at(0),
                   Tensor::Vector<std::string>(
                       Strings{"-4.000000", "3.141590", "10000000000.000000"}));
  auto sci = AsString(DT_FLOAT);
  sci->Attr("scientific", true).Attr("precision", 2);
  out = sci->Run({x});
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_EQ(out->at(0), Tensor::Vector<std::string>(Strings{
                                   "-4.00e+00", "3.14e+00", "1.00e+10"}));
  auto shortest = AsString(DT_DOUBLE);
  shortest->Attr("shortest", true);
  out = shortest->Run({Tensor::Vector<double>({0.5, 1e20, 0.1})});
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_EQ(out->at(0),
                   Tensor::Vector<std::string>(Strings{"0.5", "1e+20", "0.1"}));
}

TEST(AsString, AppliesWidthAndFill) {
  auto space = AsString(DT_INT64);
  space->Attr("fill", " ").Attr("width", 4);
  auto out = space->Run({Tensor::Vector<int64_t>({-42, 0, 42})});
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_EQ(
      out->at(0), Tensor::Vector<std::string>(Strings{" -42", "   0", "  42"}));
  auto left = AsString(DT_INT64);
  left->Attr("fill", "-").Attr("width", 4);
  out = left->Run({Tensor::Vector<int64_t>({-42, 0, 42})});
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_EQ(
      out->at(0), Tensor::Vector<std::string>(Strings{"-42 ", "0   ", "42  "}));
  auto zero = AsString(DT_FLOAT);
  zero->Attr("fill", "0").Attr("width", 8).Attr("precision", 2);
  out = zero->Run({Tensor::Vector<float>({-3.5f, 2.25f})});
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_EQ(
      out->at(0), Tensor::Vector<std::string>(Strings{"-0003.50", "00002.25"}));
}

TEST(AsString, SpellsOutBoolsAndFormatsComplex) {
  auto out = AsString(DT_BOOL)->Run({Tensor::Vector<bool>({true, false})});
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_EQ(out->at(0),
                   Tensor::Vector<std::string>(Strings{"true", "false"}));
  auto c = AsString(DT_COMPLEX64);
  c->Attr("precision", 1);
  out = c->Run({Tensor::Vector<std::complex<float>>({{1.5f, -2.0f}})});
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_EQ(out->at(0),
                   Tensor::Vector<std::string>(Strings{"(1.5,-2.0)"}));
}

TEST(AsString, ForwardsStringsWithoutWidthAndPadsWithIt) {
  const Tensor s = Tensor::Vector<std::string>(Strings{"ab", "xyz"});
  auto out = AsString(DT_STRING)->Run({s});
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_EQ(out->at(0), s);
  auto padded = AsString(DT_STRING);
  padded->Attr("width", 4);
  out = padded->Run({s});
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_EQ(out->at(0),
                   Tensor::Vector<std::string>(Strings{"  ab", " xyz"}));
}

TEST(AsString, UsesTensorFlowDefaultsForMissingAttrs) {
  KernelHarness k("AsString");
  k.Attr("T", DT_INT32);
  auto out = k.Run({Tensor::Vector<int32_t>({7})});
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_EQ(out->at(0), Tensor::Vector<std::string>(Strings{"7"}));
}

TEST(AsString, HandlesEmptyInput) {
  auto out = AsString(DT_INT64)->Run({Tensor::Vector<int64_t>({})});
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_EQ(out->at(0), Tensor::Vector<std::string>(Strings{}));
}

std::string LoadError(const std::unique_ptr<KernelHarness>& k,
                      const Tensor& input) {
  auto out = k->Run({input});
  return out.ok() ? "" : std::string(out.status().message());
}

TEST(AsString, RejectsInvalidAttrsWithTensorFlowTexts) {
  const Tensor ints = Tensor::Vector<int32_t>({1});
  auto precision = AsString(DT_INT32);
  precision->Attr("precision", 2);
  EXPECT_NE(LoadError(precision, ints)
                .find("precision not supported for datatype int32"),
            std::string::npos);
  auto sci = AsString(DT_INT32);
  sci->Attr("scientific", true);
  EXPECT_NE(LoadError(sci, ints).find(
                "scientific and shortest format not supported for datatype "
                "int32"),
            std::string::npos);
  auto both = AsString(DT_FLOAT);
  both->Attr("scientific", true).Attr("shortest", true);
  EXPECT_NE(LoadError(both, Tensor::Vector<float>({1}))
                .find("Cannot select both scientific and shortest notation"),
            std::string::npos);
  auto long_fill = AsString(DT_INT32);
  long_fill->Attr("fill", "ab");
  EXPECT_NE(LoadError(long_fill, ints)
                .find("Fill string must be one or fewer characters"),
            std::string::npos);
  for (const char* fill : {"s", "n", "%", "x"}) {
    auto bad_fill = AsString(DT_INT32);
    bad_fill->Attr("fill", fill).Attr("width", 3);
    EXPECT_NE(LoadError(bad_fill, ints).find("Fill argument not supported"),
              std::string::npos)
        << fill;
  }
  EXPECT_NE(LoadError(AsString(DT_RESOURCE), ints).find("Type not supported"),
            std::string::npos);
}

TEST(AsString, RejectsInputOfAnotherDtype) {
  auto out = AsString(DT_INT32)->Run({Tensor::Vector<int64_t>({1})});
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.status().code(), absl::StatusCode::kInvalidArgument);
}

TEST(AsString, RejectsOutputsBeyondTheTensorLimit) {
  auto wide = AsString(DT_INT32);
  wide->Attr("width", 2000000000);
  auto out = wide->Run({Tensor::FromVector<int32_t>(std::vector<int32_t>(8, 1),
                                                    TensorShape{8})});
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.status().code(), absl::StatusCode::kResourceExhausted);
}

}  // namespace
}  // namespace model_server
