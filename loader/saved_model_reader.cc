#include "loader/saved_model_reader.h"

#include <filesystem>
#include <system_error>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "loader/proto_file.h"
#include "runtime/status_macros.h"

namespace model_server {

absl::StatusOr<tensorflow::SavedModel> ReadSavedModel(
    const std::string& export_dir) {
  tensorflow::SavedModel saved_model;
  const std::string pb = export_dir + "/saved_model.pb";
  const std::string pbtxt = export_dir + "/saved_model.pbtxt";
  std::error_code ec;
  if (std::filesystem::exists(pb, ec)) {
    MS_RETURN_IF_ERROR(ReadProtoFile(pb, ProtoEncoding::kBinary, "a SavedModel",
                                     &saved_model));
    return saved_model;
  }
  if (std::filesystem::exists(pbtxt, ec)) {
    MS_RETURN_IF_ERROR(ReadProtoFile(pbtxt, ProtoEncoding::kText,
                                     "a SavedModel", &saved_model));
    return saved_model;
  }
  return absl::NotFoundError(absl::StrCat(
      "Could not find SavedModel .pb or .pbtxt at supplied export directory "
      "path: ",
      export_dir,
      ". Check that the directory exists and that you have the right "
      "permissions for accessing it."));
}

absl::StatusOr<tensorflow::MetaGraphDef> TakeMetaGraph(
    tensorflow::SavedModel saved_model, const std::set<std::string>& tags) {
  std::vector<std::string> available;
  for (auto& meta_graph : *saved_model.mutable_meta_graphs()) {
    const auto& graph_tags = meta_graph.meta_info_def().tags();
    std::set<std::string> tag_set(graph_tags.begin(), graph_tags.end());
    if (tag_set == tags) return std::move(meta_graph);
    available.push_back(absl::StrCat("{ ", absl::StrJoin(tag_set, " "), " }"));
  }
  return absl::NotFoundError(
      absl::StrCat("Could not find meta graph def matching supplied tags: { ",
                   absl::StrJoin(tags, " "), " }. Available tag sets: ",
                   available.empty() ? "none" : absl::StrJoin(available, ", "),
                   ". Choose one with --saved_model_tags."));
}

std::set<std::string> ParseTags(const std::string& tags) {
  std::set<std::string> result;
  for (absl::string_view tag : absl::StrSplit(tags, ',', absl::SkipEmpty())) {
    result.insert(std::string(absl::StripAsciiWhitespace(tag)));
  }
  return result;
}

}  // namespace model_server
