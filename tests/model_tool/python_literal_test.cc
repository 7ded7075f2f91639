#include "model_tool/python_literal.h"

#include "gtest/gtest.h"
#include "tensorflow/core/example/example.pb.h"

namespace model_server {
namespace {

TEST(PythonLiteral, NestedListsTakeTheInputsDtype) {
  auto value = ParsePythonLiteral("[[1, 2], [3, 4.5]]");
  ASSERT_TRUE(value.ok()) << value.status();
  auto tensor = TensorFromPyValue(*value, DT_FLOAT);
  ASSERT_TRUE(tensor.ok()) << tensor.status();
  EXPECT_EQ(tensor->shape(), TensorShape({2, 2}));
  EXPECT_EQ(tensor->data<float>()[3], 4.5f);
}

TEST(PythonLiteral, NumpyDefaultsWithoutADtype) {
  auto ints = TensorFromPyValue(*ParsePythonLiteral("(1, 2)"), DT_INVALID);
  ASSERT_TRUE(ints.ok());
  EXPECT_EQ(ints->dtype(), DT_INT64);
  auto floats = TensorFromPyValue(*ParsePythonLiteral("[1, 2.0]"), DT_INVALID);
  EXPECT_EQ(floats->dtype(), DT_DOUBLE);
  auto strings =
      TensorFromPyValue(*ParsePythonLiteral("['a', \"b\"]"), DT_INVALID);
  EXPECT_EQ(strings->dtype(), DT_STRING);
  EXPECT_EQ(strings->data<std::string>()[1], "b");
}

TEST(PythonLiteral, NumpyConstructors) {
  auto ones =
      TensorFromPyValue(*ParsePythonLiteral("np.ones((2, 3))"), DT_FLOAT);
  ASSERT_TRUE(ones.ok()) << ones.status();
  EXPECT_EQ(ones->shape(), TensorShape({2, 3}));
  EXPECT_EQ(ones->data<float>()[5], 1.0f);
  auto array = TensorFromPyValue(
      *ParsePythonLiteral("np.array([[1.5]], dtype=np.float32)"), DT_FLOAT);
  ASSERT_TRUE(array.ok()) << array.status();
  EXPECT_EQ(array->data<float>()[0], 1.5f);
}

TEST(PythonLiteral, RaggedListsAndArbitraryPythonAreRefused) {
  EXPECT_FALSE(
      TensorFromPyValue(*ParsePythonLiteral("[[1], [2, 3]]"), DT_FLOAT).ok());
  auto code = ParsePythonLiteral("__import__('os').system('true')");
  EXPECT_EQ(code.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(code.status().message().find("Python literals"), std::string::npos);
}

TEST(PythonLiteral, ExamplesBecomeSerializedTfExamples) {
  auto value =
      ParsePythonLiteral("[{'x': [1.0, 2.0], 'id': [7], 'kind': ['a']}]");
  ASSERT_TRUE(value.ok()) << value.status();
  auto tensor = ExamplesFromPyValue(*value);
  ASSERT_TRUE(tensor.ok()) << tensor.status();
  ASSERT_EQ(tensor->NumElements(), 1);
  tensorflow::Example example;
  ASSERT_TRUE(example.ParseFromString(tensor->data<std::string>()[0]));
  const auto& features = example.features().feature();
  EXPECT_EQ(features.at("x").float_list().value(1), 2.0f);
  EXPECT_EQ(features.at("id").int64_list().value(0), 7);
  EXPECT_EQ(features.at("kind").bytes_list().value(0), "a");
}

}  // namespace
}  // namespace model_server
