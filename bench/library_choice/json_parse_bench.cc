// JSON parsing speed for the REST front end's library choice
// (docs/rest_api_libraries.md): parse a Predict body of N x 784 floats and
// sum every number, with RapidJSON's DOM (the flags the REST codec needs) and
// with simdjson's On-Demand API. Prints MB/s per variant.
//   g++ -O2 -march=x86-64-v3 -std=c++17 json_parse_bench.cc -lsimdjson \
//       -o json_parse_bench
//   ./json_parse_bench request.json
#include <chrono>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>

#include "rapidjson/document.h"
#include "simdjson.h"

template <typename Fn>
static void Time(const char* name, const std::string& json, Fn fn) {
  const int reps = 200;
  double sum = 0;
  auto start = std::chrono::steady_clock::now();
  for (int i = 0; i < reps; ++i) sum += fn();
  double s =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start)
          .count();
  std::printf("%-44s %8.1f MB/s  %8.1f us/parse  (sum %g)\n", name,
              json.size() * reps / s / 1e6, s / reps * 1e6, sum / reps);
}

static double SumRapid(const rapidjson::Value& v) {
  if (v.IsNumber()) return v.GetDouble();
  double s = 0;
  if (v.IsArray())
    for (const auto& e : v.GetArray()) s += SumRapid(e);
  if (v.IsObject())
    for (const auto& m : v.GetObject()) s += SumRapid(m.value);
  return s;
}

template <unsigned kFlags>
static double Rapid(const std::string& json) {
  rapidjson::Document doc;
  doc.Parse<kFlags>(json.data(), json.size());
  return SumRapid(doc);
}

static double Simd(simdjson::ondemand::parser& parser,
                   const simdjson::padded_string& json) {
  simdjson::ondemand::document doc = parser.iterate(json);
  double s = 0;
  for (auto row : doc["instances"].get_array()) {
    for (double x : row.get_array()) s += x;
  }
  return s;
}

static double SumSimdDom(simdjson::dom::element v) {
  if (v.is_number()) return double(v);
  double s = 0;
  if (v.is_array())
    for (simdjson::dom::element e : simdjson::dom::array(v)) s += SumSimdDom(e);
  if (v.is_object())
    for (auto field : simdjson::dom::object(v)) s += SumSimdDom(field.value);
  return s;
}

int main(int argc, char** argv) {
  std::ifstream in(argv[1]);
  std::stringstream b;
  b << in.rdbuf();
  const std::string json = b.str();
  using namespace rapidjson;
  Time("rapidjson DOM, NanAndInf|Iterative", json,
       [&] { return Rapid<kParseNanAndInfFlag | kParseIterativeFlag>(json); });
  Time("rapidjson DOM, NanAndInf|Iterative|FullPrec", json, [&] {
    return Rapid<kParseNanAndInfFlag | kParseIterativeFlag |
                 kParseFullPrecisionFlag>(json);
  });
  Time("rapidjson DOM, NanAndInf (recursive)", json,
       [&] { return Rapid<kParseNanAndInfFlag>(json); });
  simdjson::ondemand::parser parser;
  simdjson::padded_string padded(json);
  Time("simdjson On-Demand (no NaN/Infinity)", json,
       [&] { return Simd(parser, padded); });
  simdjson::dom::parser dom_parser;
  Time("simdjson DOM (no NaN/Infinity)", json,
       [&] { return SumSimdDom(dom_parser.parse(padded).value_unsafe()); });
  auto nan = dom_parser.parse(simdjson::padded_string(std::string("[NaN]")));
  std::printf("simdjson DOM on [NaN]: %s\n",
              simdjson::error_message(nan.error()));
}
