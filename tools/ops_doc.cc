#include "tools/ops_doc.h"

#include <vector>

#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "runtime/function_call_kernel.h"
#include "runtime/op_registry.h"

namespace model_server {
namespace {

constexpr absl::string_view kKernelsDir = "runtime/kernels/";

// The file column: relative to runtime/kernels/ for kernels, from the
// repository root for anything else.
absl::string_view DisplayedFile(absl::string_view source_file) {
  absl::ConsumePrefix(&source_file, kKernelsDir);
  return source_file;
}

}  // namespace

std::string OpFamily(absl::string_view source_file) {
  if (!absl::ConsumePrefix(&source_file, kKernelsDir)) return "runtime";
  const size_t slash = source_file.find('/');
  if (slash == absl::string_view::npos) return "kernels";
  return std::string(source_file.substr(0, slash));
}

std::string RenderOpsTable() {
  // The runtime core registers PartitionedCall and StatefulPartitionedCall in
  // function_call_kernel.cc, which the linker keeps only when something
  // refers to it (every binary that compiles a plan does). Refer to it here,
  // so that gen_ops_doc lists them too.
  [[maybe_unused]] auto* volatile keep_call_kernels = &MakeFunctionCallKernel;
  std::string table =
      "\n| op | family | file (under `runtime/kernels/` unless it says "
      "otherwise) |\n|---|---|---|\n";
  for (const std::string& name : RegisteredOpNames()) {
    const RegisteredOp* op = FindOp(name);
    absl::StrAppend(&table, "| `", name, "` | ", OpFamily(op->source_file),
                    " | `", DisplayedFile(op->source_file), "` |\n");
  }
  return table;
}

absl::StatusOr<std::string> RenderOpsDoc(absl::string_view current_doc) {
  const size_t marker = current_doc.find(kOpsDocTableMarker);
  if (marker == absl::string_view::npos) {
    return absl::FailedPreconditionError(
        absl::StrCat("the ops doc has no line '", kOpsDocTableMarker,
                     "' ending its hand-written preamble"));
  }
  std::string doc(current_doc.substr(0, marker + kOpsDocTableMarker.size()));
  absl::StrAppend(&doc, "\n", RenderOpsTable());
  return doc;
}

}  // namespace model_server
