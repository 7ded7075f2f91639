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
  list->set_context(context);
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

TEST(TakeSerializedExamples, EmptyInputsAreInvalidArgument) {
  SerializedInput unset;
  SerializedInput empty_list;
  empty_list.mutable_example_list();
  SerializedInput context_only;
  context_only.mutable_example_list_with_context()->set_context(
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
