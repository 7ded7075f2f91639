// docs/ops.md must list every op the runtime registers, and nothing it lacks.
#include <fstream>
#include <regex>
#include <set>
#include <sstream>

#include "absl/strings/str_join.h"
#include "gtest/gtest.h"
#include "runtime/op_registry.h"
#include "tests/testing/test_paths.h"

namespace model_server {
namespace {

std::set<std::string> OpsListedInDoc() {
  std::ifstream file(testing::SourceDir() + "/docs/ops.md");
  std::stringstream text;
  text << file.rdbuf();
  std::string doc = text.str();
  // Table rows: "| `OpName` | ...".
  std::set<std::string> ops;
  std::regex row(R"(\n\| `([A-Za-z0-9_]+)` \|)");
  for (auto it = std::sregex_iterator(doc.begin(), doc.end(), row);
       it != std::sregex_iterator(); ++it) {
    ops.insert((*it)[1]);
  }
  return ops;
}

TEST(OpsDoc, ListsExactlyTheRegisteredOps) {
  std::set<std::string> documented = OpsListedInDoc();
  std::vector<std::string> registered = RegisteredOpNames();
  std::vector<std::string> undocumented, stale;
  for (const std::string& op : registered) {
    if (!documented.count(op)) undocumented.push_back(op);
  }
  std::set<std::string> registered_set(registered.begin(), registered.end());
  for (const std::string& op : documented) {
    if (!registered_set.count(op)) stale.push_back(op);
  }
  EXPECT_TRUE(undocumented.empty())
      << "add to docs/ops.md: " << absl::StrJoin(undocumented, ", ");
  EXPECT_TRUE(stale.empty()) << "docs/ops.md lists ops the runtime lacks: "
                             << absl::StrJoin(stale, ", ");
}

}  // namespace
}  // namespace model_server
