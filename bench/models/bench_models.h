// The bench models of issue 13, each written twice with the same weights: as
// a SavedModel (our graph builder) and as an ONNX model (onnx_writer.h), so
// model_tool benchmark and onnxruntime time the same arithmetic.
//
//   mlp        x [N,784] -> 512 relu -> 256 relu -> 10
//   cnn        x [N,28,28,1] -> conv3x3 32 relu -> conv3x3 64 relu ->
//              maxpool 2x2 -> dense 128 relu -> dense 10
//   mobilenet  x [N,28,28,64] -> depthwise 3x3 relu6 -> pointwise 128 relu6
//              (one MobileNet depthwise-separable block)
//   lstm       x [N,16,64] -> LSTM, 128 units, last hidden state [N,128]
//              (unrolled in the SavedModel; ONNX's LSTM op)
//
// The SavedModels are NHWC, as TensorFlow writes them; the ONNX models take
// and give NCHW (onnxruntime's native layout), so nothing is transposed
// inside either model: callers transpose inputs and outputs to compare.
// Weights are seeded pseudo-random (Glorot uniform), identical per run.
#ifndef MODEL_SERVER_BENCH_MODELS_BENCH_MODELS_H_
#define MODEL_SERVER_BENCH_MODELS_BENCH_MODELS_H_

#include <string>
#include <vector>

#include "absl/status/status.h"

namespace model_server::bench {

// "mlp", "cnn", "mobilenet", "lstm".
const std::vector<std::string>& BenchModelNames();

// Writes <out_dir>/<name>/saved_model/1/ and <out_dir>/<name>/model.onnx.
// <out_dir>/<name> must not exist yet.
absl::Status WriteBenchModel(const std::string& name,
                             const std::string& out_dir);

}  // namespace model_server::bench

#endif  // MODEL_SERVER_BENCH_MODELS_BENCH_MODELS_H_
