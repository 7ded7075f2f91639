// Tests of the tf.Example wire parser behind the parse kernels, called
// directly: agreement with protobuf's generated parser on valid Examples
// (packed and unpacked encodings, any field order), TensorFlow's quirks on
// unusual ones, and robustness on random bytes.
#include "runtime/kernels/parsing/example_parser.h"

#include <cstdint>
#include <cstring>
#include <random>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tensorflow/core/example/example.pb.h"
#include "tests/testing/kernel_harness.h"

namespace model_server {
namespace {

using ::testing::StartsWith;

// A config parsing every key as a ragged feature of its dtype.
// REQUIRES: `keys` outlives the config (it holds views of them).
ExampleParserConfig RaggedConfig(const std::vector<std::string>& keys,
                                 const std::vector<DataType>& dtypes) {
  ExampleParserConfig config;
  for (size_t i = 0; i < keys.size(); ++i) {
    RaggedFeatureSpec spec;
    spec.key = keys[i];
    spec.dtype = dtypes[i];
    spec.splits_dtype = DT_INT64;
    config.ragged.push_back(spec);
  }
  return config;
}

// The values protobuf's parser sees for `key` in `example`, as a tensor of
// `dtype` (empty if absent or of no kind).
Tensor ProtoValues(const tensorflow::Example& example, const std::string& key,
                   DataType dtype) {
  const auto& map = example.features().feature();
  auto it = map.find(key);
  if (dtype == DT_FLOAT) {
    std::vector<float> v;
    if (it != map.end()) {
      v.assign(it->second.float_list().value().begin(),
               it->second.float_list().value().end());
    }
    return Tensor::Vector<float>(v);
  }
  if (dtype == DT_INT64) {
    std::vector<int64_t> v;
    if (it != map.end()) {
      v.assign(it->second.int64_list().value().begin(),
               it->second.int64_list().value().end());
    }
    return Tensor::Vector<int64_t>(v);
  }
  std::vector<std::string> v;
  if (it != map.end()) {
    v.assign(it->second.bytes_list().value().begin(),
             it->second.bytes_list().value().end());
  }
  return Tensor::Vector<std::string>(v);
}

// Row `row` of a ragged result.
Tensor RaggedRow(const Tensor& values, const Tensor& splits, int64_t row) {
  const int64_t begin = splits.data<int64_t>()[row];
  const int64_t end = splits.data<int64_t>()[row + 1];
  Tensor out = *Tensor::Create(values.dtype(), TensorShape{end - begin});
  SwitchOnDataType(values.dtype(), [&](auto tag) {
    using T = decltype(tag);
    if constexpr (std::is_same_v<T, float> || std::is_same_v<T, int64_t> ||
                  std::is_same_v<T, std::string>) {
      for (int64_t i = begin; i < end; ++i) {
        out.data<T>()[i - begin] = values.data<T>()[i];
      }
    }
  });
  return out;
}

std::string RandomBytes(std::mt19937* rng, size_t n) {
  std::string s(n, '\0');
  for (char& c : s) c = static_cast<char>((*rng)());
  return s;
}

TEST(ExampleParser, RandomExamplesMatchProtobuf) {
  std::mt19937 rng(42);
  const std::vector<DataType> kinds = {DT_FLOAT, DT_INT64, DT_STRING};
  std::vector<std::string> keys;
  std::vector<DataType> dtypes;
  for (int k = 0; k < 12; ++k) {
    keys.push_back(absl::StrCat("key", k));
    dtypes.push_back(kinds[k % 3]);
  }
  std::vector<tensorflow::Example> examples(300);
  std::vector<std::string> serialized;
  for (auto& example : examples) {
    auto& map = *example.mutable_features()->mutable_feature();
    const int num_features = rng() % 8;
    for (int f = 0; f < num_features; ++f) {
      const int k = rng() % keys.size();
      tensorflow::Feature& feature = map[keys[k]];
      feature.Clear();
      if (rng() % 10 == 0) continue;  // no kind
      const int n = rng() % 6;
      for (int i = 0; i < n; ++i) {
        switch (dtypes[k]) {
          case DT_FLOAT:
            feature.mutable_float_list()->add_value(
                std::uniform_real_distribution<float>(-1e6, 1e6)(rng));
            break;
          case DT_INT64:
            feature.mutable_int64_list()->add_value(
                static_cast<int64_t>((uint64_t{rng()} << 32) | rng()));
            break;
          default:
            feature.mutable_bytes_list()->add_value(
                RandomBytes(&rng, rng() % 20));
        }
      }
      if (n == 0) {
        // An empty list of the right kind.
        if (dtypes[k] == DT_FLOAT) feature.mutable_float_list();
        if (dtypes[k] == DT_INT64) feature.mutable_int64_list();
        if (dtypes[k] == DT_STRING) feature.mutable_bytes_list();
      }
    }
    serialized.push_back(example.SerializeAsString());
  }
  ExampleParserConfig config = RaggedConfig(keys, dtypes);
  ParsedExamples result;
  ASSERT_TRUE(ParseExampleBatch(config, serialized, {}, &result).ok());
  for (size_t k = 0; k < keys.size(); ++k) {
    for (size_t e = 0; e < examples.size(); ++e) {
      EXPECT_TENSOR_EQ(
          RaggedRow(result.ragged_values[k], result.ragged_splits[k], e),
          ProtoValues(examples[e], keys[k], dtypes[k]))
          << "example " << e << " key " << keys[k];
    }
  }
  // The single-example path agrees with the batch path.
  for (size_t e = 0; e < examples.size(); e += 7) {
    ParsedExamples single;
    ASSERT_TRUE(ParseSingleExample(config, serialized[e], &single).ok());
    for (size_t k = 0; k < keys.size(); ++k) {
      EXPECT_TENSOR_EQ(single.ragged_values[k],
                       ProtoValues(examples[e], keys[k], dtypes[k]));
    }
  }
}

// Hand-written wire encodings protobuf also accepts.
std::string Varint(uint64_t v) {
  std::string out;
  while (v >= 0x80) {
    out.push_back(static_cast<char>(v | 0x80));
    v >>= 7;
  }
  out.push_back(static_cast<char>(v));
  return out;
}
std::string Field(int number, const std::string& payload) {
  return Varint(static_cast<uint64_t>(number) << 3 | 2) +
         Varint(payload.size()) + payload;
}
std::string Fixed32(float f) {
  std::string out(4, '\0');
  std::memcpy(&out[0], &f, 4);
  return out;
}
// features { feature { value: ... key: ... } } with the value first.
std::string EntryValueFirst(const std::string& key,
                            const std::string& feature) {
  return Field(1, Field(2, feature) + Field(1, key));
}

TEST(ExampleParser, UnpackedListsAndReorderedEntriesMatchProtobuf) {
  std::string floats;  // FloatList with unpacked values
  for (float f : {1.5f, -2.0f, 3.25f}) floats += "\x0d" + Fixed32(f);
  std::string ints;  // Int64List with unpacked values
  for (int64_t i : {int64_t{7}, int64_t{-1}, int64_t{1} << 40}) {
    ints += "\x08" + Varint(static_cast<uint64_t>(i));
  }
  const std::string serialized =
      Field(1, EntryValueFirst("f", Field(2, floats)) +
                   EntryValueFirst("i", Field(3, ints)));
  tensorflow::Example proto;
  ASSERT_TRUE(proto.ParseFromString(serialized));

  const std::vector<std::string> keys = {"f", "i"};
  ExampleParserConfig config = RaggedConfig(keys, {DT_FLOAT, DT_INT64});
  ParsedExamples result;
  ASSERT_TRUE(ParseExampleBatch(config, {serialized}, {}, &result).ok());
  EXPECT_TENSOR_EQ(result.ragged_values[0], ProtoValues(proto, "f", DT_FLOAT));
  EXPECT_TENSOR_EQ(result.ragged_values[1], ProtoValues(proto, "i", DT_INT64));
  EXPECT_TENSOR_EQ(result.ragged_values[0],
                   Tensor::Vector<float>({1.5f, -2.0f, 3.25f}));
}

TEST(ExampleParser, UnpackedFloatsFillAFixedDenseShape) {
  std::string floats;
  for (float f : {1.0f, 2.0f, 3.0f}) floats += "\x0d" + Fixed32(f);
  const std::string serialized =
      Field(1, Field(1, Field(1, "x") + Field(2, Field(2, floats))));
  ExampleParserConfig config;
  config.dense.resize(1);
  ASSERT_TRUE(DenseShapesToSpecs({PartialShape{1, {2}}}, &config.dense).ok());
  config.dense[0].key = "x";
  config.dense[0].dtype = DT_FLOAT;
  config.dense[0].default_value = *Tensor::Create(DT_FLOAT, TensorShape{0});
  ParsedExamples result;
  absl::Status status = ParseExampleBatch(config, {serialized}, {}, &result);
  EXPECT_THAT(std::string(status.message()),
              StartsWith("Name: <unknown>, Key: x, Index: 0.  Number of float "
                         "values != expected.  Values size: 3 but output "
                         "shape: [2]"));
  std::string two = "\x0d" + Fixed32(4.0f) + "\x0d" + Fixed32(5.0f);
  ASSERT_TRUE(ParseExampleBatch(
                  config,
                  {Field(1, Field(1, Field(1, "x") + Field(2, Field(2, two))))},
                  {}, &result)
                  .ok());
  EXPECT_TENSOR_EQ(result.dense_values[0],
                   Tensor::FromVector<float>({4, 5}, {1, 2}));
}

// TensorFlow reports the variable-length count accumulated over its
// minibatch (8 minibatches for 20 small examples: rows 5 and 6 share one).
TEST(ExampleParser, VarLenStrideErrorCountsLikeTensorFlowMinibatches) {
  auto example = [](int n) {
    tensorflow::Example e;
    auto& f = (*e.mutable_features()->mutable_feature())["v"];
    for (int i = 0; i < n; ++i) f.mutable_int64_list()->add_value(i);
    return e.SerializeAsString();
  };
  std::vector<std::string> serialized(20, example(2));
  serialized[6] = example(3);
  ExampleParserConfig config;
  ASSERT_TRUE(
      DenseShapesToSpecs({PartialShape{2, {-1, 2}}}, &config.dense).ok());
  config.dense[0].key = "v";
  config.dense[0].dtype = DT_INT64;
  config.dense[0].default_value = Tensor::Scalar<int64_t>(0);
  ParsedExamples result;
  absl::Status status = ParseExampleBatch(config, serialized, {}, &result);
  EXPECT_THAT(std::string(status.message()),
              StartsWith("Name: <unknown>, Key: v, Index: 6.  Number of int64 "
                         "values is not a multiple of stride length. Saw 5 "
                         "values but output shape is: [?,2]"));
}

TEST(ExampleParser, ZeroElementRowsAreNotDividedByZero) {
  ExampleParserConfig config;
  ASSERT_TRUE(
      DenseShapesToSpecs({PartialShape{2, {-1, 0}}}, &config.dense).ok());
  config.dense[0].key = "v";
  config.dense[0].dtype = DT_FLOAT;
  config.dense[0].default_value = Tensor::Scalar<float>(0);
  tensorflow::Example empty;
  (*empty.mutable_features()->mutable_feature())["v"].mutable_float_list();
  ParsedExamples result;
  ASSERT_TRUE(
      ParseExampleBatch(config, {empty.SerializeAsString()}, {}, &result).ok());
  EXPECT_EQ(result.dense_values[0].shape(), (TensorShape{1, 0, 0}));
  tensorflow::Example full;
  (*full.mutable_features()->mutable_feature())["v"]
      .mutable_float_list()
      ->add_value(1);
  EXPECT_FALSE(
      ParseExampleBatch(config, {full.SerializeAsString()}, {}, &result).ok());
  EXPECT_FALSE(
      ParseSingleExample(config, full.SerializeAsString(), &result).ok());
}

// Lengths past the end of the enclosing message are clamped to it, as
// protobuf's CodedInputStream does in TensorFlow's parser: an Example cut
// at a feature boundary still parses.
TEST(ExampleParser, TruncationAtAnEntryBoundaryIsAccepted) {
  tensorflow::Example example;
  auto& map = *example.mutable_features()->mutable_feature();
  map["a"].mutable_int64_list()->add_value(1);
  const std::string one = example.SerializeAsString();
  map["b"].mutable_int64_list()->add_value(2);
  std::string two = example.SerializeAsString();
  // Keep the first entry of the two-entry Example (map order is not fixed).
  const std::string first_entry = one.substr(2);
  ASSERT_NE(two.find(first_entry), std::string::npos);
  std::string cut = two.substr(0, 2) + first_entry;  // length still says 2
  const std::vector<std::string> keys = {"a", "b"};
  ExampleParserConfig config = RaggedConfig(keys, {DT_INT64, DT_INT64});
  ParsedExamples result;
  ASSERT_TRUE(ParseExampleBatch(config, {cut}, {}, &result).ok());
  EXPECT_TENSOR_EQ(result.ragged_values[0], Tensor::Vector<int64_t>({1}));
}

TEST(ExampleParser, RandomBytesNeverCrash) {
  std::mt19937 rng(7);
  tensorflow::Example example;
  auto& map = *example.mutable_features()->mutable_feature();
  map["f"].mutable_float_list()->add_value(1);
  map["f"].mutable_float_list()->add_value(2);
  map["i"].mutable_int64_list()->add_value(-3);
  map["s"].mutable_bytes_list()->add_value("hello");
  const std::string valid = example.SerializeAsString();

  ExampleParserConfig config;
  ASSERT_TRUE(DenseShapesToSpecs({PartialShape{1, {2}}, PartialShape{1, {-1}}},
                                 &config.dense)
                  .ok());
  config.dense[0].key = "f";
  config.dense[0].dtype = DT_FLOAT;
  config.dense[0].default_value = Tensor::Vector<float>({0, 0});
  config.dense[1].key = "s";
  config.dense[1].dtype = DT_STRING;
  config.dense[1].default_value = Tensor::Scalar<std::string>("");
  config.sparse.push_back({"i", DT_INT64});
  config.ragged.push_back({"s2", DT_STRING, DT_INT32});

  for (int round = 0; round < 20000; ++round) {
    std::string input;
    switch (round % 3) {
      case 0:
        input = RandomBytes(&rng, rng() % 64);
        break;
      case 1:
        input = valid.substr(0, rng() % (valid.size() + 1));
        break;
      default: {
        input = valid;
        for (int flips = 1 + rng() % 3; flips > 0; --flips) {
          input[rng() % input.size()] = static_cast<char>(rng());
        }
      }
    }
    ParsedExamples result;
    absl::Status batch = ParseExampleBatch(config, {input, valid}, {}, &result);
    if (!batch.ok()) {
      ASSERT_EQ(batch.code(), absl::StatusCode::kInvalidArgument) << batch;
    } else {
      ASSERT_EQ(result.dense_values[0].shape(), (TensorShape{2, 2}));
    }
    absl::Status single = ParseSingleExample(config, input, &result);
    if (!single.ok()) {
      ASSERT_EQ(single.code(), absl::StatusCode::kInvalidArgument) << single;
    }
  }
}

}  // namespace
}  // namespace model_server
