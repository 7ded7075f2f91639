#include "loader/proto_file.h"

#include <cstdint>
#include <memory>

#include "absl/status/statusor.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "google/protobuf/io/coded_stream.h"
#include "google/protobuf/io/zero_copy_stream_impl_lite.h"
#include "google/protobuf/message.h"
#include "google/protobuf/text_format.h"
#include "runtime/bundle/random_access_file.h"

namespace model_server {
namespace {

// Model files are untrusted: RandomAccessFile refuses FIFOs (which would
// block the load forever) and devices such as /dev/zero (endless), and the
// size is known before anything is allocated.
absl::StatusOr<std::string> ReadFile(const std::string& path) {
  absl::StatusOr<std::unique_ptr<RandomAccessFile>> file =
      RandomAccessFile::Open(path);
  if (!file.ok()) return file.status();
  if ((*file)->size() > static_cast<uint64_t>(INT32_MAX)) {
    return absl::InvalidArgumentError(
        absl::StrCat(path, " is larger than 2 GiB, the protobuf limit"));
  }
  return (*file)->ReadAll(static_cast<uint64_t>(INT32_MAX));
}

}  // namespace

ProtoEncoding EncodingOfFileName(absl::string_view path) {
  return absl::EndsWith(path, ".pbtxt") || absl::EndsWith(path, ".txt")
             ? ProtoEncoding::kText
             : ProtoEncoding::kBinary;
}

absl::Status ReadProtoFile(const std::string& path, ProtoEncoding encoding,
                           absl::string_view what,
                           google::protobuf::Message* message) {
  absl::StatusOr<std::string> bytes = ReadFile(path);
  if (!bytes.ok()) return bytes.status();
  if (encoding == ProtoEncoding::kText) {
    if (!google::protobuf::TextFormat::ParseFromString(*bytes, message)) {
      return absl::InvalidArgumentError(absl::StrCat(
          "could not parse ", path, " as ", what, " in text format"));
    }
    return absl::OkStatus();
  }
  google::protobuf::io::ArrayInputStream stream(
      bytes->data(), static_cast<int>(bytes->size()));
  google::protobuf::io::CodedInputStream coded(&stream);
  coded.SetTotalBytesLimit(INT32_MAX);
  coded.SetRecursionLimit(1000);
  if (!message->ParseFromCodedStream(&coded) ||
      !coded.ConsumedEntireMessage()) {
    return absl::InvalidArgumentError(
        absl::StrCat("could not parse ", path, " as ", what, " proto"));
  }
  return absl::OkStatus();
}

}  // namespace model_server
