// A SavedModel written for the Classify/Regress/MultiInference tests: one
// ParseExample over the string input "tf_example" (dense "x": float [1],
// required; dense "label": string [2], default ["no", "label"]) and
// signatures that exercise every check and result shape:
//
//   key                  method    inputs            outputs
//   classify_both        classify  tf_example        classes [N,2], scores
//   [N,2] = [x, 2x] classify_scores      classify  tf_example        scores
//   [N,1] = x classify_classes     classify  tf_example        classes [N,2]
//   classify_rank1       classify  tf_example        scores [N] = x
//   classify_mismatch    classify  tf_example        classes [N,2], scores
//   [N,1] classify_int_scores  classify  tf_example        scores int64 [N,1]
//   classify_fixed       classify  tf_example        scores [1,1] (constant)
//   regress              regress   tf_example        outputs [N,1] = x
//   regress_rank1        regress   tf_example        outputs [N] = x
//   regress_wide         regress   tf_example        outputs [N,2]
//   regress_double       regress   tf_example        outputs double [N,1]
//   regress_float_input  regress   x2 (float [-1,1]) outputs = x2
//   regress_two_inputs   regress   tf_example, x2    outputs
//   regress_other_input  regress   other_examples    outputs = x
//   regress_no_outputs   regress   tf_example        values (wrong alias)
//   classify_bad_input   classify  examples (alias)  scores
//   predict_x            predict   inputs=tf_example outputs = x
//   missing_op           regress   tf_example        outputs via op "NoSuchOp"
//   custom_method        example.com/custom  tf_example  outputs = x
#ifndef MODEL_SERVER_TESTS_SIGNATURES_EXAMPLE_MODEL_FIXTURE_H_
#define MODEL_SERVER_TESTS_SIGNATURES_EXAMPLE_MODEL_FIXTURE_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "gtest/gtest.h"
#include "loader/loaded_model.h"
#include "model_server/serialized_input.pb.h"
#include "tensorflow/core/example/example.pb.h"

namespace model_server {
namespace testing {

// Writes the model above to `export_dir` and loads it.
absl::StatusOr<std::unique_ptr<LoadedModel>> LoadExampleTestModel(
    const std::string& export_dir);

// A test suite sharing one loaded copy of the model above.
class ExampleTestModelSuite : public ::testing::Test {
 protected:
  static void SetUpTestSuite();
  static void TearDownTestSuite();
  static const LoadedModel& model() { return *model_; }

 private:
  static std::string* export_dir_;
  static LoadedModel* model_;
};

// A tf.Example with float feature "x" = {x}.
tensorflow::Example ExampleWithX(float x);

// example_list input of the serialized examples.
SerializedInput ExampleListInput(const std::vector<tensorflow::Example>& list);

}  // namespace testing
}  // namespace model_server

#endif  // MODEL_SERVER_TESTS_SIGNATURES_EXAMPLE_MODEL_FIXTURE_H_
