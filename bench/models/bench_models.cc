#include "bench/models/bench_models.h"

#include <cmath>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <random>

#include "absl/strings/str_cat.h"
#include "bench/models/onnx_writer.h"
#include "runtime/status_macros.h"
#include "tools/saved_model_builder.h"

namespace model_server::bench {
namespace {

// A weight in both layouts' terms: values row-major in TensorFlow's layout.
struct Weight {
  std::vector<int64_t> dims;
  std::vector<float> values;
};

class WeightMaker {
 public:
  // Glorot-uniform values in [-limit, limit].
  Weight Make(std::vector<int64_t> dims, int64_t fan_in, int64_t fan_out) {
    int64_t count = 1;
    for (int64_t d : dims) count *= d;
    const float limit = std::sqrt(6.0f / static_cast<float>(fan_in + fan_out));
    std::uniform_real_distribution<float> uniform(-limit, limit);
    Weight w{std::move(dims), std::vector<float>(count)};
    for (float& v : w.values) v = uniform(rng_);
    return w;
  }
  // Small biases, so a bias mistake shows in the outputs.
  Weight Bias(int64_t n) {
    std::uniform_real_distribution<float> uniform(-0.1f, 0.1f);
    Weight w{{n}, std::vector<float>(n)};
    for (float& v : w.values) v = uniform(rng_);
    return w;
  }

 private:
  std::mt19937 rng_{20261207};
};

Tensor ToTensor(const Weight& w) {
  return Tensor::FromVector<float>(w.values,
                                   TensorShape::FromDims(w.dims).value());
}

// A TensorFlow filter [KH, KW, I, O] as ONNX's [O, I, KH, KW].
Weight HwioToOihw(const Weight& w) {
  const int64_t kh = w.dims[0], kw = w.dims[1], in = w.dims[2], out = w.dims[3];
  Weight t{{out, in, kh, kw}, std::vector<float>(w.values.size())};
  for (int64_t y = 0; y < kh; ++y) {
    for (int64_t x = 0; x < kw; ++x) {
      for (int64_t i = 0; i < in; ++i) {
        for (int64_t o = 0; o < out; ++o) {
          t.values[((o * in + i) * kh + y) * kw + x] =
              w.values[((y * kw + x) * in + i) * out + o];
        }
      }
    }
  }
  return t;
}

class TfLayers {
 public:
  explicit TfLayers(SavedModelWriter* writer)
      : writer_(writer), g_(writer->graph()) {}

  std::string Variable(const std::string& name, const Weight& w) {
    return writer_->AddVariable(name, ToTensor(w));
  }
  std::string Dense(const std::string& name, const std::string& x,
                    const Weight& kernel, const Weight& bias) {
    const std::string k = Variable(name + "/kernel", kernel);
    const std::string b = Variable(name + "/bias", bias);
    const std::string mm = g_.Op(name + "/MatMul", "MatMul")
                               .Input(x)
                               .Input(k)
                               .Attr("T", DT_FLOAT)
                               .Attr("transpose_a", false)
                               .Attr("transpose_b", false)
                               .Output(0);
    return BiasAdd(name + "/BiasAdd", mm, b);
  }
  std::string BiasAdd(const std::string& name, const std::string& x,
                      const std::string& bias) {
    return g_.Op(name, "BiasAdd")
        .Input(x)
        .Input(bias)
        .Attr("T", DT_FLOAT)
        .Attr("data_format", "NHWC")
        .Output(0);
  }
  std::string Conv(const std::string& name, const std::string& op,
                   const std::string& x, const Weight& filter,
                   const Weight& bias) {
    const std::string f = Variable(name + "/kernel", filter);
    const std::string b = Variable(name + "/bias", bias);
    const std::string conv =
        g_.Op(name + "/" + op, op)
            .Input(x)
            .Input(f)
            .Attr("T", DT_FLOAT)
            .Attr("strides", std::vector<int64_t>{1, 1, 1, 1})
            .Attr("dilations", std::vector<int64_t>{1, 1, 1, 1})
            .Attr("padding", "SAME")
            .Attr("data_format", "NHWC")
            .Output(0);
    return BiasAdd(name + "/BiasAdd", conv, b);
  }
  std::string Unary(const std::string& name, const std::string& op,
                    const std::string& x) {
    return g_.Op(name, op).Input(x).Attr("T", DT_FLOAT).Output(0);
  }
  std::string Binary(const std::string& name, const std::string& op,
                     const std::string& x, const std::string& y) {
    return g_.Binary(name, op, x, y, DT_FLOAT);
  }
  GraphBuilder& g() { return g_; }

 private:
  SavedModelWriter* writer_;
  GraphBuilder& g_;
};

absl::Status Finish(SavedModelWriter& writer, const std::string& x,
                    const std::vector<int64_t>& x_dims, const std::string& y,
                    const std::vector<int64_t>& y_dims, const OnnxGraph& onnx,
                    const std::string& name, const std::string& dir) {
  const std::string out = writer.graph().Identity("output", y, DT_FLOAT);
  writer.AddSignature("serving_default")
      .Input("x", x, DT_FLOAT, x_dims)
      .Output("y", out, DT_FLOAT, y_dims);
  std::error_code error;
  std::filesystem::create_directories(dir + "/saved_model", error);
  if (error) {
    return absl::InternalError(
        absl::StrCat("cannot create ", dir, ": ", error.message()));
  }
  MS_RETURN_IF_ERROR(writer.Write(dir + "/saved_model/1"));
  return WriteFile(dir + "/model.onnx", onnx.Serialize(name, 14));
}

absl::Status WriteMlp(const std::string& dir) {
  WeightMaker weights;
  SavedModelWriter writer;
  TfLayers tf(&writer);
  OnnxGraph onnx;
  const std::vector<int64_t> sizes = {784, 512, 256, 10};
  std::string h = tf.g().Placeholder("x", DT_FLOAT, {-1, 784});
  const std::string x = h;
  onnx.Input("x", {-1, 784});
  std::string onnx_h = "x";
  for (size_t layer = 0; layer + 1 < sizes.size(); ++layer) {
    const Weight kernel = weights.Make({sizes[layer], sizes[layer + 1]},
                                       sizes[layer], sizes[layer + 1]);
    const Weight bias = weights.Bias(sizes[layer + 1]);
    const std::string name = absl::StrCat("dense_", layer);
    h = tf.Dense(name, h, kernel, bias);
    onnx.Initializer(name + "/kernel", kernel.dims, kernel.values);
    onnx.Initializer(name + "/bias", bias.dims, bias.values);
    const bool last = layer + 2 == sizes.size();
    const std::string gemm = last ? "y" : name + "/gemm";
    onnx.Node("Gemm", {onnx_h, name + "/kernel", name + "/bias"}, {gemm});
    onnx_h = gemm;
    if (!last) {
      h = tf.Unary(name + "/Relu", "Relu", h);
      onnx.Node("Relu", {gemm}, {name + "/relu"});
      onnx_h = name + "/relu";
    }
  }
  onnx.Output("y", {-1, 10});
  return Finish(writer, x, {-1, 784}, h, {-1, 10}, onnx, "mlp", dir);
}

absl::Status WriteCnn(const std::string& dir) {
  WeightMaker weights;
  SavedModelWriter writer;
  TfLayers tf(&writer);
  OnnxGraph onnx;
  const std::string x = tf.g().Placeholder("x", DT_FLOAT, {-1, 28, 28, 1});
  onnx.Input("x", {-1, 1, 28, 28});
  const Weight f1 = weights.Make({3, 3, 1, 32}, 9, 9 * 32);
  const Weight b1 = weights.Bias(32);
  const Weight f2 = weights.Make({3, 3, 32, 64}, 9 * 32, 9 * 64);
  const Weight b2 = weights.Bias(64);
  const Weight d1 = weights.Make({14 * 14 * 64, 128}, 14 * 14 * 64, 128);
  const Weight db1 = weights.Bias(128);
  const Weight d2 = weights.Make({128, 10}, 128, 10);
  const Weight db2 = weights.Bias(10);

  std::string h = tf.Conv("conv_0", "Conv2D", x, f1, b1);
  h = tf.Unary("conv_0/Relu", "Relu", h);
  h = tf.Conv("conv_1", "Conv2D", h, f2, b2);
  h = tf.Unary("conv_1/Relu", "Relu", h);
  h = tf.g()
          .Op("pool", "MaxPool")
          .Input(h)
          .Attr("T", DT_FLOAT)
          .Attr("ksize", std::vector<int64_t>{1, 2, 2, 1})
          .Attr("strides", std::vector<int64_t>{1, 2, 2, 1})
          .Attr("padding", "VALID")
          .Attr("data_format", "NHWC")
          .Output(0);
  const std::string shape = tf.g().Const(
      "flatten/shape", Tensor::Vector<int32_t>({-1, 14 * 14 * 64}));
  h = tf.g()
          .Op("flatten", "Reshape")
          .Input(h)
          .Input(shape)
          .Attr("T", DT_FLOAT)
          .Attr("Tshape", DT_INT32)
          .Output(0);
  h = tf.Dense("dense_0", h, d1, db1);
  h = tf.Unary("dense_0/Relu", "Relu", h);
  h = tf.Dense("dense_1", h, d2, db2);

  // ONNX, NCHW: the flatten order is (c, y, x), so dense_0's rows are
  // permuted from TensorFlow's (y, x, c).
  Weight d1_chw{d1.dims, std::vector<float>(d1.values.size())};
  for (int64_t y = 0; y < 14; ++y) {
    for (int64_t xx = 0; xx < 14; ++xx) {
      for (int64_t c = 0; c < 64; ++c) {
        const int64_t from = (y * 14 + xx) * 64 + c;
        const int64_t to = (c * 14 + y) * 14 + xx;
        for (int64_t o = 0; o < 128; ++o) {
          d1_chw.values[to * 128 + o] = d1.values[from * 128 + o];
        }
      }
    }
  }
  const Weight f1_onnx = HwioToOihw(f1), f2_onnx = HwioToOihw(f2);
  onnx.Initializer("f1", f1_onnx.dims, f1_onnx.values);
  onnx.Initializer("b1", b1.dims, b1.values);
  onnx.Initializer("f2", f2_onnx.dims, f2_onnx.values);
  onnx.Initializer("b2", b2.dims, b2.values);
  onnx.Initializer("d1", d1_chw.dims, d1_chw.values);
  onnx.Initializer("db1", db1.dims, db1.values);
  onnx.Initializer("d2", d2.dims, d2.values);
  onnx.Initializer("db2", db2.dims, db2.values);
  const std::vector<OnnxAttribute> conv_attrs = {
      OnnxAttribute::Ints("kernel_shape", {3, 3}),
      OnnxAttribute::Ints("pads", {1, 1, 1, 1})};
  onnx.Node("Conv", {"x", "f1", "b1"}, {"c1"}, conv_attrs);
  onnx.Node("Relu", {"c1"}, {"r1"});
  onnx.Node("Conv", {"r1", "f2", "b2"}, {"c2"}, conv_attrs);
  onnx.Node("Relu", {"c2"}, {"r2"});
  onnx.Node("MaxPool", {"r2"}, {"p"},
            {OnnxAttribute::Ints("kernel_shape", {2, 2}),
             OnnxAttribute::Ints("strides", {2, 2})});
  onnx.Node("Flatten", {"p"}, {"flat"}, {OnnxAttribute::Int("axis", 1)});
  onnx.Node("Gemm", {"flat", "d1", "db1"}, {"g1"});
  onnx.Node("Relu", {"g1"}, {"r3"});
  onnx.Node("Gemm", {"r3", "d2", "db2"}, {"y"});
  onnx.Output("y", {-1, 10});
  return Finish(writer, x, {-1, 28, 28, 1}, h, {-1, 10}, onnx, "cnn", dir);
}

absl::Status WriteMobileNetBlock(const std::string& dir) {
  constexpr int64_t kSize = 28, kIn = 64, kOut = 128;
  WeightMaker weights;
  SavedModelWriter writer;
  TfLayers tf(&writer);
  OnnxGraph onnx;
  const std::string x =
      tf.g().Placeholder("x", DT_FLOAT, {-1, kSize, kSize, kIn});
  onnx.Input("x", {-1, kIn, kSize, kSize});
  const Weight dw = weights.Make({3, 3, kIn, 1}, 9, 9);
  const Weight dwb = weights.Bias(kIn);
  const Weight pw = weights.Make({1, 1, kIn, kOut}, kIn, kOut);
  const Weight pwb = weights.Bias(kOut);
  std::string h = tf.Conv("depthwise", "DepthwiseConv2dNative", x, dw, dwb);
  h = tf.Unary("depthwise/Relu6", "Relu6", h);
  h = tf.Conv("pointwise", "Conv2D", h, pw, pwb);
  h = tf.Unary("pointwise/Relu6", "Relu6", h);

  // ONNX: a grouped Conv (group = channels) takes [C, 1, 3, 3], which is
  // TensorFlow's [3, 3, C, 1] read as HWIO with I and O swapped.
  Weight dw_onnx{{kIn, 1, 3, 3}, std::vector<float>(dw.values.size())};
  for (int64_t k = 0; k < 9; ++k) {
    for (int64_t c = 0; c < kIn; ++c) {
      dw_onnx.values[c * 9 + k] = dw.values[k * kIn + c];
    }
  }
  const Weight pw_onnx = HwioToOihw(pw);
  onnx.Initializer("dw", dw_onnx.dims, dw_onnx.values);
  onnx.Initializer("dwb", dwb.dims, dwb.values);
  onnx.Initializer("pw", pw_onnx.dims, pw_onnx.values);
  onnx.Initializer("pwb", pwb.dims, pwb.values);
  onnx.Initializer("zero", {}, {0.0f});
  onnx.Initializer("six", {}, {6.0f});
  onnx.Node("Conv", {"x", "dw", "dwb"}, {"d"},
            {OnnxAttribute::Ints("kernel_shape", {3, 3}),
             OnnxAttribute::Ints("pads", {1, 1, 1, 1}),
             OnnxAttribute::Int("group", kIn)});
  onnx.Node("Clip", {"d", "zero", "six"}, {"d6"});
  onnx.Node("Conv", {"d6", "pw", "pwb"}, {"p"},
            {OnnxAttribute::Ints("kernel_shape", {1, 1})});
  onnx.Node("Clip", {"p", "zero", "six"}, {"y"});
  onnx.Output("y", {-1, kOut, kSize, kSize});
  return Finish(writer, x, {-1, kSize, kSize, kIn}, h, {-1, kSize, kSize, kOut},
                onnx, "mobilenet", dir);
}

absl::Status WriteLstm(const std::string& dir) {
  constexpr int64_t kSteps = 16, kIn = 64, kUnits = 128;
  WeightMaker weights;
  SavedModelWriter writer;
  TfLayers tf(&writer);
  OnnxGraph onnx;
  // Keras's layout: kernel [I, 4H], recurrent [H, 4H], gates i, f, c, o.
  const Weight kernel = weights.Make({kIn, 4 * kUnits}, kIn, 4 * kUnits);
  const Weight recurrent =
      weights.Make({kUnits, 4 * kUnits}, kUnits, 4 * kUnits);
  const Weight bias = weights.Bias(4 * kUnits);

  const std::string x = tf.g().Placeholder("x", DT_FLOAT, {-1, kSteps, kIn});
  const std::string k = tf.Variable("lstm/kernel", kernel);
  const std::string r = tf.Variable("lstm/recurrent_kernel", recurrent);
  const std::string b = tf.Variable("lstm/bias", bias);
  const std::string split_axis =
      tf.g().Const("lstm/split_axis", Tensor::Scalar<int32_t>(1));
  tf.g()
      .Op("lstm/unstack", "Unpack")
      .Input(x)
      .Attr("T", DT_FLOAT)
      .Attr("num", kSteps)
      .Attr("axis", 1);
  auto matmul = [&](const std::string& name, const std::string& a,
                    const std::string& w) {
    return tf.g()
        .Op(name, "MatMul")
        .Input(a)
        .Input(w)
        .Attr("T", DT_FLOAT)
        .Attr("transpose_a", false)
        .Attr("transpose_b", false)
        .Output(0);
  };
  std::string h, c;
  for (int64_t t = 0; t < kSteps; ++t) {
    const std::string step = absl::StrCat("lstm/step_", t, "/");
    std::string z =
        matmul(step + "x_kernel", absl::StrCat("lstm/unstack:", t), k);
    if (t > 0) {
      z = tf.Binary(step + "add_recurrent", "AddV2", z,
                    matmul(step + "h_recurrent", h, r));
    }
    z = tf.BiasAdd(step + "bias", z, b);
    tf.g()
        .Op(step + "gates", "Split")
        .Input(split_axis)
        .Input(z)
        .Attr("T", DT_FLOAT)
        .Attr("num_split", 4);
    const std::string i = tf.Unary(step + "i", "Sigmoid", step + "gates:0");
    const std::string f = tf.Unary(step + "f", "Sigmoid", step + "gates:1");
    const std::string g = tf.Unary(step + "g", "Tanh", step + "gates:2");
    const std::string o = tf.Unary(step + "o", "Sigmoid", step + "gates:3");
    const std::string ig = tf.Binary(step + "ig", "Mul", i, g);
    c = t == 0 ? ig
               : tf.Binary(step + "c", "AddV2",
                           tf.Binary(step + "fc", "Mul", f, c), ig);
    h = tf.Binary(step + "h", "Mul", o, tf.Unary(step + "tanh_c", "Tanh", c));
  }

  // ONNX's LSTM: W [1, 4H, I], R [1, 4H, H], B [1, 8H], gates i, o, f, c.
  const int keras_gate_for_onnx[4] = {0, 3, 1, 2};
  auto onnx_weight = [&](const Weight& w, int64_t rows) {
    std::vector<float> values(static_cast<size_t>(4 * kUnits * rows));
    for (int gate = 0; gate < 4; ++gate) {
      const int64_t from_gate = keras_gate_for_onnx[gate];
      for (int64_t u = 0; u < kUnits; ++u) {
        for (int64_t j = 0; j < rows; ++j) {
          values[(gate * kUnits + u) * rows + j] =
              w.values[j * 4 * kUnits + from_gate * kUnits + u];
        }
      }
    }
    return values;
  };
  std::vector<float> b_onnx(static_cast<size_t>(8 * kUnits), 0.0f);
  for (int gate = 0; gate < 4; ++gate) {
    for (int64_t u = 0; u < kUnits; ++u) {
      b_onnx[gate * kUnits + u] =
          bias.values[keras_gate_for_onnx[gate] * kUnits + u];
    }
  }
  onnx.Input("x", {-1, kSteps, kIn});
  onnx.Initializer("W", {1, 4 * kUnits, kIn}, onnx_weight(kernel, kIn));
  onnx.Initializer("R", {1, 4 * kUnits, kUnits},
                   onnx_weight(recurrent, kUnits));
  onnx.Initializer("B", {1, 8 * kUnits}, b_onnx);
  onnx.Int64Initializer("squeeze_axes", {1}, {0});
  // onnxruntime's LSTM takes time-major input only (layout 0), so the batch-
  // major input is transposed first, as converters from Keras do.
  onnx.Node("Transpose", {"x"}, {"x_time_major"},
            {OnnxAttribute::Ints("perm", {1, 0, 2})});
  onnx.Node("LSTM", {"x_time_major", "W", "R", "B"}, {"", "h_last"},
            {OnnxAttribute::Int("hidden_size", kUnits)});
  onnx.Node("Squeeze", {"h_last", "squeeze_axes"}, {"y"});
  onnx.Output("y", {-1, kUnits});
  return Finish(writer, x, {-1, kSteps, kIn}, h, {-1, kUnits}, onnx, "lstm",
                dir);
}

const std::map<std::string, std::function<absl::Status(const std::string&)>>&
Writers() {
  static const auto* writers =
      new std::map<std::string,
                   std::function<absl::Status(const std::string&)>>{
          {"mlp", WriteMlp},
          {"cnn", WriteCnn},
          {"mobilenet", WriteMobileNetBlock},
          {"lstm", WriteLstm},
      };
  return *writers;
}

}  // namespace

const std::vector<std::string>& BenchModelNames() {
  static const auto* names =
      new std::vector<std::string>{"mlp", "cnn", "mobilenet", "lstm"};
  return *names;
}

absl::Status WriteBenchModel(const std::string& name,
                             const std::string& out_dir) {
  auto writer = Writers().find(name);
  if (writer == Writers().end()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "no bench model '", name, "': mlp, cnn, mobilenet or lstm"));
  }
  return writer->second(out_dir + "/" + name);
}

}  // namespace model_server::bench
