// model_tool: inspect, run and freeze TensorFlow models without TensorFlow,
// with the loader and runtime model_server serves them with.
//
//   model_tool show   --dir PATH [--tag_set T] [--signature_def S] [--all]
//                     [--values] [--json]
//   model_tool run    --dir PATH [--tag_set T] [--signature_def S]
//                     --inputs/--input_exprs/--input_examples ... [--outdir D]
//   model_tool freeze --input_saved_model_dir D | --input_meta_graph M
//                     --input_checkpoint P | --input_graph G
//                     --input_checkpoint P ... --output_graph F
//   model_tool benchmark --dir PATH [--signature_def S] [--batch 1,8,64]
//                     [--threads 1,2] [--inputs x=a.npy] [--warmup N]
//                     [--min_time S] [--profile] [--json]
#include <iostream>
#include <string>
#include <vector>

#include "model_tool/commands.h"

namespace {

constexpr char kUsage[] =
    "usage: model_tool <command> [flags]\n"
    "\n"
    "commands (each prints its flags with --help):\n"
    "  show    what a model holds: saved_model_cli show's tag sets and\n"
    "          signatures, plus ops (unsupported ones marked), functions,\n"
    "          variables and assets; SavedModels, frozen graphs and\n"
    "          checkpoints\n"
    "  run     run a signature in-process (saved_model_cli run's flags)\n"
    "  freeze  fold variables into constants, inline functions and prune to\n"
    "          the outputs (freeze_graph.py's flags)\n"
    "  benchmark  time a signature in-process: p50/p90/p99 latency and\n"
    "          throughput per batch size and thread count, --profile per op\n";

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2 || std::string(argv[1]) == "--help" ||
      std::string(argv[1]) == "help") {
    std::cout << kUsage;
    return argc < 2 ? 2 : 0;
  }
  const std::string command = argv[1];
  std::vector<std::string> args(argv + 2, argv + argc);
  for (const std::string& arg : args) {
    if (arg == "--help") args = {"--help"};
  }
  if (command == "show") {
    return model_server::ShowCommand(args, std::cout, std::cerr);
  }
  if (command == "run") {
    return model_server::RunCommand(args, std::cout, std::cerr);
  }
  if (command == "freeze") {
    return model_server::FreezeCommand(args, std::cout, std::cerr);
  }
  if (command == "benchmark") {
    return model_server::BenchmarkCommand(args, std::cout, std::cerr);
  }
  std::cerr << "unknown command '" << command << "'\n" << kUsage;
  return 2;
}
