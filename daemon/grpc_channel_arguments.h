// --grpc_channel_arguments: "key=value,key=value" server channel arguments,
// parsed as TF Serving's server.cc does: pieces split on ',', each on its
// first '='; a value that parses as a 32-bit integer is passed to gRPC as an
// integer, any other as a string (gRPC logs and ignores arguments it does
// not know).
//
// Stricter than TF Serving (which crashes on a piece without '='): such a
// piece, or an empty key, is INVALID_ARGUMENT naming it. Empty pieces (a
// trailing comma) are skipped; a value may contain '='.
#ifndef MODEL_SERVER_DAEMON_GRPC_CHANNEL_ARGUMENTS_H_
#define MODEL_SERVER_DAEMON_GRPC_CHANNEL_ARGUMENTS_H_

#include <cstdint>
#include <string>
#include <variant>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace model_server {

struct GrpcChannelArgument {
  std::string key;
  std::variant<int32_t, std::string> value;
};

absl::StatusOr<std::vector<GrpcChannelArgument>> ParseGrpcChannelArguments(
    absl::string_view text);

}  // namespace model_server

#endif  // MODEL_SERVER_DAEMON_GRPC_CHANNEL_ARGUMENTS_H_
