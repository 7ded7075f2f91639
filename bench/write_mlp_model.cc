// write_mlp_model: writes the 784-512-256-10 MLP of issue 13 as a SavedModel
// (weights as Const, deterministic values) for bench/batching.sh.
//
//   write_mlp_model --output_dir=/tmp/mlp/1
//
// Signature serving_default: x float [-1, 784] -> y float [-1, 10], with
// y = Softmax(Relu(Relu(x W1 + b1) W2 + b2) W3 + b3).
#include <cmath>
#include <iostream>
#include <string>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/strings/str_cat.h"
#include "runtime/tensor.h"
#include "tools/saved_model_builder.h"

ABSL_FLAG(std::string, output_dir, "",
          "Version directory to create (must not exist), e.g. /tmp/mlp/1");

namespace model_server {
namespace {

// Small values of both signs from a fixed pattern, scaled like a
// Glorot-initialized layer so the activations stay in range.
Tensor Pattern(const TensorShape& shape, int seed, float scale) {
  // Benchmark shapes are small and fixed: creation cannot fail.
  Tensor value = *Tensor::Create(DT_FLOAT, shape);
  float* data = value.flat<float>().data();
  for (int64_t i = 0; i < value.NumElements(); ++i) {
    data[i] = scale * std::sin(static_cast<float>(i * 7 + seed * 13) * 0.37f);
  }
  return value;
}

// One dense layer: MatMul, BiasAdd and (unless last) Relu.
std::string Dense(GraphBuilder& g, const std::string& input, int layer,
                  int64_t in, int64_t out, bool relu) {
  const std::string name = absl::StrCat("dense", layer);
  const float scale = std::sqrt(6.0f / static_cast<float>(in + out));
  const std::string w =
      g.Const(name + "/kernel", Pattern(TensorShape({in, out}), layer, scale));
  const std::string b =
      g.Const(name + "/bias", Pattern(TensorShape({out}), layer + 100, 0.01f));
  const std::string product = g.Op(name + "/MatMul", "MatMul")
                                  .Input(input)
                                  .Input(w)
                                  .Attr("T", DT_FLOAT)
                                  .Attr("transpose_a", false)
                                  .Attr("transpose_b", false)
                                  .Output(0);
  const std::string biased = g.Op(name + "/BiasAdd", "BiasAdd")
                                 .Input(product)
                                 .Input(b)
                                 .Attr("T", DT_FLOAT)
                                 .Output(0);
  if (!relu) return biased;
  return g.Op(name + "/Relu", "Relu")
      .Input(biased)
      .Attr("T", DT_FLOAT)
      .Output(0);
}

int Run() {
  const std::string output_dir = absl::GetFlag(FLAGS_output_dir);
  if (output_dir.empty()) {
    std::cerr << "write_mlp_model: --output_dir is required\n";
    return 2;
  }
  SavedModelWriter model;
  GraphBuilder& g = model.graph();
  const std::string x = g.Placeholder("x", DT_FLOAT, {-1, 784});
  std::string h = Dense(g, x, 1, 784, 512, true);
  h = Dense(g, h, 2, 512, 256, true);
  h = Dense(g, h, 3, 256, 10, false);
  const std::string y =
      g.Op("y", "Softmax").Input(h).Attr("T", DT_FLOAT).Output(0);
  model.AddSignature("serving_default")
      .Input("x", x, DT_FLOAT, {-1, 784})
      .Output("y", y, DT_FLOAT, {-1, 10});
  const absl::Status status = model.Write(output_dir);
  if (!status.ok()) {
    std::cerr << "write_mlp_model: " << status.message() << "\n";
    return 1;
  }
  return 0;
}

}  // namespace
}  // namespace model_server

int main(int argc, char** argv) {
  absl::SetProgramUsageMessage("write_mlp_model --output_dir=DIR");
  absl::ParseCommandLine(argc, argv);
  return model_server::Run();
}
