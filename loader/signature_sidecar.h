// signatures.pbtxt: the signatures of a frozen graph or a checkpoint, named
// by the user in TF Serving's own message, a text-format
// tensorflow.serving.SignatureDefMap:
//
//   signature_def {
//     key: "serving_default"
//     value {
//       inputs { key: "image" value { name: "Input:0" dtype: DT_FLOAT } }
//       outputs { key: "scores" value { name: "Output:0" dtype: DT_FLOAT } }
//       method_name: "tensorflow/serving/predict"
//     }
//   }
//
// TensorInfo names are graph tensor names. Names written with an
// import_graph_def-style prefix work both ways: "import/Output:0" finds
// "Output:0" in a graph that has no "import/" scope, and "Output:0" finds
// "import/Output:0" in a graph whose nodes all sit under one scope.
#ifndef MODEL_SERVER_LOADER_SIGNATURE_SIDECAR_H_
#define MODEL_SERVER_LOADER_SIGNATURE_SIDECAR_H_

#include <string>

#include "absl/status/statusor.h"
#include "google/protobuf/map.h"
#include "tensorflow/core/framework/graph.pb.h"
#include "tensorflow/core/protobuf/meta_graph.pb.h"

namespace model_server {

using SignatureDefs =
    google::protobuf::Map<std::string, tensorflow::SignatureDef>;

// Reads `path`. Fails with INVALID_ARGUMENT naming the file when it does not
// parse or holds no signature, or when a signature has no outputs.
absl::StatusOr<SignatureDefs> ReadSignatureSidecar(const std::string& path);

// Rewrites TensorInfo names that miss `graph` but match it once an import
// prefix is removed or added (see above). Names that match neither way are
// left for the signature compiler to report.
void ResolveImportPrefixes(const tensorflow::GraphDef& graph,
                           SignatureDefs* signatures);

}  // namespace model_server

#endif  // MODEL_SERVER_LOADER_SIGNATURE_SIDECAR_H_
