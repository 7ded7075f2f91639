// The flags of one model_tool subcommand: "--name=value", "--name value" and
// bare "--name" for booleans, with saved_model_cli's and freeze_graph.py's
// flag names. Each subcommand declares the flags it takes; anything else is
// an error that lists them.
#ifndef MODEL_SERVER_MODEL_TOOL_COMMAND_LINE_H_
#define MODEL_SERVER_MODEL_TOOL_COMMAND_LINE_H_

#include <map>
#include <string>
#include <vector>

#include "absl/status/statusor.h"

namespace model_server {

struct FlagSpec {
  std::string name;
  // Booleans take no value ("--all"), or "=true"/"=false".
  bool is_bool = false;
  std::string help;
};

class CommandLine {
 public:
  // Parses `args` (after the subcommand). Fails with INVALID_ARGUMENT for an
  // unknown flag (listing the known ones), a missing value or a positional
  // argument.
  static absl::StatusOr<CommandLine> Parse(const std::vector<std::string>& args,
                                           const std::vector<FlagSpec>& specs);

  bool Has(const std::string& name) const { return values_.count(name) > 0; }
  // The flag's value, or `fallback` when absent.
  std::string Get(const std::string& name,
                  const std::string& fallback = "") const;
  // A boolean flag: absent -> fallback; "--x", "--x=true", "--x=1" -> true.
  bool GetBool(const std::string& name, bool fallback = false) const;

 private:
  std::map<std::string, std::string> values_;
};

// "  --name  help" lines for usage texts.
std::string FlagHelp(const std::vector<FlagSpec>& specs);

}  // namespace model_server

#endif  // MODEL_SERVER_MODEL_TOOL_COMMAND_LINE_H_
