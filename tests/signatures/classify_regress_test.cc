// RunClassify and RunRegress in-process on the test model of
// example_model_fixture.h: results, batch order, TF Serving's checks and
// texts, and errors from the examples themselves.
#include "signatures/classify_regress.h"

#include <memory>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/signatures/example_model_fixture.h"

namespace model_server {
namespace {

namespace tfs = tensorflow::serving;
using testing::ExampleListInput;
using testing::ExampleWithX;
using ::testing::HasSubstr;
using ::testing::StartsWith;

class ExampleMethodsTest : public testing::ExampleTestModelSuite {
 protected:
  static std::vector<tensorflow::Example> Xs(const std::vector<float>& xs) {
    std::vector<tensorflow::Example> examples;
    for (float x : xs) examples.push_back(ExampleWithX(x));
    return examples;
  }

  absl::Status Classify(const std::string& signature, SerializedInput input,
                        tfs::ClassificationResult* result,
                        SignatureCheckOptions options = {}) {
    std::string key;
    return RunClassify(model().signatures(), signature, options, RunOptions(),
                       &input, result, &key);
  }
  absl::Status Regress(const std::string& signature, SerializedInput input,
                       tfs::RegressionResult* result,
                       SignatureCheckOptions options = {}) {
    std::string key;
    return RunRegress(model().signatures(), signature, options, RunOptions(),
                      &input, result, &key);
  }
  // The Regress error for `signature` on one example x=1.
  absl::Status RegressError(const std::string& signature) {
    tfs::RegressionResult result;
    return Regress(signature, ExampleListInput(Xs({1})), &result);
  }
  absl::Status ClassifyError(const std::string& signature) {
    tfs::ClassificationResult result;
    return Classify(signature, ExampleListInput(Xs({1})), &result);
  }
};

TEST_F(ExampleMethodsTest, ClassifyWithClassesAndScores) {
  tensorflow::Example labelled = ExampleWithX(3);
  auto* label = (*labelled.mutable_features()->mutable_feature())["label"]
                    .mutable_bytes_list();
  label->add_value("cat");
  label->add_value("dog");
  tfs::ClassificationResult result;
  ASSERT_TRUE(Classify("classify_both",
                       ExampleListInput({ExampleWithX(1), labelled}), &result)
                  .ok());
  ASSERT_EQ(result.classifications_size(), 2);
  const auto& first = result.classifications(0);
  ASSERT_EQ(first.classes_size(), 2);
  EXPECT_EQ(first.classes(0).label(), "no");
  EXPECT_EQ(first.classes(0).score(), 1);
  EXPECT_EQ(first.classes(1).label(), "label");
  EXPECT_EQ(first.classes(1).score(), 2);
  const auto& second = result.classifications(1);
  EXPECT_EQ(second.classes(0).label(), "cat");
  EXPECT_EQ(second.classes(0).score(), 3);
  EXPECT_EQ(second.classes(1).label(), "dog");
  EXPECT_EQ(second.classes(1).score(), 6);
}

TEST_F(ExampleMethodsTest, ScoresOnlyGiveEmptyLabels) {
  tfs::ClassificationResult result;
  ASSERT_TRUE(
      Classify("classify_scores", ExampleListInput(Xs({2})), &result).ok());
  ASSERT_EQ(result.classifications_size(), 1);
  ASSERT_EQ(result.classifications(0).classes_size(), 1);
  EXPECT_EQ(result.classifications(0).classes(0).label(), "");
  EXPECT_EQ(result.classifications(0).classes(0).score(), 2);
}

TEST_F(ExampleMethodsTest, ClassesOnlyGiveZeroScores) {
  tfs::ClassificationResult result;
  ASSERT_TRUE(
      Classify("classify_classes", ExampleListInput(Xs({2})), &result).ok());
  ASSERT_EQ(result.classifications(0).classes_size(), 2);
  EXPECT_EQ(result.classifications(0).classes(1).label(), "label");
  EXPECT_EQ(result.classifications(0).classes(1).score(), 0);
}

TEST_F(ExampleMethodsTest, RankOneScoresAreOneClassPerExample) {
  tfs::ClassificationResult result;
  ASSERT_TRUE(
      Classify("classify_rank1", ExampleListInput(Xs({4, 5})), &result).ok());
  ASSERT_EQ(result.classifications_size(), 2);
  ASSERT_EQ(result.classifications(1).classes_size(), 1);
  EXPECT_EQ(result.classifications(1).classes(0).score(), 5);
}

TEST_F(ExampleMethodsTest, BatchesKeepRequestOrder) {
  for (int size : {1, 7, 1000}) {
    std::vector<float> xs;
    for (int i = 0; i < size; ++i) xs.push_back(static_cast<float>(i) - 3.5f);
    tfs::RegressionResult regression;
    ASSERT_TRUE(Regress("regress", ExampleListInput(Xs(xs)), &regression).ok());
    ASSERT_EQ(regression.regressions_size(), size);
    tfs::ClassificationResult classification;
    ASSERT_TRUE(
        Classify("classify_scores", ExampleListInput(Xs(xs)), &classification)
            .ok());
    ASSERT_EQ(classification.classifications_size(), size);
    for (int i = 0; i < size; ++i) {
      EXPECT_EQ(regression.regressions(i).value(), xs[i]) << size << "/" << i;
      EXPECT_EQ(classification.classifications(i).classes(0).score(), xs[i]);
    }
  }
}

TEST_F(ExampleMethodsTest, RegressAcceptsBatchAndBatchByOne) {
  for (const char* signature : {"regress", "regress_rank1"}) {
    tfs::RegressionResult result;
    ASSERT_TRUE(
        Regress(signature, ExampleListInput(Xs({1.5, -2})), &result).ok())
        << signature;
    ASSERT_EQ(result.regressions_size(), 2);
    EXPECT_EQ(result.regressions(0).value(), 1.5);
    EXPECT_EQ(result.regressions(1).value(), -2);
  }
}

TEST_F(ExampleMethodsTest, ContextFeatureReachesEveryExample) {
  SerializedInput input;
  auto* list = input.mutable_example_list_with_context();
  list->add_context(ExampleWithX(9).SerializeAsString());
  for (int i = 0; i < 3; ++i) {
    list->add_examples(tensorflow::Example().SerializeAsString());
  }
  list->add_examples(ExampleWithX(1).SerializeAsString());  // wins
  tfs::RegressionResult result;
  ASSERT_TRUE(Regress("regress", input, &result).ok());
  ASSERT_EQ(result.regressions_size(), 4);
  EXPECT_EQ(result.regressions(0).value(), 9);
  EXPECT_EQ(result.regressions(2).value(), 9);
  EXPECT_EQ(result.regressions(3).value(), 1);
}

TEST_F(ExampleMethodsTest, UnknownSignatureNamesItAndTheKeys) {
  absl::Status status = RegressError("nope");
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(status.message()),
              StartsWith("No signature was found with the name: nope"));
  EXPECT_THAT(std::string(status.message()), HasSubstr("regress_rank1"));
  // "" means serving_default, which this model lacks.
  EXPECT_THAT(std::string(RegressError("").message()),
              StartsWith("No signature was found with the name: "
                         "serving_default"));
}

TEST_F(ExampleMethodsTest, MissingRequiredFeatureNamesIt) {
  tensorflow::Example no_x;
  (*no_x.mutable_features()->mutable_feature())["z"]
      .mutable_float_list()
      ->add_value(1);
  tfs::RegressionResult result;
  absl::Status status = Regress("regress", ExampleListInput({no_x}), &result);
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(status.message()),
              HasSubstr("Feature: x (data type: float) is "
                        "required but could not be found"));
}

TEST_F(ExampleMethodsTest, WrongFeatureTypeNamesIt) {
  tensorflow::Example ints;
  (*ints.mutable_features()->mutable_feature())["x"]
      .mutable_int64_list()
      ->add_value(1);
  tfs::RegressionResult result;
  absl::Status status =
      Regress("regress", ExampleListInput({ExampleWithX(1), ints}), &result);
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(status.message()), HasSubstr("Key: x, Index: 1."));
  EXPECT_THAT(std::string(status.message()),
              HasSubstr("Data types don't match"));
}

TEST_F(ExampleMethodsTest, WrongFeatureSizeNamesIt) {
  tensorflow::Example two = ExampleWithX(1);
  (*two.mutable_features()->mutable_feature())["x"]
      .mutable_float_list()
      ->add_value(2);
  tfs::RegressionResult result;
  absl::Status status = Regress("regress", ExampleListInput({two}), &result);
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(status.message()), HasSubstr("Key: x"));
  EXPECT_THAT(std::string(status.message()),
              HasSubstr("Number of float values != expected"));
}

TEST_F(ExampleMethodsTest, MalformedExampleBytesAreInvalidArgument) {
  SerializedInput input = ExampleListInput(Xs({1}));
  input.mutable_example_list()->add_examples("\x0a\x05garbage");
  tfs::RegressionResult result;
  absl::Status status = Regress("regress", input, &result);
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(status.message()),
              HasSubstr("Could not parse example input"));
}

TEST_F(ExampleMethodsTest, EmptyInputIsInvalidArgument) {
  tfs::RegressionResult result;
  absl::Status status = Regress("regress", SerializedInput(), &result);
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(status.message()), StartsWith("Input is empty."));
}

TEST_F(ExampleMethodsTest, FloatInputSignatureIsRejectedClearly) {
  absl::Status status = RegressError("regress_float_input");
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(status.message()),
              StartsWith("Expects arg[0] to be float but string is provided"));
  EXPECT_THAT(std::string(status.message()), HasSubstr("regress_float_input"));
  EXPECT_THAT(std::string(status.message()), HasSubstr("Predict"));
}

TEST_F(ExampleMethodsTest, StructureChecksUseTfServingTexts) {
  EXPECT_THAT(std::string(RegressError("regress_two_inputs").message()),
              StartsWith("Expected one input Tensor."));
  EXPECT_THAT(std::string(RegressError("regress_no_outputs").message()),
              StartsWith("No regression outputs found in SignatureDef: "));
  EXPECT_THAT(std::string(ClassifyError("classify_bad_input").message()),
              StartsWith("No classification inputs found in SignatureDef: "));
  EXPECT_THAT(std::string(ClassifyError("regress").message()),
              StartsWith("Expected classification signature outputs to "
                         "contain at least one of \"classes\" or \"scores\"."));
  EXPECT_THAT(std::string(RegressError("classify_both").message()),
              StartsWith("Expected one output Tensor."));
  for (const char* signature :
       {"regress_two_inputs", "regress_no_outputs", "classify_both"}) {
    EXPECT_EQ(RegressError(signature).code(),
              absl::StatusCode::kInvalidArgument);
  }
}

TEST_F(ExampleMethodsTest, OutputChecksUseTfServingTexts) {
  EXPECT_THAT(std::string(ClassifyError("classify_mismatch").message()),
              StartsWith("Tensors class and score should match in "
                         "dim_size(1). Got 2 vs. 1"));
  EXPECT_THAT(std::string(ClassifyError("classify_int_scores").message()),
              StartsWith("Expected scores Tensor of DT_FLOAT. Got: DT_INT64"));
  EXPECT_THAT(std::string(RegressError("regress_wide").message()),
              StartsWith("Expected output Tensor shape to be either "
                         "[batch_size] or [batch_size, 1] but got [1,2]"));
  EXPECT_THAT(std::string(RegressError("regress_double").message()),
              StartsWith("Expected output Tensor of DT_FLOAT.  Got: "
                         "DT_DOUBLE"));
  tfs::ClassificationResult result;
  absl::Status status =
      Classify("classify_fixed", ExampleListInput(Xs({1, 2})), &result);
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(status.message()),
              StartsWith("Expected scores output batch size of 2. Got: 1"));
}

TEST_F(ExampleMethodsTest, MethodNameIsCheckedOnlyWhenAsked) {
  tfs::RegressionResult result;
  EXPECT_TRUE(Regress("predict_x", ExampleListInput(Xs({1})), &result).ok());
  SignatureCheckOptions strict;
  strict.check_method_name = true;
  absl::Status status =
      Regress("predict_x", ExampleListInput(Xs({1})), &result, strict);
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(status.message()),
              StartsWith("Expected regression signature method_name to be "
                         "tensorflow/serving/regress. Was: "
                         "tensorflow/serving/predict"));
  EXPECT_TRUE(
      Regress("regress", ExampleListInput(Xs({1})), &result, strict).ok());
}

TEST_F(ExampleMethodsTest, SignatureWithMissingOpsIsUnimplemented) {
  absl::Status status = RegressError("missing_op");
  EXPECT_EQ(status.code(), absl::StatusCode::kUnimplemented);
  EXPECT_THAT(std::string(status.message()), HasSubstr("NoSuchOp"));
}

}  // namespace
}  // namespace model_server
