// write_big_model: writes a SavedModel whose variables weigh about
// --megabytes MiB, for load-time and peak-memory measurements
// (bench/load_big_model.sh). Never committed: generated at bench time.
//
//   write_big_model --output_dir=/tmp/big/1 --megabytes=1024 --variables=64
//
// --variables TF2 resource variables "w<i>" of float [rows, 4096] (rows
// chosen so that they add up to --megabytes), filled with a cheap
// deterministic pattern, in one data shard as TensorFlow writes them. The
// signature serving_default is y = x * 2 (x float [-1, 4096]): the model
// exists to be loaded, and its variables are restored at load like any
// SavedModel's.
#include <algorithm>
#include <cstdint>
#include <iostream>
#include <string>
#include <utility>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/strings/str_cat.h"
#include "runtime/tensor.h"
#include "tools/saved_model_builder.h"

ABSL_FLAG(std::string, output_dir, "",
          "Version directory to create (must not exist), e.g. /tmp/big/1");
ABSL_FLAG(int, megabytes, 1024, "Total size of the variables in MiB");
ABSL_FLAG(int, variables, 64, "Number of variables (1..4096)");

namespace model_server {
namespace {

constexpr int64_t kColumns = 4096;

int Run() {
  const std::string output_dir = absl::GetFlag(FLAGS_output_dir);
  const int64_t megabytes = absl::GetFlag(FLAGS_megabytes);
  const int64_t count = absl::GetFlag(FLAGS_variables);
  if (output_dir.empty() || megabytes < 1 || megabytes > 16384 || count < 1 ||
      count > 4096) {
    std::cerr << "write_big_model: need --output_dir, --megabytes in "
                 "1..16384 and --variables in 1..4096\n";
    return 2;
  }
  const int64_t total_floats = megabytes * (int64_t{1} << 20) / 4;
  const int64_t rows = std::max<int64_t>(1, total_floats / count / kColumns);
  SavedModelWriter model;
  GraphBuilder& g = model.graph();
  for (int64_t v = 0; v < count; ++v) {
    absl::StatusOr<Tensor> created =
        Tensor::Create(DT_FLOAT, TensorShape({rows, kColumns}));
    if (!created.ok()) {
      std::cerr << "write_big_model: " << created.status().message() << "\n";
      return 1;
    }
    Tensor value = *std::move(created);
    float* data = value.flat<float>().data();
    for (int64_t i = 0; i < rows * kColumns; ++i) {
      data[i] = static_cast<float>((i + v) % 251) * 0.01f;
    }
    model.AddResourceVariable(absl::StrCat("w", v), value);
  }
  const std::string x = g.Placeholder("x", DT_FLOAT, {-1, kColumns});
  const std::string two = g.Const("two", Tensor::Scalar(2.0f));
  const std::string y = g.Binary("y", "Mul", x, two, DT_FLOAT);
  model.AddSignature("serving_default")
      .Input("x", x, DT_FLOAT, {-1, kColumns})
      .Output("y", y, DT_FLOAT, {-1, kColumns});
  const absl::Status status = model.Write(output_dir);
  if (!status.ok()) {
    std::cerr << "write_big_model: " << status.message() << "\n";
    return 1;
  }
  std::cout << "wrote " << count << " variables of float [" << rows << ", "
            << kColumns << "] (" << count * rows * kColumns * 4 << " bytes) to "
            << output_dir << "\n";
  return 0;
}

}  // namespace
}  // namespace model_server

int main(int argc, char** argv) {
  absl::SetProgramUsageMessage(
      "write_big_model --output_dir=DIR [--megabytes=1024] [--variables=64]");
  absl::ParseCommandLine(argc, argv);
  return model_server::Run();
}
