// write_bench_models OUT_DIR [NAME...]: writes the bench models
// (bench_models.h), all of them by default, as OUT_DIR/<name>/saved_model/1
// and OUT_DIR/<name>/model.onnx.
#include <iostream>
#include <string>
#include <vector>

#include "bench/models/bench_models.h"

int main(int argc, char** argv) {
  if (argc < 2) {
    std::cerr << "usage: write_bench_models OUT_DIR [mlp|cnn|mobilenet|lstm "
                 "...]\n";
    return 2;
  }
  const std::string out_dir = argv[1];
  std::vector<std::string> names(argv + 2, argv + argc);
  if (names.empty()) names = model_server::bench::BenchModelNames();
  for (const std::string& name : names) {
    absl::Status status = model_server::bench::WriteBenchModel(name, out_dir);
    if (!status.ok()) {
      std::cerr << name << ": " << status.message() << "\n";
      return 1;
    }
    std::cout << out_dir << "/" << name << "\n";
  }
  return 0;
}
