// model_tool's subcommands. Each takes the arguments after its name, writes
// results to `out` and problems to `err`, and returns the process exit code
// (0 on success, 1 on a failure, 2 on a bad command line).
#ifndef MODEL_SERVER_MODEL_TOOL_COMMANDS_H_
#define MODEL_SERVER_MODEL_TOOL_COMMANDS_H_

#include <ostream>
#include <string>
#include <vector>

namespace model_server {

// show: saved_model_cli show, plus ops, variables, assets, functions.
int ShowCommand(const std::vector<std::string>& args, std::ostream& out,
                std::ostream& err);
// run: saved_model_cli run, in-process.
int RunCommand(const std::vector<std::string>& args, std::ostream& out,
               std::ostream& err);
// freeze: freeze_graph.py's job, without TensorFlow.
int FreezeCommand(const std::vector<std::string>& args, std::ostream& out,
                  std::ostream& err);
// benchmark: latency percentiles, throughput and a per-op profile of a
// signature run in-process (benchmark_model's and perf_test's job).
int BenchmarkCommand(const std::vector<std::string>& args, std::ostream& out,
                     std::ostream& err);

}  // namespace model_server

#endif  // MODEL_SERVER_MODEL_TOOL_COMMANDS_H_
