#include "absl/status/status.h"
#include "loader/saved_model_reader.h"
#include "model_tool/command_line.h"
#include "model_tool/commands.h"
#include "model_tool/model_report.h"
#include "model_tool/show_json.h"
#include "model_tool/show_text.h"

namespace model_server {
namespace {

const std::vector<FlagSpec>& ShowFlags() {
  static const auto* flags = new std::vector<FlagSpec>{
      {"dir", false,
       "model directory, saved_model.pb, frozen graph file, checkpoint "
       ".meta or checkpoint prefix"},
      {"tag_set", false, "a SavedModel's tag set, comma separated"},
      {"signature_def", false, "show only this signature's inputs/outputs"},
      {"all", true, "every tag set and signature"},
      {"values", true, "also print every variable's value"},
      {"json", true, "print everything as one JSON object"},
  };
  return *flags;
}

}  // namespace

int ShowCommand(const std::vector<std::string>& args, std::ostream& out,
                std::ostream& err) {
  absl::StatusOr<CommandLine> flags = CommandLine::Parse(args, ShowFlags());
  if (!flags.ok() || !flags->Has("dir")) {
    err << (flags.ok() ? "--dir is required" : flags.status().message())
        << "\nusage: model_tool show --dir PATH [flags]\n"
        << FlagHelp(ShowFlags());
    return 2;
  }
  ReportOptions options;
  options.values = flags->GetBool("values");
  absl::StatusOr<ModelReport> report =
      BuildModelReport(flags->Get("dir"), options);
  if (!report.ok()) {
    err << "model_tool show: " << report.status().message() << "\n";
    return 1;
  }
  if (flags->GetBool("json")) {
    out << ShowJson(*report);
    return 0;
  }
  ShowRequest request;
  if (flags->Has("tag_set")) request.tag_set = ParseTags(flags->Get("tag_set"));
  request.signature_def = flags->Get("signature_def");
  request.all = flags->GetBool("all");
  request.values = options.values;
  absl::StatusOr<std::string> text = ShowText(*report, request);
  if (!text.ok()) {
    err << "model_tool show: " << text.status().message() << "\n";
    return 1;
  }
  out << *text;
  return 0;
}

}  // namespace model_server
