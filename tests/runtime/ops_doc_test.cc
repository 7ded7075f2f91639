// docs/ops.md must be exactly what tools/gen_ops_doc writes from the op
// registry: every registered op with its family and file, nothing else.
#include "tools/ops_doc.h"

#include <fstream>
#include <regex>
#include <set>
#include <sstream>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "gtest/gtest.h"
#include "runtime/op_registry.h"
#include "tests/testing/test_paths.h"

namespace model_server {
namespace {

std::string ReadOpsDoc() {
  std::ifstream file(testing::SourceDir() + "/docs/ops.md");
  std::stringstream text;
  text << file.rdbuf();
  return text.str();
}

std::set<std::string> OpsListedIn(const std::string& doc) {
  // Table rows: "| `OpName` | ...".
  std::set<std::string> ops;
  std::regex row(R"(\n\| `([A-Za-z0-9_]+)` \|)");
  for (auto it = std::sregex_iterator(doc.begin(), doc.end(), row);
       it != std::sregex_iterator(); ++it) {
    ops.insert((*it)[1]);
  }
  return ops;
}

std::string RegenerateHint() {
  return absl::StrCat("; regenerate it from the repository root with: ",
                      kRegenerateOpsDocCommand);
}

TEST(OpsDoc, ListsExactlyTheRegisteredOps) {
  const std::string doc = ReadOpsDoc();
  ASSERT_FALSE(doc.empty())
      << "cannot read " << testing::SourceDir() << "/docs/ops.md";
  std::set<std::string> documented = OpsListedIn(doc);
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
      << "docs/ops.md lacks registered ops: "
      << absl::StrJoin(undocumented, ", ") << RegenerateHint();
  EXPECT_TRUE(stale.empty()) << "docs/ops.md lists ops the runtime lacks: "
                             << absl::StrJoin(stale, ", ") << RegenerateHint();
}

TEST(OpsDoc, IsWhatTheGeneratorWrites) {
  const std::string doc = ReadOpsDoc();
  absl::StatusOr<std::string> generated = RenderOpsDoc(doc);
  ASSERT_TRUE(generated.ok()) << generated.status();
  EXPECT_TRUE(*generated == doc)
      << "docs/ops.md differs from the op registry (an op's family or file "
         "changed, or the table was edited by hand)"
      << RegenerateHint();
}

TEST(OpsDoc, FamilyIsTheFolderUnderKernels) {
  EXPECT_EQ(OpFamily("runtime/kernels/math/cwise_unary.cc"), "math");
  EXPECT_EQ(OpFamily("runtime/function_call_kernel.cc"), "runtime");
}

TEST(OpRegistry, RecordsTheRegisteringFileFromTheRepositoryRoot) {
  const RegisteredOp* add = FindOp("AddV2");
  ASSERT_NE(add, nullptr);
  EXPECT_EQ(add->source_file, "runtime/kernels/math/cwise_binary.cc");
  EXPECT_EQ(SourcePathFromRepositoryRoot("/src/x/runtime/kernels/nn/conv2d.cc"),
            "runtime/kernels/nn/conv2d.cc");
  EXPECT_EQ(SourcePathFromRepositoryRoot("../../runtime/plan.cc"),
            "runtime/plan.cc");
  EXPECT_EQ(SourcePathFromRepositoryRoot("/a/myruntime/b.cc"),
            "/a/myruntime/b.cc");
  EXPECT_EQ(SourcePathFromRepositoryRoot("runtime/tensor.cc"),
            "runtime/tensor.cc");
}

}  // namespace
}  // namespace model_server
