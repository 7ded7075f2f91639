// Tests of the ParseExample, ParseExampleV2 and ParseSingleExample kernels
// run through the plan compiler and executor. Expected values and error texts
// are TensorFlow's (example_parsing_ops.cc, example_proto_fast_parsing.cc).
#include <cstdint>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "runtime/op_registry.h"
#include "tensorflow/core/example/example.pb.h"
#include "tests/testing/kernel_harness.h"

namespace model_server {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;

// Builds a serialized tf.Example with the generated protobuf classes.
class ExampleBuilder {
 public:
  ExampleBuilder& Floats(const std::string& key, std::vector<float> values) {
    auto* list = Feature(key).mutable_float_list();
    for (float v : values) list->add_value(v);
    return *this;
  }
  ExampleBuilder& Int64s(const std::string& key, std::vector<int64_t> values) {
    auto* list = Feature(key).mutable_int64_list();
    for (int64_t v : values) list->add_value(v);
    return *this;
  }
  ExampleBuilder& Bytes(const std::string& key,
                        std::vector<std::string> values) {
    auto* list = Feature(key).mutable_bytes_list();
    for (auto& v : values) list->add_value(v);
    return *this;
  }
  // A Feature with no kind set.
  ExampleBuilder& Empty(const std::string& key) {
    Feature(key);
    return *this;
  }
  std::string Serialize() const { return example_.SerializeAsString(); }

 private:
  tensorflow::Feature& Feature(const std::string& key) {
    auto& feature = (*example_.mutable_features()->mutable_feature())[key];
    feature.Clear();
    return feature;
  }
  tensorflow::Example example_;
};

struct Dense {
  std::string key;
  DataType dtype;
  std::vector<int64_t> shape;
  Tensor default_value;
};

struct Sparse {
  std::string key;
  DataType dtype;
};

struct Ragged {
  std::string key;
  DataType dtype;
  DataType splits_dtype;
};

// An empty default marks a required feature.
Tensor Required(DataType dtype) {
  return *Tensor::Create(dtype, TensorShape{0});
}

Tensor Strings(std::vector<std::string> values) {
  return Tensor::Vector<std::string>(std::move(values));
}

absl::StatusOr<std::vector<Tensor>> RunParseExample(
    const Tensor& serialized, const std::vector<Sparse>& sparse,
    const std::vector<Dense>& dense, const Tensor& names = Strings({})) {
  KernelHarness op("ParseExample");
  std::vector<DataType> sparse_types, dense_types;
  std::vector<std::vector<int64_t>> shapes;
  std::vector<Tensor> inputs = {serialized, names};
  for (const Sparse& s : sparse) {
    sparse_types.push_back(s.dtype);
    inputs.push_back(Tensor::Scalar<std::string>(s.key));
  }
  for (const Dense& d : dense) {
    dense_types.push_back(d.dtype);
    shapes.push_back(d.shape);
    inputs.push_back(Tensor::Scalar<std::string>(d.key));
  }
  for (const Dense& d : dense) inputs.push_back(d.default_value);
  op.Attr("Nsparse", static_cast<int64_t>(sparse.size()))
      .Attr("Ndense", static_cast<int64_t>(dense.size()))
      .Attr("sparse_types", sparse_types)
      .Attr("Tdense", dense_types)
      .ShapeListAttr("dense_shapes", shapes);
  return op.Run(inputs);
}

absl::StatusOr<std::vector<Tensor>> RunParseExample(
    const std::vector<std::string>& serialized,
    const std::vector<Sparse>& sparse, const std::vector<Dense>& dense) {
  return RunParseExample(Strings(serialized), sparse, dense);
}

absl::StatusOr<std::vector<Tensor>> RunParseExampleV2(
    const Tensor& serialized, const std::vector<Sparse>& sparse,
    const std::vector<Dense>& dense, const std::vector<Ragged>& ragged) {
  KernelHarness op("ParseExampleV2");
  std::vector<DataType> sparse_types, dense_types, ragged_types, split_types;
  std::vector<std::vector<int64_t>> shapes;
  std::vector<std::string> sparse_keys, dense_keys, ragged_keys;
  for (const Sparse& s : sparse) {
    sparse_types.push_back(s.dtype);
    sparse_keys.push_back(s.key);
  }
  for (const Dense& d : dense) {
    dense_types.push_back(d.dtype);
    shapes.push_back(d.shape);
    dense_keys.push_back(d.key);
  }
  for (const Ragged& r : ragged) {
    ragged_types.push_back(r.dtype);
    split_types.push_back(r.splits_dtype);
    ragged_keys.push_back(r.key);
  }
  std::vector<Tensor> inputs = {serialized, Strings({}), Strings(sparse_keys),
                                Strings(dense_keys), Strings(ragged_keys)};
  for (const Dense& d : dense) inputs.push_back(d.default_value);
  op.Attr("num_sparse", static_cast<int64_t>(sparse.size()))
      .Attr("sparse_types", sparse_types)
      .Attr("Tdense", dense_types)
      .Attr("ragged_value_types", ragged_types)
      .Attr("ragged_split_types", split_types)
      .ShapeListAttr("dense_shapes", shapes);
  return op.Run(inputs);
}

// The two serialized Examples TF Serving's half_plus_two test model is
// queried with (features x and x2, one float each).
constexpr const char* kHalfPlusTwoExamples[] = {
    "Ch8KDQoBeBIIEgYKBBgl9T8KDgoCeDISCBIGCgQnE8dA",
    "Ch8KDQoBeBIIEgYKBKgSjEAKDgoCeDISCBIGCgSTUPtA"};

TEST(ParseExample, ReadsHalfPlusTwoClassifyInputs) {
  std::vector<std::string> serialized;
  for (const char* b64 : kHalfPlusTwoExamples) {
    std::string bytes;
    ASSERT_TRUE(absl::Base64Unescape(b64, &bytes));
    serialized.push_back(bytes);
  }
  auto out = RunParseExample(
      serialized, {},
      {{"x", DT_FLOAT, {1}, Required(DT_FLOAT)},
       {"x2", DT_FLOAT, {1}, Tensor::FromVector<float>({0}, {1})}});
  ASSERT_TRUE(out.ok()) << out.status();
  ASSERT_EQ(out->size(), 2u);
  EXPECT_TENSOR_EQ(out->at(0),
                   Tensor::FromVector<float>(
                       {1.9151945114135742f, 4.377277374267578f}, {2, 1}));
  EXPECT_TENSOR_EQ(out->at(1),
                   Tensor::FromVector<float>(
                       {6.22108793258667f, 7.853585720062256f}, {2, 1}));
  // y = 0.5 * x + 2, as in the model's gold outputs.
  EXPECT_FLOAT_EQ(0.5f * out->at(0).data<float>()[0] + 2, 2.957597255706787f);
  EXPECT_FLOAT_EQ(0.5f * out->at(0).data<float>()[1] + 2, 4.188638687133789f);
}

TEST(ParseExample, DenseFeaturesOfEveryTypeAndShape) {
  std::vector<std::string> serialized = {ExampleBuilder()
                                             .Floats("f", {1.5f})
                                             .Int64s("i", {7})
                                             .Bytes("s", {"a", "b", "c", "d"})
                                             .Floats("m", {1, 2, 3, 4})
                                             .Serialize(),
                                         ExampleBuilder()
                                             .Floats("f", {-2.5f})
                                             .Int64s("i", {-1})
                                             .Bytes("s", {"e", "f", "g", "h"})
                                             .Floats("m", {5, 6, 7, 8})
                                             .Serialize()};
  auto out = RunParseExample(serialized, {},
                             {{"f", DT_FLOAT, {}, Required(DT_FLOAT)},
                              {"i", DT_INT64, {1}, Required(DT_INT64)},
                              {"s", DT_STRING, {2, 2}, Required(DT_STRING)},
                              {"m", DT_FLOAT, {2, 2}, Required(DT_FLOAT)}});
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_EQ(out->at(0), Tensor::Vector<float>({1.5f, -2.5f}));
  EXPECT_TENSOR_EQ(out->at(1), Tensor::FromVector<int64_t>({7, -1}, {2, 1}));
  EXPECT_TENSOR_EQ(out->at(2),
                   Tensor::FromVector<std::string>(
                       {"a", "b", "c", "d", "e", "f", "g", "h"}, {2, 2, 2}));
  EXPECT_TENSOR_EQ(out->at(3), Tensor::FromVector<float>(
                                   {1, 2, 3, 4, 5, 6, 7, 8}, {2, 2, 2}));
}

TEST(ParseExample, MissingFeaturesTakeTheirDefaults) {
  std::vector<std::string> serialized = {
      ExampleBuilder().Floats("f", {3}).Serialize(),
      // A feature with no kind set counts as missing.
      ExampleBuilder().Empty("f").Empty("s").Serialize(), ""};
  auto out = RunParseExample(
      serialized, {},
      {{"f", DT_FLOAT, {1}, Tensor::FromVector<float>({-1}, {1})},
       {"i", DT_INT64, {2}, Tensor::Vector<int64_t>({4, 5})},
       {"s", DT_STRING, {}, Tensor::Scalar<std::string>("none")}});
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_EQ(out->at(0), Tensor::FromVector<float>({3, -1, -1}, {3, 1}));
  EXPECT_TENSOR_EQ(out->at(1),
                   Tensor::FromVector<int64_t>({4, 5, 4, 5, 4, 5}, {3, 2}));
  EXPECT_TENSOR_EQ(out->at(2), Strings({"none", "none", "none"}));
}

TEST(ParseExample, RequiredFeatureMissingNamesTheKey) {
  auto out = RunParseExample({ExampleBuilder().Floats("y", {1}).Serialize()},
                             {}, {{"x", DT_FLOAT, {1}, Required(DT_FLOAT)}});
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(out.status().message()),
              StartsWith("Name: <unknown>, Feature: x (data type: float) is "
                         "required but could not be found."));
}

TEST(ParseExample, ErrorsUseTheExampleNames) {
  auto out =
      RunParseExample(Strings({ExampleBuilder().Floats("x", {1}).Serialize(),
                               ExampleBuilder().Serialize()}),
                      {}, {{"x", DT_FLOAT, {1}, Required(DT_FLOAT)}},
                      Strings({"first", "second"}));
  ASSERT_FALSE(out.ok());
  EXPECT_THAT(std::string(out.status().message()),
              StartsWith("Name: second, Feature: x (data type: float) is "
                         "required but could not be found."));
}

TEST(ParseExample, WrongFeatureTypeIsAnError) {
  auto out = RunParseExample({ExampleBuilder().Floats("x", {1}).Serialize(),
                              ExampleBuilder().Int64s("x", {1}).Serialize()},
                             {}, {{"x", DT_FLOAT, {1}, Required(DT_FLOAT)}});
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(out.status().message()),
              StartsWith("Name: <unknown>, Key: x, Index: 1.  Data types "
                         "don't match. Data type: int64 but expected type: "
                         "float"));
  auto sparse = RunParseExample(
      {ExampleBuilder().Bytes("s", {"a"}).Serialize()}, {{"s", DT_INT64}}, {});
  ASSERT_FALSE(sparse.ok());
  EXPECT_THAT(std::string(sparse.status().message()),
              StartsWith("Name: <unknown>, Key: s, Index: 0.  Data types "
                         "don't match. Expected type: int64, Actual type: "
                         "string"));
}

TEST(ParseExample, WrongValueCountIsAnError) {
  auto out = RunParseExample({ExampleBuilder().Floats("x", {1, 2}).Serialize()},
                             {}, {{"x", DT_FLOAT, {1}, Required(DT_FLOAT)}});
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(out.status().message()),
              StartsWith("Name: <unknown>, Key: x, Index: 0.  Number of float "
                         "values != expected.  Values size: 2 but output "
                         "shape: [1]"));
  auto ints =
      RunParseExample({ExampleBuilder().Int64s("i", {1}).Serialize()}, {},
                      {{"i", DT_INT64, {2, 2}, Required(DT_INT64)}});
  ASSERT_FALSE(ints.ok());
  EXPECT_THAT(std::string(ints.status().message()),
              StartsWith("Name: <unknown>, Key: i, Index: 0.  Number of int64 "
                         "values != expected.  Values size: 1 but output "
                         "shape: [2,2]"));
  auto few = RunParseExample({ExampleBuilder().Bytes("s", {"a"}).Serialize()},
                             {}, {{"s", DT_STRING, {2}, Required(DT_STRING)}});
  ASSERT_FALSE(few.ok());
  EXPECT_THAT(std::string(few.status().message()),
              StartsWith("Name: <unknown>, Key: s, Index: 0.  Number of bytes "
                         "values != expected.  Values size: 1 but output "
                         "shape: [2]"));
  // TensorFlow stops reading strings at the expected count and reports a
  // parse error instead of a count.
  auto many = RunParseExample(
      {ExampleBuilder().Bytes("s", {"a", "b", "c"}).Serialize()}, {},
      {{"s", DT_STRING, {2}, Required(DT_STRING)}});
  ASSERT_FALSE(many.ok());
  EXPECT_THAT(std::string(many.status().message()),
              StartsWith("Name: <unknown>, Key: s, Index: 0.  Can't parse "
                         "serialized Example."));
}

TEST(ParseExample, VariableLengthDenseIsPaddedWithTheDefault) {
  std::vector<std::string> serialized = {
      ExampleBuilder().Floats("v", {1, 2, 3}).Int64s("p", {1, 2}).Serialize(),
      ExampleBuilder().Floats("v", {4}).Serialize(),
      ExampleBuilder().Int64s("p", {3, 4, 5, 6}).Serialize()};
  auto out =
      RunParseExample(serialized, {},
                      {{"v", DT_FLOAT, {-1}, Tensor::Scalar<float>(-1)},
                       {"p", DT_INT64, {-1, 2}, Tensor::Scalar<int64_t>(0)}});
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_EQ(out->at(0), Tensor::FromVector<float>(
                                   {1, 2, 3, 4, -1, -1, -1, -1, -1}, {3, 3}));
  EXPECT_TENSOR_EQ(out->at(1),
                   Tensor::FromVector<int64_t>(
                       {1, 2, 0, 0, 0, 0, 0, 0, 3, 4, 5, 6}, {3, 2, 2}));
}

TEST(ParseExample, VariableLengthDenseOfAllMissingHasZeroRows) {
  auto out = RunParseExample(
      {ExampleBuilder().Serialize()}, {},
      {{"v", DT_STRING, {-1, 3}, Tensor::Scalar<std::string>("")}});
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_EQ(out->at(0).shape(), (TensorShape{1, 0, 3}));
}

TEST(ParseExample, VariableLengthDenseCountMustFillRows) {
  auto out =
      RunParseExample({ExampleBuilder().Floats("v", {1, 2, 3}).Serialize()}, {},
                      {{"v", DT_FLOAT, {-1, 2}, Tensor::Scalar<float>(0)}});
  ASSERT_FALSE(out.ok());
  EXPECT_THAT(std::string(out.status().message()),
              StartsWith("Name: <unknown>, Key: v, Index: 0.  Number of float "
                         "values is not a multiple of stride length. Saw 3 "
                         "values but output shape is: [?,2]"));
}

TEST(ParseExample, SparseFeaturesBecomeIndicesValuesAndShape) {
  std::vector<std::string> serialized = {
      ExampleBuilder().Int64s("s", {10, 11}).Bytes("b", {"x"}).Serialize(),
      ExampleBuilder().Serialize(),
      ExampleBuilder().Int64s("s", {12, 13, 14}).Empty("b").Serialize()};
  auto out =
      RunParseExample(serialized, {{"s", DT_INT64}, {"b", DT_STRING}}, {});
  ASSERT_TRUE(out.ok()) << out.status();
  ASSERT_EQ(out->size(), 6u);
  EXPECT_TENSOR_EQ(out->at(0), Tensor::FromVector<int64_t>(
                                   {0, 0, 0, 1, 2, 0, 2, 1, 2, 2}, {5, 2}));
  EXPECT_TENSOR_EQ(out->at(1), Tensor::FromVector<int64_t>({0, 0}, {1, 2}));
  EXPECT_TENSOR_EQ(out->at(2), Tensor::Vector<int64_t>({10, 11, 12, 13, 14}));
  EXPECT_TENSOR_EQ(out->at(3), Strings({"x"}));
  EXPECT_TENSOR_EQ(out->at(4), Tensor::Vector<int64_t>({3, 3}));
  EXPECT_TENSOR_EQ(out->at(5), Tensor::Vector<int64_t>({3, 1}));
}

TEST(ParseExample, EmptyBatchGivesEmptyOutputs) {
  auto out = RunParseExample(std::vector<std::string>{}, {{"s", DT_FLOAT}},
                             {{"d", DT_FLOAT, {2}, Required(DT_FLOAT)},
                              {"v", DT_FLOAT, {-1}, Tensor::Scalar<float>(0)}});
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_EQ(out->at(0).shape(), (TensorShape{0, 2}));
  EXPECT_EQ(out->at(1).shape(), (TensorShape{0}));
  EXPECT_TENSOR_EQ(out->at(2), Tensor::Vector<int64_t>({0, 0}));
  EXPECT_EQ(out->at(3).shape(), (TensorShape{0, 2}));
  EXPECT_EQ(out->at(4).shape(), (TensorShape{0, 0}));
}

TEST(ParseExample, LastDuplicateFeatureWins) {
  // Concatenated serialized Examples merge; a repeated key keeps the last.
  std::string serialized =
      ExampleBuilder().Floats("x", {1}).Serialize() +
      ExampleBuilder().Floats("x", {2}).Int64s("s", {5}).Serialize() +
      ExampleBuilder().Int64s("s", {6, 7}).Serialize();
  auto out = RunParseExample({serialized}, {{"s", DT_INT64}},
                             {{"x", DT_FLOAT, {}, Required(DT_FLOAT)}});
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_EQ(out->at(1), Tensor::Vector<int64_t>({6, 7}));
  EXPECT_TENSOR_EQ(out->at(3), Tensor::Vector<float>({2}));
}

TEST(ParseExample, MalformedSerializedExampleIsAnError) {
  auto out = RunParseExample({"not a proto"}, {},
                             {{"x", DT_FLOAT, {1}, Required(DT_FLOAT)}});
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(out.status().message()),
              StartsWith("Could not parse example input, value: 'not a "
                         "proto'"));
  // A Feature whose first field is not one of the three lists.
  std::string bad_kind = "\x0a\x08\x0a\x06\x0a\x01x\x12\x01\x22";
  auto kind = RunParseExample({bad_kind}, {{"x", DT_FLOAT}}, {});
  ASSERT_FALSE(kind.ok());
  EXPECT_THAT(std::string(kind.status().message()),
              StartsWith("Unsupported datatype."));
}

TEST(ParseExample, UnknownTopLevelFieldsAreSkipped) {
  std::string serialized = std::string("\x10\x05", 2) +
                           ExampleBuilder().Floats("x", {9}).Serialize() +
                           std::string("\x1d\x01\x02\x03\x04", 5);
  auto out = RunParseExample({serialized}, {},
                             {{"x", DT_FLOAT, {}, Required(DT_FLOAT)}});
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TENSOR_EQ(out->at(0), Tensor::Vector<float>({9}));
}

TEST(ParseExample, ParsesABatchOfThousandExamples) {
  constexpr int kBatch = 1000;
  std::vector<std::string> serialized;
  std::vector<float> expected_x;
  std::vector<int64_t> expected_ids;
  std::vector<int64_t> expected_indices;
  std::vector<std::string> expected_words;
  for (int i = 0; i < kBatch; ++i) {
    ExampleBuilder b;
    b.Floats("x", {static_cast<float>(i) * 0.5f, static_cast<float>(-i)});
    if (i % 3 != 0) b.Int64s("id", {i * 1000LL});
    std::vector<std::string> words;
    for (int w = 0; w < i % 4; ++w) {
      words.push_back(absl::StrCat("word", i, "_", w, std::string(40, 'z')));
      expected_indices.push_back(i);
      expected_indices.push_back(w);
      expected_words.push_back(words.back());
    }
    b.Bytes("words", words);
    serialized.push_back(b.Serialize());
    expected_x.push_back(static_cast<float>(i) * 0.5f);
    expected_x.push_back(static_cast<float>(-i));
    expected_ids.push_back(i % 3 != 0 ? i * 1000LL : -7);
  }
  auto out = RunParseExample(
      serialized, {{"words", DT_STRING}},
      {{"x", DT_FLOAT, {2}, Required(DT_FLOAT)},
       {"id", DT_INT64, {1}, Tensor::FromVector<int64_t>({-7}, {1})}});
  ASSERT_TRUE(out.ok()) << out.status();
  const int64_t n = static_cast<int64_t>(expected_words.size());
  EXPECT_TENSOR_EQ(out->at(0),
                   Tensor::FromVector<int64_t>(expected_indices, {n, 2}));
  EXPECT_TENSOR_EQ(out->at(1), Strings(expected_words));
  EXPECT_TENSOR_EQ(out->at(2), Tensor::Vector<int64_t>({kBatch, 3}));
  EXPECT_TENSOR_EQ(out->at(3),
                   Tensor::FromVector<float>(expected_x, {kBatch, 2}));
  EXPECT_TENSOR_EQ(out->at(4),
                   Tensor::FromVector<int64_t>(expected_ids, {kBatch, 1}));
}

TEST(ParseExample, ReportsTheFirstFailingExampleOfALargeBatch) {
  std::vector<std::string> serialized(2000,
                                      ExampleBuilder()
                                          .Floats("x", {1})
                                          .Bytes("pad", {std::string(60, 'p')})
                                          .Serialize());
  serialized[1500] = ExampleBuilder().Serialize();
  serialized[1700] = "garbage";
  auto out = RunParseExample(serialized, {},
                             {{"x", DT_FLOAT, {1}, Required(DT_FLOAT)}});
  ASSERT_FALSE(out.ok());
  EXPECT_THAT(std::string(out.status().message()),
              StartsWith("Name: <unknown>, Feature: x (data type: float) is "
                         "required"));
}

TEST(ParseExample, RejectsBadInputs) {
  const Dense x = {"x", DT_FLOAT, {1}, Required(DT_FLOAT)};
  auto scalar = RunParseExample(Tensor::Scalar<std::string>(""), {}, {x});
  ASSERT_FALSE(scalar.ok());
  EXPECT_THAT(std::string(scalar.status().message()),
              StartsWith("Expected serialized to be a vector, got shape: []"));

  auto names = RunParseExample(Strings({"", ""}), {}, {x}, Strings({"a"}));
  ASSERT_FALSE(names.ok());
  EXPECT_THAT(std::string(names.status().message()),
              StartsWith("Expected names have the same shape as serialized: "
                         "name.shape=[1], serialized.shape=[2]"));

  auto shape = RunParseExample(
      Strings({""}), {}, {{"x", DT_FLOAT, {1}, Tensor::Vector<float>({1, 2})}});
  ASSERT_FALSE(shape.ok());
  EXPECT_THAT(std::string(shape.status().message()),
              StartsWith("def_value[0].shape() == [2] is not compatible with "
                         "dense_shapes_[0] == [1]"));

  auto varlen =
      RunParseExample(Strings({""}), {},
                      {{"x", DT_FLOAT, {-1}, Tensor::Vector<float>({1, 2})}});
  ASSERT_FALSE(varlen.ok());
  EXPECT_THAT(std::string(varlen.status().message()),
              StartsWith("dense_shape[0] is a variable length shape: [?], "
                         "therefore def_value[0] must contain a single "
                         "element (the padding element).  But its shape is: "
                         "[2]"));

  auto dtype = RunParseExample(Strings({""}), {},
                               {{"x", DT_FLOAT, {1}, Required(DT_INT64)}});
  ASSERT_FALSE(dtype.ok());
  EXPECT_THAT(std::string(dtype.status().message()),
              StartsWith("dense_defaults[0].dtype() == int64 != "
                         "dense_types_[0] == float"));

  auto duplicate = RunParseExample(Strings({""}), {{"x", DT_FLOAT}}, {x});
  ASSERT_FALSE(duplicate.ok());
  EXPECT_EQ(duplicate.status().code(), absl::StatusCode::kInternal);
}

TEST(ParseExample, RejectsInputsOfTheWrongTypeOrRank) {
  KernelHarness op("ParseExample");
  op.Attr("Nsparse", 1)
      .Attr("Ndense", 0)
      .Attr("sparse_types", std::vector<DataType>{DT_FLOAT})
      .Attr("Tdense", std::vector<DataType>{})
      .ShapeListAttr("dense_shapes", {});
  auto floats = op.Run({Tensor::Vector<float>({1}), Strings({}),
                        Tensor::Scalar<std::string>("s")});
  ASSERT_FALSE(floats.ok());
  EXPECT_EQ(floats.status().code(), absl::StatusCode::kInvalidArgument);
  auto key = op.Run({Strings({""}), Strings({}), Strings({"s", "t"})});
  ASSERT_FALSE(key.ok());
  EXPECT_THAT(std::string(key.status().message()),
              StartsWith("Expected sparse_keys[0] to be a string scalar, got "
                         "string [2]"));
}

TEST(ParseExample, RegistersTensorFlowOutputArgNames) {
  const RegisteredOp* v2 = FindOp("ParseExampleV2");
  ASSERT_NE(v2, nullptr);
  std::vector<std::string> names;
  for (const auto& out : v2->spec.outputs()) {
    names.push_back(out.name + ":" + out.count_attr);
  }
  EXPECT_THAT(names,
              ::testing::ElementsAre(
                  "sparse_indices:num_sparse", "sparse_values:sparse_types",
                  "sparse_shapes:num_sparse", "dense_values:Tdense",
                  "ragged_values:ragged_value_types",
                  "ragged_row_splits:ragged_split_types"));
  ASSERT_NE(FindOp("ParseExample"), nullptr);
  EXPECT_EQ(FindOp("ParseExample")->spec.outputs()[0].count_attr, "Nsparse");
  ASSERT_NE(FindOp("ParseSingleExample"), nullptr);
}

TEST(ParseExample, RejectsUnsupportedAttrsAtLoad) {
  auto int32 = RunParseExample(Strings({""}), {},
                               {{"x", DT_INT32, {1}, Required(DT_INT32)}});
  ASSERT_FALSE(int32.ok());
  EXPECT_THAT(std::string(int32.status().message()),
              HasSubstr("Received input dtype: int32"));

  auto inner = RunParseExample(Strings({""}), {},
                               {{"x", DT_FLOAT, {2, -1}, Required(DT_FLOAT)}});
  ASSERT_FALSE(inner.ok());
  EXPECT_THAT(std::string(inner.status().message()),
              HasSubstr("dense_shapes[0] has unknown rank or unknown inner "
                        "dimensions: [2,?]"));

  KernelHarness mismatch("ParseExample");
  mismatch.Attr("Nsparse", 1)
      .Attr("Ndense", 0)
      .Attr("sparse_types", std::vector<DataType>{})
      .Attr("Tdense", std::vector<DataType>{})
      .ShapeListAttr("dense_shapes", {});
  auto status = mismatch.Run(
      {Strings({""}), Strings({}), Tensor::Scalar<std::string>("s")});
  ASSERT_FALSE(status.ok());
  EXPECT_THAT(std::string(status.status().message()),
              HasSubstr("len(sparse_keys) != len(sparse_types)"));
}

TEST(ParseExampleV2, RaggedFeaturesWithInt32AndInt64Splits) {
  std::vector<std::string> serialized = {
      ExampleBuilder().Floats("r", {1, 2}).Bytes("t", {"a"}).Serialize(),
      ExampleBuilder().Serialize(),
      ExampleBuilder().Floats("r", {3}).Bytes("t", {"b", "c"}).Serialize()};
  auto out = RunParseExampleV2(
      Strings(serialized), {}, {},
      {{"r", DT_FLOAT, DT_INT32}, {"t", DT_STRING, DT_INT64}});
  ASSERT_TRUE(out.ok()) << out.status();
  ASSERT_EQ(out->size(), 4u);
  EXPECT_TENSOR_EQ(out->at(0), Tensor::Vector<float>({1, 2, 3}));
  EXPECT_TENSOR_EQ(out->at(1), Strings({"a", "b", "c"}));
  EXPECT_TENSOR_EQ(out->at(2), Tensor::Vector<int32_t>({0, 2, 2, 3}));
  EXPECT_TENSOR_EQ(out->at(3), Tensor::Vector<int64_t>({0, 1, 1, 3}));
}

TEST(ParseExampleV2, SparseDenseAndRaggedTogether) {
  std::vector<std::string> serialized = {
      ExampleBuilder()
          .Int64s("s", {5})
          .Floats("d", {0.5f})
          .Int64s("r", {1, 2})
          .Serialize(),
      ExampleBuilder().Int64s("s", {6, 7}).Int64s("r", {3}).Serialize()};
  auto out = RunParseExampleV2(Strings(serialized), {{"s", DT_INT64}},
                               {{"d", DT_FLOAT, {}, Tensor::Scalar<float>(9)}},
                               {{"r", DT_INT64, DT_INT64}});
  ASSERT_TRUE(out.ok()) << out.status();
  ASSERT_EQ(out->size(), 6u);
  EXPECT_TENSOR_EQ(out->at(0),
                   Tensor::FromVector<int64_t>({0, 0, 1, 0, 1, 1}, {3, 2}));
  EXPECT_TENSOR_EQ(out->at(1), Tensor::Vector<int64_t>({5, 6, 7}));
  EXPECT_TENSOR_EQ(out->at(2), Tensor::Vector<int64_t>({2, 2}));
  EXPECT_TENSOR_EQ(out->at(3), Tensor::Vector<float>({0.5f, 9}));
  EXPECT_TENSOR_EQ(out->at(4), Tensor::Vector<int64_t>({1, 2, 3}));
  EXPECT_TENSOR_EQ(out->at(5), Tensor::Vector<int64_t>({0, 2, 3}));
}

TEST(ParseExampleV2, ScalarSerializedHasNoBatchDimension) {
  std::string serialized = ExampleBuilder()
                               .Floats("d", {1, 2, 3, 4})
                               .Int64s("s", {8, 9})
                               .Bytes("r", {"p", "q"})
                               .Floats("v", {1, 2, 3, 4})
                               .Serialize();
  auto out = RunParseExampleV2(
      Tensor::Scalar<std::string>(serialized), {{"s", DT_INT64}},
      {{"d", DT_FLOAT, {2, 2}, Required(DT_FLOAT)},
       {"v", DT_FLOAT, {-1, 2}, Tensor::Scalar<float>(0)},
       {"m", DT_INT64, {1}, Tensor::Vector<int64_t>({3})}},
      {{"r", DT_STRING, DT_INT32}});
  ASSERT_TRUE(out.ok()) << out.status();
  ASSERT_EQ(out->size(), 8u);
  EXPECT_TENSOR_EQ(out->at(0), Tensor::FromVector<int64_t>({0, 1}, {2, 1}));
  EXPECT_TENSOR_EQ(out->at(1), Tensor::Vector<int64_t>({8, 9}));
  EXPECT_TENSOR_EQ(out->at(2), Tensor::Vector<int64_t>({2}));
  EXPECT_TENSOR_EQ(out->at(3), Tensor::FromVector<float>({1, 2, 3, 4}, {2, 2}));
  EXPECT_TENSOR_EQ(out->at(4), Tensor::FromVector<float>({1, 2, 3, 4}, {2, 2}));
  EXPECT_TENSOR_EQ(out->at(5), Tensor::Vector<int64_t>({3}));
  EXPECT_TENSOR_EQ(out->at(6), Strings({"p", "q"}));
  // Row splits of a scalar input are empty.
  EXPECT_TENSOR_EQ(out->at(7), Tensor::Vector<int32_t>({}));
}

TEST(ParseExampleV2, ScalarSerializedMissingFeatures) {
  auto out =
      RunParseExampleV2(Tensor::Scalar<std::string>(""), {{"s", DT_STRING}},
                        {{"v", DT_INT64, {-1, 3}, Tensor::Scalar<int64_t>(0)}},
                        {{"r", DT_FLOAT, DT_INT64}});
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_EQ(out->at(0).shape(), (TensorShape{0, 1}));
  EXPECT_EQ(out->at(1).shape(), (TensorShape{0}));
  EXPECT_TENSOR_EQ(out->at(2), Tensor::Vector<int64_t>({0}));
  EXPECT_EQ(out->at(3).shape(), (TensorShape{0, 3}));
  EXPECT_EQ(out->at(4).shape(), (TensorShape{0}));
  EXPECT_EQ(out->at(5).shape(), (TensorShape{0}));
}

TEST(ParseExampleV2, ScalarSerializedErrorsHaveNoExampleName) {
  auto missing =
      RunParseExampleV2(Tensor::Scalar<std::string>(""), {},
                        {{"x", DT_FLOAT, {1}, Required(DT_FLOAT)}}, {});
  ASSERT_FALSE(missing.ok());
  EXPECT_THAT(std::string(missing.status().message()),
              StartsWith("Feature: x (data type: float) is required but could "
                         "not be found."));
  auto count =
      RunParseExampleV2(Tensor::Scalar<std::string>(
                            ExampleBuilder().Floats("x", {1, 2}).Serialize()),
                        {}, {{"x", DT_FLOAT, {1}, Required(DT_FLOAT)}}, {});
  ASSERT_FALSE(count.ok());
  EXPECT_THAT(std::string(count.status().message()),
              StartsWith("Key: x.  Can't parse serialized Example: Some "
                         "float_list slice was not parsed."));
  auto type =
      RunParseExampleV2(Tensor::Scalar<std::string>(
                            ExampleBuilder().Floats("x", {1}).Serialize()),
                        {}, {}, {{"x", DT_INT64, DT_INT64}});
  ASSERT_FALSE(type.ok());
  EXPECT_THAT(std::string(type.status().message()),
              StartsWith("Key: x.  Data types don't match. Expected type: "
                         "int64, Actual type: float"));
  auto stride = RunParseExampleV2(
      Tensor::Scalar<std::string>(
          ExampleBuilder().Floats("x", {1, 2, 3}).Serialize()),
      {}, {{"x", DT_FLOAT, {-1, 2}, Tensor::Scalar<float>(0)}}, {});
  ASSERT_FALSE(stride.ok());
  EXPECT_THAT(std::string(stride.status().message()),
              StartsWith("Error while parsing feature with key x: number of "
                         "elements should be divisible by 2, found 3 "
                         "instead"));
}

TEST(ParseExampleV2, RejectsBadInputs) {
  auto matrix = RunParseExampleV2(
      Tensor::FromVector<std::string>({"", ""}, {1, 2}), {}, {}, {});
  ASSERT_FALSE(matrix.ok());
  EXPECT_THAT(std::string(matrix.status().message()),
              StartsWith("Expected serialized to be a scalar or vector, got "
                         "shape: [1,2]"));

  KernelHarness op("ParseExampleV2");
  op.Attr("num_sparse", 0)
      .Attr("sparse_types", std::vector<DataType>{})
      .Attr("Tdense", std::vector<DataType>{})
      .Attr("ragged_value_types", std::vector<DataType>{DT_FLOAT})
      .Attr("ragged_split_types", std::vector<DataType>{DT_INT64})
      .ShapeListAttr("dense_shapes", {});
  auto keys = op.Run({Strings({""}), Strings({}), Strings({}), Strings({}),
                      Strings({"a", "b"})});
  ASSERT_FALSE(keys.ok());
  EXPECT_THAT(std::string(keys.status().message()),
              StartsWith("Expected len(ragged_keys) == len(ragged_value_types) "
                         "but got: 2 vs. 1"));

  auto splits =
      RunParseExampleV2(Strings({""}), {}, {}, {{"r", DT_FLOAT, DT_FLOAT}});
  ASSERT_FALSE(splits.ok());
  EXPECT_THAT(std::string(splits.status().message()),
              HasSubstr("Invalid ragged_split_type: float"));
}

absl::StatusOr<std::vector<Tensor>> RunParseSingleExample(
    const std::string& serialized, const std::vector<Sparse>& sparse,
    const std::vector<Dense>& dense) {
  KernelHarness op("ParseSingleExample");
  std::vector<DataType> sparse_types, dense_types;
  std::vector<std::string> sparse_keys, dense_keys;
  std::vector<std::vector<int64_t>> shapes;
  std::vector<Tensor> inputs = {Tensor::Scalar<std::string>(serialized)};
  for (const Sparse& s : sparse) {
    sparse_types.push_back(s.dtype);
    sparse_keys.push_back(s.key);
  }
  for (const Dense& d : dense) {
    dense_types.push_back(d.dtype);
    dense_keys.push_back(d.key);
    shapes.push_back(d.shape);
    inputs.push_back(d.default_value);
  }
  op.Attr("num_sparse", static_cast<int64_t>(sparse.size()))
      .Attr("sparse_keys", sparse_keys)
      .Attr("dense_keys", dense_keys)
      .Attr("sparse_types", sparse_types)
      .Attr("Tdense", dense_types)
      .ShapeListAttr("dense_shapes", shapes);
  return op.Run(inputs);
}

TEST(ParseSingleExample, ParsesDenseAndSparseFeatures) {
  auto out = RunParseSingleExample(
      ExampleBuilder().Bytes("s", {"u", "v"}).Floats("d", {2, 4}).Serialize(),
      {{"s", DT_STRING}},
      {{"d", DT_FLOAT, {2}, Required(DT_FLOAT)},
       {"m", DT_INT64, {}, Tensor::Scalar<int64_t>(1)}});
  ASSERT_TRUE(out.ok()) << out.status();
  ASSERT_EQ(out->size(), 5u);
  EXPECT_TENSOR_EQ(out->at(0), Tensor::FromVector<int64_t>({0, 1}, {2, 1}));
  EXPECT_TENSOR_EQ(out->at(1), Strings({"u", "v"}));
  EXPECT_TENSOR_EQ(out->at(2), Tensor::Vector<int64_t>({2}));
  EXPECT_TENSOR_EQ(out->at(3), Tensor::Vector<float>({2, 4}));
  EXPECT_TENSOR_EQ(out->at(4), Tensor::Scalar<int64_t>(1));
}

TEST(ParseSingleExample, RequiresAScalar) {
  KernelHarness op("ParseSingleExample");
  op.Attr("num_sparse", 0)
      .Attr("sparse_keys", std::vector<std::string>{})
      .Attr("dense_keys", std::vector<std::string>{})
      .Attr("sparse_types", std::vector<DataType>{})
      .Attr("Tdense", std::vector<DataType>{})
      .ShapeListAttr("dense_shapes", {});
  auto out = op.Run({Strings({"", ""})});
  ASSERT_FALSE(out.ok());
  EXPECT_THAT(std::string(out.status().message()),
              StartsWith("Expected serialized to be a scalar, got shape: [2]"));
}

// Whatever the bytes, the kernels answer OK or INVALID_ARGUMENT.
TEST(ParseExample, NeverFailsBadlyOnRandomOrTruncatedInput) {
  std::mt19937 rng(1234);
  const std::string valid = ExampleBuilder()
                                .Floats("x", {1, 2})
                                .Int64s("i", {-5, 300000})
                                .Bytes("s", {"abc", ""})
                                .Serialize();
  std::vector<std::string> inputs;
  for (size_t n = 0; n <= valid.size(); ++n)
    inputs.push_back(valid.substr(0, n));
  for (int i = 0; i < 100; ++i) {
    std::string mutated = valid;
    mutated[rng() % mutated.size()] = static_cast<char>(rng());
    inputs.push_back(mutated);
    std::string random(rng() % 40, '\0');
    for (char& c : random) c = static_cast<char>(rng());
    inputs.push_back(random);
  }
  for (const std::string& input : inputs) {
    auto batch = RunParseExample(
        {input}, {{"i", DT_INT64}},
        {{"x", DT_FLOAT, {2}, Tensor::Vector<float>({0, 0})},
         {"s", DT_STRING, {-1}, Tensor::Scalar<std::string>("")}});
    if (!batch.ok()) {
      EXPECT_EQ(batch.status().code(), absl::StatusCode::kInvalidArgument)
          << batch.status();
    }
    auto single = RunParseExampleV2(
        Tensor::Scalar<std::string>(input), {{"s", DT_STRING}},
        {{"x", DT_FLOAT, {-1}, Tensor::Scalar<float>(0)}},
        {{"i", DT_INT64, DT_INT32}});
    if (!single.ok()) {
      EXPECT_EQ(single.status().code(), absl::StatusCode::kInvalidArgument)
          << single.status();
    }
  }
}

}  // namespace
}  // namespace model_server
