#include "model_tool/command_line.h"

#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/strip.h"

namespace model_server {
namespace {

const FlagSpec* FindSpec(const std::vector<FlagSpec>& specs,
                         const std::string& name) {
  for (const FlagSpec& spec : specs) {
    if (spec.name == name) return &spec;
  }
  return nullptr;
}

std::string KnownFlags(const std::vector<FlagSpec>& specs) {
  std::string known;
  for (const FlagSpec& spec : specs) {
    absl::StrAppend(&known, known.empty() ? "" : ", ", "--", spec.name);
  }
  return known;
}

}  // namespace

absl::StatusOr<CommandLine> CommandLine::Parse(
    const std::vector<std::string>& args, const std::vector<FlagSpec>& specs) {
  CommandLine line;
  for (size_t i = 0; i < args.size(); ++i) {
    absl::string_view arg = args[i];
    if (!absl::ConsumePrefix(&arg, "--")) {
      return absl::InvalidArgumentError(absl::StrCat(
          "unexpected argument '", args[i], "': every argument is a flag (",
          KnownFlags(specs), ")"));
    }
    std::string name(arg);
    std::string value;
    bool has_value = false;
    size_t equals = arg.find('=');
    if (equals != absl::string_view::npos) {
      name = std::string(arg.substr(0, equals));
      value = std::string(arg.substr(equals + 1));
      has_value = true;
    }
    const FlagSpec* spec = FindSpec(specs, name);
    if (spec == nullptr) {
      return absl::InvalidArgumentError(absl::StrCat("unknown flag --", name,
                                                     " (this command takes ",
                                                     KnownFlags(specs), ")"));
    }
    if (!has_value) {
      if (spec->is_bool) {
        value = "true";
      } else if (i + 1 < args.size()) {
        value = args[++i];
      } else {
        return absl::InvalidArgumentError(
            absl::StrCat("flag --", name, " needs a value"));
      }
    }
    line.values_[name] = value;
  }
  return line;
}

std::string CommandLine::Get(const std::string& name,
                             const std::string& fallback) const {
  auto it = values_.find(name);
  return it == values_.end() ? fallback : it->second;
}

bool CommandLine::GetBool(const std::string& name, bool fallback) const {
  auto it = values_.find(name);
  if (it == values_.end()) return fallback;
  return it->second == "true" || it->second == "1" || it->second == "True";
}

std::string FlagHelp(const std::vector<FlagSpec>& specs) {
  std::string help;
  for (const FlagSpec& spec : specs) {
    absl::StrAppendFormat(&help, "  --%-26s %s\n", spec.name, spec.help);
  }
  return help;
}

}  // namespace model_server
