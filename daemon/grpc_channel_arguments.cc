#include "daemon/grpc_channel_arguments.h"

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"

namespace model_server {

absl::StatusOr<std::vector<GrpcChannelArgument>> ParseGrpcChannelArguments(
    absl::string_view text) {
  std::vector<GrpcChannelArgument> arguments;
  for (absl::string_view piece : absl::StrSplit(text, ',', absl::SkipEmpty())) {
    const size_t equals = piece.find('=');
    if (equals == absl::string_view::npos || equals == 0) {
      return absl::InvalidArgumentError(
          absl::StrCat("--grpc_channel_arguments: '", piece,
                       "' is not key=value (expected e.g. "
                       "grpc.max_connection_age_ms=2000)"));
    }
    GrpcChannelArgument argument;
    argument.key = std::string(piece.substr(0, equals));
    const absl::string_view value = piece.substr(equals + 1);
    int32_t number;
    if (absl::SimpleAtoi(value, &number)) {
      argument.value = number;
    } else {
      argument.value = std::string(value);
    }
    arguments.push_back(std::move(argument));
  }
  return arguments;
}

}  // namespace model_server
