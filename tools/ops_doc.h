// docs/ops.md, generated from the op registry.
//
// The file is a hand-written preamble followed by a generated table with one
// row per registered op: its name, its family (the folder under
// runtime/kernels/) and the file that registers it. The preamble ends with
// the line kOpsDocTableMarker; everything after that line belongs to the
// generator. `gen_ops_doc` (tools/gen_ops_doc.cc, CMake target `ops_doc`)
// rewrites the file; the OpsDoc test fails when the file and the registry
// disagree.
#ifndef MODEL_SERVER_TOOLS_OPS_DOC_H_
#define MODEL_SERVER_TOOLS_OPS_DOC_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace model_server {

// The last line of the hand-written preamble.
inline constexpr absl::string_view kOpsDocTableMarker =
    "<!-- Everything below this line is generated from the op registry: "
    "cmake --build build --target ops_doc -->";

// The command that regenerates docs/ops.md, run from the repository root.
inline constexpr absl::string_view kRegenerateOpsDocCommand =
    "cmake --build build --target ops_doc";

// The family of an op registered in `source_file` (a path from the
// repository root, RegisteredOp::source_file): the first folder under
// runtime/kernels/ ("math"), or "runtime" for ops the runtime core registers.
std::string OpFamily(absl::string_view source_file);

// The generated table for every registered op, sorted by op name.
std::string RenderOpsTable();

// `current_doc` with everything after its marker line replaced by
// RenderOpsTable(). Fails with FAILED_PRECONDITION if the marker is missing.
absl::StatusOr<std::string> RenderOpsDoc(absl::string_view current_doc);

}  // namespace model_server

#endif  // MODEL_SERVER_TOOLS_OPS_DOC_H_
