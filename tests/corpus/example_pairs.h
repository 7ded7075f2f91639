// What the corpus tests of Classify and Regress share: which pairs they run
// and how a pair's examples become a request.
#ifndef MODEL_SERVER_TESTS_CORPUS_EXAMPLE_PAIRS_H_
#define MODEL_SERVER_TESTS_CORPUS_EXAMPLE_PAIRS_H_

#include <string>

#include "model_server/serialized_input.pb.h"
#include "signatures/example_signature.h"
#include "tests/corpus/gold_pairs.h"

namespace model_server {

// The method `signature` serves (its method_name, or for TF2 exports the one
// its outputs fit); false when neither Classify nor Regress can call it.
bool MethodFor(const Signature& signature, ExampleMethod* method);

// True for gold.json's RPC result aliases ("classifications[0]...",
// "value", ...), setting the method they name.
bool IsRpcResultAlias(const std::string& alias, ExampleMethod* method);

// The serialized examples of `pair` ("inputs" or gold.json's "examples"),
// or null.
const GoldTensor* ExamplesOf(const GoldPair& pair);

// Whether `pair` runs through Classify or Regress on `signature` (null when
// the model lacks it), and which: a pair with examples whose outputs are
// gold.json's RPC results, or whose signature MethodFor accepts.
bool ExampleMethodOf(const GoldPair& pair, const Signature* signature,
                     ExampleMethod* method);

// `examples` as an example_list.
SerializedInput InputOf(const GoldTensor& examples);

}  // namespace model_server

#endif  // MODEL_SERVER_TESTS_CORPUS_EXAMPLE_PAIRS_H_
