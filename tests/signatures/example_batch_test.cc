// TakeSerializedExamples: the string batch Classify, Regress and
// MultiInference feed their signature.
#include "signatures/example_batch.h"

#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tensorflow/core/example/example.pb.h"
#include "tests/signatures/example_model_fixture.h"

namespace model_server {
namespace {

using ::testing::ElementsAre;
using testing::ExampleWithX;

TEST(TakeSerializedExamples, ExampleListKeepsOrderAndBytes) {
  SerializedInput input = testing::ExampleListInput(
      {ExampleWithX(1), ExampleWithX(2), ExampleWithX(3)});
  const std::string second = ExampleWithX(2).SerializeAsString();
  absl::StatusOr<Tensor> batch = TakeSerializedExamples(&input);
  ASSERT_TRUE(batch.ok()) << batch.status();
  EXPECT_EQ(batch->dtype(), DT_STRING);
  EXPECT_EQ(batch->shape(), TensorShape{3});
  EXPECT_EQ(batch->flat<std::string>()[1], second);
}

TEST(TakeSerializedExamples, ContextIsPrependedToEveryExample) {
  SerializedInput input;
  auto* list = input.mutable_example_list_with_context();
  const std::string context = ExampleWithX(7).SerializeAsString();
  list->add_context(context);
  tensorflow::Example own;
  (*own.mutable_features()->mutable_feature())["y"]
      .mutable_int64_list()
      ->add_value(4);
  list->add_examples(own.SerializeAsString());
  list->add_examples(ExampleWithX(1).SerializeAsString());
  absl::StatusOr<Tensor> batch = TakeSerializedExamples(&input);
  ASSERT_TRUE(batch.ok()) << batch.status();
  ASSERT_EQ(batch->NumElements(), 2);

  // Parsing context ++ example merges them; the example's "x" wins.
  tensorflow::Example merged;
  ASSERT_TRUE(merged.ParseFromString(batch->flat<std::string>()[0]));
  EXPECT_EQ(merged.features().feature().at("x").float_list().value(0), 7);
  EXPECT_EQ(merged.features().feature().at("y").int64_list().value(0), 4);
  ASSERT_TRUE(merged.ParseFromString(batch->flat<std::string>()[1]));
  EXPECT_EQ(merged.features().feature().at("x").float_list().value(0), 1);
}

TEST(TakeSerializedExamples, ContextSentInPiecesIsMerged) {
  // Protobuf merges a repeated message field; its pieces concatenated are
  // the merged Example.
  tensorflow::Example y;
  (*y.mutable_features()->mutable_feature())["y"]
      .mutable_int64_list()
      ->add_value(4);
  SerializedInput input;
  auto* list = input.mutable_example_list_with_context();
  list->add_context(ExampleWithX(7).SerializeAsString());
  list->add_context(y.SerializeAsString());
  list->add_examples("");
  absl::StatusOr<Tensor> batch = TakeSerializedExamples(&input);
  ASSERT_TRUE(batch.ok()) << batch.status();
  tensorflow::Example merged;
  ASSERT_TRUE(merged.ParseFromString(batch->flat<std::string>()[0]));
  EXPECT_EQ(merged.features().feature().size(), 2);
}

TEST(TakeSerializedExamples, MalformedContextIsInvalidArgument) {
  SerializedInput input;
  auto* list = input.mutable_example_list_with_context();
  list->add_context("\x0a\x80");  // a length that runs past the end
  list->add_examples(ExampleWithX(1).SerializeAsString());
  absl::StatusOr<Tensor> batch = TakeSerializedExamples(&input);
  ASSERT_FALSE(batch.ok());
  EXPECT_EQ(batch.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(batch.status().message()),
              ::testing::HasSubstr("context"));
}

TEST(TakeSerializedExamples, ContextCopiesAreBounded) {
  // 5 MB of context before each of 1000 examples would be 5 GB.
  tensorflow::Example big;
  (*big.mutable_features()->mutable_feature())["blob"]
      .mutable_bytes_list()
      ->add_value(std::string(5 << 20, 'x'));
  SerializedInput input;
  auto* list = input.mutable_example_list_with_context();
  list->add_context(big.SerializeAsString());
  for (int i = 0; i < 1000; ++i) list->add_examples("");
  absl::StatusOr<Tensor> batch = TakeSerializedExamples(&input);
  ASSERT_FALSE(batch.ok());
  EXPECT_EQ(batch.status().code(), absl::StatusCode::kResourceExhausted);
  EXPECT_THAT(std::string(batch.status().message()),
              ::testing::HasSubstr("1000 examples"));
}

TEST(TakeSerializedExamples, EmptyInputsAreInvalidArgument) {
  SerializedInput unset;
  SerializedInput empty_list;
  empty_list.mutable_example_list();
  SerializedInput context_only;
  context_only.mutable_example_list_with_context()->add_context(
      ExampleWithX(1).SerializeAsString());
  for (SerializedInput* input : {&unset, &empty_list, &context_only}) {
    absl::StatusOr<Tensor> batch = TakeSerializedExamples(input);
    ASSERT_FALSE(batch.ok());
    EXPECT_EQ(batch.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_THAT(std::string(batch.status().message()),
                ::testing::StartsWith("Input is empty."));
  }
}

TEST(TakeSerializedExamples, EmptyExamplesAreStillExamples) {
  // An Example with no features serializes to zero bytes; it is one example.
  SerializedInput input = testing::ExampleListInput({tensorflow::Example()});
  absl::StatusOr<Tensor> batch = TakeSerializedExamples(&input);
  ASSERT_TRUE(batch.ok()) << batch.status();
  EXPECT_THAT(batch->flat<std::string>(), ElementsAre(""));
}

}  // namespace
}  // namespace model_server
