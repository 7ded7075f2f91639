// gRPC server reflection: a client that knows no .proto file (it speaks
// grpc.reflection.v1alpha.ServerReflection with hand-encoded protobuf wire
// bytes, as generic tools do) lists the daemon's services and fetches the
// schema of PredictionService.
#include <memory>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "google/protobuf/descriptor.pb.h"
#include "google/protobuf/io/coded_stream.h"
#include "google/protobuf/io/zero_copy_stream_impl_lite.h"
#include "google/protobuf/unknown_field_set.h"
#include "google/protobuf/wire_format_lite.h"
#include "grpcpp/generic/generic_stub.h"
#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"
#include "tests/testing/daemon_process.h"

namespace model_server {
namespace {

using ::testing::Contains;
using testing::DaemonOptions;
using testing::DaemonProcess;

constexpr char kReflectionMethod[] =
    "/grpc.reflection.v1alpha.ServerReflection/ServerReflectionInfo";
// ServerReflectionRequest fields.
constexpr int kFileContainingSymbol = 4;
constexpr int kListServices = 7;
// ServerReflectionResponse fields.
constexpr int kFileDescriptorResponse = 4;
constexpr int kListServicesResponse = 6;

// A ServerReflectionRequest with one string field set.
std::string EncodeRequest(int field, const std::string& value) {
  std::string bytes;
  google::protobuf::io::StringOutputStream stream(&bytes);
  google::protobuf::io::CodedOutputStream out(&stream);
  out.WriteTag(google::protobuf::internal::WireFormatLite::MakeTag(
      field,
      google::protobuf::internal::WireFormatLite::WIRETYPE_LENGTH_DELIMITED));
  out.WriteVarint32(value.size());
  out.WriteString(value);
  out.Trim();
  return bytes;
}

// The length-delimited values of `field` in `message`.
std::vector<std::string> Fields(const std::string& message, int field) {
  google::protobuf::UnknownFieldSet set;
  std::vector<std::string> values;
  if (!set.ParseFromString(message)) return values;
  for (int i = 0; i < set.field_count(); ++i) {
    const google::protobuf::UnknownField& f = set.field(i);
    if (f.number() == field &&
        f.type() == google::protobuf::UnknownField::TYPE_LENGTH_DELIMITED) {
      values.push_back(f.length_delimited());
    }
  }
  return values;
}

// One request on a ServerReflectionInfo stream; the response's bytes.
absl::StatusOr<std::string> AskReflection(
    const std::shared_ptr<grpc::Channel>& channel, const std::string& request) {
  grpc::GenericStub stub(channel);
  grpc::CompletionQueue queue;
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() +
                       std::chrono::seconds(10));
  std::unique_ptr<grpc::GenericClientAsyncReaderWriter> call =
      stub.PrepareCall(&context, kReflectionMethod, &queue);
  void* tag;
  bool ok = false;
  auto step = [&](int expected_tag) {
    return queue.Next(&tag, &ok) && ok &&
           tag == reinterpret_cast<void*>(expected_tag);
  };
  call->StartCall(reinterpret_cast<void*>(1));
  if (!step(1)) return absl::UnavailableError("could not start the call");
  grpc::Slice slice(request);
  grpc::ByteBuffer out(&slice, 1);
  call->Write(out, reinterpret_cast<void*>(2));
  if (!step(2)) return absl::UnavailableError("could not write the request");
  call->WritesDone(reinterpret_cast<void*>(3));
  if (!step(3)) return absl::UnavailableError("could not half-close");
  grpc::ByteBuffer in;
  call->Read(&in, reinterpret_cast<void*>(4));
  const bool read = step(4);
  grpc::Status status;
  call->Finish(&status, reinterpret_cast<void*>(5));
  queue.Next(&tag, &ok);
  queue.Shutdown();
  while (queue.Next(&tag, &ok)) {
  }
  if (!read) {
    return absl::UnavailableError("no response: " + status.error_message());
  }
  std::vector<grpc::Slice> slices;
  if (!in.Dump(&slices).ok()) return absl::InternalError("bad response");
  std::string bytes;
  for (const grpc::Slice& s : slices) {
    bytes.append(reinterpret_cast<const char*>(s.begin()), s.size());
  }
  return bytes;
}

TEST(Reflection, ListsTheServicesAndDescribesPredictionService) {
  const std::string model = testing::SharedModelPath("tfs_half_plus_two_cpu");
  if (model.empty()) {
    GTEST_SKIP() << "../shared/models/tfs_half_plus_two_cpu is absent: skipped";
  }
  DaemonOptions options;
  options.model_name = "half_plus_two";
  options.model_base_path = model;
  auto daemon = DaemonProcess::Start(options);
  ASSERT_TRUE(daemon.ok()) << daemon.status();

  absl::StatusOr<std::string> listed =
      AskReflection((*daemon)->NewChannel(), EncodeRequest(kListServices, "*"));
  ASSERT_TRUE(listed.ok()) << listed.status();
  std::vector<std::string> names;
  for (const std::string& list : Fields(*listed, kListServicesResponse)) {
    for (const std::string& service : Fields(list, 1)) {
      for (const std::string& name : Fields(service, 1)) names.push_back(name);
    }
  }
  EXPECT_THAT(names, Contains("tensorflow.serving.PredictionService"));
  EXPECT_THAT(names, Contains("tensorflow.serving.ModelService"));
  EXPECT_THAT(names, Contains("grpc.health.v1.Health"));

  absl::StatusOr<std::string> described =
      AskReflection((*daemon)->NewChannel(),
                    EncodeRequest(kFileContainingSymbol,
                                  "tensorflow.serving.PredictionService"));
  ASSERT_TRUE(described.ok()) << described.status();
  std::vector<std::string> methods;
  for (const std::string& response :
       Fields(*described, kFileDescriptorResponse)) {
    for (const std::string& file_bytes : Fields(response, 1)) {
      google::protobuf::FileDescriptorProto file;
      ASSERT_TRUE(file.ParseFromString(file_bytes));
      for (const auto& service : file.service()) {
        if (service.name() != "PredictionService") continue;
        for (const auto& method : service.method()) {
          methods.push_back(method.name());
        }
      }
    }
  }
  EXPECT_THAT(methods, ::testing::UnorderedElementsAre(
                           "Classify", "Regress", "Predict", "MultiInference",
                           "GetModelMetadata"));
  auto exit_code = (*daemon)->Stop();
  ASSERT_TRUE(exit_code.ok()) << exit_code.status();
}

}  // namespace
}  // namespace model_server
