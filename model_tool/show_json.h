// `model_tool show --json`: the whole ModelReport as one JSON object.
//
//   {"path": ..., "format": "SavedModel" | "TF1 checkpoint" |
//    "frozen GraphDef" | null, "model_file": ...,
//    "meta_graphs": [{"tags": [...], "signature_origin": "model" |
//        "sidecar" | "inferred", "graph_nodes": N,
//        "signatures": {key: {"method_name": ..., "inputs": {alias:
//            {"name", "dtype", "shape": [dims] | null}}, "outputs": {...}}},
//        "ops": [{"op", "count", "supported", "function",
//                 "plumbing_only"}],
//        "unsupported_ops": [...], "unsupported_serving_ops": [...],
//        "functions": [{"name", "nodes"}]}],
//    "checkpoint": prefix | null,
//    "variables": [{"name", "dtype", "shape", "bytes", "value"?, "error"?}],
//    "assets": [{"name", "bytes"}]}
//
// Values (with --values) are flat row-major lists; strings are text when
// valid UTF-8, else {"b64": ...}; NaN and infinities are the strings "nan",
// "inf", "-inf".
#ifndef MODEL_SERVER_MODEL_TOOL_SHOW_JSON_H_
#define MODEL_SERVER_MODEL_TOOL_SHOW_JSON_H_

#include <string>

#include "model_tool/model_report.h"

namespace model_server {

std::string ShowJson(const ModelReport& report);

}  // namespace model_server

#endif  // MODEL_SERVER_MODEL_TOOL_SHOW_JSON_H_
