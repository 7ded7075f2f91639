// Fuzz target: TensorProto decoding (what every Predict input and every
// Const node goes through), and encoding what decoded back both ways.
//
// A proto of a few bytes may declare a zero-filled tensor of gigabytes
// (TensorFlow's splat constants; requests are bounded before decoding by
// signatures/request_limits.h): shapes of more than kMaxElements elements
// are only checked, not decoded, so that every input runs in milliseconds.
#include <cstddef>
#include <cstdint>

#include "runtime/tensor_proto.h"
#include "tensorflow/core/framework/tensor.pb.h"

namespace {
constexpr int64_t kMaxElements = int64_t{1} << 20;
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace model_server;
  tensorflow::TensorProto proto;
  if (!proto.ParseFromArray(data, static_cast<int>(size))) return 0;
  absl::StatusOr<TensorShape> shape = ShapeFromProto(proto.tensor_shape());
  if (shape.ok() && shape->num_elements() > kMaxElements) return 0;
  absl::StatusOr<Tensor> tensor = TensorFromProto(proto);
  if (!tensor.ok()) return 0;
  tensorflow::TensorProto encoded;
  (void)TensorToProto(*tensor, &encoded, TensorEncoding::kTensorContent);
  (void)TensorToProto(*tensor, &encoded, TensorEncoding::kTypedFields);
  return 0;
}
