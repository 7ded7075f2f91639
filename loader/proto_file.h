// Reads one protobuf message from a file, in binary or text format, with
// protobuf's size limits raised to what model files need (2 GiB).
#ifndef MODEL_SERVER_LOADER_PROTO_FILE_H_
#define MODEL_SERVER_LOADER_PROTO_FILE_H_

#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace google {
namespace protobuf {
class Message;
}  // namespace protobuf
}  // namespace google

namespace model_server {

enum class ProtoEncoding { kBinary, kText };

// kText for names ending in ".pbtxt" (or ".txt"), kBinary otherwise.
ProtoEncoding EncodingOfFileName(absl::string_view path);

// Parses `path` into `message`. Fails with NOT_FOUND when the file cannot be
// opened and INVALID_ARGUMENT naming the file and `what` ("a GraphDef")
// when it does not parse or is larger than 2 GiB.
absl::Status ReadProtoFile(const std::string& path, ProtoEncoding encoding,
                           absl::string_view what,
                           google::protobuf::Message* message);

}  // namespace model_server

#endif  // MODEL_SERVER_LOADER_PROTO_FILE_H_
