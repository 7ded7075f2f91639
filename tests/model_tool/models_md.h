// What ../shared/models/MODELS.md says about each model, for checking
// model_tool show against it: per version its tag set and checkpoint tensor
// count, and the signature tables (key, method, inputs and outputs with
// tensor, dtype and shape as written: "[-1,784]", "[]", "<unknown rank>").
#ifndef MODEL_SERVER_TESTS_MODEL_TOOL_MODELS_MD_H_
#define MODEL_SERVER_TESTS_MODEL_TOOL_MODELS_MD_H_

#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"

namespace model_server {
namespace testing {

struct DocTensor {
  std::string tensor;
  std::string dtype;
  std::string shape;
};

struct DocSignature {
  std::string method;
  std::map<std::string, DocTensor> inputs;
  std::map<std::string, DocTensor> outputs;
};

struct DocVersion {
  std::set<std::string> tags;
  int checkpoint_tensors = -1;
};

struct DocModel {
  std::map<std::string, DocVersion> versions;
  std::map<std::string, DocSignature> signatures;
};

inline std::string Cell(absl::string_view cell) {
  std::string text(absl::StripAsciiWhitespace(cell));
  if (text.size() >= 2 && text.front() == '`' && text.back() == '`') {
    text = text.substr(1, text.size() - 2);
  }
  return text;
}

// Parses MODELS.md; models keyed by their "### name" heading.
inline std::map<std::string, DocModel> ParseModelsMd(const std::string& path) {
  std::ifstream file(path);
  std::map<std::string, DocModel> models;
  DocModel* model = nullptr;
  std::string version;
  std::string key;
  const std::regex version_re(
      R"(Version dir `([0-9]+)`\*\*: tags \[([^\]]*)\])");
  const std::regex tensors_re(R"(([0-9]+) checkpoint tensors)");
  std::string line;
  while (std::getline(file, line)) {
    if (line.rfind("### ", 0) == 0) {
      model = &models[std::string(absl::StripAsciiWhitespace(line.substr(4)))];
      version.clear();
      continue;
    }
    if (model == nullptr) continue;
    std::smatch match;
    if (std::regex_search(line, match, version_re)) {
      version = match[1];
      DocVersion& doc = model->versions[version];
      for (absl::string_view tag :
           absl::StrSplit(std::string(match[2]), ',', absl::SkipEmpty())) {
        std::string t(absl::StripAsciiWhitespace(tag));
        if (t.size() >= 2) t = t.substr(1, t.size() - 2);  // quotes
        doc.tags.insert(t);
      }
    }
    if (!version.empty() && model->versions[version].checkpoint_tensors < 0 &&
        std::regex_search(line, match, tensors_re)) {
      model->versions[version].checkpoint_tensors = std::stoi(match[1]);
    }
    std::string trimmed(absl::StripAsciiWhitespace(line));
    if (trimmed.size() < 2 || trimmed[0] != '|') continue;
    std::vector<std::string> cells =
        absl::StrSplit(trimmed.substr(1, trimmed.size() - 2), '|');
    if (cells.size() != 7) continue;
    const std::string kind = Cell(cells[2]);
    if (kind != "input" && kind != "output") continue;
    if (!Cell(cells[0]).empty()) {
      key = Cell(cells[0]);
      model->signatures[key].method = Cell(cells[1]);
    }
    DocTensor tensor{Cell(cells[4]), Cell(cells[5]), Cell(cells[6])};
    auto& side = kind == "input" ? model->signatures[key].inputs
                                 : model->signatures[key].outputs;
    side[Cell(cells[3])] = tensor;
  }
  return models;
}

}  // namespace testing
}  // namespace model_server

#endif  // MODEL_SERVER_TESTS_MODEL_TOOL_MODELS_MD_H_
