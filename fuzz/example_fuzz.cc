// Fuzz target: tf.Example parsing (the wire-level parser behind
// ParseExample, ParseExampleV2 and ParseSingleExample) with one fixed
// config covering every output kind: dense fixed-length float "a" [2]
// (default given), dense int64 "b" [-1] (variable length, padded), dense
// string "c" [1] (required), sparse float "s" and bytes "t", ragged int64
// "r" with int32 splits. The first input byte picks single-example or batch
// parsing; a batch holds the rest of the input and its second half.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "fuzz/fuzz_support.h"
#include "runtime/kernels/parsing/example_parser.h"

namespace model_server {
namespace {

struct Config {
  ExampleParserConfig parser;
  std::vector<Tensor> defaults;
};

Config MakeConfig() {
  Config config;
  std::vector<PartialShape> shapes = {{1, {2}}, {1, {-1}}, {1, {1}}};
  config.parser.dense.resize(3);
  config.parser.dense[0].key = "a";
  config.parser.dense[0].dtype = DT_FLOAT;
  config.parser.dense[1].key = "b";
  config.parser.dense[1].dtype = DT_INT64;
  config.parser.dense[2].key = "c";
  config.parser.dense[2].dtype = DT_STRING;
  if (!DenseShapesToSpecs(shapes, &config.parser.dense).ok()) std::abort();
  config.defaults.push_back(Tensor::Vector<float>({1.5f, -2.f}));
  config.defaults.push_back(Tensor::Scalar<int64_t>(-1));
  config.defaults.push_back(Tensor::Vector<std::string>({}));
  std::vector<const Tensor*> defaults;
  for (const Tensor& t : config.defaults) defaults.push_back(&t);
  if (!SetDenseDefaults(defaults, &config.parser).ok()) std::abort();
  config.parser.sparse = {{"s", DT_FLOAT}, {"t", DT_STRING}};
  config.parser.ragged = {{"r", DT_INT64, DT_INT32}};
  return config;
}

}  // namespace
}  // namespace model_server

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace model_server;
  static const Config* const config = new Config(MakeConfig());
  fuzz::InputReader input(data, size);
  const bool batch = input.Byte() & 1;
  const absl::string_view serialized = input.Rest();
  ParsedExamples result;
  if (batch) {
    const std::vector<std::string> examples = {
        std::string(serialized),
        std::string(serialized.substr(serialized.size() / 2))};
    const std::vector<std::string> names = {"first", "second"};
    (void)ParseExampleBatch(config->parser, examples, names, &result);
  } else {
    (void)ParseSingleExample(config->parser, serialized, &result);
  }
  return 0;
}
